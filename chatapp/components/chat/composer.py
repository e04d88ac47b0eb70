"""The message box: Enter sends, Shift+Enter adds a line; Send turns into Stop while a reply runs;
`#` and task verbs open suggestions (tags, tasks) above it."""

from __future__ import annotations

import reflex as rx

from chatapp.chat.turns import MESSAGE_MAX_CHARS
from chatapp.components.chat.suggest import composer_suggest
from chatapp.state.chat import ChatState


def composer() -> rx.Component:
    return rx.form(
        composer_suggest(
            target="chat-composer",
            tags=ChatState.suggest_tags,
            tasks=ChatState.suggest_tasks,
            on_need=ChatState.load_suggestions,
        ),
        rx.hstack(
            rx.text_area(
                id="chat-composer",
                name="message",
                placeholder="Message your assistant…",
                enter_key_submit=True,
                auto_height=True,
                rows="1",
                max_length=MESSAGE_MAX_CHARS,
                auto_focus=True,
                size="3",
                flex="1",
                aria_label="Message",
                class_name="chat-composer",
            ),
            rx.cond(
                ChatState.processing,
                rx.icon_button(
                    rx.icon("square", size=16),
                    type="button",
                    on_click=ChatState.stop,
                    size="3",
                    color_scheme="gray",
                    variant="solid",
                    high_contrast=True,
                    aria_label="Stop the reply",
                    title="Stop",
                    id="chat-stop",
                ),
                rx.icon_button(
                    rx.icon("arrow-up", size=18),
                    type="submit",
                    size="3",
                    aria_label="Send",
                    title="Send (Enter)",
                    id="chat-send",
                    disabled=ChatState.loading_thread,
                ),
            ),
            align="end",
            spacing="2",
            width="100%",
        ),
        rx.text(
            "Enter to send · Shift+Enter for a new line",
            size="1",
            color_scheme="gray",
            display=rx.breakpoints(initial="none", sm="block"),
            margin_top="4px",
        ),
        on_submit=ChatState.send,
        reset_on_submit=False,
        width="100%",
        position="relative",  # the suggestions open above the composer
        id="chat-form",
    )
