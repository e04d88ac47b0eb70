"""open_task through the chat core (TodoChatServer, offline model, real task service): the turn
stops at a pending client tool call, the browser's answer continues it, and a task that is not
the user's never reaches the browser."""

from __future__ import annotations

import json

import pytest
from chatkit.store import NotFoundError

from chatapp.chat.server import CONVERTER
from tests.support.client_tools import Person


async def test_open_task_stops_the_turn_at_a_pending_client_call(ann: Person) -> None:
    task = ann.add_task("Buy milk")
    turn = await ann.say(f"open task {task.id}")

    [call] = turn.client_calls
    assert (call.name, call.arguments, call.status) == (
        "open_task",
        {"task_id": task.id},
        "pending",
    )
    assert turn.replies == []
    assert turn.tool_names == ["open_task"]
    items = await ann.items()
    # The pending call is the thread's last item: threads.add_client_tool_output looks for it there.
    assert [item.type for item in items] == ["user_message", "client_tool_call"]
    assert items[-1].id == call.id and items[-1].call_id == call.call_id


async def test_the_apps_answer_continues_with_a_reply(ann: Person) -> None:
    task = ann.add_task("Buy milk")
    first = await ann.say(f"open task {task.id}")
    [call] = first.client_calls

    turn = await ann.answer({"opened": True, "task_id": task.id, "title": "Buy milk"})

    assert turn.replies == [f"Opened **Buy milk** (task {task.id})."]
    assert turn.client_calls == []
    items = await ann.items()
    assert [item.type for item in items] == [
        "user_message",
        "client_tool_call",
        "assistant_message",
    ]
    stored = items[1]
    assert stored.status == "completed"
    assert stored.output == {"opened": True, "task_id": task.id, "title": "Buy milk"}
    thread = await ann.server.store.load_thread(ann.thread_id, turn.ctx)
    assert thread.title == f"Open task {task.id}"  # from the user's message, not the answer
    # The completed call is history: a function_call and its output, under one call id.
    history = await CONVERTER.to_agent_input(items)
    pair = [entry for entry in history if entry.get("call_id") == call.call_id]
    assert [entry["type"] for entry in pair] == ["function_call", "function_call_output"]
    assert pair[0]["name"] == "open_task"


async def test_open_by_words_looks_the_task_up_then_opens_it(ann: Person) -> None:
    ann.add_task("Call mom")
    milk = ann.add_task("Buy milk")

    turn = await ann.say("open the milk task")

    assert turn.tool_names == ["list_tasks", "open_task"]
    assert [call.arguments for call in turn.client_calls] == [{"task_id": milk.id}]
    types = [item.type for item in await ann.items()]
    assert types == ["user_message", "task", "hidden_context_item", "client_tool_call"]
    reply = await ann.answer({"opened": True, "task_id": milk.id, "title": milk.title})
    assert reply.replies == [f"Opened **Buy milk** (task {milk.id})."]


@pytest.mark.parametrize("whose", ["someone else's", "missing"])
async def test_a_task_that_is_not_the_users_is_not_found_and_no_call_is_made(
    ann: Person, ben: Person, whose: str
) -> None:
    secret = ben.add_task("Ben's surprise party")
    task_id = secret.id if whose == "someone else's" else secret.id + 1000

    turn = await ann.say(f"open task {task_id}")

    assert turn.client_calls == []
    assert turn.tool_names == ["open_task"]
    assert json.loads(turn.ctx.tool_calls[0].output) == {
        "error": {"code": "not_found", "message": f"Task {task_id} not found"}
    }
    [reply] = turn.replies
    assert f"Task {task_id} not found" in reply
    assert "surprise" not in reply
    assert "client_tool_call" not in [item.type for item in await ann.items()]
    with pytest.raises(ValueError, match="not a ClientToolCallItem"):
        await ann.answer({"opened": True, "task_id": task_id, "title": "x"})


async def test_an_error_from_the_app_is_told_to_the_user(ann: Person) -> None:
    task = ann.add_task("Buy milk")
    await ann.say(f"open task {task.id}")
    turn = await ann.answer({"error": f"Task {task.id} not found"})
    [reply] = turn.replies
    assert reply.startswith(f"Sorry, I couldn't open task {task.id}: Task {task.id} not found.")


async def test_another_user_cannot_answer_the_call(ann: Person, ben: Person) -> None:
    task = ann.add_task("Buy milk")
    await ann.say(f"open task {task.id}")
    with pytest.raises(NotFoundError):
        await ben.answer({"opened": True, "task_id": task.id, "title": "x"}, ann.thread_id)
    items = await ann.items()
    assert (items[-1].type, items[-1].status) == ("client_tool_call", "pending")


async def test_it_then_means_the_opened_task(ann: Person) -> None:
    ann.add_task("Call mom")
    milk = ann.add_task("Buy milk")
    await ann.say("open the milk task")
    await ann.answer({"opened": True, "task_id": milk.id, "title": milk.title})

    turn = await ann.say("mark it done")

    assert turn.tool_names == ["complete_task"]
    assert turn.ctx.tool_calls[0].arguments["task_id"] == milk.id
    assert turn.replies == [f"Marked **Buy milk** (task {milk.id}) as done. ✓"]
