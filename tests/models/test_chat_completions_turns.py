"""The real-model path end to end: POST /api/{user_id}/chat → TodoChatServer → Agents SDK →
Chat Completions over HTTP to a local OpenAI-compatible server → MCP task tools → database."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime

from agents import ModelSettings, ModelTracing, RunConfig, Runner
from sqlmodel import select

from chatapp.agent.agent import build_agent
from chatapp.agent.provider import model_name, model_provider
from chatapp.chat.client_tools import open_task
from chatapp.db import Task, session_scope
from chatapp.tools import task_server
from tests.support.fake_openai import USAGE, Text, ToolCall
from tests.support.models import API_KEY, MODEL, thread_items


def chat(client, user, message: str, conversation_id: int | str | None = None):
    body = {"message": message}
    if conversation_id:
        body["conversation_id"] = conversation_id
    response = client.post(f"/api/{user.id}/chat", json=body, headers=user.headers)
    assert response.status_code == 200, response.text
    return response.json()


def task_titles(user_id: int) -> list[str]:
    with session_scope() as session:
        return [t.title for t in session.exec(select(Task).where(Task.user_id == user_id))]


def mcp_tool_schemas() -> dict[str, dict]:
    return {tool.name: tool.input_schema for tool in asyncio.run(task_server.list_tools())}


def test_a_tool_call_adds_the_task_and_the_model_answers_with_the_tool_result(
    fake_openai, client, alice
):
    fake_openai.script(ToolCall("add_task", {"title": "Buy milk"}), Text("Added Buy milk."))

    body = chat(client, alice, "Add buy milk to my list")

    assert body["response"] == "Added Buy milk."
    assert "error" not in body
    assert [c["name"] for c in body["tool_calls"]] == ["add_task"]
    assert body["tool_calls"][0]["arguments"] == {"title": "Buy milk"}
    assert task_titles(alice.id) == ["Buy milk"]

    first, second = fake_openai.received
    assert first.body["model"] == second.body["model"] == MODEL
    assert first.body["stream"] is True
    assert first.headers["authorization"] == f"Bearer {API_KEY}"
    sent_schemas = {t["function"]["name"]: t["function"]["parameters"] for t in first.body["tools"]}
    # The MCP task tools, plus the one client tool the agent offers (open a task in the app).
    assert sent_schemas == mcp_tool_schemas() | {"open_task": open_task.params_json_schema}
    assert first.messages[0]["role"] == "system"
    assert "todo list" in first.messages[0]["content"]
    assert first.messages[-1]["role"] == "user"

    call, result = second.messages[-2:]
    assert call["role"] == "assistant"
    assert call["tool_calls"][0]["id"] == "call_fake_1"
    assert call["tool_calls"][0]["function"]["name"] == "add_task"
    assert json.loads(call["tool_calls"][0]["function"]["arguments"]) == {"title": "Buy milk"}
    assert result["role"] == "tool"
    assert result["tool_call_id"] == "call_fake_1"
    output = json.loads("".join(part["text"] for part in result["content"]))
    assert output["status"] == "created"
    assert output["title"] == "Buy milk"


def test_the_next_turn_sends_the_whole_conversation_back(fake_openai, client, alice):
    fake_openai.script(
        ToolCall("add_task", {"title": "Buy milk"}),
        Text("Added Buy milk."),
        Text("You're welcome!"),
    )
    first = chat(client, alice, "Add buy milk")

    second = chat(client, alice, "Thanks", first["conversation_id"])

    assert second["conversation_id"] == first["conversation_id"]
    assert second["response"] == "You're welcome!"
    history = fake_openai.received[-1].messages
    roles = [m["role"] for m in history]
    assert roles == ["system", "user", "assistant", "tool", "assistant", "user"]
    assert history[4]["content"] == "Added Buy milk."
    assert history[-1]["content"][0]["text"] == "Thanks"


def test_two_replies_in_a_row_stay_two_messages(fake_openai, client, alice):
    # Chat Completions models give every message the same fake id; the thread must not merge them.
    fake_openai.script(Text("First answer."), Text("Second answer."))
    first = chat(client, alice, "Hello")

    chat(client, alice, "Hello again", first["conversation_id"])

    history = fake_openai.received[-1].messages
    assert [m.get("content") for m in history if m["role"] == "assistant"] == ["First answer."]
    replies = [
        i for i in thread_items(alice.id, first["thread_id"]) if i.type == "assistant_message"
    ]
    assert [r.content[0].text for r in replies] == ["First answer.", "Second answer."]


def test_a_non_streamed_completion_runs_an_agent(fake_openai, client):
    fake_openai.script(Text("Hello from the fake model."))
    agent = build_agent(now=datetime.now(UTC), timezone="UTC", mcp_servers=[])

    async def run():
        config = RunConfig(model=model_name(), model_provider=model_provider())
        return await Runner.run(agent, "Hi", run_config=config)

    # On the app's event loop, where the model's connections live.
    result = client.portal.call(run)

    assert result.final_output == "Hello from the fake model."
    assert fake_openai.received[0].body.get("stream") in (None, False)
    assert result.context_wrapper.usage.total_tokens == USAGE["total_tokens"]


def test_a_streamed_completion_reports_usage_when_asked(fake_openai, client):
    fake_openai.script(Text("Counting tokens."))
    model = model_provider().get_model(model_name())

    async def stream():
        final = None
        async for event in model.stream_response(
            system_instructions=None,
            input="Hi",
            model_settings=ModelSettings(include_usage=True),
            tools=[],
            output_schema=None,
            handoffs=[],
            tracing=ModelTracing.DISABLED,
        ):
            if event.type == "response.completed":
                final = event.response
        return final

    final = client.portal.call(stream)

    assert fake_openai.received[0].body["stream_options"] == {"include_usage": True}
    assert final is not None
    assert final.usage.total_tokens == USAGE["total_tokens"]
