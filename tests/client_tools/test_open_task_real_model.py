"""open_task with a real model (Chat Completions, served by the local fake OpenAI server in
tests/support/fake_openai.py): the model's own call id names the pending call, every call gets
a store id of its own, and the browser's answer reaches the model as the tool result of that
call."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.support.client_tools import Person
from tests.support.fake_openai import FakeOpenAI, Text, ToolCall

# The wire is the same on both backends; one is enough here.
pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


def chatkit(client, person: Person, kind: str, **params: Any) -> list[dict[str, Any]]:
    """The items of one ChatKit request's thread.item.done events."""
    r = client.post("/chatkit", json={"type": kind, "params": params}, headers=person.headers)
    assert r.status_code == 200, r.text
    events = [json.loads(line[6:]) for line in r.text.splitlines() if line.startswith("data: ")]
    return [event["item"] for event in events if event["type"] == "thread.item.done"]


def test_the_models_call_id_carries_the_browsers_answer_back(
    client, fake_openai: FakeOpenAI, ann: Person
) -> None:
    task = ann.add_task("Buy milk")
    user_input = {
        "content": [{"type": "input_text", "text": "show me my milk task"}],
        "attachments": [],
        "inference_options": {},
    }
    ids = []
    thread_id = None
    for round_ in (1, 2):
        call_id = f"call_open_{round_}"
        fake_openai.script(ToolCall("open_task", {"task_id": task.id}, call_id=call_id))
        if thread_id is None:
            items = chatkit(client, ann, "threads.create", input=user_input)
        else:
            items = chatkit(
                client, ann, "threads.add_user_message", thread_id=thread_id, input=user_input
            )
        [call] = [item for item in items if item["type"] == "client_tool_call"]
        assert (call["call_id"], call["status"]) == (call_id, "pending")
        assert call["id"].startswith("tc_")
        thread_id = call["thread_id"]
        ids.append(call["id"])

        result = {"opened": True, "task_id": task.id, "title": "Buy milk"}
        fake_openai.script(Text("It's open."))
        items = chatkit(
            client, ann, "threads.add_client_tool_output", thread_id=thread_id, result=result
        )
        assert [i["content"][0]["text"] for i in items if i["type"] == "assistant_message"] == [
            "It's open."
        ]
        asked, answered = fake_openai.received[-2:]
        assert "open_task" in asked.tool_names
        tool_call, tool_result = answered.messages[-2:]
        assert tool_call["tool_calls"][0]["id"] == call_id
        assert tool_call["tool_calls"][0]["function"]["name"] == "open_task"
        assert tool_result["tool_call_id"] == call_id
        content = tool_result["content"]
        text = content if isinstance(content, str) else "".join(p["text"] for p in content)
        assert json.loads(text) == result

    assert len(set(ids)) == 2
