"""A conversation carries its history: later messages build on earlier ones, also after a restart."""

from __future__ import annotations

import asyncio

from tests.support.chat import Chat, item_text


def test_mark_it_done_refers_to_the_task_just_added(me: Chat) -> None:
    me.add_task("Call mom")
    first = me.say("add buy milk")

    second = me.say("mark it done", first["conversation_id"])

    (call,) = second["tool_calls"]
    assert call["name"] == "complete_task"
    milk = next(t for t in me.tasks() if t["title"] == "Buy milk")
    assert call["arguments"]["task_id"] == milk["id"]
    assert [(t["title"], t["completed"]) for t in me.tasks()] == [
        ("Call mom", False),
        ("Buy milk", True),
    ]
    assert "Buy milk" in second["response"]


def test_mark_it_done_in_a_new_conversation_asks_which_task(me: Chat) -> None:
    me.say("add buy milk")

    fresh = me.say("mark it done")

    assert fresh["tool_calls"] == []
    assert "which task" in fresh["response"].lower()
    assert [t["completed"] for t in me.tasks()] == [False]


def test_answer_to_which_one_finishes_the_delete(me: Chat) -> None:
    me.add_task("Team meeting")
    notes = me.add_task("Meeting notes")
    asked = me.say("delete the meeting task")
    assert [call["name"] for call in asked["tool_calls"]] == ["list_tasks"]
    assert "which one" in asked["response"].lower()

    answered = me.say("the second one", asked["conversation_id"])

    assert [(c["name"], c["arguments"]) for c in answered["tool_calls"]] == [
        ("delete_task", {"task_id": notes})
    ]
    assert [t["title"] for t in me.tasks()] == ["Team meeting"]


def test_several_turns_build_on_each_other(me: Chat) -> None:
    first = me.say("add buy milk")
    conversation = first["conversation_id"]
    me.say("make it high priority", conversation)
    me.say("move it to tomorrow at 9am", conversation)
    me.say("rename it to buy oat milk", conversation)

    (task,) = me.tasks()
    assert task["title"] == "Buy oat milk"
    assert task["priority"] == "high"
    assert task["due_at"] is not None
    users = [item_text(i) for i in me.items(first["thread_id"]) if i["type"] == "user_message"]
    assert users == [
        "add buy milk",
        "make it high priority",
        "move it to tomorrow at 9am",
        "rename it to buy oat milk",
    ]


def test_conversation_resumes_on_a_freshly_built_app(me: Chat) -> None:
    from fastapi.testclient import TestClient

    from chatapp.api import build_api
    from chatapp.chat import get_chat_server

    first = me.say("add buy milk")
    conversation = first["conversation_id"]

    get_chat_server.cache_clear()
    with TestClient(build_api()) as restarted:
        again = Chat(restarted, me.user)
        second = again.say("mark it done", conversation)
        items = again.items(first["thread_id"])

    assert second["conversation_id"] == conversation
    assert [c["name"] for c in second["tool_calls"]] == ["complete_task"]
    assert [(t["title"], t["completed"]) for t in me.tasks()] == [("Buy milk", True)]
    assert [(i["type"], item_text(i)) for i in items if i["type"] != "task"] == [
        ("user_message", "add buy milk"),
        ("assistant_message", first["response"]),
        ("user_message", "mark it done"),
        ("assistant_message", second["response"]),
    ]
    assert [i["type"] for i in items].count("task") == 2
    stored = _stored_item_types(me.user.id, first["thread_id"])
    assert stored.count("hidden_context_item") == 2  # the exact tool calls, for the model
    assert stored.count("user_message") == 2 and stored.count("assistant_message") == 2


def _stored_item_types(user_id: int, thread_id: str) -> list[str]:
    from chatapp.chat.store import RequestContext, SQLStore

    page = asyncio.run(
        SQLStore().load_thread_items(thread_id, None, 100, "asc", RequestContext(user_id=user_id))
    )
    return [item.type for item in page.data]


def test_conversations_do_not_share_history(me: Chat) -> None:
    first = me.say("add buy milk")
    other_conversation = me.say("hello")

    reply = me.say("mark it done", other_conversation["conversation_id"])

    assert first["conversation_id"] != other_conversation["conversation_id"]
    assert reply["tool_calls"] == []
    assert [t["completed"] for t in me.tasks()] == [False]
