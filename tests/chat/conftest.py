"""Fixtures for the chat store tests: a store on the test database and two real user rows."""

from __future__ import annotations

import pytest

from chatapp.chat.store import RequestContext, SQLStore
from tests.support.auth import insert_user


@pytest.fixture
def store(db) -> SQLStore:
    return SQLStore()


@pytest.fixture
def ann(db) -> RequestContext:
    """The acting user."""
    return RequestContext(user_id=insert_user("ann@example.com").id)


@pytest.fixture
def ben(db) -> RequestContext:
    """Another user, who must never reach ann's chats."""
    return RequestContext(user_id=insert_user("ben@example.com").id)
