"""The one provider-fault gap tests/models leaves open: the model fails *after* a tool call ran.

tests/models/test_provider_errors.py covers 401/429/500/503, timeouts, errors inside a stream
and dropped streams on the first model call. Here the first call asks for add_task, the tool
runs, and the second call (the model reading the tool result) fails for good, or stalls past
the timeout. The task must be added exactly once, the thread must hold the full tool record and a
clear error reply, and the next turn must carry on with the tool result in the model's input.
"""

from __future__ import annotations

import pytest

import chatapp.agent.provider as provider
from tests.support.auth import insert_user
from tests.support.fake_openai import Fail, FakeOpenAI, Stall, Text, ToolCall


@pytest.fixture
def fake_openai(fake_openai: FakeOpenAI, model_env: pytest.MonkeyPatch) -> FakeOpenAI:
    """The app on a real model at the local fake (tests/conftest.py), with a timeout a stall
    outlasts."""
    model_env.setattr(provider, "PROVIDER_TIMEOUT_SECONDS", 0.3)
    return fake_openai


def _stored(user_id: int, thread_id: str) -> list:
    from tests.support.models import thread_items

    return thread_items(user_id, thread_id)


FAILURES = {
    "500 after the tool ran": Fail(500, "The server had an error while processing your request."),
    "timeout after the tool ran": Stall(seconds=2.0),
}


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize("failure", FAILURES.values(), ids=FAILURES.keys())
def test_a_model_failure_after_a_tool_call_keeps_the_tool_record(client, fake_openai, failure):
    user = insert_user()
    fake_openai.script(
        ToolCall("add_task", {"title": "Buy milk"}),
        *[failure] * (1 + provider.PROVIDER_MAX_RETRIES),
    )

    r = client.post(f"/api/{user.id}/chat", json={"message": "add buy milk"}, headers=user.headers)

    assert r.status_code == 200, r.text
    body = r.json()
    assert body["error"] in ("model_unavailable", "model_timeout"), body
    assert body["response"].startswith("⚠️ ") and "saved" in body["response"]
    assert [c["name"] for c in body["tool_calls"]] == ["add_task"]
    tasks = client.get(user.tasks_url, headers=user.headers).json()
    assert [t["title"] for t in tasks] == ["Buy milk"]  # added once, not once per retry

    kinds = [item.type for item in _stored(user.id, body["thread_id"])]
    assert kinds == ["user_message", "task", "hidden_context_item", "assistant_message"]

    fake_openai.received.clear()
    fake_openai.script(Text("You have one task: Buy milk."))
    again = client.post(
        f"/api/{user.id}/chat",
        json={"message": "what's on my list?", "conversation_id": body["conversation_id"]},
        headers=user.headers,
    )
    assert again.status_code == 200 and "error" not in again.json(), again.text
    sent = fake_openai.received[0].messages
    # The finished tool call is replayed to the model; the error reply is not.
    assert any(m.get("role") == "tool" for m in sent), sent
    assert not any("⚠️" in str(m.get("content")) for m in sent), sent
