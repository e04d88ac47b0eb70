"""Drive one chat turn through the ChatKit protocol in-process (JSON API and native Reflex chat).

Both build the same ChatKit request a browser's <openai-chatkit> would send and run it through
the ChatKit server, so every door shares one protocol path and one agent loop: the requests are
built here, and the events come back here, once: parsed back from the SSE bytes
(`TodoChatServer.process`), or, for the JSON API, which reads each event as it comes, as the
server's own objects (`TodoChatServer.stream`).
"""

from __future__ import annotations

import asyncio
import json
import logging
import math
import time
from collections import deque
from collections.abc import AsyncGenerator, AsyncIterator, Callable, Sequence
from contextlib import aclosing
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeGuard

from chatkit.server import StreamingResult
from chatkit.store import NotFoundError
from chatkit.types import (
    AssistantMessageContentPartTextDelta,
    AssistantMessageItem,
    ClientEffectEvent,
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
from chatapp.chat.server import REFRESH_TASKS_EFFECT, TodoChatServer
from chatapp.chat.store import CONVERSATION_KEY, AttachmentNotFoundError, RequestContext

logger = logging.getLogger("chatapp.chat.turns")

MESSAGE_MAX_CHARS = 4000
NOT_FOUND_MESSAGE = "That conversation no longer exists (it may have been deleted)."
FILE_GONE_MESSAGE = "An attached file is no longer available: attach it again and resend."
FAILED_MESSAGE = "Something went wrong while answering. Please retry in a moment."
# Text deltas are shown one batch per frame; a burst is spread over at most this many frames.
FRAME_SECONDS = 0.025
SMOOTH_FRAMES = 8
STOP_GRACE_SECONDS = 5.0
END = object()  # the last thing `pump_turn` queues: the turn is over
_EVENT = TypeAdapter(ThreadStreamEvent)


def user_message_request(
    message: str, thread_id: str | None, attachments: Sequence[str] = ()
) -> bytes:
    """The ChatKit request that adds `message` (with the ids of uploaded `attachments`) to
    `thread_id`, or starts a new thread."""
    payload: dict[str, Any] = {
        "input": {
            "content": [{"type": "input_text", "text": message}],
            "attachments": list(attachments),
            "inference_options": {},
        }
    }
    if thread_id:
        payload["thread_id"] = thread_id
        return json.dumps({"type": "threads.add_user_message", "params": payload}).encode()
    return json.dumps({"type": "threads.create", "params": payload}).encode()


def retry_request(thread_id: str, item_id: str) -> bytes:
    """ChatKit's own retry: drop everything after the user message and answer it again."""
    params = {"thread_id": thread_id, "item_id": item_id}
    return json.dumps({"type": "threads.retry_after_item", "params": params}).encode()


def client_tool_output_request(thread_id: str, result: dict[str, Any]) -> bytes:
    """ChatKit's answer to the thread's pending client tool call; the agent then continues."""
    params = {"thread_id": thread_id, "result": result}
    return json.dumps({"type": "threads.add_client_tool_output", "params": params}).encode()


async def turn_events(
    request: bytes,
    ctx: RequestContext,
    server: TodoChatServer | None = None,
    *,
    copies: bool = True,
) -> AsyncGenerator[ThreadStreamEvent]:
    """Every ThreadStreamEvent of one streaming ChatKit request, parsed back from its SSE bytes:
    copies that stay as they were sent. `copies=False` hands over the server's own objects
    instead (no JSON), for a caller that is done with each event before it takes the next."""
    if server is None:
        from chatapp.chat import get_chat_server

        server = get_chat_server()
    if not copies:
        async with aclosing(server.stream(request, ctx)) as events:
            async for event in events:
                yield event
        return
    result = await server.process(request, ctx)
    assert isinstance(result, StreamingResult)
    # Closed here, in this task, even when the consumer stops early: otherwise the agent run
    # inside is finalised later by the garbage collector, in the wrong context.
    async with aclosing(result.json_events) as chunks:
        async for chunk in chunks:
            for line in chunk.split(b"\n"):
                if line.startswith(b"data: "):
                    yield _EVENT.validate_json(line[6:])


async def stream_turn(
    server: TodoChatServer,
    ctx: RequestContext,
    message: str,
    thread_id: str | None,
    attachments: Sequence[str] = (),
    *,
    copies: bool = True,
) -> AsyncIterator[ThreadStreamEvent]:
    """Every event of the turn that adds `message` to `thread_id` (or starts a new thread);
    `copies` as for `turn_events`."""
    request = user_message_request(message, thread_id, attachments)
    async with aclosing(turn_events(request, ctx, server, copies=copies)) as events:
        async for event in events:
            yield event


async def pump_turn(request: bytes, ctx: RequestContext, queue: asyncio.Queue) -> str:
    """Run a ChatKit request, queueing each event and then END; returns a user-facing failure
    or ''.

    Queueing never awaits, so a cancellation always lands inside the ChatKit server's own
    stream, where it persists the partial reply."""
    try:
        async with aclosing(turn_events(request, ctx)) as events:
            async for event in events:
                queue.put_nowait(event)
    except AttachmentNotFoundError:
        return FILE_GONE_MESSAGE
    except NotFoundError:
        return NOT_FOUND_MESSAGE
    except asyncio.CancelledError:
        return ""
    except Exception:
        logger.exception("native chat request failed")
        return FAILED_MESSAGE
    finally:
        queue.put_nowait(END)
    return ""


@dataclass
class RunningTurn:
    """A running turn's request task; lives in this process only, never in (serialised) state."""

    task: asyncio.Task | None = None
    stopped: bool = False

    def stop(self) -> None:
        """Cancel the request once: a second cancel would cut the server's save of the reply."""
        if not self.stopped:
            self.stopped = True
            if self.task is not None:
                self.task.cancel()

    async def settle(self) -> None:
        """End the request, letting a stopped one's server side save the partial reply first."""
        if self.task is not None:
            if not self.task.done():
                self.task.cancel()
            await asyncio.wait([self.task], timeout=STOP_GRACE_SECONDS)


class TextDelta(Protocol):
    """A ThreadItemUpdatedEvent whose update is a piece of an assistant message's text."""

    item_id: str
    update: AssistantMessageContentPartTextDelta


def is_text_delta(event: object) -> TypeGuard[TextDelta]:
    return isinstance(event, ThreadItemUpdatedEvent) and isinstance(
        event.update, AssistantMessageContentPartTextDelta
    )


def changes_tasks(event: object) -> bool:
    """The chat core's signal that a tool changed the user's tasks (every renderer listens)."""
    return isinstance(event, ClientEffectEvent) and event.name == REFRESH_TASKS_EFFECT


def pending_client_call(event: object) -> ClientToolCallItem | None:
    """The call a turn ended on, waiting for the browser to run it."""
    if isinstance(event, ThreadItemDoneEvent) and isinstance(event.item, ClientToolCallItem):
        return event.item if event.item.status == "pending" else None
    return None


def _drain(queue: asyncio.Queue, backlog: deque) -> None:
    while not queue.empty():
        backlog.append(queue.get_nowait())


async def frames(queue: asyncio.Queue, stopped: Callable[[], bool]) -> AsyncIterator[list]:
    """`pump_turn`'s queued events, a frame at a time, until END or until `stopped()`.

    Item and thread events come at once. Text comes at most once per FRAME_SECONDS, a burst of
    deltas spread over up to SMOOTH_FRAMES frames, so a browser renders the reply growing
    instead of receiving it all in one paint."""
    backlog: deque = deque()
    text_at = 0.0
    ended = False
    while not stopped() and not (ended and not backlog):
        if not backlog:
            backlog.append(await queue.get())
        _drain(queue, backlog)
        frame = []
        if is_text_delta(backlog[0]):
            wait = FRAME_SECONDS - (time.monotonic() - text_at)
            if wait > 0:
                await asyncio.sleep(wait)
                _drain(queue, backlog)
            budget = max(1, math.ceil(sum(map(is_text_delta, backlog)) / SMOOTH_FRAMES))
            while backlog and budget:
                frame.append(backlog.popleft())
                budget -= is_text_delta(frame[-1])
            text_at = time.monotonic()
        else:
            while backlog and not is_text_delta(backlog[0]):
                frame.append(backlog.popleft())
        if stopped():
            break
        ended = ended or END in frame
        yield frame


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
