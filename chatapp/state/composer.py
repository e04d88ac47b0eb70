"""ComposerState: the message being written, beside its text box — the files waiting to go with
it (uploading with progress, ready, or refused with the server's reason) and what the box may
suggest as the user types (their tags, their tasks).

The browser uploads each file straight to `POST /api/attachments` (components/attachments.jsx)
and reports here; this state only keeps the tray. Removing a file from the tray deletes its
upload, so nothing the user took back stays stored.
"""

from __future__ import annotations

import asyncio
import dataclasses
from typing import Any

import reflex as rx

from chatapp.attachments import records
from chatapp.errors import NotFound
from chatapp.state.attachments import FAILED, READY, UPLOADING, AttachmentView, Upload
from chatapp.state.auth import AuthState
from chatapp.state.chat_items import TaskHint, composer_hints
from chatapp.tasks import service
from chatapp.tasks.schemas import LIST_LIMIT_MAX, TaskQuery

TOO_MANY = f"At most {records.MAX_PER_REQUEST} files go with one message."
# What the composer may suggest: the user's most recent tasks (their tags come with them).
SUGGEST_QUERY = TaskQuery(status="all", sort="created", order="desc", limit=LIST_LIMIT_MAX)


class ComposerState(AuthState):
    """The files and the suggestions of the message being written."""

    uploads: list[Upload] = []
    suggest_tags: list[str] = []  # the composer's auto-complete (load_suggestions)
    suggest_tasks: list[TaskHint] = []
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
        user_id = await self.current_user_id()
        if not attachment_id or user_id is None:
            return
        try:
            await asyncio.to_thread(records.delete_row, user_id, attachment_id)
        except NotFound:
            return
        await asyncio.to_thread(records.forget, [attachment_id])

    @rx.event(background=True)
    async def load_suggestions(self):
        """The user's tags and tasks for the composer's auto-complete (asked for as they type)."""
        async with self:
            user_id = await self.current_user_id()
        if user_id is None:
            return
        rows, _ = await asyncio.to_thread(service.list_tasks, user_id, SUGGEST_QUERY)
        tags, tasks = composer_hints(rows)
        async with self:
            self.suggest_tags, self.suggest_tasks = tags, tasks
