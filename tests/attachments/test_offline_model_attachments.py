"""The offline model with attached files, end to end through the JSON chat door: it attaches
them to the task named, adds a task holding them, and acknowledges files it was not asked
about."""

from __future__ import annotations

from tests.support import files
from tests.support.attachments import uploaded_id


def _say(client, user, message: str, attachments=(), conversation=None) -> dict:
    body = {"message": message, "attachments": list(attachments)}
    if conversation is not None:
        body["conversation_id"] = conversation
    response = client.post(user.chat_url, json=body, headers=user.headers)
    assert response.status_code == 200, response.text
    return response.json()


def _task(client, user, title: str) -> int:
    return client.post(user.tasks_url, json={"title": title}, headers=user.headers).json()["id"]


def _held(client, user, task_id: int) -> list[str]:
    listed = client.get(f"{user.tasks_url}/{task_id}/attachments", headers=user.headers)
    return [a["name"] for a in listed.json()]


def test_add_these_receipts_to_the_expenses_task(app_client, owner):
    _task(app_client, owner, "Call mom")
    expenses = _task(app_client, owner, "Expenses")
    first = uploaded_id(app_client, owner, files.jpeg_with_exif(), "taxi.jpg")
    second = uploaded_id(app_client, owner, files.png(), "lunch.png")

    reply = _say(app_client, owner, "add these receipts to the expenses task", [first, second])

    assert [call["name"] for call in reply["tool_calls"]] == ["list_tasks", "attach_files"]
    assert reply["tool_calls"][1]["arguments"] == {
        "task_id": expenses,
        "attachment_ids": [first, second],
    }
    assert (
        reply["response"] == f"Attached “taxi.jpg” and “lunch.png” to “Expenses” (task {expenses})."
    )
    assert _held(app_client, owner, expenses) == ["taxi.jpg", "lunch.png"]


def test_attach_this_later_in_the_conversation_uses_the_files_sent_before(app_client, owner):
    expenses = _task(app_client, owner, "Expenses")
    photo = uploaded_id(app_client, owner, files.png(), "receipt.png")

    first = _say(app_client, owner, "here is a receipt", [photo])
    assert first["tool_calls"] == []
    assert first["response"].startswith("I got “receipt.png”.")

    reply = _say(
        app_client, owner, f"attach it to task {expenses}", conversation=first["conversation_id"]
    )
    assert [call["name"] for call in reply["tool_calls"]] == ["attach_files"]
    assert _held(app_client, owner, expenses) == ["receipt.png"]


def test_add_a_task_review_contract_with_this_file(app_client, owner):
    contract = uploaded_id(app_client, owner, files.pdf(), "contract.pdf")

    reply = _say(app_client, owner, "add a task review contract with this file", [contract])

    assert [call["name"] for call in reply["tool_calls"]] == ["add_task"]
    task_id = _only_task(app_client, owner)
    assert (
        reply["response"]
        == f"Added “Review contract” (task {task_id}) with “contract.pdf” attached."
    )
    assert _held(app_client, owner, task_id) == ["contract.pdf"]


def _only_task(client, user) -> int:
    tasks = client.get(user.tasks_url, headers=user.headers).json()
    assert [t["title"] for t in tasks] == ["Review contract"]
    return tasks[0]["id"]


def test_attach_without_a_file_says_so(app_client, owner):
    _task(app_client, owner, "Expenses")
    reply = _say(app_client, owner, "attach this to the expenses task")
    assert reply["tool_calls"] == []
    assert reply["response"].startswith("I don't see a file on your message.")


def test_an_unknown_task_is_said_not_guessed(app_client, owner):
    _task(app_client, owner, "Expenses")
    photo = uploaded_id(app_client, owner, files.png(), "receipt.png")
    reply = _say(app_client, owner, "attach this to the groceries task", [photo])
    assert [call["name"] for call in reply["tool_calls"]] == ["list_tasks"]
    assert reply["response"].startswith("I couldn't find a task matching")


def test_list_tasks_names_the_files_a_task_holds(app_client, owner):
    expenses = _task(app_client, owner, "Expenses")
    photo = uploaded_id(app_client, owner, files.png(), "receipt.png")
    app_client.post(
        f"{owner.tasks_url}/{expenses}/attachments",
        json={"attachment_ids": [photo]},
        headers=owner.headers,
    )
    reply = _say(app_client, owner, "show my tasks")
    listed = reply["tool_calls"][0]
    assert listed["name"] == "list_tasks"
    import json

    rows = json.loads(listed["output"]) if isinstance(listed["output"], str) else listed["output"]
    assert rows[0]["attachments"] == [{"id": photo, "name": "receipt.png", "kind": "image"}]


def test_a_normal_request_with_a_file_still_runs(app_client, owner):
    notes = uploaded_id(app_client, owner, b"milk\neggs\n", "list.txt")
    reply = _say(app_client, owner, "add buy groceries", [notes])
    assert [call["name"] for call in reply["tool_calls"]] == ["add_task"]
