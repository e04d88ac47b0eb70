"""The embedded offline model: an Agents SDK `Model` that needs no network and no weights.

It stands in for an LLM when no API key is configured, and behaves like one at the SDK
boundary: it reads the Responses-format input (user and assistant messages, function calls and
their outputs) and the `FunctionTool`s it was offered, and answers with real
`ResponseFunctionToolCall` items whose JSON arguments fit each tool's schema, or with an
assistant message. `stream_response` emits the same result as genuine Responses stream events
(created, output_item.added, content_part.added, several output_text.delta, ... completed),
with increasing sequence numbers and fresh ids, so `Runner.run_streamed` streams text deltas.

The understanding is rule-based and deterministic, one concern per module of this package:
- `normalise`: case, quotes, shorthand, politeness and slips around the command;
- `file_mentions`: clauses that only point at attached files ("..., see attached"), cut out
  before the message is read; `attachments`: requests about the files themselves;
- `pattern`: every pattern compiled one way (case-blind);
- `smalltalk` and `rules/`: ordered tables of named rules, message -> typed intent (`intents`);
- `slots`, `titles`, `adds`, `changes`, `queries`: the pieces each kind of command needs;
- `dates/`: moments, windows and repeat rules, resolved against the "Current date and time:"
  line of the instructions (else the clock);
- `conversation`: the input split at the last user message, and the task last talked about;
- `toolbox` and `tool_results`: the offered tools, and what they sent back, decoded once;
- `planner`, `calls`, `mutations`, `bulk`, `summaries`: intent + calls already made this turn ->
  next calls, or the words to say (`replies`, `answers`, `dead_ends`).

Any failure inside becomes a polite message: the model never raises on user input.
"""

from __future__ import annotations

import json
import logging
import time
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast

from agents.agent_output import AgentOutputSchemaBase
from agents.handoffs import Handoff
from agents.items import (
    ModelResponse,
    TResponseInputItem,
    TResponseOutputItem,
    TResponseStreamEvent,
)
from agents.model_settings import ModelSettings
from agents.models.interface import Model, ModelProvider, ModelTracing
from agents.tool import FunctionTool, Tool
from agents.tracing import generation_span
from agents.usage import Usage
from openai.types.responses import (
    Response,
    ResponseCompletedEvent,
    ResponseContentPartAddedEvent,
    ResponseContentPartDoneEvent,
    ResponseCreatedEvent,
    ResponseFunctionCallArgumentsDeltaEvent,
    ResponseFunctionCallArgumentsDoneEvent,
    ResponseFunctionToolCall,
    ResponseInProgressEvent,
    ResponseOutputItemAddedEvent,
    ResponseOutputItemDoneEvent,
    ResponseOutputMessage,
    ResponseOutputText,
    ResponseReasoningItem,
    ResponseTextDeltaEvent,
    ResponseTextDoneEvent,
    ResponseUsage,
)
from openai.types.responses.response_prompt_param import ResponsePromptParam

from chatapp.agent.offline import dates, replies
from chatapp.agent.offline.attachments import plan_attachments
from chatapp.agent.offline.conversation import read_conversation
from chatapp.agent.offline.planner import Step, plan_step
from chatapp.agent.offline.reasoning import chain_summary, reasoning_events, reasoning_item
from chatapp.agent.offline.toolbox import Toolbox

logger = logging.getLogger(__name__)

DEFAULT_MODEL_NAME = "chatapp-offline"
_WORDS_PER_DELTA = 3
_ARGUMENT_CHARS_PER_DELTA = 24
_CHARS_PER_TOKEN = 4


@dataclass(frozen=True)
class _Reply:
    response: Response
    usage: Usage


class OfflineModel(Model):
    """A deterministic, network-free `Model` that manages tasks through the tools it is given."""

    def __init__(
        self,
        name: str = DEFAULT_MODEL_NAME,
        *,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.name = name
        self._clock = clock or (lambda: datetime.now(UTC))

    async def get_response(
        self,
        system_instructions: str | None,
        input: str | list[TResponseInputItem],
        model_settings: ModelSettings,
        tools: list[Tool],
        output_schema: AgentOutputSchemaBase | None,
        handoffs: list[Handoff],
        tracing: ModelTracing,
        *,
        previous_response_id: str | None,
        conversation_id: str | None,
        prompt: ResponsePromptParam | None,
    ) -> ModelResponse:
        reply = self._reply(system_instructions, input, model_settings, tools, tracing)
        return ModelResponse(
            output=list(reply.response.output),
            usage=reply.usage,
            response_id=reply.response.id,
        )

    async def stream_response(
        self,
        system_instructions: str | None,
        input: str | list[TResponseInputItem],
        model_settings: ModelSettings,
        tools: list[Tool],
        output_schema: AgentOutputSchemaBase | None,
        handoffs: list[Handoff],
        tracing: ModelTracing,
        *,
        previous_response_id: str | None,
        conversation_id: str | None,
        prompt: ResponsePromptParam | None,
    ) -> AsyncIterator[TResponseStreamEvent]:
        reply = self._reply(system_instructions, input, model_settings, tools, tracing)
        for event in stream_events(reply.response):
            yield event

    def _reply(
        self,
        system_instructions: str | None,
        input: str | list[TResponseInputItem],
        model_settings: ModelSettings,
        tools: list[Tool],
        tracing: ModelTracing,
    ) -> _Reply:
        with generation_span(model=self.name, disabled=tracing.is_disabled()) as span:
            step = self._step(system_instructions, input, model_settings, tools)
            response = _response(self.name, step, model_settings)
            if not step.calls and (summary := _chain_summary(input)):
                response.output.insert(0, reasoning_item(summary, _new_id("rs")))
            usage = _usage(system_instructions, input, tools, response)
            response.usage = ResponseUsage.model_validate(
                {
                    "input_tokens": usage.input_tokens,
                    "output_tokens": usage.output_tokens,
                    "total_tokens": usage.total_tokens,
                    "input_tokens_details": {"cached_tokens": 0, "cache_write_tokens": 0},
                    "output_tokens_details": {"reasoning_tokens": 0},
                }
            )
            span.span_data.usage = {
                "input_tokens": usage.input_tokens,
                "output_tokens": usage.output_tokens,
            }
            if tracing.include_data():
                span.span_data.output = [item.model_dump() for item in response.output]
        return _Reply(response, usage)

    def _step(
        self,
        system_instructions: str | None,
        input: str | list[TResponseInputItem],
        model_settings: ModelSettings,
        tools: list[Tool],
    ) -> Step:
        try:
            conversation = read_conversation(input)
            now = (
                dates.find_now(system_instructions)
                or dates.find_now(conversation.system_text)
                or self._clock()
            )
            toolbox = Toolbox(_usable_tools(tools, model_settings.tool_choice))
            parallel = model_settings.parallel_tool_calls is not False
            step = plan_attachments(conversation, toolbox, now) or plan_step(
                conversation, toolbox, now, parallel=parallel
            )
            if step.calls or step.text.strip():
                return step
        except Exception:
            logger.exception("Offline model could not plan a reply; answering with a fallback.")
        return Step(text=replies.FALLBACK)


def _chain_summary(input: str | list[TResponseInputItem]) -> str | None:
    try:
        return chain_summary(read_conversation(input))
    except Exception:  # a summary is a nicety: never a reason to fail the reply
        logger.exception("Offline model could not summarise its steps.")
        return None


class OfflineModelProvider(ModelProvider):
    """Hands out `OfflineModel`s whatever model name the agent asks for."""

    def __init__(self, *, clock: Callable[[], datetime] | None = None) -> None:
        self._clock = clock

    def get_model(self, model_name: str | None) -> Model:
        return OfflineModel(model_name or DEFAULT_MODEL_NAME, clock=self._clock)


def stream_events(response: Response) -> Iterator[TResponseStreamEvent]:
    """`response` as the Responses API would stream it, sequence numbers from 0."""
    sequence = iter(range(1_000_000_000))
    pending = response.model_copy(update={"output": [], "status": "in_progress", "usage": None})
    yield ResponseCreatedEvent(
        type="response.created", response=pending, sequence_number=next(sequence)
    )
    yield ResponseInProgressEvent(
        type="response.in_progress", response=pending, sequence_number=next(sequence)
    )
    for index, item in enumerate(response.output):
        if isinstance(item, ResponseOutputMessage):
            started = item.model_copy(update={"content": [], "status": "in_progress"})
            inside = _message_events(item, index, sequence)
        elif isinstance(item, ResponseFunctionToolCall):
            started = item.model_copy(update={"arguments": "", "status": "in_progress"})
            inside = _function_call_events(item, index, sequence)
        elif isinstance(item, ResponseReasoningItem):
            started = item.model_copy(update={"summary": [], "status": "in_progress"})
            inside = reasoning_events(item, index, sequence)
        else:
            continue
        # Every item streams the same way: added (empty, in progress), what it holds, done.
        yield ResponseOutputItemAddedEvent(
            type="response.output_item.added",
            item=started,
            output_index=index,
            sequence_number=next(sequence),
        )
        yield from inside  # a generator: its sequence numbers come after "added"
        yield ResponseOutputItemDoneEvent(
            type="response.output_item.done",
            item=item,
            output_index=index,
            sequence_number=next(sequence),
        )
    yield ResponseCompletedEvent(
        type="response.completed", response=response, sequence_number=next(sequence)
    )


def text_chunks(text: str) -> list[str]:
    """`text` cut into a few words per chunk (at least two chunks when it has two characters)."""
    words: list[str] = []
    start = 0
    for index in range(1, len(text)):
        if text[index - 1].isspace() and not text[index].isspace():
            words.append(text[start:index])
            start = index
    words.append(text[start:])
    chunks = [
        "".join(words[i : i + _WORDS_PER_DELTA]) for i in range(0, len(words), _WORDS_PER_DELTA)
    ]
    if len(chunks) == 1 and len(text) >= 2:
        middle = len(text) // 2
        chunks = [text[:middle], text[middle:]]
    return [chunk for chunk in chunks if chunk]


def _message_events(
    message: ResponseOutputMessage, index: int, sequence: Iterator[int]
) -> Iterator[TResponseStreamEvent]:
    part = message.content[0]
    assert isinstance(part, ResponseOutputText)
    yield ResponseContentPartAddedEvent(
        type="response.content_part.added",
        item_id=message.id,
        output_index=index,
        content_index=0,
        part=ResponseOutputText(type="output_text", text="", annotations=[], logprobs=[]),
        sequence_number=next(sequence),
    )
    for chunk in text_chunks(part.text):
        yield ResponseTextDeltaEvent(
            type="response.output_text.delta",
            item_id=message.id,
            output_index=index,
            content_index=0,
            delta=chunk,
            logprobs=[],
            sequence_number=next(sequence),
        )
    yield ResponseTextDoneEvent(
        type="response.output_text.done",
        item_id=message.id,
        output_index=index,
        content_index=0,
        text=part.text,
        logprobs=[],
        sequence_number=next(sequence),
    )
    yield ResponseContentPartDoneEvent(
        type="response.content_part.done",
        item_id=message.id,
        output_index=index,
        content_index=0,
        part=part,
        sequence_number=next(sequence),
    )


def _function_call_events(
    call: ResponseFunctionToolCall, index: int, sequence: Iterator[int]
) -> Iterator[TResponseStreamEvent]:
    item_id = call.id or call.call_id
    arguments = call.arguments
    for start in range(0, len(arguments), _ARGUMENT_CHARS_PER_DELTA):
        yield ResponseFunctionCallArgumentsDeltaEvent(
            type="response.function_call_arguments.delta",
            item_id=item_id,
            output_index=index,
            delta=arguments[start : start + _ARGUMENT_CHARS_PER_DELTA],
            sequence_number=next(sequence),
        )
    # Older openai releases require `name` on this event; newer ones keep it as an extra field.
    yield ResponseFunctionCallArgumentsDoneEvent.model_validate(
        {
            "type": "response.function_call_arguments.done",
            "item_id": item_id,
            "output_index": index,
            "arguments": arguments,
            "name": call.name,
            "sequence_number": next(sequence),
        }
    )


def _usable_tools(tools: list[Tool], tool_choice: Any) -> list[Tool]:
    if tool_choice == "none":
        return []
    if isinstance(tool_choice, str) and tool_choice not in ("auto", "required"):
        chosen = [t for t in tools if isinstance(t, FunctionTool) and t.name == tool_choice]
        return cast(list[Tool], chosen) or tools
    return tools


def _new_id(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex}"


def _response(name: str, step: Step, model_settings: ModelSettings) -> Response:
    output: list[TResponseOutputItem] = []
    if step.calls:
        for call in step.calls:
            output.append(
                ResponseFunctionToolCall(
                    type="function_call",
                    id=_new_id("fc"),
                    call_id=_new_id("call"),
                    name=call.name,
                    arguments=call.arguments_json,
                    status="completed",
                )
            )
    else:
        output.append(
            ResponseOutputMessage(
                type="message",
                id=_new_id("msg"),
                role="assistant",
                status="completed",
                content=[
                    ResponseOutputText(
                        type="output_text", text=step.text, annotations=[], logprobs=[]
                    )
                ],
            )
        )
    return Response(
        id=_new_id("resp"),
        created_at=time.time(),
        model=name,
        object="response",
        output=output,
        tool_choice="auto",
        tools=[],
        parallel_tool_calls=model_settings.parallel_tool_calls is not False,
        status="completed",
    )


def _tokens(characters: int) -> int:
    return max(1, -(-characters // _CHARS_PER_TOKEN))


def _usage(
    system_instructions: str | None,
    input: str | list[TResponseInputItem],
    tools: list[Tool],
    response: Response,
) -> Usage:
    try:
        seen = json.dumps(input, default=str, ensure_ascii=False)
        schemas = json.dumps(
            [t.params_json_schema for t in tools if isinstance(t, FunctionTool)], default=str
        )
        input_tokens = _tokens(len(system_instructions or "") + len(seen) + len(schemas))
    except (TypeError, ValueError, RecursionError):
        input_tokens = _tokens(len(str(input)))
    written = 0
    for item in response.output:
        if isinstance(item, ResponseFunctionToolCall):
            written += len(item.name) + len(item.arguments) + 12
        elif isinstance(item, ResponseOutputMessage):
            written += sum(len(getattr(part, "text", "")) for part in item.content)
    output_tokens = _tokens(written)
    return Usage(
        requests=1,
        input_tokens=input_tokens,
        output_tokens=output_tokens,
        total_tokens=input_tokens + output_tokens,
    )
