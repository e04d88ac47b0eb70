"""Which chat a tab of /chat shows: ChatKit's web component or the native chat
(CHATAPP_CHAT_UI=auto|chatkit|native). In auto mode the browser detects ChatKit on each visit;
what it last found is remembered in the browser, so the next visit shows it at once. A mixin of
ChatState: the fields are ChatState's, its events call these steps."""

from __future__ import annotations

import logging

import reflex as rx

from chatapp.settings import get_settings

logger = logging.getLogger("chatapp.chat.native")

RENDERERS = ("chatkit", "native")
RENDERER_STORAGE_KEY = "chatapp_chat_renderer"
FAILURE_CAUSE_MAX = 80  # the cause goes into the footer note; the element's message only to the log


class ChatRenderer(rx.State, mixin=True):
    """The chat UI mode, the renderer this tab shows, and why ChatKit failed here, if it did."""

    ui_mode: str = "auto"
    renderer: str = "detecting"
    # What the last detection in this browser found: the next visit shows it at once (no wait
    # for the detection round trip) while a new detection refreshes it for the visit after.
    known_renderer: str = rx.LocalStorage("", name=RENDERER_STORAGE_KEY)
    # Why ChatKit could not work in this tab (auto mode then keeps the native chat).
    chatkit_failure: str = ""

    def _choose_renderer(self) -> None:
        """On a visit: the configured mode; in auto mode, what this tab or browser knows."""
        self.ui_mode = get_settings().chatapp_chat_ui
        if self.ui_mode != "auto":
            self.renderer = self.ui_mode
        elif self.renderer not in RENDERERS:  # a tab that already knows keeps its renderer
            self.renderer = self.known_renderer if self.known_renderer in RENDERERS else "detecting"

    def _detected(self, renderer: str) -> None:
        """What the browser's detection found (auto mode only)."""
        if self.ui_mode == "auto" and renderer in RENDERERS:
            self.known_renderer = renderer
            # ChatKit loads again on every visit, but already failed in this tab: stay native.
            # A remembered native chat stays for this visit when ChatKit turns up (no swap
            # under the user's hands); a remembered ChatKit that is gone gives way at once.
            if self.chatkit_failure or (self.renderer == "native" and renderer == "chatkit"):
                self.renderer = "native"
            else:
                self.renderer = renderer

    def _fall_back_to_native(self, cause: str, message: str) -> bool:
        """ChatKit cannot work in this tab: auto mode switches to the native chat for good (and
        says so); a forced ChatKit keeps showing the element's error. Whether it switched."""
        if self.ui_mode != "auto" or self.chatkit_failure:
            return False
        self.chatkit_failure = str(cause or "it failed to start")[:FAILURE_CAUSE_MAX]
        self.renderer = self.known_renderer = "native"
        logger.warning(
            "ChatKit could not start in a browser (%s): %s. Showing the built-in chat.",
            self.chatkit_failure,
            message,
        )
        return True
