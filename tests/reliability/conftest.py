"""Fixtures for the reliability and security suite: a victim and an attacker with real rows on
both databases, and the API served over real HTTP (uvicorn) for the official MCP client."""

from __future__ import annotations

import pytest

from tests.support.reliability import World, build_world


@pytest.fixture
def world(client) -> World:
    """Victim A's tasks, thread, items and attachment; attacker B's own thread."""
    return build_world(client)
