"""ChatState: the native Reflex chat. It drives `TodoChatServer` in-process (no HTTP hop, the same
agent loop ChatKit's endpoint runs) and renders the same thread items from the same store.

A turn runs in a background event. The ChatKit request is processed in its own asyncio task (the
"pump"), so Stop can cancel exactly that task: the ChatKit server then persists the partial
assistant message itself. The background handler folds the pump's events into state and pushes
text deltas to the browser one small batch per frame, so a reply is seen growing even when a fast
model sends all of its deltas at once.

When a turn ends waiting for the browser (a pending ClientToolCallItem, e.g. open_task), the
handler runs the client tool here (`client_tool_result`, the same code ChatKit's onClientTool
reaches), sends its result with `threads.add_client_tool_output` through the same in-process
path, and folds the follow-up reply into the same turn.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import json
import logging
import math
import time
import uuid
from collections import deque
from collections.abc import AsyncIterator
from typing import Any

import reflex as rx
from chatkit.server import StreamingResult
from chatkit.store import NotFoundError
from chatkit.types import (
    AssistantMessageContentPartTextDelta,
    AssistantMessageItem,
    ClientEffectEvent,
    ClientToolCallItem,
    ErrorEvent,
    TaskItem,
    ThreadCreatedEvent,
    ThreadItem,
    ThreadItemAddedEvent,
    ThreadItemDoneEvent,
    ThreadItemUpdatedEvent,
    ThreadStreamEvent,
    ThreadUpdatedEvent,
    UserMessageItem,
    UserMessageTextContent,
)
from pydantic import TypeAdapter

from chatapp.chat import get_chat_server
from chatapp.chat.client_tools import OPEN_TASK
from chatapp.chat.history import chip_parts
from chatapp.chat.server import REFRESH_TASKS_EFFECT
from chatapp.chat.store import RequestContext
from chatapp.chat.turns import MESSAGE_MAX_CHARS, user_message_request
from chatapp.settings import get_settings
from chatapp.state.auth import AuthState
from chatapp.state.chatkit import client_tool_result
from chatapp.state.tasks import TaskState, viewer_zone
from chatapp.tools.contract import failure_of

logger = logging.getLogger("chatapp.chat.native")

THREAD_PAGE = 50
ITEM_PAGE = 200
TITLE_MAX = 100
# Text deltas are shown one batch per frame; a burst is spread over at most this many frames.
FRAME_SECONDS = 0.025
SMOOTH_FRAMES = 8
STOP_GRACE_SECONDS = 5.0
ERROR_PREFIX = "⚠️ "
NOT_FOUND_MESSAGE = "That conversation no longer exists (it may have been deleted)."
FAILED_MESSAGE = "Something went wrong while answering. Please retry in a moment."
CHATKIT_DETECT_SECONDS = 3
FAILURE_CAUSE_MAX = 80  # the cause goes into the footer note; the element's message only to the log
TIMEZONE_SCRIPT = "Intl.DateTimeFormat().resolvedOptions().timeZone"
# Client tool round trips one message may take (each answer may ask the browser again).
MAX_CLIENT_TOOL_ROUNDS = 3
CLIENT_TOOL_LABELS = {OPEN_TASK: "Opened a task in the app"}
WAITING_FOR_APP = "Waiting for the app…"

_EVENT = TypeAdapter(ThreadStreamEvent)
_END = object()


@dataclasses.dataclass
class ChatMessage:
    """One rendered thread item. `role` is user, assistant, tool or error."""

    id: str = ""
    role: str = "assistant"
    text: str = ""
    tool_title: str = ""
    tool_name: str = ""
    tool_args: str = ""
    tool_result: str = ""
    failed: bool = False


@dataclasses.dataclass
class ThreadRow:
    id: str = ""
    title: str = ""


@dataclasses.dataclass
class _Turn:
    """A running turn's handle; lives in this process only, never in (serialised) state."""

    task: asyncio.Task | None = None
    stopped: bool = False


_TURNS: dict[str, _Turn] = {}


def _pretty(text: str) -> str:
    try:
        return json.dumps(json.loads(text), ensure_ascii=False, indent=2)
    except (json.JSONDecodeError, TypeError):
        return text


def tool_message(item: TaskItem) -> ChatMessage:
    """A tool chip from its TaskItem (its parts as `chat.history` wrote them)."""
    task = item.task
    title = getattr(task, "title", None) or "Tool call"
    content = getattr(task, "content", None) or ""
    parts = chip_parts(content)
    if parts is None:
        return ChatMessage(id=item.id, role="tool", tool_title=title, tool_result=content)
    name, args, result = parts
    return ChatMessage(
        id=item.id,
        role="tool",
        tool_title=title,
        tool_name=name,
        tool_args=args,
        tool_result=_pretty(result),
        failed=failure_of(result) is not None,
    )


def client_tool_message(item: ClientToolCallItem) -> ChatMessage:
    """A chip for a call the agent asked the browser to make, with the browser's answer."""
    label = CLIENT_TOOL_LABELS.get(item.name, f"Asked the app to run {item.name}")
    done = item.status == "completed"
    output = item.output
    return ChatMessage(
        id=item.id,
        role="tool",
        tool_title=f"{label} ({item.name})",
        tool_name=item.name,
        tool_args=json.dumps(item.arguments, ensure_ascii=False, indent=2),
        tool_result=_pretty(json.dumps(output, ensure_ascii=False)) if done else WAITING_FOR_APP,
        failed=done and failure_of(output) is not None,
    )


def assistant_message(item: AssistantMessageItem) -> ChatMessage:
    text = "".join(part.text for part in item.content)
    if text.startswith(ERROR_PREFIX):
        return ChatMessage(id=item.id, role="error", text=text[len(ERROR_PREFIX) :])
    return ChatMessage(id=item.id, role="assistant", text=text)


def user_message(item: UserMessageItem) -> ChatMessage:
    text = "".join(part.text for part in item.content if isinstance(part, UserMessageTextContent))
    return ChatMessage(id=item.id, role="user", text=text)


def to_message(item: ThreadItem) -> ChatMessage | None:
    """What the chat shows for a stored item; hidden context and unknown kinds show nothing."""
    if isinstance(item, UserMessageItem):
        return user_message(item)
    if isinstance(item, AssistantMessageItem):
        return assistant_message(item)
    if isinstance(item, TaskItem):
        return tool_message(item)
    if isinstance(item, ClientToolCallItem):
        return client_tool_message(item)
    return None


def client_tool_output_request(thread_id: str, result: dict[str, Any]) -> bytes:
    """ChatKit's answer to the thread's pending client tool call; the agent then continues."""
    params = {"thread_id": thread_id, "result": result}
    return json.dumps({"type": "threads.add_client_tool_output", "params": params}).encode()


def _pending_client_call(event: object) -> ClientToolCallItem | None:
    if isinstance(event, ThreadItemDoneEvent) and isinstance(event.item, ClientToolCallItem):
        return event.item if event.item.status == "pending" else None
    return None


def retry_request(thread_id: str, item_id: str) -> bytes:
    """ChatKit's own retry: drop everything after the user message and answer it again."""
    params = {"thread_id": thread_id, "item_id": item_id}
    return json.dumps({"type": "threads.retry_after_item", "params": params}).encode()


async def turn_events(request: bytes, ctx: RequestContext) -> AsyncIterator[ThreadStreamEvent]:
    """The events of one streaming ChatKit request, processed in-process."""
    result = await get_chat_server().process(request, ctx)
    assert isinstance(result, StreamingResult)
    async for chunk in result:
        for line in chunk.split(b"\n"):
            if line.startswith(b"data: "):
                yield _EVENT.validate_json(line[6:])


def _is_delta(event: object) -> bool:
    return isinstance(event, ThreadItemUpdatedEvent) and isinstance(
        event.update, AssistantMessageContentPartTextDelta
    )


def _changes_view(event: object) -> bool:
    if isinstance(event, ThreadItemAddedEvent):
        return isinstance(event.item, AssistantMessageItem)
    return _is_delta(event) or isinstance(
        event, ThreadCreatedEvent | ThreadUpdatedEvent | ThreadItemDoneEvent | ErrorEvent
    )


def _drain(queue: asyncio.Queue, backlog: deque) -> None:
    while not queue.empty():
        backlog.append(queue.get_nowait())


def _changes_tasks(event: object) -> bool:
    """The chat core's signal that a tool changed the user's tasks (every renderer listens)."""
    return isinstance(event, ClientEffectEvent) and event.name == REFRESH_TASKS_EFFECT


def _thread_url(thread_id: str) -> str:
    """JS: show the open thread in the address bar (so a reload returns to it), no navigation."""
    query = json.dumps(f"?thread={thread_id}" if thread_id else "")
    return f"window.history.replaceState(window.history.state, '', location.pathname + {query})"


# JS: once the browser has painted the loaded thread, show its end.
SCROLL_TO_END = (
    "setTimeout(() => { const el = document.getElementById('chat-scroll');"
    " if (el) el.scrollTop = el.scrollHeight; }, 50)"
)


def detect_chatkit_script(script_url: str) -> str:
    """JS: load ChatKit's script and resolve 'chatkit' once <openai-chatkit> is defined, or
    'native' when the script fails or nothing is defined within CHATKIT_DETECT_SECONDS."""
    url = json.dumps(script_url)
    return f"""new Promise((resolve) => {{
  if (customElements.get('openai-chatkit')) {{ resolve('chatkit'); return; }}
  const late = setTimeout(() => resolve('native'), {CHATKIT_DETECT_SECONDS * 1000});
  customElements.whenDefined('openai-chatkit').then(() => {{ clearTimeout(late); resolve('chatkit'); }});
  if (![...document.scripts].some((s) => s.src === {url})) {{
    const s = document.createElement('script');
    s.src = {url};
    s.async = true;
    s.onerror = () => {{ clearTimeout(late); resolve('native'); }};
    document.head.appendChild(s);
  }}
}})"""


class ChatState(AuthState):
    """Threads, the open thread's items, and the running turn of the signed-in user."""

    threads: rx.Field[list[ThreadRow]] = rx.field(default_factory=list)
    thread_id: str = ""
    messages: list[ChatMessage] = []
    draft_id: str = ""
    draft_text: str = ""
    processing: bool = False
    stopped: bool = False
    loading_threads: bool = False
    loading_thread: bool = False
    error: str = ""
    can_retry: bool = False
    renaming_id: str = ""
    confirm_delete_id: str = ""
    show_threads: bool = False
    timezone: str = "UTC"
    ui_mode: str = "auto"
    renderer: str = "detecting"
    # Why ChatKit could not work in this tab (auto mode then keeps the native chat).
    chatkit_failure: str = ""
    _turn_key: str = ""
    _request: bytes = b""
    _retry_text: str = ""

    @rx.var
    def thread_title(self) -> str:
        row = next((t for t in self.threads if t.id == self.thread_id), None)
        return (row.title if row else "") or ("New chat" if not self.thread_id else "Chat")

    @rx.var
    def empty(self) -> bool:
        return not self.messages and not self.processing and not self.loading_thread

    @rx.var
    def thinking(self) -> bool:
        return self.processing and not self.draft_text

    def _context(self, user_id: int) -> RequestContext:
        return RequestContext(user_id=user_id, timezone=self.timezone)

    def _clear_error(self) -> None:
        self.error = ""
        self.can_retry = False
        self.stopped = False

    async def _load_threads(self, user_id: int) -> None:
        page = await get_chat_server().store.load_threads(
            THREAD_PAGE, None, "desc", self._context(user_id)
        )
        self.threads = [ThreadRow(id=t.id, title=t.title or "New chat") for t in page.data]

    async def _load_items(self, user_id: int, thread_id: str) -> None:
        page = await get_chat_server().store.load_thread_items(
            thread_id, None, ITEM_PAGE, "desc", self._context(user_id)
        )
        shown = (to_message(item) for item in reversed(page.data))
        self.messages = [m for m in shown if m is not None]

    @rx.event
    async def load(self):
        """on_load of /chat: the thread list and the thread named in `?thread=`, if any."""
        user_id = self.current_user_id()
        if user_id is None:
            return  # TaskState.load_beside_chat, next in on_load, sends them to sign in
        self.ui_mode = get_settings().chatapp_chat_ui
        if self.ui_mode != "auto":
            self.renderer = self.ui_mode
        elif self.renderer not in ("chatkit", "native"):
            self.renderer = "detecting"  # a tab that already knows keeps its renderer meanwhile
        self.renaming_id = self.confirm_delete_id = ""
        if not self.processing:
            self._clear_error()
            self.draft_id = self.draft_text = ""
        requested = self.router.url.query_parameters.get("thread", "")
        self.loading_threads = True
        yield
        try:
            await self._load_threads(user_id)
            if requested and not self.processing:
                await self._open(user_id, requested)
            elif not requested and not self.processing:
                self.thread_id = ""
                self.messages = []
        finally:
            self.loading_threads = False
        if self.messages:
            yield rx.call_script(SCROLL_TO_END)
        if self.ui_mode == "auto":
            # The composer waits on this answer: set_renderer asks for the time zone afterwards,
            # so no other event of this state queues in front of it.
            yield rx.call_script(
                detect_chatkit_script(get_settings().chatkit_script_url),
                callback=ChatState.set_renderer,
            )
        else:
            yield rx.call_script(TIMEZONE_SCRIPT, callback=ChatState.set_timezone)

    async def _open(self, user_id: int, thread_id: str) -> None:
        try:
            await self._load_items(user_id, thread_id)
        except NotFoundError:
            self.thread_id = ""
            self.messages = []
            self.error = NOT_FOUND_MESSAGE
            return
        self.thread_id = thread_id
        self.can_retry = bool(self.messages) and self.messages[-1].role == "error"

    @rx.event
    def set_timezone(self, tz: str):
        if isinstance(tz, str) and tz:
            self.timezone = str(viewer_zone(tz).key)

    @rx.event
    def set_renderer(self, renderer: str):
        if self.ui_mode == "auto" and renderer in ("chatkit", "native"):
            # ChatKit loads again on every visit, but already failed in this tab: stay native.
            self.renderer = "native" if self.chatkit_failure else renderer
        return rx.call_script(TIMEZONE_SCRIPT, callback=ChatState.set_timezone)

    @rx.event
    async def chatkit_failed(self, cause: str, message: str):
        """ChatKit's element loaded but cannot work here (domain key rejected, failed to start):
        auto mode switches to the native chat, on the thread ChatKit had open, and says why. A
        forced ChatKit (CHATAPP_CHAT_UI=chatkit) keeps showing the element's error instead."""
        if self.ui_mode != "auto" or self.chatkit_failure:
            return
        self.chatkit_failure = str(cause or "it failed to start")[:FAILURE_CAUSE_MAX]
        self.renderer = "native"
        logger.warning(
            "ChatKit could not start in a browser (%s): %s. Showing the built-in chat.",
            self.chatkit_failure,
            message,
        )
        user_id = self.current_user_id()
        requested = self.router.url.query_parameters.get("thread", "")
        if user_id is not None and requested not in ("", self.thread_id) and not self.processing:
            await self._open(user_id, requested)

    @rx.event
    async def select_thread(self, thread_id: str):
        if self.processing or thread_id == self.thread_id:
            self.show_threads = False
            return
        user_id = self.current_user_id()
        if user_id is None:
            yield rx.redirect("/login?reason=expired")
            return
        self._clear_error()
        self.show_threads = False
        self.loading_thread = True
        self.messages = []
        yield
        try:
            await self._open(user_id, str(thread_id))
        finally:
            self.loading_thread = False
        yield [rx.call_script(_thread_url(self.thread_id)), rx.call_script(SCROLL_TO_END)]

    @rx.event
    def new_thread(self):
        if self.processing:
            return None
        self._clear_error()
        self.thread_id = ""
        self.messages = []
        self.show_threads = False
        return [rx.call_script(_thread_url("")), rx.set_focus("chat-composer")]

    @rx.event
    def toggle_threads(self):
        self.show_threads = not self.show_threads

    @rx.event
    def start_rename(self, thread_id: str):
        self.renaming_id = thread_id

    @rx.event
    def cancel_rename(self):
        self.renaming_id = ""

    @rx.event
    async def rename_thread(self, form_data: dict):
        thread_id, self.renaming_id = self.renaming_id, ""
        title = " ".join(str(form_data.get("title", "")).split())[:TITLE_MAX]
        user_id = self.current_user_id()
        if user_id is None:
            return rx.redirect("/login?reason=expired")
        if not thread_id or not title:
            return None
        store, ctx = get_chat_server().store, self._context(user_id)
        try:
            thread = await store.load_thread(thread_id, ctx)
            thread.title = title
            await store.save_thread(thread, ctx)
        except NotFoundError:
            await self._load_threads(user_id)
            return rx.toast.error(NOT_FOUND_MESSAGE)
        await self._load_threads(user_id)
        return None

    @rx.event
    def ask_delete(self, thread_id: str):
        self.confirm_delete_id = thread_id

    @rx.event
    def cancel_delete(self):
        self.confirm_delete_id = ""

    @rx.event
    async def delete_thread(self):
        thread_id, self.confirm_delete_id = self.confirm_delete_id, ""
        user_id = self.current_user_id()
        if user_id is None:
            return rx.redirect("/login?reason=expired")
        if not thread_id or (self.processing and thread_id == self.thread_id):
            return None
        with contextlib.suppress(NotFoundError):  # already gone: the list below shows the truth
            await get_chat_server().store.delete_thread(thread_id, self._context(user_id))
        await self._load_threads(user_id)
        if thread_id == self.thread_id:
            self.thread_id = ""
            self.messages = []
            self._clear_error()
            return rx.call_script(_thread_url(""))
        return None

    @rx.event(background=True)
    async def send(self, form_data: dict):
        async for update in self._turn(str(form_data.get("message", ""))):
            yield update

    @rx.event(background=True)
    async def send_prompt(self, text: str):
        async for update in self._turn(str(text)):
            yield update

    @rx.event(background=True)
    async def retry(self):
        """Answer the last user message again (ChatKit's threads.retry_after_item)."""
        async for update in self._turn(None):
            yield update

    @rx.event
    def stop(self):
        """Cancel the running turn; the ChatKit server saves what was already generated."""
        turn = _TURNS.get(self._turn_key)
        if turn is not None and not turn.stopped:  # a second cancel would cut the server's save
            turn.stopped = True
            if turn.task is not None:
                turn.task.cancel()

    def _accept_message(self, raw: str):
        """Queue a new user message as this turn's request; an event to show if refused."""
        text = raw.strip()
        if not text:
            return None
        if self.processing:
            return rx.toast.info("Wait for the reply, or stop it first.")
        if len(text) > MESSAGE_MAX_CHARS:
            return rx.toast.error(f"Messages are limited to {MESSAGE_MAX_CHARS} characters.")
        self.messages.append(ChatMessage(role="user", text=text))
        self._request = user_message_request(text, self.thread_id or None)
        self._retry_text = text
        return None

    def _accept_retry(self) -> None:
        if self.processing:
            return
        index = next(
            (i for i in range(len(self.messages) - 1, -1, -1) if self.messages[i].role == "user"),
            -1,
        )
        last = self.messages[index] if index >= 0 else None
        if last is not None and last.id and self.thread_id:
            self.messages = self.messages[: index + 1]
            self._request = retry_request(self.thread_id, last.id)
        elif self._retry_text:
            # The message never reached the thread: send it again.
            self._request = user_message_request(self._retry_text, self.thread_id or None)

    async def _turn(self, text: str | None) -> AsyncIterator[Any]:
        """One turn: the request runs in its own task, its events are folded in frame by frame."""
        async with self:
            user_id = self.current_user_id()
            if user_id is None:
                self.token = ""
                refusal = rx.redirect("/login?reason=expired")
            else:
                refusal = self._accept_message(text) if text is not None else self._accept_retry()
            request, self._request = self._request, b""
            key, ctx = "", None
            if request and user_id is not None:  # only an accepted message leaves a request
                self._clear_error()
                self.processing = True
                key = self._turn_key = uuid.uuid4().hex
                ctx = self._context(user_id)
        if refusal is not None:
            yield refusal
        if not request or ctx is None:
            return
        if text is not None:
            yield rx.set_value("chat-composer", "")
        turn = _TURNS[key] = _Turn()
        failure = ""
        try:
            for _ in range(1 + MAX_CLIENT_TOOL_ROUNDS):
                queue: asyncio.Queue = asyncio.Queue()
                turn.task = asyncio.create_task(self._pump(request, ctx, queue))
                pending = None
                async for frame in self._consume(queue, turn):
                    for event in frame:
                        if isinstance(event, ThreadCreatedEvent):
                            yield rx.call_script(_thread_url(event.thread.id))
                        pending = _pending_client_call(event) or pending
                    if any(_changes_tasks(event) for event in frame):
                        yield TaskState.refresh
                if turn.stopped:
                    break
                failure = await turn.task
                if failure or pending is None:
                    break
                async with self:
                    result, events = await self._run_client_tool(ctx.user_id, pending)
                request = client_tool_output_request(pending.thread_id, result)
                yield events
                if turn.stopped:
                    break
        except Exception:
            logger.exception("native chat turn failed")
            failure = FAILED_MESSAGE
        finally:
            assert turn.task is not None  # created first thing in the loop
            if not turn.task.done():
                turn.task.cancel()
            # Let a stopped turn's server side save the partial reply before the next turn.
            await asyncio.wait([turn.task], timeout=STOP_GRACE_SECONDS)
            _TURNS.pop(key, None)
            async with self:
                self._finish_turn(turn.stopped, failure)
        if turn.stopped and ctx.tool_calls:
            yield TaskState.refresh

    async def _run_client_tool(
        self, user_id: int, call: ClientToolCallItem
    ) -> tuple[dict[str, Any], list]:
        """Do what the agent asked the browser to do; show the answer on the call's chip."""
        result, events = await client_tool_result(self, user_id, call.name, call.arguments)
        answered = call.model_copy(update={"status": "completed", "output": result})
        self.messages = [
            client_tool_message(answered) if message.id == call.id else message
            for message in self.messages
        ]
        return result, events

    @staticmethod
    async def _pump(request: bytes, ctx: RequestContext, queue: asyncio.Queue) -> str:
        """Run the ChatKit request, queueing each event; returns a user-facing failure or ''.

        Queueing never awaits, so a cancellation always lands inside the ChatKit server's own
        stream, where it persists the partial reply."""
        try:
            async for event in turn_events(request, ctx):
                queue.put_nowait(event)
        except NotFoundError:
            return NOT_FOUND_MESSAGE
        except asyncio.CancelledError:
            return ""
        except Exception:
            logger.exception("native chat request failed")
            return FAILED_MESSAGE
        finally:
            queue.put_nowait(_END)
        return ""

    async def _consume(self, queue: asyncio.Queue, turn: _Turn) -> AsyncIterator[list]:
        """Fold queued events into state and yield each frame applied.

        Item and thread events go out at once. Text goes out at most once per FRAME_SECONDS, a
        burst of deltas spread over up to SMOOTH_FRAMES frames, so the browser renders the reply
        growing instead of receiving it all in one paint."""
        backlog: deque = deque()
        text_at = 0.0
        ended = False
        while not turn.stopped and not (ended and not backlog):
            if not backlog:
                backlog.append(await queue.get())
            _drain(queue, backlog)
            frame = []
            if _is_delta(backlog[0]):
                wait = FRAME_SECONDS - (time.monotonic() - text_at)
                if wait > 0:
                    await asyncio.sleep(wait)
                    _drain(queue, backlog)
                budget = max(1, math.ceil(sum(map(_is_delta, backlog)) / SMOOTH_FRAMES))
                while backlog and budget:
                    frame.append(backlog.popleft())
                    budget -= _is_delta(frame[-1])
                text_at = time.monotonic()
            else:
                while backlog and not _is_delta(backlog[0]):
                    frame.append(backlog.popleft())
            if turn.stopped:
                break
            ended = ended or _END in frame
            shown = [event for event in frame if _changes_view(event)]
            if shown:
                async with self:
                    for event in shown:
                        self._apply(event)
            yield frame

    def _apply(self, event: ThreadStreamEvent) -> None:
        if isinstance(event, ThreadCreatedEvent):
            self.thread_id = event.thread.id
            self.threads.insert(0, ThreadRow(id=event.thread.id, title="New chat"))
        elif isinstance(event, ThreadUpdatedEvent):
            title = event.thread.title or "New chat"
            self.threads = [
                ThreadRow(id=row.id, title=title) if row.id == event.thread.id else row
                for row in self.threads
            ]
        elif isinstance(event, ThreadItemAddedEvent) and isinstance(
            event.item, AssistantMessageItem
        ):
            self.draft_id = event.item.id
            self.draft_text = "".join(part.text for part in event.item.content)
        elif isinstance(event, ThreadItemUpdatedEvent) and isinstance(
            event.update, AssistantMessageContentPartTextDelta
        ):
            if event.item_id == self.draft_id:
                self.draft_text += event.update.delta
        elif isinstance(event, ThreadItemDoneEvent):
            self._item_done(event.item)
        elif isinstance(event, ErrorEvent):
            self.error = event.message or FAILED_MESSAGE
            self.can_retry = event.allow_retry

    def _item_done(self, item: ThreadItem) -> None:
        if isinstance(item, UserMessageItem):
            for index in range(len(self.messages) - 1, -1, -1):
                pending = self.messages[index]
                if pending.role == "user":
                    if not pending.id:
                        self.messages[index] = dataclasses.replace(pending, id=item.id)
                        return
                    break
        if isinstance(item, AssistantMessageItem) and item.id == self.draft_id:
            self.draft_id = self.draft_text = ""
        message = to_message(item)
        if message is not None:
            self.messages.append(message)

    def _finish_turn(self, stopped: bool, failure: str) -> None:
        if self.draft_text:
            self.messages.append(ChatMessage(id=self.draft_id, text=self.draft_text))
        self.draft_id = self.draft_text = ""
        self.processing = False
        self.stopped = stopped
        if stopped:
            return
        if failure:
            self.error = failure
            self.can_retry = failure != NOT_FOUND_MESSAGE
        elif self.messages and self.messages[-1].role == "error":
            self.can_retry = True
