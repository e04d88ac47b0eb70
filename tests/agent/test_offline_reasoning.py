"""The offline model's reasoning summary of a chained turn: one line, a phrase per step, from the
calls and results in its input; none for a single call."""

from __future__ import annotations

import json

import pytest

from chatapp.agent.offline.conversation import read_conversation
from chatapp.agent.offline.reasoning import chain_summary


def _turn(*calls: tuple[str, dict, object]) -> list[dict]:
    items: list[dict] = [{"role": "user", "content": "do it"}]
    for n, (name, arguments, output) in enumerate(calls):
        items.append(
            {
                "type": "function_call",
                "call_id": f"c{n}",
                "name": name,
                "arguments": json.dumps(arguments),
            }
        )
        items.append(
            {"type": "function_call_output", "call_id": f"c{n}", "output": json.dumps(output)}
        )
    return items


MEETING = {"id": 3, "title": "Team meeting", "completed": False}


@pytest.mark.parametrize(
    ("calls", "summary"),
    [
        (
            [
                ("list_tasks", {"query": "meeting"}, {"tasks": [MEETING]}),
                ("delete_task", {"task_id": 3}, {"task_id": 3, "status": "deleted"}),
            ],
            "Looked for 'meeting' → found task 3 → deleted it",
        ),
        (
            [
                ("list_tasks", {"query": "gym"}, {"tasks": []}),
                ("add_task", {"title": "Gym"}, {"task_id": 4, "title": "Gym"}),
            ],
            "Looked for 'gym' → found nothing → added 'Gym'",
        ),
        (
            [
                ("complete_task", {"task_id": 3, "completed": False}, MEETING),
                (
                    "update_task",
                    {"task_id": 5},
                    {"error": {"code": "not_found", "message": "Task 5 not found"}},
                ),
            ],
            "Reopened task 3 → update_task failed (Task 5 not found)",
        ),
        (
            [
                ("list_tasks", {}, {"tasks": [MEETING, {"id": 4, "title": "Gym"}]}),
                ("complete_task", {"task_id": 4}, {"task_id": 4, "completed": True}),
            ],
            "Looked up tasks → found 2 tasks → completed task 4",
        ),
    ],
    ids=["find-then-delete", "nothing-found-then-add", "reopen-then-fail", "list-then-complete"],
)
def test_a_chained_turn_is_summarised_step_by_step(calls, summary):
    assert chain_summary(read_conversation(_turn(*calls))) == summary


def test_a_single_call_gets_no_summary():
    conversation = read_conversation(_turn(("add_task", {"title": "Gym"}, {"task_id": 4})))
    assert chain_summary(conversation) is None
