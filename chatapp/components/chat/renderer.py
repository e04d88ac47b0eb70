"""Which chat the page shows: ChatKit's web component or the native chat (CHATAPP_CHAT_UI)."""

from __future__ import annotations

import reflex as rx

from chatapp.components.chat.native import native_chat
from chatapp.components.ui import loading_screen
from chatapp.state.chat import ChatState


def _note(text, icon: str = "info") -> rx.Component:
    return rx.hstack(
        rx.icon(icon, size=12),
        rx.text(text, size="1"),
        spacing="1",
        align="center",
        color=rx.color("gray", 10),
        margin_top="6px",
        id="chat-renderer-note",
        data_renderer=ChatState.renderer,
    )


def _native_note() -> rx.Component:
    return rx.cond(
        ChatState.chatkit_failure != "",
        _note(
            "ChatKit could not start here ("
            + ChatState.chatkit_failure
            + ") — using the built-in chat.",
            "triangle-alert",
        ),
        _note(
            rx.cond(
                ChatState.ui_mode == "auto",
                "Built-in chat — ChatKit didn't load here.",
                "Built-in chat.",
            )
        ),
    )


def _chatkit_branch() -> rx.Component:
    # The ChatKit wrapper is optional: without it the page still works, natively.
    try:
        from chatapp.components.chatkit import chatkit_panel
        from chatapp.state.chatkit import ChatKitState
    except ImportError:
        return native_chat(_note("ChatKit isn't part of this build — built-in chat.", "info"))
    # An element that cannot work here: the panel shows why, and auto mode switches to native.
    on_fatal_error = [ChatKitState.mark_failed, ChatState.chatkit_failed]
    return rx.flex(
        rx.box(
            chatkit_panel(on_fatal_error=on_fatal_error), flex="1", min_height="0", width="100%"
        ),
        rx.box(_note("ChatKit.", "sparkles"), padding_x="14px", padding_bottom="8px"),
        direction="column",
        height="100%",
        width="100%",
    )


def chat_area() -> rx.Component:
    return rx.match(  # pyright: ignore[reportReturnType]  -- rx.match is typed Component | Var; with component cases it is a Component
        ChatState.renderer,
        ("chatkit", _chatkit_branch()),
        ("detecting", loading_screen("Loading chat…", id="chat-detecting")),
        native_chat(_native_note()),
    )
