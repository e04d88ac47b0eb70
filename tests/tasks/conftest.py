"""Fixtures for the task service tests: two real user rows, no HTTP."""

from __future__ import annotations

from functools import cache

import pytest


@cache
def _password_hash() -> str:
    from chatapp.auth.security import hash_password

    return hash_password("correct horse battery")


def _insert_user(email: str) -> int:
    from chatapp.db import User, session_scope

    with session_scope() as session:
        user = User(email=email, password_hash=_password_hash())
        session.add(user)
        session.flush()
        return user.id


@pytest.fixture
def ann(db) -> int:
    """The acting user's id."""
    return _insert_user("ann@example.com")


@pytest.fixture
def ben(db) -> int:
    """Another user's id."""
    return _insert_user("ben@example.com")
