"""Fixtures for the task service tests: two real user rows, no HTTP."""

from __future__ import annotations

import pytest

from tests.support.auth import insert_user


@pytest.fixture
def ann(db) -> int:
    """The acting user's id."""
    return insert_user("ann@example.com").id


@pytest.fixture
def ben(db) -> int:
    """Another user's id."""
    return insert_user("ben@example.com").id
