"""The thread sidebar: the same threads ChatKit's history shows; new, rename, delete."""

from __future__ import annotations

import reflex as rx

from chatapp.chat.history import NEW_THREAD_TITLE, THREAD_TITLE_MAX
from chatapp.components.ui import button_with_icon, cancel_button, icon_button, muted, row
from chatapp.state.chat import ChatState
from chatapp.state.chat_items import ThreadRow


def _rename_form(thread: ThreadRow) -> rx.Component:
    return rx.form(
        rx.input(
            name="title",
            default_value=thread.title,
            max_length=THREAD_TITLE_MAX,
            auto_focus=True,
            size="1",
            id="thread-rename-input",
            aria_label="Conversation title",
            on_blur=ChatState.start_rename(""),
            on_key_down=lambda key: rx.cond(key == "Escape", ChatState.start_rename(""), rx.noop()),
        ),
        on_submit=ChatState.rename_thread,
        width="100%",
    )


def _row_action(icon: str, verb: str, color: str, on_click) -> rx.Component:
    """A small button on a thread row: "Rename" → aria-label "Rename conversation",
    class thread-rename."""
    return icon_button(
        icon,
        f"{verb} conversation",
        icon_size=12,
        size="1",
        color_scheme=color,
        on_click=on_click,
        class_name=f"thread-{verb.lower()}",
    )


def _thread_row(thread: ThreadRow) -> rx.Component:
    active = ChatState.thread_id == thread.id
    return rx.box(
        rx.cond(
            ChatState.renaming_id == thread.id,
            _rename_form(thread),
            row(
                rx.el.button(
                    rx.text(thread.title, size="2", class_name="thread-title"),
                    on_click=ChatState.select_thread(thread.id),
                    class_name="thread-open",
                    title=thread.title,
                    type="button",
                ),
                rx.hstack(
                    _row_action("pencil", "Rename", "gray", ChatState.start_rename(thread.id)),
                    _row_action("trash-2", "Delete", "red", ChatState.ask_delete(thread.id)),
                    spacing="1",
                    class_name="thread-actions",
                ),
                spacing="1",
                width="100%",
            ),
        ),
        class_name="thread-row",
        data_thread_id=thread.id,
        data_active=rx.cond(active, "true", "false"),
        width="100%",
    )


def delete_dialog() -> rx.Component:
    return rx.alert_dialog.root(
        rx.alert_dialog.content(
            rx.alert_dialog.title("Delete this conversation?"),
            rx.alert_dialog.description(
                "Its messages are deleted for good. Your tasks stay as they are.", size="2"
            ),
            rx.hstack(
                rx.alert_dialog.cancel(cancel_button(id="thread-delete-cancel")),
                rx.alert_dialog.action(
                    rx.button(
                        "Delete",
                        color_scheme="red",
                        on_click=ChatState.delete_thread,
                        id="thread-delete-confirm",
                    ),
                ),
                spacing="3",
                justify="end",
                margin_top="16px",
            ),
            max_width="420px",
        ),
        open=ChatState.confirm_delete_id != "",
        on_open_change=lambda is_open: rx.cond(is_open, rx.noop(), ChatState.ask_delete("")),
    )


def thread_sidebar() -> rx.Component:
    return rx.vstack(
        button_with_icon(
            "square-pen",
            NEW_THREAD_TITLE,
            on_click=ChatState.new_thread,
            variant="soft",
            size="2",
            width="100%",
            id="new-chat",
            disabled=ChatState.processing,
        ),
        muted("Conversations", size="1", weight="medium", padding_x="4px"),
        rx.cond(
            ChatState.loading_threads & (ChatState.threads.length() == 0),
            rx.hstack(rx.spinner(size="1"), rx.text("Loading…", size="1"), padding="8px"),
            rx.cond(
                ChatState.threads.length() == 0,
                muted("No conversations yet.", size="1", padding_x="4px"),
            ),
        ),
        rx.vstack(
            rx.foreach(ChatState.threads, _thread_row),
            spacing="1",
            width="100%",
            id="thread-list",
        ),
        delete_dialog(),
        spacing="2",
        width="100%",
        height="100%",
        overflow_y="auto",
        padding="10px",
        id="thread-sidebar",
    )
