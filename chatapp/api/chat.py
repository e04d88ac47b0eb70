"""Chat doors over HTTP: the spec's stateless JSON API and the ChatKit protocol endpoint."""

from __future__ import annotations

import asyncio
import json
import logging
import re
from typing import Annotated, Any

from chatkit.server import StreamingResult
from chatkit.store import NotFoundError
from chatkit.types import ThreadStreamEvent, UserMessageInput
from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from chatapp.api.deps import PathUser, verify_bearer
from chatapp.api.errors import validation_message
from chatapp.attachments import records
from chatapp.auth.bearer import live_account
from chatapp.auth.security import CHAT_AUDIENCE, SESSION_AUDIENCE
from chatapp.chat import entities, get_chat_server
from chatapp.chat.entities import ENTITY_SEARCH_ENDPOINT, QUERY_MAX_CHARS
from chatapp.chat.server import CHATKIT_REQUEST
from chatapp.chat.store import (
    CONVERSATION_KEY,
    DATABASE_FAILED,
    MAX_ID_LENGTH,
    RequestContext,
    SQLStore,
)
from chatapp.chat.turns import MESSAGE_MAX_CHARS, TurnSummary, stream_turn
from chatapp.errors import DB_UNAVAILABLE, InvalidInput, conversation_not_found
from chatapp.timezones import UnknownZone, valid_zone, zone_or_default

logger = logging.getLogger("chatapp.api.chat")
router = APIRouter(tags=["chat"])
TURN_FAILED = "The chat turn could not be completed. Please try again."

# Larger pages are refused: the databases cannot even bind a LIMIT beyond 2**63.
CHATKIT_PAGE_MAX = 1000


def valid_timezone(name: str | None) -> str:
    """The request's time zone (chatapp.timezones), refused as the field's own error."""
    try:
        return valid_zone(name)
    except UnknownZone as exc:
        raise InvalidInput(f"timezone: unknown time zone '{name}'", field="timezone") from exc


# A conversation named by a string of digits means its number: thread ids never look like that.
_NUMBER = re.compile(r"-?[0-9]+")


def conversation_ref(value: Any) -> int | str | None:
    """A request's `conversation_id`: a positive number, a thread id, or None for a new one."""
    if value is None:
        return None
    if isinstance(value, str):
        if len(value) > MAX_ID_LENGTH:
            raise ValueError(f"must be at most {MAX_ID_LENGTH} characters")
        if not _NUMBER.fullmatch(value):
            return value
        value = int(value)
    elif isinstance(value, bool) or not isinstance(value, int):
        raise ValueError("must be a conversation number or a thread id string")
    if value < 1:
        raise ValueError("a conversation number is a positive integer")
    return value


class ChatRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    message: str = Field(min_length=1, max_length=MESSAGE_MAX_CHARS)
    conversation_id: (
        Annotated[int, Field(ge=1)] | Annotated[str, Field(max_length=MAX_ID_LENGTH)] | None
    ) = Field(
        default=None,
        description=(
            "The conversation to continue, by its number (as replies give it) or its ChatKit "
            'thread id ("thr_…"); a string of digits is read as the number. Left out: a new one.'
        ),
    )
    timezone: str | None = Field(
        default=None, max_length=64, description="IANA zone, e.g. Europe/Paris"
    )
    attachments: list[Annotated[str, Field(max_length=MAX_ID_LENGTH)]] = Field(
        default_factory=list,
        max_length=records.MAX_PER_REQUEST,
        description="Ids of the user's uploaded attachments (POST /api/attachments) to send "
        "with the message",
    )

    @field_validator("message")
    @classmethod
    def _not_blank(cls, v: str) -> str:
        if not v.strip():
            raise ValueError("message must not be empty")
        return v.strip()

    @field_validator("conversation_id", mode="before")
    @classmethod
    def _conversation(cls, v: Any) -> int | str | None:
        return conversation_ref(v)


class ToolCallOut(BaseModel):
    name: str
    arguments: dict[str, Any]
    output: Any


class ChatResponse(BaseModel):
    conversation_id: int = Field(description="The conversation's number: send it to continue")
    thread_id: str = Field(description='The same conversation\'s ChatKit thread id ("thr_…")')
    response: str
    tool_calls: list[ToolCallOut]


def _sse(event: str, data: dict[str, Any]) -> bytes:
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n".encode()


@router.post("/api/{user_id}/chat", response_model=ChatResponse)
async def chat(
    user: PathUser,
    body: ChatRequest,
    accept: Annotated[str | None, Header(include_in_schema=False)] = None,
):
    """One turn: the message joins the conversation (a new one if no id), the agent answers.
    With `Accept: text/event-stream` the reply streams as `delta` events, then one `done`."""
    ctx = RequestContext(user_id=user, timezone=valid_timezone(body.timezone))
    server = get_chat_server()
    summary = TurnSummary()
    thread_id = None
    if body.conversation_id is not None:
        # The 404 decision, before any status line: one indexed read, which ChatKit's own load
        # of the thread then reuses (the store remembers it for this request).
        try:
            thread = await server.store.load_conversation_thread(body.conversation_id, ctx)
        except NotFoundError as exc:
            raise conversation_not_found(body.conversation_id) from exc
        thread_id = thread.id
        summary = TurnSummary(thread.metadata[CONVERSATION_KEY], thread_id)
    # Another user's or a missing attachment is 404 (AppError), before anything is stored.
    if body.attachments:
        await asyncio.to_thread(records.require_uploaded, user, body.attachments)
    # Each event is read (summary.observe) before the next is asked for: no copies needed.
    events = stream_turn(server, ctx, body.message, thread_id, body.attachments, copies=False)
    first: list[ThreadStreamEvent] = []
    if thread_id is None:
        # A new conversation is named once its thread row is committed: that write (and a
        # database outage's 503) comes before the status line.
        first.append(await anext(events))

    async def all_events():
        for event in first:
            yield event
        async for event in events:
            yield event

    if accept and "text/event-stream" in accept:

        async def sse():
            # `conversation` always comes first, with the headers: an existing conversation is
            # known (read above), so it goes out before the turn even starts; a new one is
            # named by the first event (read above too), so nothing waits for the model.
            announced = summary.thread_id is not None
            if announced:
                yield _sse("conversation", summary.names())
            try:
                async for event in all_events():
                    delta = summary.observe(event)
                    if not announced and summary.thread_id:
                        announced = True
                        yield _sse("conversation", summary.names())
                    if delta:
                        # `text` for clients that read only the data lines (the seed's shape).
                        yield _sse("delta", {"delta": delta, "text": delta})
            except Exception:
                logger.exception("chat stream failed")
                summary.failed = True
            # `done: true` marks the last frame for a client that ignores event names.
            if summary.failed:
                failure = _failure(summary, ctx, streamed=True)
                yield _sse("error", {**failure, "error": failure["detail"], "done": True})
            else:
                yield _sse("done", {**summary.body(ctx), "done": True})

        return StreamingResponse(
            sse(), media_type="text/event-stream", headers={"Cache-Control": "no-cache"}
        )

    async for event in all_events():
        summary.observe(event)
    if summary.failed:
        return JSONResponse(_failure(summary, ctx), status_code=503)
    return JSONResponse(summary.body(ctx))


def _failure(summary: TurnSummary, ctx: RequestContext, streamed: bool = False) -> dict[str, Any]:
    """A turn that broke off: say why, and only claim the message was kept if it was."""
    detail = DB_UNAVAILABLE if ctx.error == DATABASE_FAILED else TURN_FAILED
    if streamed and summary.message_saved:
        detail += " Your message was saved."
    return {"detail": detail, **summary.names(), "message_saved": summary.message_saved}


@router.get(ENTITY_SEARCH_ENDPOINT)
async def chat_entities(
    q: Annotated[str, Query(max_length=QUERY_MAX_CHARS)] = "",
    authorization: Annotated[str | None, Header(include_in_schema=False)] = None,
) -> list[dict[str, Any]]:
    """ChatKit's entity tag search (session or chat-scoped token): the user's tasks whose title
    holds `q` and tags that start with it, as `[{id, title, group, data}]`, at most 8."""
    claims = verify_bearer(authorization, audience=(SESSION_AUDIENCE, CHAT_AUDIENCE))
    await live_account(claims)
    return await asyncio.to_thread(entities.search, claims.user_id, q)


@router.post("/chatkit", include_in_schema=False)
async def chatkit(
    request: Request,
    authorization: Annotated[str | None, Header()] = None,
    x_chatapp_timezone: Annotated[str | None, Header()] = None,
):
    """The ChatKit protocol endpoint for <openai-chatkit> (session or chat-scoped token)."""
    claims = verify_bearer(authorization, audience=(SESSION_AUDIENCE, CHAT_AUDIENCE))
    await live_account(claims)
    body = await request.body()
    try:
        parsed = CHATKIT_REQUEST.validate_json(body)
    except ValidationError as exc:
        detail = validation_message(exc.errors()) if body.strip() else "Empty request body."
        return JSONResponse({"detail": f"Invalid ChatKit request: {detail}"}, status_code=400)
    problem = _chatkit_params_problem(parsed.params)
    if problem:
        return JSONResponse({"detail": f"Invalid ChatKit request: {problem}"}, status_code=400)
    tz = zone_or_default(x_chatapp_timezone).key
    ctx = RequestContext(
        user_id=claims.user_id,
        timezone=tz,
        base_url=str(request.base_url),
        read_back_history=False,  # ChatKit's first event is the stored message: not after a read
    )
    server = get_chat_server()
    try:
        await _require_own_ids(parsed.params, server.store, ctx)
        result = await server.process(body, ctx)
        if not isinstance(result, StreamingResult):
            return Response(result.json, media_type="application/json")
        stream = result.__aiter__()
        first = await anext(stream, b"")
    except NotFoundError as exc:
        return JSONResponse({"detail": str(exc) or "Not found."}, status_code=404)
    except (ValueError, NotImplementedError, RuntimeError) as exc:
        return JSONResponse({"detail": f"Invalid ChatKit request: {exc}"}, status_code=400)

    async def rest():
        yield first
        async for chunk in stream:
            yield chunk

    return StreamingResponse(
        rest(), media_type="text/event-stream", headers={"Cache-Control": "no-cache"}
    )


def _chatkit_params_problem(params: Any) -> str | None:
    """What the library would accept but this app cannot serve (the JSON API's limits too)."""
    limit = getattr(params, "limit", None)
    if limit is not None and limit > CHATKIT_PAGE_MAX:
        return f"limit: must be at most {CHATKIT_PAGE_MAX}"
    if len(getattr(params, "item_ids", None) or ()) > CHATKIT_PAGE_MAX:
        return f"item_ids: at most {CHATKIT_PAGE_MAX} items"
    message = getattr(params, "input", None)
    if isinstance(message, UserMessageInput):
        text = "".join(part.text for part in message.content)  # text and tag parts
        if not text.strip() and not message.attachments:  # files alone are a message too
            return "input: the message must not be empty"
        if len(text) > MESSAGE_MAX_CHARS:
            return f"input: the message must be at most {MESSAGE_MAX_CHARS} characters"
        if len(message.attachments) > records.MAX_PER_REQUEST:
            return f"input: at most {records.MAX_PER_REQUEST} attachments per message"
    return None


async def _require_own_ids(params: Any, store: SQLStore, ctx: RequestContext) -> None:
    """Every thread, item and attachment a request names must be the user's (NotFoundError),
    checked before any work: the library would otherwise skip unknown items silently, or fail
    mid-stream after it has already created a thread."""
    thread_id = getattr(params, "thread_id", None)
    if thread_id:
        # One indexed read, which ChatKit's own load of the thread then takes over.
        await store.load_conversation_thread(thread_id, ctx)
        item_ids = list(getattr(params, "item_ids", None) or ())
        if getattr(params, "item_id", None):
            item_ids.append(params.item_id)
        for item_id in item_ids:
            await store.load_item(thread_id, item_id, ctx)
    message = getattr(params, "input", None)
    if isinstance(message, UserMessageInput):
        # Not found, or found but not uploaded yet (409): the library would fail mid-stream.
        await asyncio.to_thread(records.require_uploaded, ctx.user_id, message.attachments)
