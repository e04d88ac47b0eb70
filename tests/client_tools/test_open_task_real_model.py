"""open_task with a real model (Chat Completions, served by the local fake OpenAI server of
tests/models): the model's own call id names the pending call, every call gets a store id of its
own, and the browser's answer reaches the model as the tool result of that call."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from agents import set_tracing_disabled
from client_tools_support import Person

from tests.models.fake_openai import FakeOpenAI, Text, ToolCall
from tests.models.model_support import (
    API_KEY,
    MODEL,
    MODEL_ENV,
    reset_app_caches,
    tracing_disabled,
)

# The wire is the same on both backends; one is enough here.
pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


@pytest.fixture(scope="module")
def fake_server() -> Iterator[FakeOpenAI]:
    server = FakeOpenAI()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def fake_model(fake_server: FakeOpenAI, client) -> Iterator[FakeOpenAI]:
    from chatapp.agent.provider import aclose_model_provider

    fake_server.reset()
    tracing_was_disabled = tracing_disabled()
    with pytest.MonkeyPatch.context() as mp:
        for name in MODEL_ENV:
            mp.delenv(name, raising=False)
        mp.setenv("OPENAI_BASE_URL", fake_server.base_url)
        mp.setenv("OPENAI_API_KEY", API_KEY)
        mp.setenv("CHATAPP_MODEL", MODEL)
        reset_app_caches()
        yield fake_server
        client.portal.call(aclose_model_provider)
    reset_app_caches()
    set_tracing_disabled(tracing_was_disabled)


def chatkit(client, person: Person, kind: str, **params: Any) -> list[dict[str, Any]]:
    """The items of one ChatKit request's thread.item.done events."""
    r = client.post("/chatkit", json={"type": kind, "params": params}, headers=person.headers)
    assert r.status_code == 200, r.text
    events = [json.loads(line[6:]) for line in r.text.splitlines() if line.startswith("data: ")]
    return [event["item"] for event in events if event["type"] == "thread.item.done"]


def test_the_models_call_id_carries_the_browsers_answer_back(
    client, fake_model: FakeOpenAI, ann: Person
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
        fake_model.script(ToolCall("open_task", {"task_id": task.id}, call_id=call_id))
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
        fake_model.script(Text("It's open."))
        items = chatkit(
            client, ann, "threads.add_client_tool_output", thread_id=thread_id, result=result
        )
        assert [i["content"][0]["text"] for i in items if i["type"] == "assistant_message"] == [
            "It's open."
        ]
        asked, answered = fake_model.received[-2:]
        assert "open_task" in asked.tool_names
        tool_call, tool_result = answered.messages[-2:]
        assert tool_call["tool_calls"][0]["id"] == call_id
        assert tool_call["tool_calls"][0]["function"]["name"] == "open_task"
        assert tool_result["tool_call_id"] == call_id
        content = tool_result["content"]
        text = content if isinstance(content, str) else "".join(p["text"] for p in content)
        assert json.loads(text) == result

    assert len(set(ids)) == 2
