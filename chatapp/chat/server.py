"""TodoChatServer: the one chat core. Every front door (ChatKit, native Reflex chat, JSON API)
ends here, and `respond()` is the only place the agent runs."""

from __future__ import annotations

import logging
from collections.abc import AsyncGenerator, AsyncIterator
from contextlib import aclosing
from datetime import UTC, datetime

import openai
from agents import RunConfig, Runner
from agents.exceptions import MaxTurnsExceeded
from chatkit.agents import AgentContext, stream_agent_response
from chatkit.server import ChatKitServer, NonStreamingResult, StreamingResult
from chatkit.types import (
    AssistantMessageContent,
    AssistantMessageItem,
    ChatKitReq,
    ClientEffectEvent,
    ClientToolCallItem,
    HiddenContextItem,
    StreamingReq,
    TaskItem,
    Thread,
    ThreadCreatedEvent,
    ThreadItem,
    ThreadItemAddedEvent,
    ThreadItemDoneEvent,
    ThreadItemReplacedEvent,
    ThreadItemUpdatedEvent,
    ThreadMetadata,
    ThreadStreamEvent,
    ThreadUpdatedEvent,
    UserMessageItem,
    UserMessageTextContent,
    WorkflowItem,
    is_streaming_req,
)
from pydantic import TypeAdapter

from chatapp.agent.agent import build_agent
from chatapp.agent.provider import model_name, model_provider
from chatapp.chat.attachments import TodoAttachmentStore
from chatapp.chat.client_tools import CLIENT_TOOLS, stop_at_client_tool
from chatapp.chat.history import (
    ERROR_REPLY_PREFIX,
    TodoItemConverter,
    ToolCallRecord,
    chained_call_items,
    parse_arguments,
    thread_title,
    tool_call_items,
    with_thought,
)
from chatapp.chat.store import CONVERSATION_KEY, RequestContext, SQLStore
from chatapp.tools import InProcessTaskMCP
from chatapp.tools.contract import output_text, task_changing
from chatapp.tools.names import CLIENT_TOOL_NAMES

logger = logging.getLogger("chatapp.chat")

REFRESH_TASKS_EFFECT = "refresh_tasks"
HISTORY_WINDOW = 40  # thread items sent to the model per turn
MAX_AGENT_TURNS = 8
CONVERTER = TodoItemConverter()
CHATKIT_REQUEST = TypeAdapter(ChatKitReq)


def user_text(item: UserMessageItem) -> str:
    return " ".join(c.text for c in item.content if isinstance(c, UserMessageTextContent)).strip()


def provider_error_message(exc: BaseException) -> tuple[str, str]:
    """(code, message for the user) for a failed model call. The user's message stays saved."""
    saved = "Your message was saved; send it again or retry in a moment."
    if isinstance(exc, openai.AuthenticationError | openai.PermissionDeniedError):
        return "model_auth", f"The AI model rejected the server's credentials. {saved}"
    if isinstance(exc, openai.RateLimitError):
        return "model_rate_limited", f"The AI model is busy (rate limited). {saved}"
    if isinstance(exc, openai.APITimeoutError):
        return "model_timeout", f"The AI model took too long to answer. {saved}"
    # Any other OpenAI error, including one sent inside a 200 stream, is the model's outage.
    if isinstance(exc, openai.APIError):
        return "model_unavailable", f"The AI model is unavailable right now. {saved}"
    if isinstance(exc, MaxTurnsExceeded):
        return "max_turns", "I got stuck working on that. Could you rephrase it more simply?"
    return "internal", f"Something went wrong while answering. {saved}"


class _ToolCallTap:
    """Wraps a streamed run: each finished tool call becomes a chip + hidden record in the
    thread (one transaction, then their events through the AgentContext queue) and is collected
    on the request context. Calls chained without a reply between them share one workflow: the
    second call turns the first one's chip into a WorkflowItem under the same id (replaced in
    place), each later call adds a task to it, and a reasoning summary the model gives before
    its reply becomes the workflow's thought (instead of a reasoning workflow of its own).

    A client tool call that reached the browser is the exception: its record is the
    ClientToolCallItem ChatKit stores last (it must stay last for the browser's answer)."""

    def __init__(
        self,
        result,
        agent_ctx: AgentContext,
        store: SQLStore,
        ctx: RequestContext,
        changing: frozenset[str],
    ) -> None:
        self._result = result
        self._agent_ctx = agent_ctx
        self._store = store
        self._ctx = ctx
        self._changing = changing
        self._calls: dict[str, tuple[str, str]] = {}
        self._shown: TaskItem | WorkflowItem | None = None  # this chain's chip or workflow
        self.client_call_id: str | None = None

    def __getattr__(self, name: str):
        return getattr(self._result, name)

    async def stream_events(self):
        async for event in self._result.stream_events():
            if event.type == "run_item_stream_event":
                await self._observe(event.item)
            elif (
                event.type == "raw_response_event"
                and isinstance(self._shown, WorkflowItem)
                and _is_reasoning(event.data)
            ):
                if event.data.type == "response.reasoning_summary_text.done":
                    await self._add_thought(self._shown, event.data.text)
                continue
            yield event

    async def _add_thought(self, workflow: WorkflowItem, text: str) -> None:
        self._shown = workflow = with_thought(workflow, text)
        await self._store.save_item(workflow.thread_id, workflow, self._ctx)
        await self._agent_ctx.stream(ThreadItemReplacedEvent(item=workflow))

    async def _observe(self, item) -> None:
        raw = item.raw_item
        if item.type == "message_output_item":
            self._shown = None  # a reply ends the chain; a later call starts a new one
        elif item.type == "tool_call_item":
            call_id = getattr(raw, "call_id", None) or (
                raw.get("call_id") if isinstance(raw, dict) else None
            )
            name = getattr(raw, "name", None) or (
                raw.get("name") if isinstance(raw, dict) else None
            )
            args = getattr(raw, "arguments", None) or (
                raw.get("arguments") if isinstance(raw, dict) else None
            )
            if call_id and name:
                self._calls[call_id] = (name, args or "{}")
        elif item.type == "tool_call_output_item":
            call_id = raw.get("call_id") if isinstance(raw, dict) else getattr(raw, "call_id", None)
            name, args = self._calls.pop(call_id or "", ("tool", "{}"))
            record = ToolCallRecord(
                call_id=call_id or "",
                name=name,
                arguments=parse_arguments(args),
                output=output_text(item.output),
            )
            self._ctx.tool_calls.append(record)
            if self._sent_to_browser(record):
                self.client_call_id = record.call_id
                return
            thread = self._agent_ctx.thread
            now, new_id = datetime.now(UTC), self._agent_ctx.generate_id
            events: list[ThreadStreamEvent]
            if self._shown is None:
                shown, hidden = tool_call_items(record, thread, new_id, now)
                events = [ThreadItemDoneEvent(item=shown), ThreadItemDoneEvent(item=hidden)]
            else:
                shown, hidden = chained_call_items(self._shown, record, thread, new_id, now)
                events = [ThreadItemReplacedEvent(item=shown), ThreadItemDoneEvent(item=hidden)]
            self._shown = shown
            # Chip (or workflow) and record are one fact: committed together (ChatKit's own
            # save of each, when their events pass, finds them stored and unchanged).
            await self._store.add_thread_items(thread.id, [shown, hidden], self._ctx)
            for event in events:
                await self._agent_ctx.stream(event)
            if record.name in self._changing and not record.failed:
                # Fire-and-forget: every renderer re-reads its task panel right away.
                await self._agent_ctx.stream(
                    ClientEffectEvent(name=REFRESH_TASKS_EFFECT, data={"tool": record.name})
                )

    def _sent_to_browser(self, record: ToolCallRecord) -> bool:
        pending = self._agent_ctx.client_tool_call
        return (
            self.client_call_id is None
            and pending is not None
            and record.name in CLIENT_TOOL_NAMES
            and record.name == pending.name
            and record.arguments == pending.arguments
        )


def _is_reasoning(data) -> bool:
    """A Responses stream event about a reasoning item (its summary or text)."""
    if data.type.startswith("response.reasoning"):
        return True
    item = getattr(data, "item", None)
    return (
        data.type.startswith("response.output_item.") and getattr(item, "type", "") == "reasoning"
    )


async def _settle_client_call(
    events, tap: _ToolCallTap, new_id
) -> AsyncIterator[ThreadStreamEvent]:
    """The pending ClientToolCallItem gets a store id of its own and the call id of the tool
    call that asked for it (ChatKit takes both from the last tool call it saw, and Chat
    Completions models report every item id as "__fake_id__")."""
    async for event in events:
        if isinstance(event, ThreadItemDoneEvent) and isinstance(event.item, ClientToolCallItem):
            event.item.id = new_id()
            event.item.call_id = tap.client_call_id or event.item.call_id
        yield event


async def _fresh_assistant_ids(events, new_id) -> AsyncIterator[ThreadStreamEvent]:
    """Give each streamed assistant message a store id of its own: Chat Completions models
    report every message as "__fake_id__", which would merge replies in one thread."""
    mapping: dict[str, str] = {}
    async for event in events:
        if isinstance(event, ThreadItemAddedEvent | ThreadItemDoneEvent) and isinstance(
            event.item, AssistantMessageItem
        ):
            original = event.item.id
            if isinstance(event, ThreadItemAddedEvent) or original not in mapping:
                mapping[original] = new_id()
            event.item.id = mapping[original]
        elif isinstance(event, ThreadItemUpdatedEvent) and event.item_id in mapping:
            event.item_id = mapping[event.item_id]
        yield event


class TodoChatServer(ChatKitServer[RequestContext]):
    store: SQLStore  # the front doors use its own methods too (load_conversation, ...)

    def __init__(self, store: SQLStore | None = None) -> None:
        super().__init__(store or SQLStore(HISTORY_WINDOW), TodoAttachmentStore())

    async def process(
        self, request: str | bytes | bytearray, context: RequestContext
    ) -> StreamingResult | NonStreamingResult:
        """The library's process(), with one shared request parser: building the TypeAdapter
        for the ChatKit request union on every call was a large part of a turn."""
        parsed = CHATKIT_REQUEST.validate_json(request)
        if is_streaming_req(parsed):
            return StreamingResult(self._process_streaming(parsed, context))
        return NonStreamingResult(await self._process_non_streaming(parsed, context))

    async def stream(
        self, request: str | bytes | bytearray, context: RequestContext
    ) -> AsyncGenerator[ThreadStreamEvent, None]:
        """A streaming request's events as the objects `process` would send as JSON, for a
        caller in this process that is done with each event before it asks for the next (the
        server may still change an item after it was sent, as it streams the item's text)."""
        parsed = CHATKIT_REQUEST.validate_json(request)
        if not is_streaming_req(parsed):
            raise ValueError(f"{parsed.type} is not a streaming request")
        try:
            async with aclosing(self._process_streaming_impl(parsed, context)) as events:
                async for event in events:
                    yield event
        except Exception:  # as the library's own stream does, then the caller decides
            logger.exception("Error while generating streamed response")
            raise

    async def _process_streaming_impl(
        self, request: StreamingReq, context: RequestContext
    ) -> AsyncGenerator[ThreadStreamEvent, None]:
        """The library's events, with a new thread's conversation number in its metadata:
        ChatKit announces a new thread from its own copy, not from one the store loaded."""
        # Closed with this generator, so an early stop still ends the library's run right here.
        async with aclosing(super()._process_streaming_impl(request, context)) as events:
            async for event in events:
                if isinstance(event, ThreadCreatedEvent | ThreadUpdatedEvent):
                    number = context.conversation_numbers.get(event.thread.id)
                    if number is not None:
                        event.thread.metadata[CONVERSATION_KEY] = number
                yield event

    # The native chat's thread actions, in-process: the Store calls ChatKit's threads.list,
    # items.list, threads.update and threads.delete make (a missing thread is NotFoundError).
    async def list_threads(self, limit: int, context: RequestContext) -> list[ThreadMetadata]:
        """The user's newest threads, newest first."""
        return (await self.store.load_threads(limit, None, "desc", context)).data

    async def thread_window(
        self, thread_id: str, before: str | None, limit: int, context: RequestContext
    ) -> tuple[list[ThreadItem], str | None]:
        """About `limit` items just older than item `before` (the newest ones when None), oldest
        first, and the `before` of the page older still (None at the thread's start): ChatKit's
        items.list paging, newest first. A page never starts on a tool call record, so a chip or
        workflow always comes with its records (they follow it)."""
        items: list[ThreadItem] = []
        after, more = before, True
        while more and (not items or isinstance(items[-1], HiddenContextItem)):
            page = await self.store.load_thread_items(thread_id, after, limit, "desc", context)
            items.extend(page.data)
            after, more = page.after, page.has_more
        return list(reversed(items)), (items[-1].id if more and items else None)

    async def rename_thread(self, thread_id: str, title: str, context: RequestContext) -> None:
        thread = await self.store.load_thread(thread_id, context)
        thread.title = title
        await self.store.save_thread(thread, context)

    async def delete_thread(self, thread_id: str, context: RequestContext) -> None:
        await self.store.delete_thread(thread_id, context)

    def _to_thread_response(self, thread: ThreadMetadata | Thread) -> Thread:
        """The library's thread for a client, which leaves `metadata` out: here it keeps the
        conversation number, and nothing else of the server-side metadata."""
        response = super()._to_thread_response(thread)
        if CONVERSATION_KEY in thread.metadata:
            response.metadata = {CONVERSATION_KEY: thread.metadata[CONVERSATION_KEY]}
        return response

    async def respond(
        self,
        thread: ThreadMetadata,
        input_user_message: UserMessageItem | None,
        context: RequestContext,
    ) -> AsyncIterator[ThreadStreamEvent]:
        if input_user_message is not None and not thread.title:
            thread.title = thread_title(user_text(input_user_message))
            # ChatKit saves the title after the turn's first event; with a tool call first, in
            # the transaction of its chip instead of one of its own.
            self.store.save_thread_with_next_item(thread, context)
        agent_ctx = AgentContext(thread=thread, store=self.store, request_context=context)
        page = await self.store.load_thread_items(thread.id, None, HISTORY_WINDOW, "desc", context)
        history = await CONVERTER.to_agent_input(list(reversed(page.data)))
        try:
            async with InProcessTaskMCP(context.user_id, timezone=context.timezone) as tools:
                agent = build_agent(
                    now=context.now,
                    timezone=context.timezone,
                    mcp_servers=[tools],
                    client_tools=CLIENT_TOOLS,
                    tool_use_behavior=stop_at_client_tool,
                )
                result = Runner.run_streamed(
                    agent,
                    history,
                    context=agent_ctx,
                    max_turns=MAX_AGENT_TURNS,
                    run_config=RunConfig(model=model_name(), model_provider=model_provider()),
                )
                # The tools say which of them change tasks (MCP readOnlyHint).
                changing = task_changing(await tools.list_tools())
                tap = _ToolCallTap(result, agent_ctx, self.store, context, changing)
                events = _settle_client_call(
                    stream_agent_response(agent_ctx, tap),  # pyright: ignore[reportArgumentType]  -- the tap stands in for the run: its stream_events, the rest through __getattr__
                    tap,
                    lambda: self.store.generate_item_id("tool_call", thread, context),
                )
                try:
                    async for event in _fresh_assistant_ids(
                        events, lambda: self.store.generate_item_id("message", thread, context)
                    ):
                        yield event
                finally:
                    # An aborted turn (store failure, client gone) must not leave the run going.
                    result.cancel()
        except Exception as exc:  # the user gets a clear reply; details go to the log
            code, message = provider_error_message(exc)
            if code == "internal":
                logger.exception("chat turn failed in thread %s", thread.id)
            else:
                logger.warning("model call failed in thread %s: %s: %s", thread.id, code, exc)
            context.error = code
            yield ThreadItemDoneEvent(
                item=AssistantMessageItem(
                    id=self.store.generate_item_id("message", thread, context),
                    thread_id=thread.id,
                    created_at=datetime.now(UTC),
                    content=[
                        AssistantMessageContent(text=ERROR_REPLY_PREFIX + message, annotations=[])
                    ],
                )
            )
