"""Streaming: real Responses stream events, text deltas, ids and usage."""

from __future__ import annotations

from typing import Any

from agents import ModelSettings, Runner
from agents.models.fake_id import FAKE_RESPONSES_ID
from agents.models.interface import ModelTracing
from agents.stream_events import RawResponsesStreamEvent
from openai.types.responses import (
    ResponseCompletedEvent,
    ResponseFunctionToolCall,
    ResponseOutputMessage,
    ResponseTextDeltaEvent,
)

from chatapp.agent import OfflineModel, OfflineModelProvider
from chatapp.agent.offline.model import text_chunks
from tests.support.agent import INSTRUCTIONS, TodoStore, make_agent


async def stream(store: TodoStore, message: str | list[Any]) -> tuple[list[Any], str]:
    result = Runner.run_streamed(make_agent(store.tools()), message)
    events = [
        event.data
        async for event in result.stream_events()
        if isinstance(event, RawResponsesStreamEvent)
    ]
    return events, str(result.final_output)


def responses(events: list[Any]) -> list[list[Any]]:
    """Events grouped per model response (each starts with response.created)."""
    grouped: list[list[Any]] = []
    for event in events:
        if event.type == "response.created":
            grouped.append([])
        grouped[-1].append(event)
    return grouped


async def test_streamed_text_arrives_in_several_deltas(store: TodoStore) -> None:
    events, final = await stream(store, "help")
    deltas = [event.delta for event in events if isinstance(event, ResponseTextDeltaEvent)]
    assert len(deltas) >= 2
    assert "".join(deltas) == final


async def test_confirmation_after_a_tool_call_is_streamed(store: TodoStore) -> None:
    events, final = await stream(store, "add buy milk tomorrow")
    deltas = [event.delta for event in events if isinstance(event, ResponseTextDeltaEvent)]
    assert len(deltas) >= 2
    assert "".join(deltas) == final == "Added **Buy milk** (task 1), due Tue 24 Nov at 09:00."


async def test_event_order_follows_the_responses_api(store: TodoStore) -> None:
    events, _ = await stream(store, "add buy milk")
    call_response, text_response = responses(events)
    assert [event.type for event in call_response] == [
        "response.created",
        "response.in_progress",
        "response.output_item.added",
        *["response.function_call_arguments.delta"] * (len(call_response) - 6),
        "response.function_call_arguments.done",
        "response.output_item.done",
        "response.completed",
    ]
    types = [event.type for event in text_response]
    assert types[:4] == [
        "response.created",
        "response.in_progress",
        "response.output_item.added",
        "response.content_part.added",
    ]
    assert set(types[4:-4]) == {"response.output_text.delta"}
    assert types[-4:] == [
        "response.output_text.done",
        "response.content_part.done",
        "response.output_item.done",
        "response.completed",
    ]


async def test_sequence_numbers_increase_within_each_response(seeded: TodoStore) -> None:
    events, _ = await stream(seeded, "delete the meeting task")
    for group in responses(events):
        numbers = [event.sequence_number for event in group]
        assert numbers == list(range(len(numbers)))


async def test_item_ids_are_unique_and_never_the_placeholder(store: TodoStore) -> None:
    events, _ = await stream(store, "add milk, eggs and bread")
    items = [event.response.output for event in events if isinstance(event, ResponseCompletedEvent)]
    flat = [item for output in items for item in output]
    ids = [item.id for item in flat]
    call_ids = [item.call_id for item in flat if isinstance(item, ResponseFunctionToolCall)]
    response_ids = [
        event.response.id for event in events if isinstance(event, ResponseCompletedEvent)
    ]
    assert len(call_ids) == 3
    for group in (ids, call_ids, response_ids):
        assert len(set(group)) == len(group)
        assert FAKE_RESPONSES_ID not in group and all(group)


async def test_completed_response_carries_usage(store: TodoStore) -> None:
    result = Runner.run_streamed(make_agent(store.tools()), "add buy milk")
    completed = [
        event.data
        async for event in result.stream_events()
        if isinstance(event, RawResponsesStreamEvent)
        and isinstance(event.data, ResponseCompletedEvent)
    ]
    for event in completed:
        usage = event.response.usage
        assert usage is not None
        assert usage.input_tokens > 0 and usage.output_tokens > 0
        assert usage.total_tokens == usage.input_tokens + usage.output_tokens
    assert result.context_wrapper.usage.requests == 2
    assert result.context_wrapper.usage.total_tokens > 0


async def test_run_and_run_streamed_agree(seeded: TodoStore) -> None:
    twin = TodoStore(tasks={k: dict(v) for k, v in seeded.tasks.items()}, next_id=seeded.next_id)
    plain = await Runner.run(make_agent(seeded.tools()), "delete the meeting task")
    _, streamed = await stream(twin, "delete the meeting task")
    assert str(plain.final_output) == streamed
    assert seeded.calls == twin.calls


async def test_get_response_fills_usage_and_ids() -> None:
    model = OfflineModel()
    response = await model.get_response(
        INSTRUCTIONS,
        "hi",
        ModelSettings(),
        [],
        None,
        [],
        ModelTracing.DISABLED,
        previous_response_id=None,
        conversation_id=None,
        prompt=None,
    )
    (message,) = response.output
    assert isinstance(message, ResponseOutputMessage)
    assert message.id.startswith("msg_") and response.response_id
    assert response.usage.requests == 1
    assert response.usage.input_tokens > 0 and response.usage.output_tokens > 0


async def test_provider_hands_out_offline_models() -> None:
    model = OfflineModelProvider().get_model("gpt-4.1-mini")
    assert isinstance(model, OfflineModel)
    assert model.name == "gpt-4.1-mini"


def test_text_chunks_split_by_words_and_rejoin() -> None:
    text = "Added **Buy milk** (task 7), due Tue 24 Nov at 17:00."
    chunks = text_chunks(text)
    assert len(chunks) >= 3
    assert "".join(chunks) == text
    assert text_chunks("Hi") == ["H", "i"]
