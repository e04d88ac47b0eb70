"""ComposerState: the files waiting in the native chat's composer — uploading (with progress),
ready to send, or refused (with the server's reason) — until the next message takes them.

The browser uploads each file straight to `POST /api/attachments` (components/attachments.jsx)
and reports here; this state only keeps the tray. Removing a file from the tray deletes its
upload, so nothing the user took back stays stored.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from typing import Any

import reflex as rx

from chatapp.attachments import records
from chatapp.errors import NotFound
from chatapp.state.auth import AuthState

logger = logging.getLogger("chatapp.chat.native")

UPLOADING, READY, FAILED = "uploading", "ready", "failed"
TOO_MANY = f"At most {records.MAX_PER_REQUEST} files go with one message."


@dataclasses.dataclass
class AttachmentView:
    """An uploaded file as a message or a task shows it: an image by its thumbnail, anything
    else as a link with its name."""

    id: str = ""
    name: str = ""
    image: bool = False


@dataclasses.dataclass
class Upload:
    """One file in the composer's tray."""

    key: str = ""  # the browser's name for this upload, before it has an id
    name: str = ""
    image: bool = False
    percent: int = 0
    status: str = UPLOADING
    message: str = ""  # why it failed
    id: str = ""  # the attachment id, once uploaded


class ComposerState(AuthState):
    """The attachments of the message being written."""

    uploads: list[Upload] = []
    _withdrawn: set[str] = set()  # keys removed while their upload was still running

    @rx.var
    def uploading(self) -> bool:
        return any(upload.status == UPLOADING for upload in self.uploads)

    def _index(self, key: Any) -> int:
        return next((i for i, u in enumerate(self.uploads) if u.key == str(key)), -1)

    def _update(self, key: Any, **changes: Any) -> None:
        index = self._index(key)
        if index >= 0:
            self.uploads[index] = dataclasses.replace(self.uploads[index], **changes)

    @rx.event
    def upload_started(self, report: dict):
        upload = Upload(
            key=str(report.get("key", "")),
            name=str(report.get("name", "")),
            image=bool(report.get("image")),
        )
        waiting = sum(u.status != FAILED for u in self.uploads)
        if waiting >= records.MAX_PER_REQUEST:
            upload = dataclasses.replace(upload, status=FAILED, message=TOO_MANY)
        self.uploads.append(upload)

    @rx.event
    def upload_progress(self, report: dict):
        index = self._index(report.get("key"))
        if index >= 0 and self.uploads[index].status == UPLOADING:
            self._update(report.get("key"), percent=int(report.get("percent") or 0))

    @rx.event
    async def upload_done(self, report: dict):
        key, attachment = str(report.get("key", "")), report.get("attachment") or {}
        attachment_id = str(attachment.get("id", ""))
        index = self._index(key)
        if key in self._withdrawn or index < 0 or self.uploads[index].status == FAILED:
            self._withdrawn.discard(key)
            await self._discard(attachment_id)
            return
        self._update(
            key,
            id=attachment_id,
            status=READY,
            percent=100,
            name=str(attachment.get("name") or self.uploads[index].name),
            image=attachment.get("kind") == "image",
        )

    @rx.event
    def upload_failed(self, report: dict):
        message = str(report.get("message") or "The upload failed.")
        self._update(report.get("key"), status=FAILED, message=message)

    @rx.event
    async def remove_upload(self, key: str):
        """Take a file back out of the tray (its upload is deleted, or dropped when it ends)."""
        index = self._index(key)
        if index < 0:
            return
        upload = self.uploads.pop(index)
        if upload.status == UPLOADING:
            self._withdrawn.add(upload.key)
        elif upload.id:
            await self._discard(upload.id)

    def take_ready(self) -> list[AttachmentView]:
        """The uploaded files, for the message being sent; the tray is empty after."""
        ready = [
            AttachmentView(id=u.id, name=u.name, image=u.image)
            for u in self.uploads
            if u.status == READY
        ]
        self.uploads = []
        return ready

    async def _discard(self, attachment_id: str) -> None:
        user_id = self.current_user_id()
        if not attachment_id or user_id is None:
            return
        try:
            await asyncio.to_thread(records.delete_row, user_id, attachment_id)
        except NotFound:
            return
        await asyncio.to_thread(records.forget, [attachment_id])
