"""Fixtures for the offline model tests (the kit itself is tests/support/agent.py)."""

from __future__ import annotations

import pytest

from tests.support.agent import TodoStore


@pytest.fixture
def store() -> TodoStore:
    return TodoStore()


@pytest.fixture
def seeded() -> TodoStore:
    """Five tasks: 1 Call mom (due tomorrow 17:00), 2 Buy milk, 3 Team meeting, 4 File taxes, 5 Book dentist (done)."""
    todo = TodoStore()
    todo.seed("Call mom", due_at="2026-11-24T17:00:00+01:00")
    todo.seed("Buy milk", tags=["shopping"])
    todo.seed("Team meeting", priority="high", tags=["work"])
    todo.seed("File taxes", tags=["admin"], due_at="2026-11-20T09:00:00+01:00")
    todo.seed("Book dentist", completed=True)
    return todo
