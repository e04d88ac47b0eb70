"""Receiving an upload: stream it to a scratch file under the size limit, decide what it is from
its bytes, make the image's optimised copy, move the files into storage, and only then record
the attachment as uploaded. Any failure on the way (too big, wrong type, a client that went
away mid-body) deletes the scratch files, so nothing half-received is ever kept or recorded.

Bodies come either raw (the request body is the file; its name in `X-Filename` or `?filename=`)
or as multipart/form-data with the file in a field named `file` (how browsers send a form).
"""

from __future__ import annotations

import asyncio
import secrets
import uuid
from collections.abc import AsyncIterator, Callable
from email.message import Message
from pathlib import Path

from chatkit.types import Attachment, FileAttachment
from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.requests import ClientDisconnect

from chatapp.attachments import content, records
from chatapp.attachments.storage import discard, get_storage, original_key, preview_key
from chatapp.errors import AppError, Conflict, InvalidInput, PayloadTooLarge
from chatapp.settings import get_settings

EMPTY_FILE = "The file is empty."
NO_FILE_PART = "No file in the form: send it in a field named 'file'."
FILE_FIELD = "file"
BAD_FORM = "The upload form is malformed: send multipart/form-data with the file in 'file'."
CUT_OFF = "The upload stopped before the whole file arrived; nothing was kept."


def new_attachment_id() -> str:
    """An "atc_" id with 96 random bits: ids are global (and name storage folders)."""
    return "atc_" + secrets.token_hex(12)


def size_text(size: int) -> str:
    for unit, scale in (("MB", 1024 * 1024), ("KB", 1024)):
        if size >= scale:
            return f"{size / scale:.3g} {unit}"
    return f"{size} bytes"


def too_large(limit: int) -> PayloadTooLarge:
    return PayloadTooLarge(f"The file is too large (limit {size_text(limit)}).")


class FileBody:
    """The file inside a request body, raw or multipart, as an async stream of bytes."""

    def __init__(self, chunks: AsyncIterator[bytes], content_type: str, filename: str) -> None:
        self._chunks = chunks
        self.filename = filename
        mime, params = parse_options_header(content_type or "")
        self._boundary = params.get(b"boundary") if mime == b"multipart/form-data" else None

    async def __aiter__(self) -> AsyncIterator[bytes]:
        try:
            if self._boundary is None:
                async for chunk in self._chunks:
                    yield chunk
                return
            async for chunk in self._multipart(self._boundary):
                yield chunk
        except ClientDisconnect as exc:
            raise AppError(CUT_OFF) from exc
        except MultipartParseError as exc:
            raise InvalidInput(BAD_FORM, field=FILE_FIELD) from exc

    async def _multipart(self, boundary: bytes) -> AsyncIterator[bytes]:
        pieces: list[bytes] = []
        state = {"field": b"", "value": b"", "headers": {}, "in_file": False, "found": False}

        def on_part_begin() -> None:
            state["headers"] = {}

        def on_header_field(data: bytes, start: int, end: int) -> None:
            state["field"] += data[start:end]

        def on_header_value(data: bytes, start: int, end: int) -> None:
            state["value"] += data[start:end]

        def on_header_end() -> None:
            state["headers"][state["field"].decode("latin-1").lower()] = state["value"].decode(
                "utf-8", "replace"
            )
            state["field"], state["value"] = b"", b""

        def on_headers_finished() -> None:
            disposition = Message()
            disposition["content-disposition"] = state["headers"].get("content-disposition", "")
            name = disposition.get_param("name", header="content-disposition")
            if name == FILE_FIELD and not state["found"]:
                state["in_file"] = state["found"] = True
                filename = disposition.get_filename()
                if filename:
                    self.filename = filename

        def on_part_data(data: bytes, start: int, end: int) -> None:
            if state["in_file"]:
                pieces.append(data[start:end])

        def on_part_end() -> None:
            state["in_file"] = False

        callbacks: dict[str, Callable] = {
            "on_part_begin": on_part_begin,
            "on_header_field": on_header_field,
            "on_header_value": on_header_value,
            "on_header_end": on_header_end,
            "on_headers_finished": on_headers_finished,
            "on_part_data": on_part_data,
            "on_part_end": on_part_end,
        }
        parser = MultipartParser(boundary, callbacks)  # pyright: ignore[reportArgumentType]  -- the callbacks are the parser's documented names
        async for chunk in self._chunks:
            parser.write(chunk)
            for piece in pieces:
                yield piece
            pieces.clear()
        parser.finalize()
        if not state["found"]:
            raise InvalidInput(NO_FILE_PART, field=FILE_FIELD)


async def receive(body: AsyncIterator[bytes], scratch: Path, limit: int) -> int:
    """Write the body to `scratch`, refusing it (413) as soon as it passes `limit` bytes."""
    size = 0
    with scratch.open("wb") as handle:
        async for chunk in body:
            size += len(chunk)
            if size > limit:
                raise too_large(limit)
            handle.write(chunk)
    if size == 0:
        raise InvalidInput(EMPTY_FILE, field=FILE_FIELD)
    return size


async def store_upload(
    user_id: int, pending: Attachment, body: FileBody, base_url: str, *, new: bool
) -> Attachment:
    """Receive, check and store the file of `pending`; record it (a new row when `new`, else
    the pending row from attachments.create) only once its files are in storage."""
    settings = get_settings()
    storage = get_storage()
    scratch = storage.scratch_dir() / f"{uuid.uuid4().hex}.part"
    preview = scratch.with_suffix(".preview")
    stored = False
    try:
        size = await receive(aiter(body), scratch, settings.attachment_max_bytes)
        name = content.sanitise_filename(body.filename or pending.name)
        found = await asyncio.to_thread(
            content.identify, scratch, name, settings.attachment_max_pixels
        )
        facts: dict = {"size": size}
        if found.kind == "image":
            facts["preview_mime_type"] = await asyncio.to_thread(
                content.write_preview, scratch, preview
            )
            facts["width"], facts["height"] = found.width, found.height
        attachment = records.uploaded(
            pending,
            name=name,
            mime_type=found.mime_type,
            kind=found.kind,
            base_url=base_url,
            facts=facts,
        )
        stored = True
        if found.kind == "image":
            await asyncio.to_thread(storage.save, preview_key(pending.id), preview)
        await asyncio.to_thread(storage.save, original_key(pending.id), scratch)
        if new:
            await asyncio.to_thread(records.save, user_id, attachment)
        else:
            await asyncio.to_thread(records.mark_uploaded, user_id, attachment)
        return attachment
    except Conflict:
        raise  # a parallel upload of the same attachment won: its row names these keys
    except BaseException:
        if stored:  # the files went in but the row did not say so: they must go
            await asyncio.to_thread(records.forget, [pending.id])
        raise
    finally:
        discard(scratch)
        discard(preview)


def blank(attachment_id: str, name: str) -> Attachment:
    """The starting record of a one-shot upload (never stored as it is)."""
    return FileAttachment(id=attachment_id, name=name or content.DEFAULT_FILENAME,
                          mime_type="application/octet-stream")  # fmt: skip
