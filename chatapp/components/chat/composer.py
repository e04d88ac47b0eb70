"""The message box: Enter sends, Shift+Enter adds a line; Send turns into Stop while a reply runs;
`#` and task verbs open suggestions (tags, tasks) above it. Files come in by the paperclip, by
dropping them on the box or by pasting images into it; the tray above the box shows each one's
upload, and the next message takes the uploaded ones."""

from __future__ import annotations

import reflex as rx

from chatapp.chat.turns import MESSAGE_MAX_CHARS
from chatapp.components.attachments import PICKER_INPUT_ID, attachment_link, attachment_picker
from chatapp.components.chat.suggest import composer_suggest
from chatapp.components.ui import icon_button, muted, row, wrap_row
from chatapp.settings import get_settings
from chatapp.state.attachments import FAILED, UPLOADING, Upload
from chatapp.state.auth import AuthState
from chatapp.state.chat import ChatState
from chatapp.state.composer import ComposerState

OPEN_PICKER = f"document.getElementById('{PICKER_INPUT_ID}')?.click()"


def _upload_chip(upload: Upload) -> rx.Component:
    """A file in the tray: its thumbnail or name, its progress, or why it was refused."""
    return row(
        rx.cond(
            upload.image & (upload.id != ""),
            attachment_link(
                attachment_id=upload.id,
                auth_token=AuthState.token,
                name=upload.name,
                image=True,
                class_name="chat-tray-thumb",
            ),
            rx.icon(rx.cond(upload.image, "image", "file-text"), size=16),
        ),
        rx.vstack(
            rx.text(upload.name, size="1", weight="medium", class_name="chat-tray-name"),
            rx.cond(
                upload.status == UPLOADING,
                rx.progress(
                    value=upload.percent,
                    size="1",
                    width="100%",
                    aria_label="Uploading " + upload.name,
                ),
            ),
            rx.cond(
                upload.status == FAILED,
                rx.text(upload.message, size="1", color_scheme="red", role="alert"),
            ),
            spacing="1",
            min_width="0",
            flex="1",
        ),
        icon_button(
            "x",
            "Remove " + upload.name,
            icon_size=12,
            type="button",
            size="1",
            color_scheme="gray",
            on_click=ComposerState.remove_upload(upload.key),
            title="Remove",
        ),
        class_name="chat-tray-item",
        data_status=upload.status,
    )


def _tray() -> rx.Component:
    return wrap_row(
        ComposerState.uploads,
        _upload_chip,
        id="chat-tray",
        aria_label="Files to send",
        margin_bottom="6px",
    )


def composer() -> rx.Component:
    return rx.form(
        _tray(),
        attachment_picker(
            auth_token=AuthState.token,
            disabled=AuthState.token == "",
            drop_target_id="chat-form",
            paste_target_id="chat-composer",
            max_bytes=get_settings().attachment_max_bytes,
            on_start=ComposerState.upload_started,
            on_progress=ComposerState.upload_progress,
            on_done=ComposerState.upload_done,
            on_failed=ComposerState.upload_failed,
        ),
        composer_suggest(
            target="chat-composer",
            tags=ComposerState.suggest_tags,
            tasks=ComposerState.suggest_tasks,
            on_need=ComposerState.load_suggestions,
        ),
        rx.hstack(
            icon_button(
                "paperclip",
                "Attach files",
                icon_size=16,
                type="button",
                size="3",
                variant="soft",
                color_scheme="gray",
                on_click=rx.call_script(OPEN_PICKER),
                title="Attach files (or drop them here, or paste an image)",
                id="chat-attach",
            ),
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
                icon_button(
                    "square",
                    "Stop the reply",
                    icon_size=16,
                    variant="solid",
                    type="button",
                    on_click=ChatState.stop,
                    size="3",
                    color_scheme="gray",
                    high_contrast=True,
                    title="Stop",
                    id="chat-stop",
                ),
                icon_button(
                    "arrow-up",
                    "Send",
                    icon_size=18,
                    variant="solid",
                    type="submit",
                    size="3",
                    title="Send (Enter)",
                    id="chat-send",
                    disabled=ChatState.loading_thread | ComposerState.uploading,
                ),
            ),
            align="end",
            spacing="2",
            width="100%",
        ),
        muted(
            "Enter to send · Shift+Enter for a new line · drop or paste files to attach",
            size="1",
            display=rx.breakpoints(initial="none", sm="block"),
            margin_top="4px",
        ),
        on_submit=ChatState.send,
        reset_on_submit=False,
        width="100%",
        position="relative",  # the suggestions open above the composer
        id="chat-form",
    )
