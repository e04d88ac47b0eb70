"""The spec's natural-language table, row by row, through POST /api/{user_id}/chat.

Each row asserts the tool calls the turn made and the task rows it left behind. Task ids start
at 1 here (fresh_task_ids) so the messages read exactly as the spec writes them.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.chat import Chat

SEED = [("Call mom", False), ("Team meeting", False), ("File taxes", False), ("Book dentist", True)]
Rows = list[tuple[int, str, bool]]
SEEDED: Rows = [(i, title, done) for i, (title, done) in enumerate(SEED, start=1)]
Calls = list[tuple[str, dict[str, Any]]]

SPEC_TABLE: list[tuple[str, list[tuple[str, bool]], Calls, Rows, set[int] | None]] = [
    # message, seed, expected calls (name, argument subset), rows after, ids a listing returns
    (
        "Add a task to buy groceries",
        [],
        [("add_task", {"title": "Buy groceries"})],
        [(1, "Buy groceries", False)],
        None,
    ),
    (
        "Show me all my tasks",
        SEED,
        [("list_tasks", {"status": "all"})],
        SEEDED,
        {1, 2, 3, 4},
    ),
    (
        "What's pending?",
        SEED,
        [("list_tasks", {"status": "pending"})],
        SEEDED,
        {1, 2, 3},
    ),
    (
        "Mark task 3 as complete",
        SEED[:3],
        [("complete_task", {"task_id": 3})],
        [(1, "Call mom", False), (2, "Team meeting", False), (3, "File taxes", True)],
        None,
    ),
    (
        "Delete the meeting task",
        SEED,
        [("list_tasks", {"query": "meeting"}), ("delete_task", {"task_id": 2})],
        [row for row in SEEDED if row[0] != 2],
        None,
    ),
    (
        "Change task 1 to 'Call mom tonight'",
        SEED,
        [("update_task", {"task_id": 1, "title": "Call mom tonight"})],
        [(1, "Call mom tonight", False), *SEEDED[1:]],
        None,
    ),
    (
        "I need to remember to pay bills",
        SEED[:1],
        [("add_task", {"title": "Pay bills"})],
        [(1, "Call mom", False), (2, "Pay bills", False)],
        None,
    ),
    (
        "What have I completed?",
        SEED,
        [("list_tasks", {"status": "completed"})],
        SEEDED,
        {4},
    ),
]


@pytest.mark.parametrize(
    ("message", "seed", "calls", "rows", "listed"),
    SPEC_TABLE,
    ids=[row[0] for row in SPEC_TABLE],
)
def test_spec_table_row_makes_the_tool_calls_and_leaves_the_rows(
    me: Chat,
    fresh_task_ids: None,
    message: str,
    seed: list[tuple[str, bool]],
    calls: Calls,
    rows: Rows,
    listed: set[int] | None,
) -> None:
    for title, completed in seed:
        me.add_task(title, completed=completed)

    body = me.say(message)

    made = body["tool_calls"]
    assert [call["name"] for call in made] == [name for name, _ in calls], made
    for call, (_, wanted) in zip(made, calls, strict=True):
        for key, value in wanted.items():
            assert call["arguments"].get(key) == value, (key, call["arguments"])
    assert [(t["id"], t["title"], t["completed"]) for t in me.tasks()] == rows
    if listed is not None:
        assert {row["id"] for row in made[0]["output"]} == listed
    assert body["response"].strip()
    for call in made:
        if call["name"] != "list_tasks":
            assert call["output"]["status"] in ("created", "completed", "deleted", "updated")
