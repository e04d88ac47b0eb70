"""Chained tool calls show as one ChatKit workflow: streamed, stored, reloaded, replayed."""

from __future__ import annotations

from tests.support.chat import Chat, done_items, item_text, user_input


def start(chat: Chat, text: str) -> tuple[str, list[dict]]:
    events = chat.chatkit_ok("threads.create", input=user_input(text))
    return events[0]["thread"]["id"], events


def replaced(events: list[dict]) -> list[dict]:
    return [e["item"] for e in events if e["type"] == "thread.item.replaced"]


def test_three_calls_in_one_turn_are_one_workflow_with_a_step_each(me: Chat) -> None:
    thread_id, events = start(me, "add alpha, bravo and charlie")

    # The first call streams as a chip; the second turns it into a workflow in place.
    (chip,) = done_items(events, "task")
    workflows = replaced(events)
    assert {w["id"] for w in workflows} == {chip["id"]}
    stored = me.items(thread_id)
    assert [i["type"] for i in stored] == ["user_message", "workflow", "assistant_message"]
    workflow = stored[1]
    assert workflow["id"] == chip["id"] and workflow == workflows[-1]
    steps = workflow["workflow"]["tasks"]
    assert [s["type"] for s in steps] == ["custom"] * 3 + ["thought"]
    assert steps[3]["content"] == "Added 'Alpha' → added 'Bravo' → added 'Charlie'"
    assert all("add_task" in s["title"] for s in steps[:3])
    assert ["Alpha" in steps[0]["content"], "Bravo" in steps[1]["content"]] == [True, True]
    assert "Charlie" in steps[2]["content"]
    assert workflow["workflow"]["summary"]["title"] == "3 steps"
    assert workflow["workflow"]["expanded"] is False
    assert sorted(t["title"] for t in me.tasks()) == ["Alpha", "Bravo", "Charlie"]


def test_a_chain_carries_the_models_reasoning_summary_as_a_thought(me: Chat) -> None:
    me.add_task("Team meeting")
    thread_id, _ = start(me, "delete the meeting task")

    (workflow,) = [i for i in me.items(thread_id) if i["type"] == "workflow"]
    steps = workflow["workflow"]["tasks"]
    assert [s["type"] for s in steps] == ["custom", "custom", "thought"]
    assert "list_tasks" in steps[0]["title"] and "delete_task" in steps[1]["title"]
    assert steps[2]["content"].startswith("Looked for 'meeting' → found task ")
    assert steps[2]["content"].endswith(" → deleted it")
    assert me.tasks() == []


def test_a_single_call_stays_a_chip_without_a_thought(me: Chat) -> None:
    thread_id, events = start(me, "add buy milk")

    assert replaced(events) == []
    assert [i["type"] for i in me.items(thread_id)] == [
        "user_message",
        "task",
        "assistant_message",
    ]


def test_the_next_turn_sees_every_step_of_a_workflow(me: Chat) -> None:
    thread_id, _ = start(me, "add alpha, bravo and charlie")

    events = me.chatkit_ok(
        "threads.add_user_message", thread_id=thread_id, input=user_input("delete charlie")
    )

    (reply,) = done_items(events, "assistant_message")
    assert "Charlie" in item_text(reply)
    assert sorted(t["title"] for t in me.tasks()) == ["Alpha", "Bravo"]
