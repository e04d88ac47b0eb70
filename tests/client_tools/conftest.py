"""Fixtures for client tools: real users with real tokens, a real task service and the real chat
core (offline model), on both database backends (the `db` fixture)."""

from __future__ import annotations

import pytest

from tests.support.client_tools import Person, make_person


@pytest.fixture
def ann(db) -> Person:
    return make_person("ann@example.com")


@pytest.fixture
def ben(db) -> Person:
    """Another user: never reaches ann's tasks or threads."""
    return make_person("ben@example.com")
