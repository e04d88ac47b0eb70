"""A clause that only points at the attached files ("..., with this pdf attached", "(attached)",
"see attached") is no task of its own: the tasks the rest of the message adds keep the files sent.

End to end through the JSON chat door, with real uploads and a real database: the files a task
ends up holding are read back from the tasks API.
"""

from __future__ import annotations

import pytest

from tests.support import files
from tests.support.attachments import uploaded_id
from tests.support.auth import QuickUser, insert_user


@pytest.fixture
def owner(db) -> QuickUser:
    return insert_user("owner@example.com")


def _say(client, user, message: str, attachments=()) -> dict:
    body = {"message": message, "attachments": list(attachments)}
    response = client.post(user.chat_url, json=body, headers=user.headers)
    assert response.status_code == 200, response.text
    return response.json()


def _tasks_and_files(client, user) -> dict[str, list[str]]:
    """Every task of the user by title, with the names of the files it holds."""
    held = {}
    for task in client.get(user.tasks_url, headers=user.headers).json():
        listed = client.get(f"{user.tasks_url}/{task['id']}/attachments", headers=user.headers)
        held[task["title"]] = [a["name"] for a in listed.json()]
    return held


def test_with_this_pdf_attached_is_not_a_second_task(attachment_dir, client, owner):
    tax = uploaded_id(client, owner, files.pdf(), "tax-2025.pdf")

    reply = _say(client, owner, "new task: submit tax return, with this pdf attached", [tax])

    assert _tasks_and_files(client, owner) == {"Submit tax return": ["tax-2025.pdf"]}
    assert [call["name"] for call in reply["tool_calls"]] == ["add_task"]
    assert reply["tool_calls"][0]["arguments"]["attachment_ids"] == [tax]
    assert "“tax-2025.pdf” attached" in reply["response"]


def test_a_bare_attached_after_a_reminder_is_not_a_second_task(attachment_dir, client, owner):
    lease = uploaded_id(client, owner, files.pdf(), "lease.pdf")

    _say(client, owner, "remind me to sign the lease, attached", [lease])

    assert _tasks_and_files(client, owner) == {"Sign the lease": ["lease.pdf"]}


@pytest.mark.parametrize(
    ("message", "title"),
    [
        ("add call the bank, see attached", "Call the bank"),
        ("add renew passport (attached)", "Renew passport"),
        ("add a task to pay the gas bill with the attached photo", "Pay the gas bill"),
        ("new todo: check the warranty - file attached", "Check the warranty"),
        ("add buy printer ink, pdf enclosed", "Buy printer ink"),
        ("add book flights; here's the file", "Book flights"),
        ("add pay the plumber due friday, copy of the quote attached", "Pay the plumber"),
        ("the contract is attached, add review the contract", "Review the contract"),
        ("remind me to sign the lease with this file", "Sign the lease"),
    ],
)
def test_an_attachment_clause_gives_the_file_to_the_task_added(
    attachment_dir, client, owner, message, title
):
    photo = uploaded_id(client, owner, files.png(), "scan.png")

    _say(client, owner, message, [photo])

    assert _tasks_and_files(client, owner) == {title: ["scan.png"]}


def test_every_task_the_message_adds_keeps_the_files(attachment_dir, client, owner):
    first = uploaded_id(client, owner, files.pdf(), "quote.pdf")
    second = uploaded_id(client, owner, files.png(), "plan.png")

    _say(
        client,
        owner,
        "add call the builder and order the tiles, both files attached",
        [first, second],
    )

    both = ["quote.pdf", "plan.png"]
    assert _tasks_and_files(client, owner) == {"Call the builder": both, "Order the tiles": both}


def test_the_clause_without_a_file_adds_the_task_and_says_no_file_came(
    attachment_dir, client, owner
):
    reply = _say(client, owner, "remind me to sign the lease, attached")

    assert _tasks_and_files(client, owner) == {"Sign the lease": []}
    assert "I don't see a file on your message" in reply["response"]


def test_see_attached_alone_without_a_file_says_no_file_came(attachment_dir, client, owner):
    reply = _say(client, owner, "see attached")

    assert _tasks_and_files(client, owner) == {}
    assert reply["tool_calls"] == []
    assert reply["response"].startswith("I don't see a file on your message.")


def test_see_attached_alone_with_a_file_names_it(attachment_dir, client, owner):
    photo = uploaded_id(client, owner, files.png(), "receipt.png")

    reply = _say(client, owner, "see attached", [photo])

    assert _tasks_and_files(client, owner) == {}
    assert reply["response"].startswith("I got “receipt.png”.")


@pytest.mark.parametrize(
    ("message", "title"),
    [
        ("add fix the attached garage door", "Fix the attached garage door"),
        ("add check if the trailer is attached", "Check if the trailer is attached"),
        ("add email the pdf to Sam", "Email the pdf to Sam"),
    ],
)
def test_words_about_files_inside_a_task_stay_in_its_title(
    attachment_dir, client, owner, message, title
):
    photo = uploaded_id(client, owner, files.png(), "scan.png")

    _say(client, owner, message, [photo])

    assert _tasks_and_files(client, owner) == {title: []}
