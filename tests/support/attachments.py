"""Helpers for attachment tests: upload through the real routes, look at what is stored."""

from __future__ import annotations

from pathlib import Path

from sqlmodel import select

UPLOAD_URL = "/api/attachments"


def upload(client, user, data: bytes, name: str, mime: str = "application/octet-stream"):
    """The one-shot upload as a browser form sends it (multipart, field `file`)."""
    return client.post(UPLOAD_URL, files={"file": (name, data, mime)}, headers=user.headers)


def uploaded_id(client, user, data: bytes, name: str) -> str:
    response = upload(client, user, data, name)
    assert response.status_code == 201, response.text
    return response.json()["id"]


def stored_files(root: Path) -> list[Path]:
    """Every file under the attachment folder, scratch files included."""
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def attachment_rows() -> list:
    from chatapp.db import session_scope
    from chatapp.db.models import ChatAttachment

    with session_scope() as session:
        return list(session.exec(select(ChatAttachment)).all())
