"""Another user's attachment is, on every route, exactly what a missing one is: 404 with the
same message, and nothing read, changed or deleted."""

from __future__ import annotations

import json

import pytest

from tests.support import files
from tests.support.attachments import attachment_rows, stored_files, uploaded_id

MISSING = "atc_000000000000000000000000"


def _routes(owner_task: int, intruder_task: int):
    """(name, call(client, user, attachment_id)) for every route that takes an attachment id."""

    def chatkit(request):
        return lambda c, u, a: c.post("/chatkit", content=json.dumps(request(a)), headers=u.headers)

    def send(a):
        return {
            "type": "threads.create",
            "params": {
                "input": {
                    "content": [{"type": "input_text", "text": "hi"}],
                    "attachments": [a],
                    "inference_options": {},
                }
            },
        }

    return {
        "download": lambda c, u, a: c.get(f"/api/attachments/{a}", headers=u.headers),
        "download ?token": lambda c, u, a: c.get(f"/api/attachments/{a}?token={u.token}"),
        "preview": lambda c, u, a: c.get(f"/api/attachments/{a}/preview", headers=u.headers),
        "upload": lambda c, u, a: c.post(
            f"/api/attachments/{a}/upload", content=b"hi", headers=u.headers
        ),
        "delete": lambda c, u, a: c.delete(f"/api/attachments/{a}", headers=u.headers),
        "attach to own task": lambda c, u, a: c.post(
            f"/api/{u.id}/tasks/{intruder_task}/attachments",
            json={"attachment_ids": [a]},
            headers=u.headers,
        ),
        "detach from own task": lambda c, u, a: c.delete(
            f"/api/{u.id}/tasks/{intruder_task}/attachments/{a}", headers=u.headers
        ),
        "chat door": lambda c, u, a: c.post(
            f"/api/{u.id}/chat", json={"message": "hi", "attachments": [a]}, headers=u.headers
        ),
        "chatkit send": chatkit(send),
        "chatkit attachments.delete": chatkit(
            lambda a: {"type": "attachments.delete", "params": {"attachment_id": a}}
        ),
    }


ROUTES = list(_routes(0, 0))


@pytest.mark.parametrize("route", ROUTES)
def test_other_users_attachment_is_404_like_a_missing_one(
    app_client, owner, intruder, attachment_dir, route
):
    photo = uploaded_id(app_client, owner, files.png(), "private.png")
    own_task = app_client.post(owner.tasks_url, json={"title": "x"}, headers=owner.headers)
    theirs = app_client.post(intruder.tasks_url, json={"title": "y"}, headers=intruder.headers)
    call = _routes(own_task.json()["id"], theirs.json()["id"])[route]
    before = stored_files(attachment_dir)

    foreign = call(app_client, intruder, photo)
    missing = call(app_client, intruder, MISSING)

    assert foreign.status_code == missing.status_code == 404, (foreign.text, missing.text)
    assert foreign.json()["detail"] == missing.json()["detail"].replace(MISSING, photo)
    assert stored_files(attachment_dir) == before
    assert [row.id for row in attachment_rows()] == [photo]
    assert app_client.get(f"/api/attachments/{photo}", headers=owner.headers).status_code == 200


def test_other_users_task_attachments_are_404(app_client, owner, intruder):
    task = app_client.post(owner.tasks_url, json={"title": "x"}, headers=owner.headers).json()
    listed = app_client.get(
        f"/api/{intruder.id}/tasks/{task['id']}/attachments", headers=intruder.headers
    )
    assert listed.status_code == 404
    assert listed.json()["detail"] == f"Task {task['id']} not found"
    # And a path naming the other user is refused outright.
    other_path = app_client.get(
        f"{owner.tasks_url}/{task['id']}/attachments", headers=intruder.headers
    )
    assert other_path.status_code == 403
