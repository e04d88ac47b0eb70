"""Fixtures for the MCP task tool tests: two real users on a real database (both backends), and
the API served over real HTTP by uvicorn for the official MCP client."""

from __future__ import annotations

import pytest

from tests.support.auth import QuickUser, insert_user


@pytest.fixture
def ann(db) -> QuickUser:
    return insert_user("ann@example.com")


@pytest.fixture
def ben(db) -> QuickUser:
    return insert_user("ben@example.com")


@pytest.fixture(scope="session")
def live_api(api_server: str) -> str:
    """The MCP endpoint of the shared real uvicorn server (see tests/conftest.py)."""
    return f"{api_server}/mcp"
