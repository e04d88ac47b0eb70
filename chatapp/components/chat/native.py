"""The native Reflex chat: thread sidebar, conversation, composer."""

from __future__ import annotations

import reflex as rx

from chatapp.components.chat.composer import composer
from chatapp.components.chat.messages import message_list
from chatapp.components.chat.sidebar import thread_sidebar
from chatapp.components.ui import icon_button
from chatapp.state.chat import ChatState


def _header() -> rx.Component:
    return rx.hstack(
        icon_button(
            "panel-left",
            "Show conversations",
            icon_size=16,
            color_scheme="gray",
            on_click=ChatState.toggle_threads,
            display=rx.breakpoints(initial="flex", sm="none"),
            id="toggle-threads",
        ),
        rx.text(ChatState.thread_title, weight="medium", size="2", truncate=True, id="chat-title"),
        rx.spacer(),
        rx.cond(ChatState.processing, rx.spinner(size="1")),
        align="center",
        spacing="2",
        width="100%",
        padding_x="14px",
        padding_y="10px",
        border_bottom=f"1px solid {rx.color('gray', 4)}",
    )


def native_chat(note: rx.Component | None = None) -> rx.Component:
    return rx.flex(
        rx.box(
            thread_sidebar(),
            class_name=rx.cond(
                ChatState.show_threads, "chat-sidebar chat-sidebar-open", "chat-sidebar"
            ),
        ),
        rx.flex(
            _header(),
            message_list(),
            rx.box(
                composer(),
                note if note is not None else rx.fragment(),
                width="100%",
                padding=rx.breakpoints(initial="10px", sm="14px"),
                border_top=f"1px solid {rx.color('gray', 4)}",
            ),
            direction="column",
            flex="1",
            min_width="0",
            min_height="0",
        ),
        direction=rx.breakpoints(initial="column", sm="row"),
        width="100%",
        height="100%",
        id="native-chat",
        data_processing=rx.cond(ChatState.processing, "true", "false"),
    )
