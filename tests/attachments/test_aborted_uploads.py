"""An upload cut off half-way leaves nothing: no file (not even a scratch file) and no row; a
pending ChatKit attachment stays pending (no file), and can be uploaded again."""

from __future__ import annotations

import json
import socket
import time
from urllib.parse import urlsplit

from tests.support import files
from tests.support.attachments import attachment_rows, stored_files

BODY = files.jpeg_with_exif((2400, 1600))


async def _cut_off(app, path: str, user, sent: bytes) -> int:
    """Drive the ASGI app with a body that stops after `sent` and a client that goes away."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [
            (b"host", b"testserver"),
            (b"authorization", user.headers["Authorization"].encode()),
            (b"x-filename", b"photo.jpg"),
            (b"content-length", str(len(BODY)).encode()),
        ],
        "client": ("127.0.0.1", 5000),
        "server": ("testserver", 80),
    }
    messages = [
        {"type": "http.request", "body": sent[: len(sent) // 2], "more_body": True},
        {"type": "http.request", "body": sent[len(sent) // 2 :], "more_body": True},
        {"type": "http.disconnect"},
    ]
    status = {}

    async def receive():
        return messages.pop(0) if messages else {"type": "http.disconnect"}

    async def send(message):
        if message["type"] == "http.response.start":
            status["code"] = message["status"]

    await app(scope, receive, send)
    return status.get("code", 0)


async def test_a_one_shot_upload_cut_off_half_way_leaves_nothing(attachment_dir, owner):
    from chatapp.api import build_api

    code = await _cut_off(build_api(), "/api/attachments", owner, BODY[: len(BODY) // 2])
    assert code == 400
    assert stored_files(attachment_dir) == []
    assert attachment_rows() == []


async def test_a_two_phase_upload_cut_off_keeps_the_attachment_pending(
    attachment_dir, owner, app_client
):
    from chatapp.api import build_api

    create = {
        "type": "attachments.create",
        "params": {"name": "photo.jpg", "size": len(BODY), "mime_type": "image/jpeg"},
    }
    pending = app_client.post("/chatkit", content=json.dumps(create), headers=owner.headers).json()
    path = f"/api/attachments/{pending['id']}/upload"

    await _cut_off(build_api(), path, owner, BODY[: len(BODY) // 3])
    assert stored_files(attachment_dir) == []
    [row] = attachment_rows()
    assert row.uploaded_at is None
    assert app_client.get(f"/api/attachments/{row.id}", headers=owner.headers).status_code == 404

    retried = app_client.post(
        path, content=BODY, headers={**owner.headers, "X-Filename": "photo.jpg"}
    )
    assert retried.status_code == 200, retried.text
    assert len(stored_files(attachment_dir)) == 2  # the original and its preview


def _wait(condition, what: str, seconds: float = 20.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"gave up waiting for {what}"
        time.sleep(0.05)


def test_a_client_killed_mid_upload_over_real_http_leaves_nothing(
    api_server, attachment_dir, owner
):
    address = urlsplit(api_server)
    head = (
        f"POST /api/attachments HTTP/1.1\r\nHost: {address.netloc}\r\n"
        f"Authorization: {owner.headers['Authorization']}\r\nX-Filename: photo.jpg\r\n"
        f"Content-Length: {len(BODY)}\r\n\r\n"
    ).encode()
    with socket.create_connection((address.hostname, address.port)) as client:
        client.sendall(head + BODY[: len(BODY) // 2])
        # The server is part-way through: its scratch file exists...
        _wait(lambda: any(p.suffix == ".part" for p in stored_files(attachment_dir)), "upload")
        client.shutdown(socket.SHUT_RDWR)  # ...when the client dies.
    _wait(lambda: stored_files(attachment_dir) == [], "the scratch file to go")
    assert attachment_rows() == []
