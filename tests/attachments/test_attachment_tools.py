"""The MCP tools and attachments: attach_files and add_task(attachment_ids) act for the signed-in
user only, and list_tasks names each task's files."""

from __future__ import annotations

from chatapp.tools import InProcessTaskMCP
from tests.support import files
from tests.support.attachments import uploaded_id
from tests.support.tools import error_code, error_text, payload, seed


async def test_attach_files_and_add_task_keep_the_users_files(app_client, owner):
    photo = uploaded_id(app_client, owner, files.png(), "receipt.png")
    notes = uploaded_id(app_client, owner, b"12.50\n", "notes.txt")
    expenses = seed(owner, "Expenses")
    tools = InProcessTaskMCP(owner.id)

    attached = payload(
        await tools.call_tool("attach_files", {"task_id": expenses, "attachment_ids": [photo]})
    )
    assert attached["status"] == "attached"
    assert attached["attachments"] == [{"id": photo, "name": "receipt.png", "kind": "image"}]

    added = payload(
        await tools.call_tool("add_task", {"title": "Review notes", "attachment_ids": [notes]})
    )
    assert added["attachments"] == [{"id": notes, "name": "notes.txt", "kind": "file"}]

    listed = payload(await tools.call_tool("list_tasks", {}))
    assert {row["title"]: row.get("attachments") for row in listed} == {
        "Expenses": [{"id": photo, "name": "receipt.png", "kind": "image"}],
        "Review notes": [{"id": notes, "name": "notes.txt", "kind": "file"}],
    }


async def test_another_users_files_cannot_be_attached_by_a_tool(app_client, owner, intruder):
    photo = uploaded_id(app_client, owner, files.png(), "private.png")
    mine = seed(intruder, "Mine")
    tools = InProcessTaskMCP(intruder.id)

    result = await tools.call_tool("attach_files", {"task_id": mine, "attachment_ids": [photo]})
    assert error_code(result) == "not_found"
    assert error_text(result) == f"Attachment {photo} not found"

    result = await tools.call_tool("add_task", {"title": "Steal", "attachment_ids": [photo]})
    assert error_code(result) == "not_found"
    # All or nothing: the task was not created without its file.
    assert [row["title"] for row in payload(await tools.call_tool("list_tasks", {}))] == ["Mine"]
