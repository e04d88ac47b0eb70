"""The SSE chat door also speaks the seed spec's frame shapes: a client that reads only the `data:`
lines, joins their `text` and stops at the frame with `done: true` renders the whole reply."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.exc import OperationalError

from tests.support.chat import TZ_NAME, Chat, parse_sse


def data_only_turn(chat: Chat, message: str, conversation_id: int | str | None = None):
    """A seed client: reads the stream line by line, keeps only `data:` lines and the keys
    `text` and `done`, and stops reading at the first frame that says `done`."""
    body = {"message": message, "conversation_id": conversation_id, "timezone": TZ_NAME}
    headers = chat.user.headers | {"Accept": "text/event-stream"}
    text: list[str] = []
    with chat.client.stream("POST", chat.user.chat_url, json=body, headers=headers) as response:
        assert response.status_code == 200, response.read()
        for line in response.iter_lines():
            if not line.startswith("data:"):
                continue
            frame = json.loads(line[5:])
            text.append(frame.get("text", ""))
            if frame.get("done"):
                return "".join(text), frame
    raise AssertionError("the stream ended without a done frame")


def test_a_data_only_client_renders_the_reply_and_continues_by_number(me: Chat) -> None:
    me.add_task("Call mom")

    shown, last = data_only_turn(me, "add buy milk")
    again, final = data_only_turn(me, "show me all my tasks", last["conversation_id"])

    assert shown == last["response"] and "Buy milk" in shown
    assert isinstance(last["conversation_id"], int) and last["thread_id"].startswith("thr_")
    assert [call["name"] for call in last["tool_calls"]] == ["add_task"]
    assert again == final["response"]
    assert "Call mom" in again and "Buy milk" in again
    assert (final["conversation_id"], final["thread_id"]) == (
        last["conversation_id"],
        last["thread_id"],
    )
    assert [call["name"] for call in final["tool_calls"]] == ["list_tasks"]


def test_every_text_frame_carries_text_and_delta_alike(me: Chat) -> None:
    response = me.stream("add milk, eggs and bread")

    events = parse_sse(response.text)
    chunks = [data for name, data in events if name == "delta"]

    assert len(chunks) >= 2
    assert all(set(data) == {"delta", "text"} and data["text"] == data["delta"] for data in chunks)
    assert [name for name, data in events if data.get("done")] == ["done"]
    assert "done" not in events[0][1] and "text" not in events[0][1]


def test_the_final_frame_names_the_conversation_both_ways(me: Chat) -> None:
    started = me.say("add buy milk")

    _, by_thread = data_only_turn(me, "make it high priority", started["thread_id"])
    _, by_number = data_only_turn(me, "rename it to oat milk", str(started["conversation_id"]))

    for frame in (by_thread, by_number):
        assert frame["done"] is True
        assert frame["conversation_id"] == started["conversation_id"]
        assert frame["thread_id"] == started["thread_id"]
    (task,) = me.tasks()
    assert (task["title"], task["priority"]) == ("Oat milk", "high")


@contextmanager
def writes_fail_after(allowed: int) -> Iterator[None]:
    """Every database write after the first `allowed` fails, as on a database that just went
    away (a failing statement rolls its own transaction back)."""
    from chatapp.chat import get_chat_server
    from chatapp.db import get_engine

    done = [0]

    def hook(conn, cursor, statement: str, *_: Any) -> None:
        if statement.lstrip().split(None, 1)[0].upper() in ("INSERT", "UPDATE", "DELETE"):
            if done[0] >= allowed:
                raise OperationalError(statement, None, Exception("simulated outage"))
            done[0] += 1

    engine = get_engine()
    event.listen(engine, "before_cursor_execute", hook)
    try:
        yield
    finally:
        event.remove(engine, "before_cursor_execute", hook)
        get_chat_server.cache_clear()


def test_a_broken_turn_ends_in_a_final_error_frame_with_both_names(me: Chat) -> None:
    from chatapp.errors import DB_UNAVAILABLE

    # The new thread and its number are one transaction (2 writes); the message never lands.
    with writes_fail_after(2):
        shown, last = data_only_turn(me, "add buy milk")

    assert shown == ""
    assert last["done"] is True
    assert last["error"] == last["detail"] == DB_UNAVAILABLE
    assert last["message_saved"] is False
    assert isinstance(last["conversation_id"], int)
    (thread,) = me.chatkit_ok("threads.list")["data"]
    assert thread["id"] == last["thread_id"]
    assert thread["metadata"] == {"conversation_id": last["conversation_id"]}
