"""The open thread of the native chat, shown a page at a time: it opens on its newest page and
older pages load as the reader scrolls up, so a thread of thousands of messages renders (and
sends) only what is read. A mixin of ChatState: the fields and `load_older` are ChatState's."""

from __future__ import annotations

import reflex as rx
from chatkit.store import NotFoundError

from chatapp.chat import get_chat_server
from chatapp.chat.store import RequestContext
from chatapp.state.auth import AuthState
from chatapp.state.chat_items import ChatMessage, to_messages

ITEM_PAGE = 50  # items per page of an open thread


class OpenThread(AuthState, mixin=True):
    """The open thread, the part of it shown, and the time zone its requests are made in."""

    thread_id: str = ""
    messages: list[ChatMessage] = []
    timezone: str = "UTC"
    has_older: bool = False  # the thread has items before the first one shown
    loading_older: bool = False
    _older_before: str = ""  # the oldest item shown: the next older page ends before it

    def _context(self, user_id: int) -> RequestContext:
        return RequestContext(user_id=user_id, timezone=self.timezone)

    def _show_no_thread(self) -> None:
        self.thread_id = ""
        self.messages = []
        self._set_older(None)

    async def _show_newest_page(self, user_id: int, thread_id: str) -> None:
        """Show the thread's newest page (NotFoundError: not this user's thread, or gone)."""
        items, older = await get_chat_server().thread_window(
            thread_id, None, ITEM_PAGE, self._context(user_id)
        )
        self.messages = to_messages(items)
        self._set_older(older)

    def _set_older(self, before: str | None) -> None:
        self._older_before = before or ""
        self.has_older = before is not None

    @rx.event
    async def load_older(self):
        """The page of the open thread just before what is shown, put in front of it (the
        browser keeps the reader's place: chat_scripts.KEEP_PLACE ran before this event)."""
        user_id = await self.current_user_id()
        if user_id is None or not self.has_older or self.loading_older:
            return
        thread_id, before = self.thread_id, self._older_before
        self.loading_older = True
        yield
        try:
            items, older = await get_chat_server().thread_window(
                thread_id, before, ITEM_PAGE, self._context(user_id)
            )
        except NotFoundError:
            items, older = [], None
        finally:
            self.loading_older = False
        if thread_id == self.thread_id and before == self._older_before:
            self.messages = to_messages(items) + self.messages
            self._set_older(older)
