"""Fixtures for the chat store tests: a store on the test database and two real user rows."""

from __future__ import annotations

import pytest

from chatapp.chat.store import RequestContext, SQLStore


def _insert_user(email: str) -> RequestContext:
    from chatapp.db import User, session_scope

    with session_scope() as session:
        # These users never sign in, so no real hash is needed (argon2 would only cost time).
        user = User(email=email, password_hash="not-a-password-hash")
        session.add(user)
        session.flush()
        return RequestContext(user_id=user.id)


@pytest.fixture
def store(db) -> SQLStore:
    return SQLStore()


@pytest.fixture
def ann(db) -> RequestContext:
    """The acting user."""
    return _insert_user("ann@example.com")


@pytest.fixture
def ben(db) -> RequestContext:
    """Another user, who must never reach ann's chats."""
    return _insert_user("ben@example.com")
