"""POST /chatkit speaks the ChatKit protocol: every request type a ChatKit client sends, end to end."""

from __future__ import annotations

import pytest

from tests.support.chat import (
    Chat,
    chatkit_body,
    done_items,
    item_text,
    parse_sse,
    text_deltas,
    user_input,
)


def start(chat: Chat, text: str) -> tuple[str, list[dict]]:
    events = chat.chatkit_ok("threads.create", input=user_input(text))
    return events[0]["thread"]["id"], events


def say(chat: Chat, thread_id: str, text: str) -> list[dict]:
    return chat.chatkit_ok("threads.add_user_message", thread_id=thread_id, input=user_input(text))


def visible_ids(chat: Chat, thread_id: str) -> list[str]:
    return [item["id"] for item in chat.items(thread_id)]


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer nope"}, {"Authorization": "Basic dXNlcjpwYXNz"}],
    ids=["no-token", "garbage-token", "basic-auth"],
)
def test_chatkit_without_a_valid_bearer_is_401(me: Chat, headers: dict) -> None:
    body = chatkit_body("threads.create", input=user_input("add buy milk"))
    response = me.client.post("/chatkit", json=body, headers=headers)
    assert response.status_code == 401
    assert response.json()["detail"]
    assert me.tasks() == []
    assert me.chatkit_ok("threads.list")["data"] == []


def test_token_of_a_deleted_account_is_401_on_chatkit(me: Chat) -> None:
    from chatapp.db import User, session_scope

    with session_scope() as session:
        session.delete(session.get(User, me.user.id))

    response = me.chatkit("threads.create", input=user_input("add buy milk"))
    assert response.status_code == 401
    response = me.chatkit("threads.list")
    assert response.status_code == 401


def test_threads_create_streams_thread_user_message_tool_item_and_reply(me: Chat) -> None:
    response = me.chatkit("threads.create", input=user_input("add buy milk"))

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    events = [data for _, data in parse_sse(response.text)]
    assert events[0]["type"] == "thread.created"
    thread_id = events[0]["thread"]["id"]
    (user,) = done_items(events, "user_message")
    assert item_text(user) == "add buy milk" and user["thread_id"] == thread_id
    (chip,) = done_items(events, "task")
    assert "add_task" in chip["task"]["title"]
    assert "Buy milk" in chip["task"]["content"]
    (reply,) = done_items(events, "assistant_message")
    deltas = text_deltas(events)
    assert len(deltas) >= 2
    assert "".join(deltas) == item_text(reply)
    assert "Buy milk" in item_text(reply)
    types = [event["type"] for event in events]
    assert "thread.updated" in types
    assert types.index("thread.item.done") < types.index("thread.item.updated")
    assert all(
        event["item"]["type"] not in ("hidden_context_item", "sdk_hidden_context")
        for event in events
        if "item" in event
    ), "hidden tool-call records must not reach the client"
    assert [task["title"] for task in me.tasks()] == ["Buy milk"]


def test_add_user_message_continues_the_thread_with_its_history(me: Chat) -> None:
    thread_id, _ = start(me, "add buy milk")

    events = say(me, thread_id, "mark it done")

    assert events[0]["type"] != "thread.created"
    (user,) = done_items(events, "user_message")
    assert item_text(user) == "mark it done"
    (chip,) = done_items(events, "task")
    assert "complete_task" in chip["task"]["title"]
    assert [(t["title"], t["completed"]) for t in me.tasks()] == [("Buy milk", True)]
    assert [i["type"] for i in me.items(thread_id)] == [
        "user_message",
        "task",
        "assistant_message",
        "user_message",
        "task",
        "assistant_message",
    ]


def test_add_user_message_to_an_unknown_thread_is_404(me: Chat) -> None:
    response = me.chatkit(
        "threads.add_user_message", thread_id="thr_missing", input=user_input("add buy milk")
    )
    assert response.status_code == 404
    assert "thr_missing" in response.json()["detail"]
    assert me.tasks() == []


def test_threads_list_pages_newest_first(me: Chat) -> None:
    created = [start(me, f"note number {n}")[0] for n in range(3)]

    first = me.chatkit_ok("threads.list", limit=2)
    second = me.chatkit_ok("threads.list", limit=2, after=first["after"])
    oldest_first = me.chatkit_ok("threads.list", order="asc")

    assert [t["id"] for t in first["data"]] == created[::-1][:2]
    assert first["has_more"] is True
    assert [t["id"] for t in second["data"]] == created[:1]
    assert second["has_more"] is False
    assert [t["id"] for t in oldest_first["data"]] == created
    assert [t["title"] for t in oldest_first["data"]] == [f"Note number {n}" for n in range(3)]


def test_threads_get_by_id_returns_title_and_visible_items(me: Chat) -> None:
    thread_id, _ = start(me, "add buy milk")

    thread = me.chatkit_ok("threads.get_by_id", thread_id=thread_id)

    assert thread["id"] == thread_id
    assert thread["title"] == "Add buy milk"
    assert [i["type"] for i in thread["items"]["data"]] == [
        "user_message",
        "task",
        "assistant_message",
    ]


def test_items_list_pages_through_every_visible_item_in_both_orders(me: Chat) -> None:
    thread_id, _ = start(me, "add buy milk")
    say(me, thread_id, "add call mom")
    say(me, thread_id, "hello")
    everything = me.items(thread_id)
    assert [i["type"] for i in everything].count("user_message") == 3
    assert len(everything) == 8

    for order, expected in (("asc", everything), ("desc", everything[::-1])):
        seen, after = [], None
        while True:
            page = me.chatkit_ok(
                "items.list", thread_id=thread_id, limit=3, order=order, after=after
            )
            assert len(page["data"]) <= 3
            seen.extend(page["data"])
            if not page["has_more"]:
                break
            after = page["after"]
        assert [i["id"] for i in seen] == [i["id"] for i in expected], order


def test_items_list_after_an_unknown_item_is_404(me: Chat) -> None:
    thread_id, _ = start(me, "hello")
    response = me.chatkit("items.list", thread_id=thread_id, after="msg_unknown")
    assert response.status_code == 404


def test_threads_update_renames_the_thread(me: Chat) -> None:
    thread_id, _ = start(me, "add buy milk")

    renamed = me.chatkit_ok("threads.update", thread_id=thread_id, title="Shopping")

    assert renamed["title"] == "Shopping"
    assert me.chatkit_ok("threads.get_by_id", thread_id=thread_id)["title"] == "Shopping"
    assert [t["title"] for t in me.chatkit_ok("threads.list")["data"]] == ["Shopping"]
    say(me, thread_id, "add call mom")
    assert me.chatkit_ok("threads.get_by_id", thread_id=thread_id)["title"] == "Shopping"


def test_threads_delete_removes_the_thread_and_its_items_but_not_the_tasks(me: Chat) -> None:
    thread_id, _ = start(me, "add buy milk")
    kept_id, _ = start(me, "hello")

    assert me.chatkit_ok("threads.delete", thread_id=thread_id) == {}

    assert me.chatkit("threads.get_by_id", thread_id=thread_id).status_code == 404
    assert me.chatkit("items.list", thread_id=thread_id).status_code == 404
    assert [t["id"] for t in me.chatkit_ok("threads.list")["data"]] == [kept_id]
    assert _stored_item_count(thread_id) == 0
    assert [t["title"] for t in me.tasks()] == ["Buy milk"]
    assert me.chatkit("threads.delete", thread_id=thread_id).status_code == 404


def _stored_item_count(thread_id: str) -> int:
    from sqlalchemy import func
    from sqlmodel import select

    from chatapp.db import session_scope
    from chatapp.db.models import ChatItem

    with session_scope() as session:
        return session.exec(
            select(func.count()).select_from(ChatItem).where(ChatItem.thread_id == thread_id)
        ).one()


@pytest.mark.parametrize("kind", ["positive", "negative"])
def test_items_feedback_is_accepted_and_changes_no_item(me: Chat, kind: str) -> None:
    thread_id, events = start(me, "add buy milk")
    (reply,) = done_items(events, "assistant_message")
    before = me.items(thread_id)

    answer = me.chatkit_ok("items.feedback", thread_id=thread_id, item_ids=[reply["id"]], kind=kind)

    assert answer == {}
    assert me.items(thread_id) == before


def test_items_feedback_for_an_item_not_in_the_thread_is_404(me: Chat) -> None:
    thread_id, _ = start(me, "hello")
    response = me.chatkit(
        "items.feedback", thread_id=thread_id, item_ids=["msg_unknown"], kind="positive"
    )
    assert response.status_code == 404


def test_retry_after_item_removes_later_items_and_answers_again(me: Chat) -> None:
    thread_id, events = start(me, "hello")
    (greeting,) = done_items(events, "user_message")
    say(me, thread_id, "what's pending?")
    before = me.items(thread_id)
    assert [i["type"] for i in before] == ["user_message", "assistant_message"] + [
        "user_message",
        "task",
        "assistant_message",
    ]

    retried = me.chatkit_ok("threads.retry_after_item", thread_id=thread_id, item_id=greeting["id"])

    (answer,) = done_items(retried, "assistant_message")
    assert done_items(retried, "user_message") == []
    after = me.items(thread_id)
    assert [i["id"] for i in after] == [greeting["id"], answer["id"]]
    assert answer["id"] != before[1]["id"]
    assert "".join(text_deltas(retried)) == item_text(answer) != ""


def test_retry_after_an_item_that_is_not_a_user_message_is_400(me: Chat) -> None:
    thread_id, events = start(me, "hello")
    (reply,) = done_items(events, "assistant_message")
    before = me.items(thread_id)

    response = me.chatkit("threads.retry_after_item", thread_id=thread_id, item_id=reply["id"])

    assert response.status_code == 400
    assert "not a user message" in response.json()["detail"]
    assert me.items(thread_id) == before


def test_retry_after_an_unknown_item_is_404_and_keeps_the_thread(me: Chat) -> None:
    thread_id, _ = start(me, "hello")
    before = me.items(thread_id)

    response = me.chatkit("threads.retry_after_item", thread_id=thread_id, item_id="msg_unknown")

    assert response.status_code == 404
    assert me.items(thread_id) == before


def test_thread_title_is_the_first_message_made_locally(me: Chat) -> None:
    thread_id, events = start(me, "  remind me to call mom tomorrow at 5pm  ")

    (updated,) = [e for e in events if e["type"] == "thread.updated"]
    assert updated["thread"]["title"] == "Remind me to call mom tomorrow at 5pm"
    say(me, thread_id, "add buy milk")
    assert me.chatkit_ok("threads.get_by_id", thread_id=thread_id)["title"] == (
        "Remind me to call mom tomorrow at 5pm"
    )


def test_long_first_message_gives_a_short_title_cut_at_a_word(me: Chat) -> None:
    message = "please add " + " ".join(f"word{n}" for n in range(40))
    thread_id, _ = start(me, message)

    title = me.chatkit_ok("threads.get_by_id", thread_id=thread_id)["title"]

    assert title.endswith("…")
    assert len(title) <= 61
    assert message.capitalize().startswith(title[:-1])
    assert title[:-1].split()[-1] in message.split()


def test_json_api_conversation_is_a_titled_chatkit_thread(me: Chat) -> None:
    body = me.say("What's pending?")
    (thread,) = me.chatkit_ok("threads.list")["data"]
    assert thread["id"] == body["thread_id"]
    assert thread["metadata"] == {"conversation_id": body["conversation_id"]}
    assert thread["title"] == "What's pending?"


def test_timezone_header_sets_the_clock_for_dates(me: Chat) -> None:
    from datetime import datetime, time, timedelta
    from zoneinfo import ZoneInfo

    tokyo = ZoneInfo("Asia/Tokyo")
    tomorrow = datetime.now(tokyo).date() + timedelta(days=1)
    body = chatkit_body("threads.create", input=user_input("remind me to stretch tomorrow at 7am"))
    response = me.client.post(
        "/chatkit", json=body, headers=me.user.headers | {"X-Chatapp-Timezone": "Asia/Tokyo"}
    )
    assert response.status_code == 200
    (task,) = me.tasks()
    assert datetime.fromisoformat(task["due_at"]) == datetime.combine(tomorrow, time(7), tokyo)
