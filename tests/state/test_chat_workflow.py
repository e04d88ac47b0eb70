"""The native chat shows a chain of tool calls as one workflow, the same live and reloaded."""

from __future__ import annotations

import json

from chatapp.chat.history import by_chip
from chatapp.chat.turns import user_message_request
from chatapp.state.chat_items import add_item, changes_view, to_messages
from tests.state.test_chat_state import ann, items, run  # noqa: F401  -- ann: the fixture


async def _turn(text: str, ctx) -> tuple[str, list]:
    failure, events = await run(user_message_request(text, None), ctx)
    assert failure == ""
    return events[0].thread.id, events


async def test_a_chain_reloads_as_one_workflow_with_each_steps_call(ann):  # noqa: F811
    thread_id, _ = await _turn("add alpha, bravo and charlie", ann)

    shown = to_messages(await items(thread_id, ann))

    assert [m.role for m in shown] == ["user", "workflow", "assistant"]
    workflow = shown[1]
    assert workflow.tool_title == "3 steps" and not workflow.failed
    assert workflow.text == "Added 'Alpha' → added 'Bravo' → added 'Charlie'"
    assert [s.tool_name for s in workflow.steps] == ["add_task"] * 3
    assert [json.loads(s.tool_args)["title"] for s in workflow.steps] == [
        "Alpha",
        "Bravo",
        "Charlie",
    ]
    assert [json.loads(s.tool_result)["title"] for s in workflow.steps] == [
        "Alpha",
        "Bravo",
        "Charlie",
    ]


async def test_a_streamed_chain_folds_into_what_a_reload_shows(ann):  # noqa: F811
    thread_id, events = await _turn("add alpha, bravo and charlie", ann)

    live: list = []
    for event in events:
        if changes_view(event) and hasattr(event, "item"):
            add_item(live, event.item, by_chip(ann.tool_calls))

    reloaded = to_messages(await items(thread_id, ann))
    assert [m.role for m in live] == ["user", "workflow", "assistant"]
    assert live[1:] == reloaded[1:]  # the user message shown live gets its id from the store


def test_composer_hints_put_the_most_used_tags_and_the_pending_tasks_first():
    from datetime import UTC, datetime

    from chatapp.state.chat_items import TaskHint, composer_hints
    from chatapp.tasks.schemas import TaskOut

    now = datetime(2026, 11, 23, tzinfo=UTC)

    def task(id: int, title: str, tags: list[str], completed: bool = False) -> TaskOut:
        return TaskOut.model_validate(
            {
                "id": id,
                "title": title,
                "description": None,
                "completed": completed,
                "priority": None,
                "due_at": None,
                "tags": tags,
                "created_at": now,
                "updated_at": now,
                "completed_at": None,
                "recurrence": None,
                "recurrence_text": None,
                "time_zone": "UTC",
                "remind_at": None,
                "reminded_at": None,
            }
        )

    tags, hints = composer_hints(
        [
            task(1, "File taxes", ["money"], completed=True),
            task(2, "Buy milk", ["errands", "home"]),
            task(3, "Fix the tap", ["home"]),
        ]
    )

    assert tags == ["home", "errands", "money"]
    assert hints == [
        TaskHint(id=2, title="Buy milk"),
        TaskHint(id=3, title="Fix the tap"),
        TaskHint(id=1, title="File taxes", completed=True),
    ]
