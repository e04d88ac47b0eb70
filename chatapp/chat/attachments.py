"""ChatKit's AttachmentStore for chatapp: the two-phase upload.

`attachments.create` records a pending attachment and answers with an upload URL on this app
(`POST /api/attachments/{id}/upload`, chatapp/api/attachments.py), which receives, checks and
stores the file and only then marks the record uploaded. A pending attachment cannot be sent.
`attachments.delete` checks ownership here; the Store then deletes the row and its files.
"""

from __future__ import annotations

import asyncio

from chatkit.store import AttachmentStore, NotFoundError
from chatkit.types import (
    Attachment,
    AttachmentCreateParams,
    AttachmentUploadDescriptor,
    FileAttachment,
    ImageAttachment,
)

from chatapp.attachments import records
from chatapp.attachments.content import sanitise_filename
from chatapp.attachments.upload import new_attachment_id, too_large
from chatapp.chat.store import RequestContext
from chatapp.errors import NotFound
from chatapp.settings import get_settings

# Upload URLs made with no request to take the address from (and no CHATAPP_PUBLIC_URL).
FALLBACK_BASE_URL = "http://localhost:8000"


def upload_url(attachment_id: str, base_url: str) -> str:
    return records.attachment_url(attachment_id, base_url) + "/upload"


def public_base(context: RequestContext) -> str:
    return get_settings().chatapp_public_url or context.base_url or FALLBACK_BASE_URL


class TodoAttachmentStore(AttachmentStore[RequestContext]):
    def generate_attachment_id(self, mime_type: str, context: RequestContext) -> str:
        return new_attachment_id()

    async def create_attachment(
        self, input: AttachmentCreateParams, context: RequestContext
    ) -> Attachment:
        """A pending record and where to upload its file. The declared type only picks how the
        composer shows it until the upload, whose bytes decide what it really is."""
        limit = get_settings().attachment_max_bytes
        if input.size > limit:
            raise too_large(limit)
        await asyncio.to_thread(records.sweep_unsent, context.user_id)
        attachment_id = self.generate_attachment_id(input.mime_type, context)
        base = public_base(context)
        fields = {
            "id": attachment_id,
            "name": sanitise_filename(input.name),
            "mime_type": input.mime_type[:255],
            "upload_descriptor": AttachmentUploadDescriptor(
                url=upload_url(attachment_id, base),  # pyright: ignore[reportArgumentType]  -- AnyUrl validates the string
                method="POST",
            ),
        }
        if input.mime_type.startswith("image/"):
            return ImageAttachment(**fields, preview_url=records.preview_url(attachment_id, base))  # pyright: ignore[reportArgumentType]  -- as above
        return FileAttachment(**fields)

    async def delete_attachment(self, attachment_id: str, context: RequestContext) -> None:
        """Only the user's own: the Store's delete_attachment then removes the row and files."""
        try:
            await asyncio.to_thread(records.load, context.user_id, attachment_id)
        except NotFound as exc:
            raise NotFoundError(exc.message) from exc
