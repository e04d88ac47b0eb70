"""Fixtures for attachment tests: real users, a real attachment folder per test."""

from __future__ import annotations

import pytest

from tests.support.auth import QuickUser, insert_user


@pytest.fixture
def app_client(attachment_dir, client):
    """The API client, its uploads stored in this test's attachment folder."""
    return client


@pytest.fixture
def owner(db) -> QuickUser:
    return insert_user("owner@example.com")


@pytest.fixture
def intruder(db) -> QuickUser:
    return insert_user("intruder@example.com")
