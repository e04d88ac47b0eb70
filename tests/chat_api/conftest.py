"""Fixtures for the chat doors: real users talking through the real app over HTTP."""

from __future__ import annotations

import pytest

from tests.support.auth import insert_user
from tests.support.chat import Chat


@pytest.fixture
def me(client) -> Chat:
    """The acting user, with a client on a freshly built app."""
    return Chat(client, insert_user("me@example.com"))


@pytest.fixture
def other(client) -> Chat:
    """A second user, who must never reach the first one's chats or tasks."""
    return Chat(client, insert_user("other@example.com"))


@pytest.fixture
def fresh_task_ids(db) -> None:
    """Task ids start at 1 again, so a test can say "task 3" as the spec does.

    Ids are global; the `db` fixture leaves the table empty but the counter running.
    """
    from sqlalchemy import text

    from chatapp.db import get_engine

    engine = get_engine()
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("ALTER SEQUENCE tasks_id_seq RESTART WITH 1"))
        else:
            conn.execute(text("DELETE FROM sqlite_sequence WHERE name = 'tasks'"))
