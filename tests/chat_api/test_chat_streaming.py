"""POST /api/{user_id}/chat with `Accept: text/event-stream`: conversation, deltas, then done."""

from __future__ import annotations

from tests.support.chat import Chat, item_text, parse_sse


def streamed(chat: Chat, message: str, conversation_id: int | str | None = None):
    response = chat.stream(message, conversation_id)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/event-stream")
    events = parse_sse(response.text)
    assert all(name in ("conversation", "delta", "done") for name, _ in events), events
    return events


def deltas(events) -> list[str]:
    return [data["delta"] for name, data in events if name == "delta"]


def test_new_conversation_streams_conversation_then_deltas_then_done(me: Chat) -> None:
    for title in ("Call mom", "Buy milk", "File taxes"):
        me.add_task(title)

    events = streamed(me, "show me all my tasks")

    (first_name, first), *middle, (last_name, done) = events
    assert first_name == "conversation"
    assert set(first) == {"conversation_id", "thread_id"}
    assert isinstance(first["conversation_id"], int) and first["thread_id"].startswith("thr_")
    assert last_name == "done"
    assert [name for name, _ in middle] == ["delta"] * len(middle)
    assert len(middle) >= 2
    assert set(done) == {"conversation_id", "thread_id", "response", "tool_calls", "done"}
    assert done["done"] is True
    assert (done["conversation_id"], done["thread_id"]) == (
        first["conversation_id"],
        first["thread_id"],
    )
    assert "".join(deltas(events)) == done["response"]
    assert [call["name"] for call in done["tool_calls"]] == ["list_tasks"]
    assert {row["title"] for row in done["tool_calls"][0]["output"]} == {
        "Call mom",
        "Buy milk",
        "File taxes",
    }


def test_done_carries_the_same_body_a_plain_request_gets(me: Chat) -> None:
    events = streamed(me, "add milk, eggs and bread")
    done = events[-1][1]
    plain = me.say("add milk, eggs and bread")

    def shape(body):
        return {
            "keys": sorted(body),
            "calls": sorted(
                (c["name"], c["arguments"]["title"], sorted(c["output"]))
                for c in body["tool_calls"]
            ),
        }

    assert shape({key: v for key, v in done.items() if key != "done"}) == shape(plain)
    assert "".join(deltas(events)) == done["response"]
    assert len(deltas(events)) >= 2
    assert sorted(t["title"] for t in me.tasks()) == sorted(["Milk", "Eggs", "Bread"] * 2)


def test_existing_conversation_streams_its_id_first_then_deltas(me: Chat) -> None:
    started = me.say("add buy milk")

    events = streamed(me, "mark it done", started["conversation_id"])

    # The first byte goes out as soon as the message is saved, not when the model has text.
    names = {"conversation_id": started["conversation_id"], "thread_id": started["thread_id"]}
    assert events[0] == ("conversation", names)
    assert [name for name, _ in events[1:-1]] == ["delta"] * (len(events) - 2)
    assert events[-1][0] == "done"
    done = events[-1][1]
    assert done["conversation_id"] == started["conversation_id"]
    assert [call["name"] for call in done["tool_calls"]] == ["complete_task"]
    assert "".join(deltas(events)) == done["response"]
    assert [(t["title"], t["completed"]) for t in me.tasks()] == [("Buy milk", True)]


def test_streamed_turn_is_saved_in_the_conversation(me: Chat) -> None:
    events = streamed(me, "remind me to call mom tomorrow at 5pm")
    done = events[-1][1]

    items = me.items(done["thread_id"])

    assert [item["type"] for item in items] == ["user_message", "task", "assistant_message"]
    assert item_text(items[0]) == "remind me to call mom tomorrow at 5pm"
    assert item_text(items[-1]) == done["response"]


def test_small_talk_streams_text_and_no_tool_calls(me: Chat) -> None:
    events = streamed(me, "hello there")
    done = events[-1][1]
    assert done["tool_calls"] == []
    assert "".join(deltas(events)) == done["response"] != ""
    assert me.tasks() == []


def test_stream_for_another_users_conversation_is_a_plain_404(me: Chat, other: Chat) -> None:
    theirs = other.say("add buy milk")
    response = me.stream("delete task 1", theirs["conversation_id"])
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/json")
    assert [t["title"] for t in other.tasks()] == ["Buy milk"]


def test_stream_with_an_invalid_message_is_a_plain_422(me: Chat) -> None:
    response = me.stream("   ")
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/json")
    assert "message" in response.json()["detail"]


def _thread_reads(run) -> int:
    """How many statements read chat_threads while `run()` ran (real SQL, counted)."""
    from sqlalchemy import event

    from chatapp.db import get_engine

    reads = []

    def count(_conn, _cursor, statement, *_args) -> None:
        if statement.lstrip().upper().startswith("SELECT") and "FROM chat_threads" in statement:
            reads.append(statement)

    engine = get_engine()
    event.listen(engine, "before_cursor_execute", count)
    try:
        run()
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return len(reads)


def test_a_continued_conversation_reads_its_thread_once_per_turn_on_both_doors(me: Chat) -> None:
    """The door's 404 check before the status line is also ChatKit's load of the thread."""
    from tests.support.chat import chatkit_body, user_input

    first = me.post("add buy milk").json()

    assert _thread_reads(lambda: streamed(me, "add buy tea", first["conversation_id"])) == 1
    body = chatkit_body(
        "threads.add_user_message", thread_id=first["thread_id"], input=user_input("add jam")
    )
    assert (
        _thread_reads(lambda: me.client.post("/chatkit", json=body, headers=me.user.headers).read())
        == 1
    )


def test_an_unknown_conversation_is_404_before_any_stream(me: Chat, other: Chat) -> None:
    theirs = other.post("add buy milk").json()

    response = me.stream("add tea", theirs["conversation_id"])

    assert response.status_code == 404
    assert response.headers["content-type"] == "application/json"
    assert me.client.get(me.user.tasks_url, headers=me.user.headers).json() == []
