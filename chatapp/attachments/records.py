"""Attachment rows and the files they name: the only code that writes chat_attachments (the
ChatKit store and the task service call in here), and the one place that decides when a file
goes.

Lifetime. An attachment lives while something holds it: the thread whose message carries it
(`thread_id`) or a task (a task_attachments row). Deleting a thread or a task releases what it
held; an attachment nothing holds any more loses its row and then its files (files after the
commit, so a failed transaction never leaves a row without its file). An upload never sent and
never attached stays until the user deletes it (ChatKit's attachments.delete) or, a day old,
is swept when the user next uploads (`sweep_unsent`).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
from collections.abc import Iterable
from datetime import timedelta
from typing import Any, Literal

from chatkit.types import Attachment, FileAttachment, ImageAttachment
from pydantic import BaseModel, TypeAdapter
from sqlalchemy import delete, exists, update
from sqlmodel import Session, col, select

from chatapp.attachments.storage import get_storage, original_key, preview_key
from chatapp.db import session_scope
from chatapp.db.models import ChatAttachment, TaskAttachment, utcnow
from chatapp.errors import Conflict, attachment_not_found
from chatapp.settings import get_settings

logger = logging.getLogger("chatapp.attachments")

ATTACHMENT = TypeAdapter(Attachment)
# Width of the chat tables' id columns; an id that cannot be stored cannot name a row.
MAX_ID_LENGTH = 255
# An upload nothing holds (never sent, never attached) is kept this long, then swept.
UNSENT_KEEP = timedelta(hours=24)
PREVIEW_KEY_CONTEXT = b"chatapp:attachment-preview:"
# At most this many attachments on one message or in one request.
MAX_PER_REQUEST = 10


class AttachmentOut(BaseModel):
    """An uploaded attachment as the REST API shows it."""

    id: str
    name: str
    mime_type: str
    size: int
    kind: Literal["image", "file"]
    url: str
    preview_url: str | None


def attachment_url(attachment_id: str, base_url: str = "") -> str:
    return f"{base_url.rstrip('/')}/api/attachments/{attachment_id}"


def access_key(attachment_id: str) -> str:
    """The key that opens one image's optimised copy without a token: ChatKit's element and
    any <img> show `preview_url` as it is. An HMAC of the id under the server's secret, so it
    cannot be made from an id alone; the original always needs the owner's token."""
    secret = (get_settings().jwt_secret or "").encode()
    digest = hmac.new(secret, PREVIEW_KEY_CONTEXT + attachment_id.encode(), hashlib.sha256)
    return base64.urlsafe_b64encode(digest.digest()[:24]).decode()


def valid_access_key(attachment_id: str, key: str) -> bool:
    # Bytes: compare_digest refuses str with non-ASCII characters (a made-up key may have any).
    return hmac.compare_digest(access_key(attachment_id).encode(), key.encode("utf-8", "replace"))


def preview_url(attachment_id: str, base_url: str = "") -> str:
    return f"{attachment_url(attachment_id, base_url)}/preview?key={access_key(attachment_id)}"


def load_preview(attachment_id: str) -> Attachment:
    """An uploaded attachment by id alone: only for a request that showed its preview key."""
    with session_scope() as session:
        row = session.get(ChatAttachment, attachment_id) if storable(attachment_id) else None
        if row is None or row.uploaded_at is None:
            raise attachment_not_found(attachment_id)
        return ATTACHMENT.validate_python(row.payload)


def info(attachment: Attachment) -> dict[str, Any]:
    """What chatapp keeps about an uploaded file (the Attachment's integration-only metadata)."""
    return attachment.metadata or {}


def out(attachment: Attachment) -> AttachmentOut:
    facts = info(attachment)
    image = isinstance(attachment, ImageAttachment)
    return AttachmentOut(
        id=attachment.id,
        name=attachment.name,
        mime_type=attachment.mime_type,
        size=int(facts.get("size", 0)),
        kind="image" if image else "file",
        url=attachment_url(attachment.id),
        preview_url=preview_url(attachment.id) if image else None,
    )


def uploaded(
    pending: Attachment, *, name: str, mime_type: str, kind: str, base_url: str, facts: dict
) -> Attachment:
    """The record of a stored upload: the type its bytes showed, no upload instructions."""
    fields = {
        "id": pending.id,
        "name": name,
        "mime_type": mime_type,
        "thread_id": pending.thread_id,
        "metadata": {**(pending.metadata or {}), **facts},
    }
    if kind == "image":
        return ImageAttachment(**fields, preview_url=preview_url(pending.id, base_url))  # pyright: ignore[reportArgumentType]  -- AnyUrl validates the string
    return FileAttachment(**fields)


def storable(identifier: str) -> bool:
    # PostgreSQL rejects NUL in text even in a WHERE clause; such an id is simply not found.
    return 0 < len(identifier) <= MAX_ID_LENGTH and "\x00" not in identifier


def owned(session: Session, user_id: int, attachment_id: str) -> ChatAttachment:
    """One of the user's attachment rows, uploaded or not (NotFound otherwise)."""
    if storable(attachment_id):
        row = session.exec(
            select(ChatAttachment).where(
                ChatAttachment.id == attachment_id, ChatAttachment.user_id == user_id
            )
        ).first()
        if row is not None:
            return row
    raise attachment_not_found(attachment_id)


def owned_uploaded(session: Session, user_id: int, ids: Iterable[str]) -> list[ChatAttachment]:
    """The user's attachments, each uploaded, in the order asked (NotFound for any other)."""
    rows = []
    for attachment_id in dict.fromkeys(ids):
        row = owned(session, user_id, attachment_id)
        if row.uploaded_at is None:
            raise Conflict(f"Attachment {attachment_id} is not uploaded yet.")
        rows.append(row)
    return rows


def load(user_id: int, attachment_id: str, *, uploaded_only: bool = False) -> Attachment:
    with session_scope() as session:
        row = owned(session, user_id, attachment_id)
        if uploaded_only and row.uploaded_at is None:
            raise attachment_not_found(attachment_id)
        return ATTACHMENT.validate_python(row.payload)


def require_uploaded(user_id: int, ids: Iterable[str]) -> None:
    """Every id is one of the user's uploaded attachments (NotFound / Conflict otherwise)."""
    with session_scope() as session:
        owned_uploaded(session, user_id, ids)


def save(user_id: int, attachment: Attachment) -> None:
    """Create or update one of the user's attachment rows (ChatKit's save_attachment)."""
    if not storable(attachment.id):
        raise ValueError(f"Attachment id must be 1-{MAX_ID_LENGTH} characters without NUL")
    payload = attachment.model_dump(mode="json")
    with session_scope() as session:
        row = session.get(ChatAttachment, attachment.id)
        if row is None:
            session.add(
                ChatAttachment(
                    id=attachment.id,
                    user_id=user_id,
                    payload=payload,
                    thread_id=attachment.thread_id,
                    # ChatKit's own sign: upload instructions mean the file is still to come.
                    uploaded_at=utcnow() if attachment.upload_descriptor is None else None,
                )
            )
        elif row.user_id != user_id:
            raise attachment_not_found(attachment.id)
        else:
            row.payload = payload
            row.thread_id = attachment.thread_id or row.thread_id


def mark_uploaded(user_id: int, attachment: Attachment) -> None:
    """Record that the pending attachment's file is stored (NotFound if it went meanwhile,
    Conflict if another upload finished first)."""
    with session_scope() as session:
        row = owned(session, user_id, attachment.id)
        if row.uploaded_at is not None:
            raise Conflict(f"Attachment {attachment.id} is already uploaded.")
        row.payload = attachment.model_dump(mode="json")
        row.uploaded_at = utcnow()


def delete_row(user_id: int, attachment_id: str) -> None:
    """Delete one of the user's attachment rows (its task links go with it); files: `forget`."""
    with session_scope() as session:
        session.delete(owned(session, user_id, attachment_id))


def release(session: Session, user_id: int, ids: Iterable[str]) -> list[str]:
    """Delete those of `ids` that no thread and no task holds any more; their ids, whose files
    the caller deletes with `forget` once this transaction has committed."""
    ids = list(dict.fromkeys(ids))
    if not ids:
        return []
    held = exists().where(col(TaskAttachment.attachment_id) == col(ChatAttachment.id))
    orphans = list(
        session.exec(
            select(ChatAttachment.id).where(
                col(ChatAttachment.id).in_(ids),
                ChatAttachment.user_id == user_id,
                col(ChatAttachment.thread_id).is_(None),
                ~held,
            )
        ).all()
    )
    if orphans:
        session.exec(delete(ChatAttachment).where(col(ChatAttachment.id).in_(orphans)))
    return orphans


def sweep_unsent(user_id: int, older_than: timedelta = UNSENT_KEEP) -> list[str]:
    """Delete the user's uploads that were never sent nor attached (nothing holds them) and are
    older than `older_than`: a file picked and forgotten does not stay stored for ever. Run
    when the user starts a new upload; returns the ids, whose files are deleted here too."""
    held = exists().where(col(TaskAttachment.attachment_id) == col(ChatAttachment.id))
    with session_scope() as session:
        stale = list(
            session.exec(
                select(ChatAttachment.id).where(
                    ChatAttachment.user_id == user_id,
                    col(ChatAttachment.thread_id).is_(None),
                    col(ChatAttachment.created_at) < utcnow() - older_than,
                    ~held,
                )
            ).all()
        )
        if stale:
            session.exec(delete(ChatAttachment).where(col(ChatAttachment.id).in_(stale)))
    forget(stale)
    return stale


def release_thread(session: Session, user_id: int, thread_id: str) -> list[str]:
    """The thread is going: it no longer holds its attachments (see `release`)."""
    ids = list(
        session.exec(
            select(ChatAttachment.id).where(
                ChatAttachment.thread_id == thread_id, ChatAttachment.user_id == user_id
            )
        ).all()
    )
    if ids:
        session.exec(
            update(ChatAttachment).where(col(ChatAttachment.id).in_(ids)).values(thread_id=None)
        )
    return release(session, user_id, ids)


def forget(ids: Iterable[str]) -> None:
    """Delete the files of attachments whose rows are gone. A failure is logged, never raised:
    the row is already gone, so the file can never be served again."""
    storage = get_storage()
    for attachment_id in ids:
        for key in (original_key(attachment_id), preview_key(attachment_id)):
            try:
                storage.delete(key)
            except Exception:
                logger.exception("could not delete attachment file %s", key)


def for_task(session: Session, user_id: int, task_id: int) -> list[Attachment]:
    """The attachments a task holds, in the order they were attached."""
    payloads = session.exec(
        select(ChatAttachment.payload)
        .join(TaskAttachment, col(TaskAttachment.attachment_id) == col(ChatAttachment.id))
        .where(TaskAttachment.task_id == task_id, TaskAttachment.user_id == user_id)
        .order_by(col(TaskAttachment.created_at), col(TaskAttachment.attachment_id))
    ).all()
    return [ATTACHMENT.validate_python(payload) for payload in payloads]
