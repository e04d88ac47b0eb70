"""An attachment lives while a message or a task holds it: sending it with a message, keeping
it on a task, and deleting the thread or the task (its files go with the last holder)."""

from __future__ import annotations

import json

from tests.support import files
from tests.support.attachments import attachment_rows, stored_files, uploaded_id


def _chatkit(client, user, request: dict):
    return client.post("/chatkit", content=json.dumps(request), headers=user.headers)


def _send(client, user, message: str, attachments: list[str]) -> dict:
    response = client.post(
        user.chat_url, json={"message": message, "attachments": attachments}, headers=user.headers
    )
    assert response.status_code == 200, response.text
    return response.json()


def _delete_thread(client, user, thread_id: str) -> None:
    request = {"type": "threads.delete", "params": {"thread_id": thread_id}}
    assert _chatkit(client, user, request).status_code == 200


def _task(client, user, title: str) -> int:
    response = client.post(user.tasks_url, json={"title": title}, headers=user.headers)
    assert response.status_code == 201
    return response.json()["id"]


def _attach(client, user, task_id: int, ids: list[str]):
    url = f"{user.tasks_url}/{task_id}/attachments"
    return client.post(url, json={"attachment_ids": ids}, headers=user.headers)


def _user_message(client, user, thread_id: str) -> dict:
    request = {"type": "items.list", "params": {"thread_id": thread_id, "order": "asc"}}
    items = _chatkit(client, user, request).json()["data"]
    return next(item for item in items if item["type"] == "user_message")


def test_a_message_carries_its_attachments_and_the_thread_delete_removes_the_files(
    app_client, owner, attachment_dir
):
    photo = uploaded_id(app_client, owner, files.png(), "receipt.png")
    pdf = uploaded_id(app_client, owner, files.pdf(), "invoice.pdf")
    reply = _send(app_client, owner, "here are my receipts", [photo, pdf])

    message = _user_message(app_client, owner, reply["thread_id"])
    assert [(a["id"], a["name"], a["type"]) for a in message["attachments"]] == [
        (photo, "receipt.png", "image"),
        (pdf, "invoice.pdf", "file"),
    ]
    assert f"/api/attachments/{photo}/preview?key=" in message["attachments"][0]["preview_url"]
    assert len(stored_files(attachment_dir)) == 3  # two originals, one preview

    _delete_thread(app_client, owner, reply["thread_id"])
    assert stored_files(attachment_dir) == []
    assert attachment_rows() == []
    assert app_client.get(f"/api/attachments/{photo}", headers=owner.headers).status_code == 404


def test_task_attachments_are_listed_and_go_with_the_task(app_client, owner, attachment_dir):
    task_id = _task(app_client, owner, "expenses")
    photo = uploaded_id(app_client, owner, files.jpeg_with_exif(), "taxi.jpg")
    notes = uploaded_id(app_client, owner, b"taxi 23.50\n", "notes.txt")
    url = f"{owner.tasks_url}/{task_id}/attachments"

    attached = _attach(app_client, owner, task_id, [photo, notes])
    assert attached.status_code == 200, attached.text
    listed = app_client.get(url, headers=owner.headers).json()
    assert listed == attached.json()
    assert [(a["id"], a["name"], a["kind"], a["mime_type"]) for a in listed] == [
        (photo, "taxi.jpg", "image", "image/jpeg"),
        (notes, "notes.txt", "file", "text/plain"),
    ]
    assert listed[0]["url"] == f"/api/attachments/{photo}"
    assert listed[0]["preview_url"].startswith(f"/api/attachments/{photo}/preview?key=")
    assert listed[1]["preview_url"] is None and listed[1]["size"] == 11
    # Attaching again changes nothing.
    again = _attach(app_client, owner, task_id, [notes])
    assert len(again.json()) == 2

    assert (
        app_client.delete(f"{owner.tasks_url}/{task_id}", headers=owner.headers).status_code == 204
    )
    assert stored_files(attachment_dir) == []
    assert attachment_rows() == []


def test_a_file_held_by_a_message_and_a_task_stays_until_both_let_go(
    app_client, owner, attachment_dir
):
    photo = uploaded_id(app_client, owner, files.png(), "receipt.png")
    first, second = _task(app_client, owner, "expenses"), _task(app_client, owner, "taxes")
    for task_id in (first, second):
        _attach(app_client, owner, task_id, [photo])
    reply = _send(app_client, owner, "my receipt", [photo])

    _delete_thread(app_client, owner, reply["thread_id"])
    app_client.delete(f"{owner.tasks_url}/{first}", headers=owner.headers)
    assert len(stored_files(attachment_dir)) == 2  # the second task still holds it
    listed = app_client.get(f"{owner.tasks_url}/{second}/attachments", headers=owner.headers)
    assert [a["id"] for a in listed.json()] == [photo]

    detach = f"{owner.tasks_url}/{second}/attachments/{photo}"
    assert app_client.delete(detach, headers=owner.headers).status_code == 204
    assert stored_files(attachment_dir) == []
    assert attachment_rows() == []


def test_deleting_a_thread_keeps_files_a_task_holds(app_client, owner, attachment_dir):
    photo = uploaded_id(app_client, owner, files.png(), "receipt.png")
    task_id = _task(app_client, owner, "expenses")
    _attach(app_client, owner, task_id, [photo])
    reply = _send(app_client, owner, "my receipt", [photo])
    _delete_thread(app_client, owner, reply["thread_id"])

    assert app_client.get(f"/api/attachments/{photo}", headers=owner.headers).status_code == 200
    app_client.delete(f"{owner.tasks_url}/{task_id}", headers=owner.headers)
    assert stored_files(attachment_dir) == []


def test_deleting_an_attachment_removes_it_from_its_task(app_client, owner, attachment_dir):
    notes = uploaded_id(app_client, owner, b"hello", "notes.txt")
    task_id = _task(app_client, owner, "expenses")
    url = f"{owner.tasks_url}/{task_id}/attachments"
    _attach(app_client, owner, task_id, [notes])

    assert app_client.delete(f"/api/attachments/{notes}", headers=owner.headers).status_code == 204
    assert app_client.get(url, headers=owner.headers).json() == []
    assert stored_files(attachment_dir) == []


def test_chatkit_two_phase_upload_then_send(app_client, owner, attachment_dir):
    create = {
        "type": "attachments.create",
        "params": {"name": "../scan.png", "size": 200, "mime_type": "image/png"},
    }
    created = _chatkit(app_client, owner, create)
    assert created.status_code == 200, created.text
    pending = created.json()
    assert pending["name"] == "scan.png" and pending["type"] == "image"
    upload_url = pending["upload_descriptor"]["url"]
    assert upload_url.endswith(f"/api/attachments/{pending['id']}/upload")
    assert pending["upload_descriptor"]["method"] == "POST"

    # Not uploaded yet: it cannot be sent, and has nothing to download.
    early = app_client.post(
        owner.chat_url,
        json={"message": "hi", "attachments": [pending["id"]]},
        headers=owner.headers,
    )
    assert early.status_code == 409
    assert early.json()["detail"] == f"Attachment {pending['id']} is not uploaded yet."
    assert (
        app_client.get(f"/api/attachments/{pending['id']}", headers=owner.headers).status_code
        == 404
    )

    path = upload_url.split("://", 1)[1].split("/", 1)[1]
    done = app_client.post(
        "/" + path, files={"file": ("scan.png", files.png(), "image/png")}, headers=owner.headers
    )
    assert done.status_code == 200, done.text
    assert done.json()["kind"] == "image"
    again = app_client.post(
        "/" + path, files={"file": ("scan.png", files.png(), "image/png")}, headers=owner.headers
    )
    assert again.status_code == 409

    send = {
        "type": "threads.create",
        "params": {
            "input": {
                "content": [{"type": "input_text", "text": "my scan"}],
                "attachments": [pending["id"]],
                "inference_options": {},
            }
        },
    }
    streamed = _chatkit(app_client, owner, send)
    assert streamed.status_code == 200
    assert f'"id":"{pending["id"]}"' in streamed.text.replace(" ", "")


def test_chatkit_attachments_delete_removes_the_files(app_client, owner, attachment_dir):
    create = {
        "type": "attachments.create",
        "params": {"name": "notes.txt", "size": 5, "mime_type": "text/plain"},
    }
    pending = _chatkit(app_client, owner, create).json()
    app_client.post(
        f"/api/attachments/{pending['id']}/upload",
        content=b"hello",
        headers={**owner.headers, "X-Filename": "notes.txt"},
    )
    assert len(stored_files(attachment_dir)) == 1
    delete = {"type": "attachments.delete", "params": {"attachment_id": pending["id"]}}
    assert _chatkit(app_client, owner, delete).status_code == 200
    assert stored_files(attachment_dir) == []
    assert attachment_rows() == []


def test_chatkit_refuses_a_declared_size_over_the_limit(app_client, owner):
    create = {
        "type": "attachments.create",
        "params": {"name": "huge.pdf", "size": 50 * 1024 * 1024, "mime_type": "application/pdf"},
    }
    response = _chatkit(app_client, owner, create)
    assert response.status_code == 413
    assert response.json()["detail"] == "The file is too large (limit 10 MB)."
    assert attachment_rows() == []


def test_chatkit_sends_files_without_words_and_the_offline_model_says_what_arrived(
    app_client, owner
):
    photo = uploaded_id(app_client, owner, files.png(), "receipt.png")
    send = {
        "type": "threads.create",
        "params": {
            "input": {
                "content": [{"type": "input_text", "text": ""}],
                "attachments": [photo],
                "inference_options": {},
            }
        },
    }
    streamed = _chatkit(app_client, owner, send)
    assert streamed.status_code == 200, streamed.text
    assert "I got “receipt.png”." in streamed.text
    empty = {**send, "params": {"input": {**send["params"]["input"], "attachments": []}}}
    assert _chatkit(app_client, owner, empty).status_code == 400


def _age(attachment_id: str, hours: float) -> None:
    from datetime import timedelta

    from chatapp.db import session_scope
    from chatapp.db.models import ChatAttachment, utcnow

    with session_scope() as session:
        row = session.get(ChatAttachment, attachment_id)
        assert row is not None
        row.created_at = utcnow() - timedelta(hours=hours)


def test_a_new_upload_sweeps_the_users_stale_unsent_uploads(
    app_client, owner, intruder, attachment_dir
):
    forgotten = uploaded_id(app_client, owner, files.png(), "forgotten.png")
    sent = uploaded_id(app_client, owner, files.png(), "sent.png")
    attached = uploaded_id(app_client, owner, files.png(), "attached.png")
    recent = uploaded_id(app_client, owner, files.png(), "recent.png")
    theirs = uploaded_id(app_client, intruder, files.png(), "theirs.png")
    _send(app_client, owner, "my receipt", [sent])
    _attach(app_client, owner, _task(app_client, owner, "expenses"), [attached])
    for old in (forgotten, sent, attached, theirs):
        _age(old, hours=25)
    _age(recent, hours=23)

    uploaded_id(app_client, owner, files.png(), "new.png")

    ids = {row.id for row in attachment_rows()}
    assert forgotten not in ids  # never sent nor attached, a day old: swept, files too
    assert {sent, attached, recent, theirs} <= ids
    assert app_client.get(f"/api/attachments/{forgotten}", headers=owner.headers).status_code == 404
    assert not [p for p in stored_files(attachment_dir) if forgotten in str(p)]
