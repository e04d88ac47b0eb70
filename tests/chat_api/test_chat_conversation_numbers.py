"""The seed spec's integer conversation id: every conversation has a number, whichever door made
it, and the JSON door takes the number or the ChatKit thread id and always answers both."""

from __future__ import annotations

import pytest

from tests.support.chat import Chat, item_text, user_input


def thread_rows(chat: Chat) -> list[dict]:
    return chat.chatkit_ok("threads.list", limit=100, order="asc")["data"]


def chatkit_thread(chat: Chat, message: str) -> dict:
    """A thread made by threads.create on POST /chatkit, as its thread.created event shows it."""
    events = chat.chatkit_ok("threads.create", input=user_input(message))
    (thread,) = [event["thread"] for event in events if event["type"] == "thread.created"]
    return thread


def test_a_new_conversation_answers_its_number_and_its_thread_id(me: Chat) -> None:
    body = me.say("add buy milk")

    assert type(body["conversation_id"]) is int and body["conversation_id"] >= 1
    assert body["thread_id"].startswith("thr_")
    (thread,) = thread_rows(me)
    assert thread["id"] == body["thread_id"]
    assert thread["metadata"] == {"conversation_id": body["conversation_id"]}


def test_number_thread_id_and_digit_string_all_continue_the_same_conversation(me: Chat) -> None:
    first = me.say("add buy milk")
    number, thread_id = first["conversation_id"], first["thread_id"]

    by_number = me.say("make it high priority", number)
    by_thread = me.say("move it to tomorrow at 9am", thread_id)
    by_digits = me.say("rename it to buy oat milk", str(number))

    for reply in (by_number, by_thread, by_digits):
        assert (reply["conversation_id"], reply["thread_id"]) == (number, thread_id)
    (task,) = me.tasks()
    assert (task["title"], task["priority"]) == ("Buy oat milk", "high")
    assert [t["id"] for t in thread_rows(me)] == [thread_id]
    users = [item_text(i) for i in me.items(thread_id) if i["type"] == "user_message"]
    assert users == [
        "add buy milk",
        "make it high priority",
        "move it to tomorrow at 9am",
        "rename it to buy oat milk",
    ]


def test_a_chatkit_thread_continues_over_the_json_door_by_id_and_by_number(me: Chat) -> None:
    thread = chatkit_thread(me, "add buy milk")
    number = thread["metadata"]["conversation_id"]

    by_thread = me.say("mark it done", thread["id"])
    by_number = me.say("show me all my tasks", number)

    assert type(number) is int
    for reply in (by_thread, by_number):
        assert (reply["conversation_id"], reply["thread_id"]) == (number, thread["id"])
    assert [c["name"] for c in by_thread["tool_calls"]] == ["complete_task"]
    assert "Buy milk" in by_number["response"]
    assert [(t["title"], t["completed"]) for t in me.tasks()] == [("Buy milk", True)]
    (listed,) = thread_rows(me)
    assert listed["metadata"] == {"conversation_id": number}
    got = me.chatkit_ok("threads.get_by_id", thread_id=thread["id"])
    assert got["metadata"] == {"conversation_id": number}


def test_numbers_grow_across_users_and_a_deleted_one_is_never_reused(me: Chat, other: Chat) -> None:
    first = me.say("hello")["conversation_id"]
    theirs = other.say("hello")["conversation_id"]
    doomed = chatkit_thread(me, "hello")
    me.chatkit_ok("threads.delete", thread_id=doomed["id"])

    after = me.say("hello again")["conversation_id"]

    assert first < theirs < doomed["metadata"]["conversation_id"] < after
    gone = me.post("add buy milk", doomed["metadata"]["conversation_id"])
    assert gone.status_code == 404
    assert gone.json() == {
        "detail": f"Conversation {doomed['metadata']['conversation_id']} not found"
    }


def test_another_users_number_is_the_same_404_as_a_missing_one(me: Chat, other: Chat) -> None:
    theirs = other.say("add buy milk")
    items_before = other.items(theirs["thread_id"])
    missing = theirs["conversation_id"] + 1000

    foreign = me.post("delete task 1", theirs["conversation_id"])
    unknown = me.post("delete task 1", missing)

    assert (foreign.status_code, unknown.status_code) == (404, 404)
    assert foreign.json() == {"detail": f"Conversation {theirs['conversation_id']} not found"}
    assert unknown.json() == {"detail": f"Conversation {missing} not found"}
    assert other.items(theirs["thread_id"]) == items_before
    assert [t["title"] for t in other.tasks()] == ["Buy milk"]
    assert thread_rows(me) == []


@pytest.mark.parametrize("number", [999_999, 2**31 - 1, 2**31, 2**63, 10**30])
def test_a_number_no_conversation_has_is_404(me: Chat, number: int) -> None:
    for sent in (number, str(number)):
        response = me.post("add buy milk", sent)
        assert response.status_code == 404
        assert response.json() == {"detail": f"Conversation {number} not found"}
    assert me.tasks() == [] and thread_rows(me) == []


@pytest.mark.parametrize(
    "conversation_id",
    [True, False, 0, -1, -(2**40), "0", "-7", "00", 1.0, 2.5, [1], {"id": 1}],
    ids=str,
)
def test_a_number_that_cannot_be_one_is_422(me: Chat, conversation_id) -> None:
    response = me.post("add buy milk", conversation_id)

    assert response.status_code == 422
    assert response.json()["detail"].startswith("conversation_id: ")
    assert me.tasks() == [] and thread_rows(me) == []


def test_the_streamed_door_takes_the_number_too(me: Chat, other: Chat) -> None:
    from tests.support.chat import parse_sse

    started = me.say("add buy milk")

    mine = me.stream("mark it done", started["conversation_id"])
    foreign = other.stream("mark it done", started["conversation_id"])

    events = parse_sse(mine.text)
    names = {"conversation_id": started["conversation_id"], "thread_id": started["thread_id"]}
    assert events[0] == ("conversation", names)
    assert events[-1][0] == "done" and events[-1][1]["conversation_id"] == names["conversation_id"]
    assert foreign.status_code == 404
    assert foreign.headers["content-type"].startswith("application/json")
    assert [(t["title"], t["completed"]) for t in me.tasks()] == [("Buy milk", True)]


def test_openapi_documents_both_names(me: Chat) -> None:
    spec = me.client.get("/openapi.json").json()
    schemas = spec["components"]["schemas"]

    reply = schemas["ChatResponse"]
    request = schemas["ChatRequest"]["properties"]["conversation_id"]

    assert reply["properties"]["conversation_id"]["type"] == "integer"
    assert reply["properties"]["thread_id"]["type"] == "string"
    assert {"conversation_id", "thread_id"} <= set(reply["required"])
    assert {"type": "integer", "minimum": 1} in request["anyOf"]
    assert {"type": "string", "maxLength": 255} in request["anyOf"]
