"""The native chat's side of client tools without a browser: how a client tool call renders, and
the request it answers with, run through the same in-process ChatKit path the chat uses."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from chatkit.types import AssistantMessageItem, ClientToolCallItem, ThreadItemDoneEvent

from chatapp.chat.store import RequestContext
from chatapp.chat.turns import client_tool_output_request, turn_events
from chatapp.state.chat_items import WAITING_FOR_APP, client_tool_message, to_message
from tests.support.client_tools import Person


def _call(**changes) -> ClientToolCallItem:
    item = ClientToolCallItem(
        id="tc_1",
        thread_id="thr_1",
        created_at=datetime(2026, 11, 23, tzinfo=UTC),
        call_id="call_1",
        name="open_task",
        arguments={"task_id": 3},
    )
    return item.model_copy(update=changes)


def test_a_pending_call_shows_as_a_chip_waiting_for_the_app():
    chip = to_message(_call())
    assert chip is not None
    assert (chip.role, chip.tool_name, chip.tool_result, chip.failed) == (
        "tool",
        "open_task",
        WAITING_FOR_APP,
        False,
    )
    assert chip.tool_title == "Opened a task in the app (open_task)"
    assert json.loads(chip.tool_args) == {"task_id": 3}


def test_an_answered_call_shows_the_apps_result():
    opened = {"opened": True, "task_id": 3, "title": "Buy milk"}
    chip = client_tool_message(_call(status="completed", output=opened))
    assert json.loads(chip.tool_result) == opened and not chip.failed
    refused = client_tool_message(_call(status="completed", output={"error": "Task 3 not found"}))
    assert refused.failed


async def test_the_answer_request_continues_the_thread(ann: Person) -> None:
    task = ann.add_task("Buy milk")
    turn = await ann.say(f"open task {task.id}")
    [call] = turn.client_calls
    result = {"opened": True, "task_id": task.id, "title": "Buy milk"}

    request = client_tool_output_request(call.thread_id, result)
    events = [e async for e in turn_events(request, RequestContext(user_id=ann.id))]

    replies = [
        e.item.content[0].text
        for e in events
        if isinstance(e, ThreadItemDoneEvent) and isinstance(e.item, AssistantMessageItem)
    ]
    assert replies == [f"Opened **Buy milk** (task {task.id})."]
