"""How attachments reach a model: each user message that carries files gets a manifest (a JSON
list of their ids, names and kinds, so the model can pass the ids to attach_files or add_task),
then one part per file: an image as an input image (the optimised copy, as a data URL), a text
file as its text (bounded), a PDF as a note with its name.

Every part this module writes starts with ATTACHMENT_MARK, so a reader of the user's own words
(the offline model) can tell them apart; the manifest is read back as data by `read_manifest`.
"""

from __future__ import annotations

import base64
import json

from chatkit.types import Attachment, ImageAttachment
from openai.types.responses import (
    ResponseInputContentParam,
    ResponseInputImageParam,
    ResponseInputTextParam,
)

from chatapp.attachments import records
from chatapp.attachments.storage import get_storage, original_key, preview_key

ATTACHMENT_MARK = "[attachment"
MANIFEST_MARK = "[attachments] "
# A text file is cut here: a model's context is precious and the file may be long.
TEXT_MAX_CHARS = 8000
TRUNCATED = "\n… (truncated)"
GONE = "the file is no longer available"


def manifest(attachments: list[Attachment]) -> ResponseInputTextParam:
    """The input_text part that lists a message's attachments."""
    listed = [
        {
            "id": a.id,
            "name": a.name,
            "kind": "image" if isinstance(a, ImageAttachment) else "file",
            "mime_type": a.mime_type,
        }
        for a in attachments
    ]
    text = MANIFEST_MARK + json.dumps(listed, ensure_ascii=False)
    return ResponseInputTextParam(type="input_text", text=text)


def read_manifest(text: str) -> list[dict[str, str]] | None:
    """The attachments a manifest part lists; None when `text` is not one."""
    if not text.startswith(MANIFEST_MARK):
        return None
    try:
        listed = json.loads(text[len(MANIFEST_MARK) :])
    except ValueError:
        return None
    if not isinstance(listed, list):
        return None
    return [
        {key: str(entry.get(key, "")) for key in ("id", "name", "kind", "mime_type")}
        for entry in listed
        if isinstance(entry, dict) and entry.get("id")
    ]


def _label(attachment: Attachment) -> str:
    return f"{ATTACHMENT_MARK} {attachment.id} {json.dumps(attachment.name, ensure_ascii=False)}]"


def _note(attachment: Attachment, words: str) -> ResponseInputTextParam:
    return ResponseInputTextParam(type="input_text", text=f"{_label(attachment)} {words}")


def content_part(attachment: Attachment) -> ResponseInputContentParam:
    """The model input part for one attachment (blocking: reads storage)."""
    storage = get_storage()
    try:
        if isinstance(attachment, ImageAttachment):
            data = storage.read(preview_key(attachment.id))
            mime = records.info(attachment).get("preview_mime_type", "image/jpeg")
            url = f"data:{mime};base64,{base64.b64encode(data).decode()}"
            return ResponseInputImageParam(type="input_image", image_url=url, detail="auto")
        if attachment.mime_type.startswith("text/"):
            text = storage.read(original_key(attachment.id)).decode("utf-8", "replace")
            if len(text) > TEXT_MAX_CHARS:
                text = text[:TEXT_MAX_CHARS] + TRUNCATED
            return ResponseInputTextParam(type="input_text", text=f"{_label(attachment)}\n{text}")
    except FileNotFoundError:
        return _note(attachment, GONE)
    size = records.info(attachment).get("size")
    return _note(
        attachment,
        f"A {attachment.mime_type} document"
        + (f" of {size} bytes" if size else "")
        + "; its contents are not shown here.",
    )
