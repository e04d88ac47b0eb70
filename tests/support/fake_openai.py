"""A local OpenAI-compatible server for the real-model tests: the edge fake, on the real wire.

`POST /v1/chat/completions` answers from a per-test script, streamed (`chat.completion.chunk`
SSE lines, a usage chunk when `stream_options.include_usage`, then `data: [DONE]`) or not.
`POST /v1/responses` answers the same script as a Responses API event stream (streaming only).
Every request body and its headers are recorded so tests can check what the model was sent.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import socket
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route


@dataclass
class Text:
    """An assistant message, streamed a few characters per chunk."""

    text: str


@dataclass
class ToolCall:
    """One function call; its JSON arguments stream in several pieces."""

    name: str
    arguments: dict[str, Any]
    call_id: str = "call_fake_1"


@dataclass
class Fail:
    """An HTTP error with OpenAI's error body."""

    status: int
    message: str
    type: str = "server_error"
    code: str | None = None
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Stall:
    """Hold the request this long before answering (longer than the client's timeout)."""

    seconds: float
    text: str = "Too late."


@dataclass
class StreamError:
    """Start a 200 stream, then send an error event mid-way, as OpenAI does on overload."""

    message: str
    after_text: str = ""


@dataclass
class Drop:
    """Start a 200 stream, then close the connection without finishing it."""

    after_text: str = ""


Reply = Text | ToolCall | Fail | Stall | StreamError | Drop


@dataclass
class Received:
    path: str
    body: dict[str, Any]
    headers: dict[str, str]

    @property
    def messages(self) -> list[dict[str, Any]]:
        return self.body.get("messages", [])

    @property
    def tool_names(self) -> list[str]:
        return [tool["function"]["name"] for tool in self.body.get("tools", [])]


class FakeOpenAI:
    """Serve on 127.0.0.1 in a thread; `script()` queues replies, `fail_always()` sets a standing one."""

    def __init__(self) -> None:
        self.received: list[Received] = []
        self._queue: deque[Reply] = deque()
        self._standing: Reply | None = None
        self._ids = itertools.count(1)
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self.port = 0

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def script(self, *replies: Reply) -> None:
        """Answer the next requests with these replies, in order."""
        self._queue.extend(replies)

    def fail_always(self, reply: Reply | None) -> None:
        """Answer every request with `reply` until called with None (the server recovers)."""
        self._standing = reply

    def reset(self) -> None:
        self.received.clear()
        self._queue.clear()
        self._standing = None

    def start(self) -> None:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        self.port = sock.getsockname()[1]
        app = Starlette(
            routes=[
                Route("/v1/chat/completions", self._chat, methods=["POST"]),
                Route("/v1/responses", self._responses, methods=["POST"]),
            ]
        )
        config = uvicorn.Config(
            app,
            log_config=None,
            access_log=False,
            lifespan="off",
            timeout_graceful_shutdown=1,
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [sock]}, daemon=True
        )
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("the fake OpenAI server did not start")
            time.sleep(0.01)

    def stop(self) -> None:
        if self._server is not None and self._thread is not None:
            self._server.should_exit = True
            self._thread.join(timeout=5)

    def _next_reply(self) -> Reply:
        if self._standing is not None:
            return self._standing
        if self._queue:
            return self._queue.popleft()
        return Fail(500, "The fake OpenAI server has no scripted reply left.")

    async def _receive(self, request: Request) -> tuple[dict[str, Any], Reply | Response]:
        """Record the request; the scripted reply, or the error response it stands for."""
        body = await request.json()
        self.received.append(Received(request.url.path, body, dict(request.headers)))
        reply = self._next_reply()
        if isinstance(reply, Fail):
            error = {
                "message": reply.message,
                "type": reply.type,
                "param": None,
                "code": reply.code,
            }
            return body, JSONResponse(
                {"error": error}, status_code=reply.status, headers=reply.headers
            )
        if isinstance(reply, Stall):
            await asyncio.sleep(reply.seconds)
            reply = Text(reply.text)
        return body, reply

    async def _responses(self, request: Request) -> Response:
        body, reply = await self._receive(request)
        if isinstance(reply, Response):
            return reply
        if not body.get("stream") or not isinstance(reply, Text | ToolCall):
            return JSONResponse({"error": {"message": "not scripted"}}, status_code=500)
        events = _response_events(f"resp_fake{next(self._ids)}", body["model"], reply)
        return StreamingResponse(_sse(events, responses_api=True), media_type="text/event-stream")

    async def _chat(self, request: Request) -> Response:
        body, reply = await self._receive(request)
        if isinstance(reply, Response):
            return reply
        completion_id = f"chatcmpl-fake{next(self._ids)}"
        if not body.get("stream"):
            return JSONResponse(_completion(completion_id, body["model"], reply))
        include_usage = bool((body.get("stream_options") or {}).get("include_usage"))
        return StreamingResponse(
            _sse(_chunks(completion_id, body["model"], reply, include_usage)),
            media_type="text/event-stream",
        )


USAGE = {"prompt_tokens": 42, "completion_tokens": 7, "total_tokens": 49}


def _pieces(text: str, size: int = 4) -> list[str]:
    return [text[i : i + size] for i in range(0, len(text), size)] or [""]


def _tool_call_json(reply: ToolCall) -> dict[str, Any]:
    return {
        "id": reply.call_id,
        "type": "function",
        "function": {"name": reply.name, "arguments": json.dumps(reply.arguments)},
    }


def _completion(completion_id: str, model: str, reply: Reply) -> dict[str, Any]:
    message: dict[str, Any] = {"role": "assistant", "content": None}
    finish_reason = "stop"
    if isinstance(reply, ToolCall):
        message["tool_calls"] = [_tool_call_json(reply)]
        finish_reason = "tool_calls"
    elif isinstance(reply, Text):
        message["content"] = reply.text
    return {
        "id": completion_id,
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [{"index": 0, "message": message, "finish_reason": finish_reason}],
        "usage": USAGE,
    }


def _chunks(completion_id: str, model: str, reply: Reply, include_usage: bool) -> list[dict]:
    def chunk(delta: dict[str, Any], finish_reason: str | None = None) -> dict[str, Any]:
        return {
            "id": completion_id,
            "object": "chat.completion.chunk",
            "created": int(time.time()),
            "model": model,
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish_reason}],
        }

    chunks = [chunk({"role": "assistant", "content": ""})]
    if isinstance(reply, ToolCall):
        call = _tool_call_json(reply)
        first = {**call, "function": {"name": reply.name, "arguments": ""}}
        chunks.append(chunk({"tool_calls": [{"index": 0, **first}]}))
        for piece in _pieces(call["function"]["arguments"], size=7):
            chunks.append(chunk({"tool_calls": [{"index": 0, "function": {"arguments": piece}}]}))
        chunks.append(chunk({}, "tool_calls"))
    elif isinstance(reply, Drop):
        chunks.extend(chunk({"content": piece}) for piece in _pieces(reply.after_text) if piece)
        chunks.append({"drop": True})
        return chunks
    elif isinstance(reply, StreamError):
        chunks.extend(chunk({"content": piece}) for piece in _pieces(reply.after_text) if piece)
        chunks.append({"error": {"message": reply.message, "type": "server_error", "code": None}})
        return chunks
    elif isinstance(reply, Text):
        chunks.extend(chunk({"content": piece}) for piece in _pieces(reply.text))
        chunks.append(chunk({}, "stop"))
    if include_usage:
        chunks.append({**chunk({}), "choices": [], "usage": USAGE})
    return chunks


class _ConnectionDropped(Exception):
    """Raised inside a streaming body: uvicorn then aborts the response mid-way."""


def _response_events(response_id: str, model: str, reply: Text | ToolCall) -> list[dict]:
    """The Responses API stream for one output item: created, item added, deltas, item done,
    completed (with the full response, as the Agents SDK builds its result from it)."""
    if isinstance(reply, ToolCall):
        done_item = {
            "type": "function_call",
            "id": "fc_fake_1",
            "call_id": reply.call_id,
            "name": reply.name,
            "arguments": json.dumps(reply.arguments),
            "status": "completed",
        }
        added_item = {**done_item, "arguments": "", "status": "in_progress"}
        middle = [
            {
                "type": "response.function_call_arguments.delta",
                "item_id": "fc_fake_1",
                "output_index": 0,
                "delta": piece,
            }
            for piece in _pieces(done_item["arguments"], size=7)
        ] + [
            {
                "type": "response.function_call_arguments.done",
                "item_id": "fc_fake_1",
                "output_index": 0,
                "arguments": done_item["arguments"],
            }
        ]
    else:
        part = {"type": "output_text", "text": reply.text, "annotations": [], "logprobs": []}
        done_item = {
            "type": "message",
            "id": "msg_fake_1",
            "role": "assistant",
            "status": "completed",
            "content": [part],
        }
        added_item = {**done_item, "status": "in_progress", "content": []}
        at = {"item_id": "msg_fake_1", "output_index": 0, "content_index": 0}
        middle = [
            {"type": "response.content_part.added", **at, "part": {**part, "text": ""}},
            *(
                {"type": "response.output_text.delta", **at, "delta": piece, "logprobs": []}
                for piece in _pieces(reply.text)
            ),
            {"type": "response.output_text.done", **at, "text": reply.text, "logprobs": []},
            {"type": "response.content_part.done", **at, "part": part},
        ]
    response = {
        "id": response_id,
        "object": "response",
        "created_at": int(time.time()),
        "model": model,
        "status": "in_progress",
        "output": [],
        "parallel_tool_calls": True,
        "tool_choice": "auto",
        "tools": [],
        "usage": None,
    }
    usage = {
        "input_tokens": USAGE["prompt_tokens"],
        "input_tokens_details": {"cached_tokens": 0},
        "output_tokens": USAGE["completion_tokens"],
        "output_tokens_details": {"reasoning_tokens": 0},
        "total_tokens": USAGE["total_tokens"],
    }
    events = [
        {"type": "response.created", "response": response},
        {"type": "response.output_item.added", "output_index": 0, "item": added_item},
        *middle,
        {"type": "response.output_item.done", "output_index": 0, "item": done_item},
        {
            "type": "response.completed",
            "response": {**response, "status": "completed", "output": [done_item], "usage": usage},
        },
    ]
    return [{**event, "sequence_number": n} for n, event in enumerate(events)]


async def _sse(chunks: list[dict], responses_api: bool = False):
    """Chat Completions: bare `data:` lines ending in [DONE]; Responses: named events, no [DONE]."""
    for data in chunks:
        if data.get("drop"):
            raise _ConnectionDropped
        event = f"event: {data['type']}\n" if responses_api else ""
        yield f"{event}data: {json.dumps(data)}\n\n".encode()
        await asyncio.sleep(0)
    if not responses_api and "error" not in chunks[-1]:
        yield b"data: [DONE]\n\n"
