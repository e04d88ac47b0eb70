"""POST /api/{user_id}/chat: the spec's request and response shapes, validation, and who may talk."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.support.chat import Chat, at, due

MAX_CHARS = 4000


def thread_ids(chat: Chat) -> list[str]:
    return [thread["id"] for thread in chat.chatkit_ok("threads.list", limit=100)["data"]]


def test_first_message_starts_a_conversation_and_answers_in_the_contract_shape(me: Chat) -> None:
    body = me.say("Add a task to buy groceries", conversation_id=None)

    assert set(body) == {"conversation_id", "thread_id", "response", "tool_calls"}
    assert isinstance(body["conversation_id"], int) and body["conversation_id"] >= 1
    assert body["thread_id"].startswith("thr_")
    assert isinstance(body["response"], str) and "Buy groceries" in body["response"]
    assert len(body["tool_calls"]) == 1
    call = body["tool_calls"][0]
    assert set(call) == {"name", "arguments", "output"}
    assert call["name"] == "add_task"
    assert call["arguments"] == {"title": "Buy groceries"}
    (task,) = me.tasks()
    assert call["output"]["task_id"] == task["id"]
    assert call["output"]["status"] == "created"
    assert thread_ids(me) == [body["thread_id"]]


def test_conversation_id_may_be_left_out(me: Chat) -> None:
    response = me.client.post(me.user.chat_url, json={"message": "hi"}, headers=me.user.headers)
    assert response.status_code == 200, response.text
    assert response.json()["conversation_id"]
    assert response.json()["tool_calls"] == []


def test_message_with_conversation_id_continues_that_conversation(me: Chat) -> None:
    first = me.say("hello")
    second = me.say("show me all my tasks", first["conversation_id"])
    assert second["conversation_id"] == first["conversation_id"]
    assert second["thread_id"] == first["thread_id"]
    assert thread_ids(me) == [first["thread_id"]]


def test_without_timezone_dates_are_read_in_utc(me: Chat) -> None:
    tomorrow = datetime.now(UTC).date() + timedelta(days=1)
    me.say("remind me to water the plants tomorrow at 5pm", timezone=None)
    (task,) = me.tasks()
    assert datetime.fromisoformat(task["due_at"]) == datetime.combine(tomorrow, time(17), UTC)


def test_timezone_turns_local_times_into_utc(me: Chat) -> None:
    new_york = ZoneInfo("America/New_York")
    tomorrow = datetime.now(new_york).date() + timedelta(days=1)
    me.say("remind me to water the plants tomorrow at 5pm", timezone="America/New_York")
    (task,) = me.tasks()
    assert task["due_at"].endswith("Z")
    expected = datetime.combine(tomorrow, time(17), new_york)
    assert datetime.fromisoformat(task["due_at"]) == expected


def test_unknown_timezone_is_422_and_nothing_is_saved(me: Chat) -> None:
    response = me.post("add buy milk", timezone="Mars/Olympus_Mons")
    assert response.status_code == 422
    assert "timezone" in response.json()["detail"]
    assert me.tasks() == []
    assert thread_ids(me) == []


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"message": ""}, "message"),
        ({"message": "   "}, "message"),
        ({"message": "\n\t "}, "message"),
        ({"message": "x" * (MAX_CHARS + 1)}, "message"),
        ({"message": " " + "x" * MAX_CHARS}, "message"),
        ({}, "message"),
        ({"message": None}, "message"),
        ({"message": 42}, "message"),
        ({"message": ["add milk"]}, "message"),
        ({"message": "add milk", "user_id": 1}, "user_id"),
        ({"message": "add milk", "conversation": "thr_1"}, "conversation"),
        ({"message": "add milk", "conversation_id": True}, "conversation_id"),
        ({"message": "add milk", "conversation_id": 0}, "conversation_id"),
        ({"message": "add milk", "conversation_id": 1.5}, "conversation_id"),
    ],
    ids=[
        "empty",
        "blank",
        "whitespace",
        "too-long",
        "too-long-before-trimming",
        "missing",
        "null",
        "number",
        "list",
        "unknown-user-id-field",
        "unknown-field",
        "conversation-id-bool",
        "conversation-id-zero",
        "conversation-id-float",
    ],
)
def test_invalid_request_is_422_naming_the_field_and_saves_nothing(
    me: Chat, body: dict, field: str
) -> None:
    response = me.client.post(me.user.chat_url, json=body, headers=me.user.headers)
    assert response.status_code == 422, response.text
    assert field in response.json()["detail"]
    assert me.tasks() == []
    assert thread_ids(me) == []


def test_body_that_is_not_json_is_422(me: Chat) -> None:
    response = me.client.post(
        me.user.chat_url,
        content=b"add buy milk",
        headers=me.user.headers | {"Content-Type": "application/json"},
    )
    assert response.status_code == 422
    assert response.json()["detail"]


def test_message_of_exactly_the_limit_is_accepted(me: Chat) -> None:
    body = me.say("x" * MAX_CHARS)
    assert body["response"]


def test_other_users_conversation_is_404_and_left_alone(me: Chat, other: Chat) -> None:
    mine = me.say("add buy milk")
    items_before = me.items(mine["thread_id"])

    response = other.post("delete task 1", mine["thread_id"])

    assert response.status_code == 404
    assert mine["thread_id"] in response.json()["detail"]
    assert me.items(mine["thread_id"]) == items_before
    assert [task["title"] for task in me.tasks()] == ["Buy milk"]
    assert other.tasks() == []
    assert thread_ids(other) == []


@pytest.mark.parametrize(
    "conversation_id", ["thr_doesnotexist", "x" * 255, "x" * 300, "thr_\u00e9\u2603"]
)
def test_nonexistent_conversation_is_404(me: Chat, conversation_id: str) -> None:
    response = me.post("add buy milk", conversation_id)
    assert response.status_code in (404, 422)
    if len(conversation_id) <= 255:
        assert response.status_code == 404
        assert response.json()["detail"] == f"Conversation {conversation_id} not found"
    assert me.tasks() == []
    assert thread_ids(me) == []


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer"}, {"Authorization": "Bearer not-a-jwt"}, {"X-Token": "x"}],
    ids=["none", "empty-bearer", "garbage", "wrong-header"],
)
def test_request_without_a_valid_token_is_401(me: Chat, headers: dict) -> None:
    response = me.client.post(me.user.chat_url, json={"message": "add milk"}, headers=headers)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert me.tasks() == []


def test_path_user_other_than_the_token_is_403(me: Chat, other: Chat) -> None:
    response = me.client.post(
        other.user.chat_url, json={"message": "add buy milk"}, headers=me.user.headers
    )
    assert response.status_code == 403
    assert other.tasks() == [] and me.tasks() == []
    assert thread_ids(other) == [] and thread_ids(me) == []


def test_local_time_in_a_message_is_saved_in_utc(me: Chat) -> None:
    body = me.say("remind me to call mom tomorrow at 5pm")  # in Europe/Paris
    (task,) = me.tasks()
    assert task["title"] == "Call mom"
    assert task["due_at"] == at(1, 17).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert due(task) == at(1, 17)
    output_due = datetime.fromisoformat(body["tool_calls"][0]["output"]["due_at"])
    assert output_due == due(task)
    assert "17:00" in body["response"]  # the reply speaks the user's local time


def test_failed_model_call_still_answers_200_and_keeps_the_message(me: Chat, monkeypatch) -> None:
    import httpx
    import openai

    from chatapp.chat import server

    def unavailable(*args, **kwargs):
        raise openai.APIConnectionError(request=httpx.Request("POST", "http://model.invalid"))

    monkeypatch.setattr(server.Runner, "run_streamed", unavailable)

    body = me.say("add buy milk")

    assert body["tool_calls"] == []
    assert body["error"] == "model_unavailable"
    assert "saved" in body["response"]
    assert [i["type"] for i in me.items(body["thread_id"])] == [
        "user_message",
        "assistant_message",
    ]
    (thread,) = me.chatkit_ok("threads.list")["data"]
    assert thread["title"] == "Add buy milk"  # made from the message, without the model
    assert me.tasks() == []
