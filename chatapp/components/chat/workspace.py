"""The chat page's building blocks: the chat (ChatKit or native) beside the live task panel."""

from __future__ import annotations

import reflex as rx

from chatapp.components.chat.renderer import chat_area
from chatapp.components.task_list import task_panel


def chat_workspace() -> rx.Component:
    """Chat and tasks side by side on a wide screen, stacked on a narrow one (styles.css)."""
    return rx.box(
        rx.box(chat_area(), class_name="chat-card", id="chat-card"),
        rx.box(task_panel(), class_name="chat-tasks", id="chat-tasks"),
        class_name="chat-workspace",
    )
