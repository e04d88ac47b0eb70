"""The native chat's attachment pieces, from `attachments.jsx` next to this file: `attachment_picker`
(hidden file input + drag-and-drop + paste, uploading with progress to `POST /api/attachments`)
and `attachment_link` (an uploaded file as a link, an image as its thumbnail)."""

from __future__ import annotations

from typing import Any

import reflex as rx
from reflex.components.component import NoSSRComponent, field
from reflex.event import EventHandler, passthrough_event_spec
from reflex.vars.base import Var

from chatapp.components.ui import row, wrap_row
from chatapp.state.attachments import AttachmentView
from chatapp.state.auth import AuthState

_JSX = rx.asset("attachments.jsx", shared=True)
_report = passthrough_event_spec(dict)

# What the file picker offers (the server decides by the bytes, whatever the picker allowed).
ACCEPT = "image/png,image/jpeg,image/webp,image/gif,application/pdf,text/plain,text/markdown,text/csv,.md,.csv,.txt"
PICKER_INPUT_ID = "chat-attach-input"


class AttachmentPicker(NoSSRComponent):
    """Uploads the files a user picks, drops on `drop_target_id` or pastes into
    `paste_target_id`; reports each upload's start, progress, result or failure."""

    library = _JSX.importable_path
    tag = "AttachmentPicker"

    api_url: Var[str] = field(doc="The one-shot upload route (relative: the Reflex backend).")
    auth_token: Var[str] = field(doc="The session token, sent as Authorization: Bearer.")
    drop_target_id: Var[str] = field(doc="The element files can be dropped on.")
    paste_target_id: Var[str] = field(doc="The element pasted files are taken from.")
    max_bytes: Var[int] = field(doc="Larger files fail at once, without an upload.")
    accept: Var[str] = field(doc="The file picker's accept list.")
    disabled: Var[bool] = field(doc="Ignore new files (e.g. while signed out).")
    input_id: Var[str] = field(doc="The id of the hidden file input (a button clicks it).")

    on_start: EventHandler[_report] = field(doc="{key, name, size, image}")
    on_progress: EventHandler[_report] = field(doc="{key, percent}")
    on_done: EventHandler[_report] = field(doc="{key, attachment}: the upload route's answer")
    on_failed: EventHandler[_report] = field(doc="{key, name, message}")


class AttachmentLink(NoSSRComponent):
    """An uploaded file as a link to its original; an image shows its optimised copy."""

    library = _JSX.importable_path
    tag = "AttachmentLink"

    attachment_id: Var[str]
    auth_token: Var[str]
    name: Var[str]
    image: Var[bool]


def attachment_picker(**props: Any) -> rx.Component:
    props.setdefault("input_id", PICKER_INPUT_ID)
    props.setdefault("accept", ACCEPT)
    return AttachmentPicker.create(**props)


def attachment_link(*children: rx.Component, **props: Any) -> rx.Component:
    return AttachmentLink.create(*children, **props)


def attachment_row(attachments: list[AttachmentView] | rx.Var, **props: Any) -> rx.Component:
    """A message's or a task's files side by side; nothing when it has none."""
    return wrap_row(attachments, attachment_view, **props)


def attachment_view(attachment: AttachmentView) -> rx.Component:
    """An uploaded file: an image's thumbnail (a click opens the original), or a link."""
    return attachment_link(
        rx.cond(
            attachment.image,
            rx.fragment(),
            row(rx.icon("file-text", size=14), rx.text(attachment.name, size="1"), spacing="1"),
        ),
        attachment_id=attachment.id,
        auth_token=AuthState.token,
        name=attachment.name,
        image=attachment.image,
        class_name=rx.cond(attachment.image, "chat-file chat-file-image", "chat-file"),
    )
