"""The OpenAI path (a key, no OPENAI_BASE_URL) speaks the Responses API: one chat turn with a
tool call, end to end, against the local fake standing in at OpenAI's address."""

from __future__ import annotations

import json

from sqlmodel import select

from chatapp.db import Task, session_scope
from tests.support.fake_openai import Text, ToolCall
from tests.support.models import API_KEY, MODEL


def test_a_tool_call_round_trips_over_the_responses_api(fake_openai_responses, client, alice):
    fake = fake_openai_responses
    fake.script(ToolCall("add_task", {"title": "Buy milk"}), Text("Added Buy milk."))

    response = client.post(
        f"/api/{alice.id}/chat", json={"message": "Add buy milk"}, headers=alice.headers
    )

    body = response.json()
    assert body["response"] == "Added Buy milk.", body
    assert [c["name"] for c in body["tool_calls"]] == ["add_task"]
    with session_scope() as session:
        titles = [t.title for t in session.exec(select(Task).where(Task.user_id == alice.id))]
    assert titles == ["Buy milk"]

    first, second = fake.received
    assert first.path == second.path == "/v1/responses"
    assert first.body["model"] == MODEL
    assert first.body["stream"] is True
    assert first.headers["authorization"] == f"Bearer {API_KEY}"
    assert "todo list" in first.body["instructions"]
    assert {t["name"] for t in first.body["tools"]} >= {"add_task", "list_tasks"}
    call, output = second.body["input"][-2:]
    assert call["type"] == "function_call"
    assert call["call_id"] == "call_fake_1"
    assert json.loads(call["arguments"]) == {"title": "Buy milk"}
    assert output["type"] == "function_call_output"
    assert output["call_id"] == "call_fake_1"
    assert "Buy milk" in json.dumps(output["output"])
