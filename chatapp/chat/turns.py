"""Drive one chat turn through the ChatKit protocol in-process (JSON API and native Reflex chat).

Both build the same ChatKit request a browser's <openai-chatkit> would send and run it through
`TodoChatServer.process`, so every door shares one protocol path and one agent loop.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import aclosing
from dataclasses import dataclass, field
from typing import Any

from chatkit.server import StreamingResult
from chatkit.types import (
    AssistantMessageContentPartTextDelta,
    AssistantMessageItem,
    ClientToolCallItem,
    ErrorEvent,
    ThreadCreatedEvent,
    ThreadItemDoneEvent,
    ThreadItemUpdatedEvent,
    ThreadStreamEvent,
    UserMessageItem,
)
from pydantic import TypeAdapter

from chatapp.chat.client_tools import pending_call_text
from chatapp.chat.server import TodoChatServer
from chatapp.chat.store import CONVERSATION_KEY, RequestContext

MESSAGE_MAX_CHARS = 4000
_EVENT = TypeAdapter(ThreadStreamEvent)


def user_message_request(message: str, thread_id: str | None) -> bytes:
    """The ChatKit request that adds `message` to `thread_id` (or starts a new thread)."""
    payload: dict[str, Any] = {
        "input": {
            "content": [{"type": "input_text", "text": message}],
            "attachments": [],
            "inference_options": {},
        }
    }
    if thread_id:
        payload["thread_id"] = thread_id
        return json.dumps({"type": "threads.add_user_message", "params": payload}).encode()
    return json.dumps({"type": "threads.create", "params": payload}).encode()


async def stream_turn(
    server: TodoChatServer, ctx: RequestContext, message: str, thread_id: str | None
) -> AsyncIterator[ThreadStreamEvent]:
    """Every ThreadStreamEvent of one turn, parsed back from the protocol's SSE bytes."""
    result = await server.process(user_message_request(message, thread_id), ctx)
    assert isinstance(result, StreamingResult)
    # Closed here, in this task, even when the consumer stops early: otherwise the agent run
    # inside is finalised later by the garbage collector, in the wrong context.
    async with aclosing(result.json_events) as chunks:
        async for chunk in chunks:
            for line in chunk.split(b"\n"):
                if line.startswith(b"data: "):
                    yield _EVENT.validate_json(line[6:])


def tool_output(output: str) -> Any:
    """Tool outputs are JSON strings; hand them on as JSON when they parse."""
    try:
        return json.loads(output)
    except (json.JSONDecodeError, TypeError):
        return output


@dataclass
class TurnSummary:
    """What the JSON API answers: the conversation, the reply text, and the tool calls made."""

    conversation_id: int | None = None  # the spec's number
    thread_id: str | None = None  # the same conversation's ChatKit thread id
    replies: list[str] = field(default_factory=list)
    tool_calls: list[dict[str, Any]] = field(default_factory=list)
    error: str | None = None
    failed: bool = False  # the turn ended in a ChatKit ErrorEvent (e.g. the store failed)
    message_saved: bool = False  # the user's message reached the thread

    @property
    def response(self) -> str:
        return "\n\n".join(r for r in self.replies if r)

    def observe(self, event: ThreadStreamEvent) -> str | None:
        """Fold one event in; return its text delta, if it is one."""
        if isinstance(event, ThreadCreatedEvent):
            self.thread_id = event.thread.id
            self.conversation_id = event.thread.metadata.get(CONVERSATION_KEY)
        elif isinstance(event, ErrorEvent):
            self.failed = True
        elif isinstance(event, ThreadItemDoneEvent) and isinstance(event.item, UserMessageItem):
            self.message_saved = True
        elif isinstance(event, ThreadItemDoneEvent) and isinstance(
            event.item, AssistantMessageItem
        ):
            self.replies.append("".join(c.text for c in event.item.content))
        elif isinstance(event, ThreadItemDoneEvent) and isinstance(event.item, ClientToolCallItem):
            # The turn waits for the browser (open_task): say so; this door cannot answer it.
            self.replies.append(pending_call_text(event.item.name, event.item.arguments))
            return self.replies[-1]
        elif isinstance(event, ThreadItemUpdatedEvent) and isinstance(
            event.update, AssistantMessageContentPartTextDelta
        ):
            return event.update.delta
        return None

    def names(self) -> dict[str, Any]:
        """Both names of the conversation, as every answer that has one carries them."""
        return {"conversation_id": self.conversation_id, "thread_id": self.thread_id}

    def body(self, ctx: RequestContext) -> dict[str, Any]:
        return {
            **self.names(),
            "response": self.response,
            "tool_calls": [
                {"name": c.name, "arguments": c.arguments, "output": tool_output(c.output)}
                for c in ctx.tool_calls
            ],
            **({"error": ctx.error} if ctx.error else {}),
        }
