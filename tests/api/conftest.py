"""Fixtures for the API tests: users that exist in the database, with real session tokens."""

from __future__ import annotations

import pytest

from tests.support.auth import QuickUser, insert_user


@pytest.fixture
def quick_user(db):
    """Factory for users that exist in the test database, each with a valid session token."""
    return insert_user


@pytest.fixture
def owner(quick_user) -> QuickUser:
    return quick_user("owner@example.com")


@pytest.fixture
def intruder(quick_user) -> QuickUser:
    return quick_user("intruder@example.com")
