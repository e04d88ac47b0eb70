"""A failing model is a clear reply, not a 500: each provider error becomes an assistant message
naming the problem plus an `error` code, one warning in the log (never the API key), bounded
retries, and the user's message kept in the thread so the conversation can go on."""

from __future__ import annotations

import json
import logging
import time

import pytest
from chatkit.types import AssistantMessageItem, UserMessageItem

import chatapp.agent.provider as provider
from tests.support.fake_openai import Drop, Fail, Stall, StreamError, Text
from tests.support.models import API_KEY, thread_items

MESSAGE = "Add buy milk"
STALL = Stall(seconds=3.0)
TEST_TIMEOUT_SECONDS = 0.2

# (reply the server gives on every call, error code, words the reply must contain, calls seen)
FAILURES = {
    "401": (
        Fail(
            401,
            "Incorrect API key provided: test-k***9c2a.",
            "invalid_request_error",
            "invalid_api_key",
        ),
        "model_auth",
        "credentials",
        1,
    ),
    "429": (
        Fail(
            429,
            "Rate limit reached for test-model.",
            "requests",
            "rate_limit_exceeded",
            {"Retry-After": "0.1"},
        ),
        "model_rate_limited",
        "rate limited",
        1 + provider.PROVIDER_MAX_RETRIES,
    ),
    "500": (
        Fail(500, "The server had an error while processing your request."),
        "model_unavailable",
        "unavailable",
        1 + provider.PROVIDER_MAX_RETRIES,
    ),
    "503": (
        Fail(503, "The engine is currently overloaded, please try again later."),
        "model_unavailable",
        "unavailable",
        1 + provider.PROVIDER_MAX_RETRIES,
    ),
    "timeout": (STALL, "model_timeout", "took too long", 1 + provider.PROVIDER_MAX_RETRIES),
    "error-in-stream": (
        StreamError("The server is overloaded.", "Sure, I"),
        "model_unavailable",
        "unavailable",
        1,
    ),
    "dropped-stream": (Drop("Sure, I"), "model_unavailable", "unavailable", 1),
}


@pytest.fixture
def short_timeout(monkeypatch):
    monkeypatch.setattr(provider, "PROVIDER_TIMEOUT_SECONDS", TEST_TIMEOUT_SECONDS)


def user_texts(items: list) -> list[str]:
    return [c.text for i in items if isinstance(i, UserMessageItem) for c in i.content]


def post_chat(client, user, message: str, conversation_id: int | str | None = None):
    body = {"message": message, **({"conversation_id": conversation_id} if conversation_id else {})}
    return client.post(f"/api/{user.id}/chat", json=body, headers=user.headers)


@pytest.mark.parametrize("failure", FAILURES.values(), ids=FAILURES.keys())
def test_a_model_failure_is_a_clear_reply_and_the_message_is_kept(
    fake_openai, client, alice, caplog, short_timeout, failure
):
    reply, code, words, calls = failure
    fake_openai.fail_always(reply)
    caplog.set_level(logging.DEBUG)

    response = post_chat(client, alice, MESSAGE)

    assert response.status_code == 200
    body = response.json()
    assert body["error"] == code
    assert body["response"].startswith("⚠️ ")
    assert words in body["response"]
    assert "saved" in body["response"]
    assert len(fake_openai.received) == calls <= 1 + provider.PROVIDER_MAX_RETRIES
    warnings = [
        r for r in caplog.records if r.name == "chatapp.chat" and r.levelno >= logging.WARNING
    ]
    assert [r.levelno for r in warnings] == [logging.WARNING]
    assert code in warnings[0].getMessage()
    assert API_KEY not in caplog.text
    assert API_KEY not in response.text

    items = thread_items(alice.id, body["thread_id"])
    assert user_texts(items) == [MESSAGE]
    assert isinstance(items[-1], AssistantMessageItem)
    assert items[-1].content[0].text == body["response"]


def test_a_long_retry_after_fails_at_once_instead_of_waiting(fake_openai, client, alice):
    fake_openai.fail_always(
        Fail(429, "Rate limit reached.", "requests", "rate_limit_exceeded", {"Retry-After": "60"})
    )
    started = time.monotonic()

    body = post_chat(client, alice, MESSAGE).json()

    assert body["error"] == "model_rate_limited"
    assert len(fake_openai.received) == 1
    assert time.monotonic() - started < provider.PROVIDER_MAX_RETRY_AFTER_SECONDS


def test_a_short_retry_after_is_waited_for_and_the_retry_succeeds(fake_openai, client, alice):
    fake_openai.script(
        Fail(429, "Rate limit reached.", "requests", "rate_limit_exceeded", {"Retry-After": "0.2"}),
        Text("Done after a short wait."),
    )

    body = post_chat(client, alice, MESSAGE).json()

    assert body["response"] == "Done after a short wait."
    assert "error" not in body
    assert len(fake_openai.received) == 2


def test_the_streaming_door_ends_with_the_error_code(fake_openai, client, alice):
    fake_openai.fail_always(FAILURES["401"][0])

    response = client.post(
        f"/api/{alice.id}/chat",
        json={"message": MESSAGE},
        headers={**alice.headers, "Accept": "text/event-stream"},
    )

    events = response.text.strip().split("\n\n")
    assert events[-1].startswith("event: done\n")
    done = json.loads(events[-1].split("data: ", 1)[1])
    assert done["error"] == "model_auth"
    assert "credentials" in done["response"]


@pytest.mark.parametrize("failure", ["timeout", "error-in-stream"])
def test_the_conversation_goes_on_once_the_model_recovers(
    fake_openai, client, alice, short_timeout, failure
):
    fake_openai.fail_always(FAILURES[failure][0])
    first = post_chat(client, alice, MESSAGE).json()
    fake_openai.fail_always(None)
    fake_openai.received.clear()
    # Twice: with the 0.2 s test timeout, a loaded machine can time out the first attempt too,
    # and the client's one retry must still find the recovered reply.
    fake_openai.script(
        Text("Back again: what should I add?"), Text("Back again: what should I add?")
    )

    second = post_chat(client, alice, "Are you there?", first["conversation_id"]).json()

    assert "error" not in second, second
    assert second["conversation_id"] == first["conversation_id"]
    assert second["response"] == "Back again: what should I add?"
    sent = fake_openai.received[0].messages
    sent_user_texts = [m["content"][0]["text"] for m in sent if m["role"] == "user"]
    assert sent_user_texts == [MESSAGE, "Are you there?"]
    items = thread_items(alice.id, first["thread_id"])
    assert user_texts(items) == [MESSAGE, "Are you there?"]
