"""Attachment routes: uploads (ChatKit's two-phase and a one-shot for the native chat), and
downloads of the original and of an image's optimised copy.

Every route takes a session or chat-scoped token, as `Authorization: Bearer` or, for an <img>
or a download link that cannot send headers, `?token=`. Another user's attachment answers
exactly as a missing one does (404).
"""

from __future__ import annotations

import asyncio
from typing import Annotated
from urllib.parse import quote

from chatkit.types import ImageAttachment
from fastapi import APIRouter, Depends, Header, Query, Request, Response
from fastapi.responses import StreamingResponse

from chatapp.attachments import records
from chatapp.attachments.records import AttachmentOut
from chatapp.attachments.storage import get_storage, original_key, preview_key
from chatapp.attachments.upload import FileBody, blank, new_attachment_id, store_upload
from chatapp.auth.bearer import live_account, verify_bearer
from chatapp.auth.security import CHAT_AUDIENCE, SESSION_AUDIENCE
from chatapp.errors import Conflict, NotFound, attachment_not_found

router = APIRouter(prefix="/api/attachments", tags=["attachments"])
ATTACHMENT_PATHS = router.prefix
UPLOAD_OPENAPI = {
    "requestBody": {
        "content": {
            "application/octet-stream": {"schema": {"type": "string", "format": "binary"}},
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {"file": {"type": "string", "format": "binary"}},
                    "required": ["file"],
                }
            },
        }
    }
}


async def attachment_user(
    authorization: Annotated[str | None, Header(include_in_schema=False)] = None,
    token: Annotated[
        str | None, Query(description="The bearer token, for links that cannot send headers")
    ] = None,
) -> int:
    """The user of a session or chat-scoped token, from the header or `?token=`."""
    header = authorization if authorization or not token else f"Bearer {token}"
    claims = verify_bearer(header, audience=(SESSION_AUDIENCE, CHAT_AUDIENCE))
    await live_account(claims)
    return claims.user_id


def file_body(
    request: Request,
    filename: Annotated[str | None, Query(max_length=1000)] = None,
    x_filename: Annotated[str | None, Header(max_length=1000)] = None,
) -> FileBody:
    """The uploaded file in the request body (raw or multipart), not read yet."""
    return FileBody(
        request.stream(), request.headers.get("content-type", ""), filename or x_filename or ""
    )


AttachmentUser = Annotated[int, Depends(attachment_user)]
UploadedFile = Annotated[FileBody, Depends(file_body)]


@router.post("", status_code=201, response_model=AttachmentOut, openapi_extra=UPLOAD_OPENAPI)
async def upload(request: Request, user_id: AttachmentUser, body: UploadedFile) -> AttachmentOut:
    """One-shot upload: the body is the file (raw, named by `X-Filename` or `?filename=`, or
    multipart/form-data with a `file` field). Checked like every upload; the answer is the
    attachment, ready to send with a message or attach to a task."""
    await asyncio.to_thread(records.sweep_unsent, user_id)
    pending = blank(new_attachment_id(), body.filename)
    attachment = await store_upload(user_id, pending, body, str(request.base_url), new=True)
    return records.out(attachment)


@router.post("/{attachment_id}/upload", response_model=AttachmentOut, openapi_extra=UPLOAD_OPENAPI)
async def upload_pending(
    attachment_id: str, request: Request, user_id: AttachmentUser, body: UploadedFile
) -> AttachmentOut:
    """The second phase of ChatKit's two-phase upload: the file of an attachment made by
    `attachments.create` (409 once it has one)."""
    pending = await asyncio.to_thread(records.load, user_id, attachment_id)
    if pending.upload_descriptor is None:
        raise Conflict(f"Attachment {attachment_id} is already uploaded.")
    attachment = await store_upload(user_id, pending, body, str(request.base_url), new=False)
    return records.out(attachment)


@router.get("/{attachment_id}", response_class=Response)
async def download(attachment_id: str, user_id: AttachmentUser, download: bool = False) -> Response:
    """The original file. Images open in the browser; everything else (or `?download=true`)
    downloads under its sanitised name."""
    attachment = await asyncio.to_thread(records.load, user_id, attachment_id, uploaded_only=True)
    inline = isinstance(attachment, ImageAttachment) and not download
    disposition = "inline" if inline else "attachment"
    return await _file(
        original_key(attachment_id),
        attachment.mime_type,
        f"{disposition}; filename*=UTF-8''{quote(attachment.name)}",
        attachment_id,
    )


@router.get("/{attachment_id}/preview", response_class=Response)
async def preview(
    attachment_id: str,
    authorization: Annotated[str | None, Header(include_in_schema=False)] = None,
    token: Annotated[str | None, Query(description="The bearer token")] = None,
    key: Annotated[str | None, Query(description="The key in the attachment's preview_url")] = None,
) -> Response:
    """An image's optimised copy (longest side 800 px, upright, no metadata), for its owner's
    token or for the key its `preview_url` carries (an <img> cannot send a token)."""
    if key and records.valid_access_key(attachment_id, key):
        attachment = await asyncio.to_thread(records.load_preview, attachment_id)
    else:
        user_id = await attachment_user(authorization, token)
        attachment = await asyncio.to_thread(
            records.load, user_id, attachment_id, uploaded_only=True
        )
    if not isinstance(attachment, ImageAttachment):
        raise NotFound(f"Attachment {attachment_id} has no preview (it is not an image)")
    mime = records.info(attachment).get("preview_mime_type", "image/jpeg")
    return await _file(preview_key(attachment_id), mime, "inline", attachment_id)


@router.delete("/{attachment_id}", status_code=204)
async def delete(attachment_id: str, user_id: AttachmentUser) -> Response:
    """Delete the attachment everywhere (its messages show it as gone, its tasks drop it)."""
    await asyncio.to_thread(records.delete_row, user_id, attachment_id)
    await asyncio.to_thread(records.forget, [attachment_id])
    return Response(status_code=204)


async def _file(key: str, mime: str, disposition: str, attachment_id: str) -> Response:
    try:
        chunks = await asyncio.to_thread(get_storage().chunks, key)
    except FileNotFoundError as exc:
        raise attachment_not_found(attachment_id) from exc
    return StreamingResponse(
        chunks,
        media_type=mime,
        headers={
            "Content-Disposition": disposition,
            # The type is the sniffed one; a browser must not guess another, or run anything.
            "X-Content-Type-Options": "nosniff",
            "Content-Security-Policy": "default-src 'none'; img-src 'self'; sandbox",
            "Cache-Control": "private, max-age=3600",
        },
    )
