"""ChatState: the native Reflex chat — what a user can do in it: open, start, rename and delete
threads, send a message, retry, stop. It drives `TodoChatServer` in-process (no HTTP hop, the
same agent loop ChatKit's endpoint runs) and renders the same thread items from the same store.

A turn runs in a background event; its ChatKit request runs in its own asyncio task
(`chat.turns.pump_turn`), so Stop can cancel exactly that task and the ChatKit server persists
the partial reply itself. Events are folded into state a frame at a time (`chat.turns.frames`).
A turn that ends waiting for the browser (a pending ClientToolCallItem, e.g. open_task) runs the
client tool here (`client_tool_result`, as ChatKit's onClientTool does), answers with
`threads.add_client_tool_output`, and folds the follow-up reply into the same turn.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import AsyncIterator
from typing import Any

import reflex as rx
from chatkit.store import NotFoundError
from chatkit.types import (
    AssistantMessageItem,
    ClientToolCallItem,
    ErrorEvent,
    ThreadCreatedEvent,
    ThreadItem,
    ThreadItemAddedEvent,
    ThreadItemDoneEvent,
    ThreadItemReplacedEvent,
    ThreadStreamEvent,
    ThreadUpdatedEvent,
)

from chatapp.chat import get_chat_server, turns
from chatapp.chat.history import NEW_THREAD_TITLE, THREAD_TITLE_MAX, by_chip
from chatapp.chat.store import RequestContext
from chatapp.settings import get_settings
from chatapp.state import chat_scripts
from chatapp.state.auth import EXPIRED_LOGIN_ROUTE, AuthState
from chatapp.state.chat_items import (
    ChatMessage,
    ThreadRow,
    add_item,
    last_user_index,
    retitled,
    split_frame,
    with_client_answer,
)
from chatapp.state.chat_paging import OpenThread
from chatapp.state.chat_renderer import ChatRenderer
from chatapp.state.chatkit import client_tool_result
from chatapp.state.composer import ComposerState
from chatapp.state.tasks import TaskState
from chatapp.timezones import zone_or_default

logger = logging.getLogger("chatapp.chat.native")

THREAD_PAGE = 50
# Client tool round trips one message may take (each answer may ask the browser again).
MAX_CLIENT_TOOL_ROUNDS = 3
_TURNS: dict[str, turns.RunningTurn] = {}  # the running turns of this process, by _turn_key


class ChatState(OpenThread, ChatRenderer, AuthState):
    """Threads, the open thread's items (OpenThread), and the running turn of the signed-in
    user; which chat the tab shows is ChatRenderer's."""

    threads: rx.Field[list[ThreadRow]] = rx.field(default_factory=list)
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
    _turn_key: str = ""
    _request: bytes = b""
    _retry_text: str = ""
    _retry_files: list[str] = []  # the attachment ids of the message _retry_text is

    @rx.var
    def thread_title(self) -> str:
        row = next((t for t in self.threads if t.id == self.thread_id), None)
        return (row.title if row else "") or (NEW_THREAD_TITLE if not self.thread_id else "Chat")

    @rx.var
    def empty(self) -> bool:
        return not self.messages and not self.processing and not self.loading_thread

    @rx.var
    def thinking(self) -> bool:
        return self.processing and not self.draft_text

    def _clear_error(self) -> None:
        self.error = ""
        self.can_retry = False
        self.stopped = False

    async def _load_threads(self, user_id: int) -> None:
        threads = await get_chat_server().list_threads(THREAD_PAGE, self._context(user_id))
        self.threads = [ThreadRow(id=t.id, title=t.title or NEW_THREAD_TITLE) for t in threads]

    @rx.event
    async def load(self):
        """on_load of /chat: the thread list and the thread named in `?thread=`, if any."""
        user_id = await self.current_user_id()
        if user_id is None:
            return  # TaskState.load_beside_chat, next in on_load, sends them to sign in
        self._choose_renderer()
        self.renaming_id = self.confirm_delete_id = ""
        if not self.processing:
            self._clear_error()
            self.draft_id = self.draft_text = ""
        requested = self.router.url.query_parameters.get("thread", "")
        self.loading_threads = True
        yield
        if self.ui_mode == "auto":
            # The browser detects while the threads load; set_renderer runs after this event
            # (and asks for the time zone), so no other event of this state queues before it.
            yield rx.call_script(
                chat_scripts.detect_chatkit_script(get_settings().chatkit_script_url),
                callback=ChatState.set_renderer,
            )
        try:
            await self._load_threads(user_id)
            if requested and not self.processing:
                await self._open(user_id, requested)
            elif not requested and not self.processing:
                self._show_no_thread()
        finally:
            self.loading_threads = False
        yield rx.call_script(chat_scripts.LOAD_OLDER_ON_SCROLL)
        if self.messages:
            yield rx.call_script(chat_scripts.SCROLL_TO_END)
        if self.ui_mode != "auto":
            yield rx.call_script(chat_scripts.TIMEZONE_SCRIPT, callback=ChatState.set_timezone)

    async def _open(self, user_id: int, thread_id: str) -> None:
        self._set_older(None)
        try:
            await self._show_newest_page(user_id, thread_id)
        except NotFoundError:
            self._show_no_thread()
            self.error = turns.NOT_FOUND_MESSAGE
            return
        self.thread_id = thread_id
        self.can_retry = bool(self.messages) and self.messages[-1].role == "error"

    @rx.event
    def set_timezone(self, tz: str):
        if isinstance(tz, str) and tz:
            self.timezone = str(zone_or_default(tz).key)

    @rx.event
    def set_renderer(self, renderer: str):
        self._detected(renderer)
        return rx.call_script(chat_scripts.TIMEZONE_SCRIPT, callback=ChatState.set_timezone)

    @rx.event
    async def chatkit_failed(self, cause: str, message: str):
        """ChatKit's element loaded but cannot work here (domain key rejected, failed to start):
        auto mode switches to the native chat, on the thread ChatKit had open, and says why. A
        forced ChatKit (CHATAPP_CHAT_UI=chatkit) keeps showing the element's error instead."""
        if not self._fall_back_to_native(cause, message):
            return
        user_id = await self.current_user_id()
        requested = self.router.url.query_parameters.get("thread", "")
        if user_id is not None and requested not in ("", self.thread_id) and not self.processing:
            await self._open(user_id, requested)

    @rx.event
    async def select_thread(self, thread_id: str):
        if self.processing or thread_id == self.thread_id:
            self.show_threads = False
            return
        user_id = await self.current_user_id()
        if user_id is None:
            yield rx.redirect(EXPIRED_LOGIN_ROUTE)
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
        yield [
            rx.call_script(chat_scripts.thread_url_script(self.thread_id)),
            rx.call_script(chat_scripts.SCROLL_TO_END),
        ]

    @rx.event
    def new_thread(self):
        if self.processing:
            return None
        self._clear_error()
        self._show_no_thread()
        self.show_threads = False
        return [rx.call_script(chat_scripts.thread_url_script("")), rx.set_focus("chat-composer")]

    @rx.event
    def toggle_threads(self):
        self.show_threads = not self.show_threads

    @rx.event
    def start_rename(self, thread_id: str):
        """The thread whose title is being edited; "" ends editing without saving."""
        self.renaming_id = thread_id

    @rx.event
    async def rename_thread(self, form_data: dict):
        thread_id, self.renaming_id = self.renaming_id, ""
        title = " ".join(str(form_data.get("title", "")).split())[:THREAD_TITLE_MAX]
        user_id = await self.current_user_id()
        if user_id is None:
            return rx.redirect(EXPIRED_LOGIN_ROUTE)
        if not thread_id or not title:
            return None
        try:
            await get_chat_server().rename_thread(thread_id, title, self._context(user_id))
        except NotFoundError:
            await self._load_threads(user_id)
            return rx.toast.error(turns.NOT_FOUND_MESSAGE)
        await self._load_threads(user_id)
        return None

    @rx.event
    def ask_delete(self, thread_id: str):
        """The thread the delete dialog asks about; "" closes the dialog."""
        self.confirm_delete_id = thread_id

    @rx.event
    async def delete_thread(self):
        thread_id, self.confirm_delete_id = self.confirm_delete_id, ""
        user_id = await self.current_user_id()
        if user_id is None:
            return rx.redirect(EXPIRED_LOGIN_ROUTE)
        if not thread_id or (self.processing and thread_id == self.thread_id):
            return None
        with contextlib.suppress(NotFoundError):  # already gone: the list below shows the truth
            await get_chat_server().delete_thread(thread_id, self._context(user_id))
        await self._load_threads(user_id)
        if thread_id == self.thread_id:
            self._show_no_thread()
            self._clear_error()
            return rx.call_script(chat_scripts.thread_url_script(""))
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
        if turn is not None:
            turn.stop()

    async def _accept_message(self, raw: str):
        """Queue a new user message (with the composer's uploaded files) as this turn's
        request; an event to show if refused."""
        text = raw.strip()
        composer = await self.get_state(ComposerState)
        if not text and not composer.uploads:
            return None
        if self.processing:
            return rx.toast.info("Wait for the reply, or stop it first.")
        if composer.uploading:
            return rx.toast.info("Wait for the files to finish uploading.")
        if len(text) > turns.MESSAGE_MAX_CHARS:
            return rx.toast.error(f"Messages are limited to {turns.MESSAGE_MAX_CHARS} characters.")
        attached = composer.take_ready()
        if not text and not attached:
            return None
        self.messages.append(ChatMessage(role="user", text=text, attachments=attached))
        self._retry_text, self._retry_files = text, [a.id for a in attached]
        self._request = turns.user_message_request(text, self.thread_id or None, self._retry_files)
        return None

    def _accept_retry(self) -> None:
        if self.processing:
            return
        index = last_user_index(self.messages)
        last = self.messages[index] if index >= 0 else None
        if last is not None and last.id and self.thread_id:
            self.messages = self.messages[: index + 1]
            self._request = turns.retry_request(self.thread_id, last.id)
        elif self._retry_text or self._retry_files:
            # The message never reached the thread: send it again.
            self._request = turns.user_message_request(
                self._retry_text, self.thread_id or None, self._retry_files
            )

    async def _turn(self, text: str | None) -> AsyncIterator[Any]:
        """One turn: the request runs in its own task, its events are folded in frame by frame."""
        async with self:
            user_id = await self.current_user_id()
            if user_id is None:
                self.token = ""
                refusal = rx.redirect(EXPIRED_LOGIN_ROUTE)
            else:
                refusal = (
                    await self._accept_message(text) if text is not None else self._accept_retry()
                )
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
        turn = _TURNS[key] = turns.RunningTurn()
        failure = ""
        held: list[ThreadStreamEvent] = []
        try:
            for _ in range(1 + MAX_CLIENT_TOOL_ROUNDS):
                queue: asyncio.Queue = asyncio.Queue()
                turn.task = asyncio.create_task(turns.pump_turn(request, ctx, queue))
                pending = None
                tasks_changed = False
                async for frame in turns.frames(queue, lambda: turn.stopped):
                    shown, later = split_frame(frame)
                    held += later
                    if shown:
                        async with self:
                            if not all(map(turns.is_text_delta, shown)):
                                held = self._apply_all(held, ctx)
                            self._apply_all(shown, ctx)
                    for event in frame:
                        if isinstance(event, ThreadCreatedEvent):
                            yield rx.call_script(chat_scripts.thread_url_script(event.thread.id))
                        pending = turns.pending_client_call(event) or pending
                    tasks_changed = tasks_changed or any(map(turns.changes_tasks, frame))
                    # The task list reloads once the reply's words are on screen: the reload
                    # holds the page's state lock, which would hold the first words back.
                    if tasks_changed and any(map(turns.is_text_delta, frame)):
                        tasks_changed = False
                        yield TaskState.refresh
                if tasks_changed:
                    yield TaskState.refresh
                if turn.stopped:
                    break
                failure = await turn.task
                if failure or pending is None:
                    break
                async with self:
                    result, events = await self._run_client_tool(ctx.user_id, pending)
                request = turns.client_tool_output_request(pending.thread_id, result)
                yield events
                if turn.stopped:
                    break
        except Exception:
            logger.exception("native chat turn failed")
            failure = turns.FAILED_MESSAGE
        finally:
            await turn.settle()  # before the next turn, the server saves a stopped reply
            _TURNS.pop(key, None)
            async with self:
                self._apply_all(held, ctx)
                self._finish_turn(turn.stopped, failure)
        if turn.stopped and ctx.tool_calls:
            yield TaskState.refresh
        if ctx.tool_calls:
            yield ComposerState.load_suggestions  # the tasks (and tags) to suggest changed

    async def _run_client_tool(
        self, user_id: int, call: ClientToolCallItem
    ) -> tuple[dict[str, Any], list]:
        """Do what the agent asked the browser to do; show the answer on the call's chip."""
        result, events = await client_tool_result(self, user_id, call.name, call.arguments)
        self.messages = with_client_answer(self.messages, call, result)
        return result, events

    def _apply_all(self, events: list[ThreadStreamEvent], ctx: RequestContext) -> list:
        """Apply the events in order; an empty list to hold on to next."""
        for event in events:
            self._apply(event, ctx)
        return []

    def _apply(self, event: ThreadStreamEvent, ctx: RequestContext) -> None:
        if isinstance(event, ThreadCreatedEvent):
            self.thread_id = event.thread.id
            self.threads.insert(0, ThreadRow(id=event.thread.id, title=NEW_THREAD_TITLE))
        elif isinstance(event, ThreadUpdatedEvent):
            title = event.thread.title or NEW_THREAD_TITLE
            self.threads = retitled(self.threads, event.thread.id, title)
        elif isinstance(event, ThreadItemAddedEvent) and isinstance(
            event.item, AssistantMessageItem
        ):
            self.draft_id = event.item.id
            self.draft_text = "".join(part.text for part in event.item.content)
        elif turns.is_text_delta(event):
            if event.item_id == self.draft_id:
                self.draft_text += event.update.delta
        elif isinstance(event, ThreadItemDoneEvent):
            self._item_done(event.item, ctx)
        elif isinstance(event, ThreadItemReplacedEvent):
            add_item(self.messages, event.item, by_chip(ctx.tool_calls))
        elif isinstance(event, ErrorEvent):
            self.error = event.message or turns.FAILED_MESSAGE
            self.can_retry = event.allow_retry

    def _item_done(self, item: ThreadItem, ctx: RequestContext) -> None:
        if isinstance(item, AssistantMessageItem) and item.id == self.draft_id:
            self.draft_id = self.draft_text = ""
        # A chip's fields come from its call's record, which this turn's context collected.
        add_item(self.messages, item, by_chip(ctx.tool_calls))

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
            self.can_retry = failure != turns.NOT_FOUND_MESSAGE
        elif self.messages and self.messages[-1].role == "error":
            self.can_retry = True
