"""The clauses that only point at attached files, cut out of a message before it is read."""

from __future__ import annotations

import json

import pytest

from chatapp.agent.offline.file_mentions import without_file_mentions
from chatapp.agent.offline.intents import AddTasks, Chat, Compound
from chatapp.agent.offline.understand import read_message
from chatapp.attachments.model_input import MANIFEST_MARK
from tests.support.agent import NOW, TodoStore, run


@pytest.mark.parametrize(
    ("message", "rest"),
    [
        ("new task: submit tax return, with this pdf attached", "new task: submit tax return"),
        ("remind me to sign the lease, attached", "remind me to sign the lease"),
        ("add call the bank, see attached", "add call the bank"),
        ("add call the bank. Please find attached", "add call the bank"),
        ("add renew passport (attached)", "add renew passport"),
        ("add renew passport [see attached] by friday", "add renew passport by friday"),
        ("add pay the gas bill with the attached photo", "add pay the gas bill"),
        ("add pay the gas bill with attachment", "add pay the gas bill"),
        ("new todo: check the warranty - file attached", "new todo: check the warranty"),
        ("add buy printer ink, pdf enclosed", "add buy printer ink"),
        ("add book flights; here's the file", "add book flights"),
        ("add review draft. see the attached document", "add review draft"),
        ("add water 1.5 litres, scan attached", "add water 1.5 litres"),
        ("add pay the plumber, copy of the quote attached", "add pay the plumber"),
        ("add pay the plumber, it's attached", "add pay the plumber"),
        ("add pay the plumber, the quote is attached too", "add pay the plumber"),
        ("the contract is attached, add review it", "add review it"),
        ("I've attached the lease, remind me to sign it", "remind me to sign it"),
        ("attaching the quote, add call the builder", "add call the builder"),
        ("remind me to sign the lease with this file", "remind me to sign the lease"),
        ("see attached", ""),
        ("attached", ""),
        ("here's the file", ""),
        ("thanks, see attached", "thanks"),
    ],
)
def test_a_clause_about_the_files_is_cut_out(message: str, rest: str) -> None:
    assert without_file_mentions(message) == (rest, True)


@pytest.mark.parametrize(
    "message",
    [
        "add fix the attached garage door",
        "add check if the trailer is attached, buy a hitch",
        "add email the pdf to Sam",
        "add file taxes",
        "attach this to the expenses task",
        "add buy milk, eggs and bread",
        "add print the photos, frame them",
        "deal with this tomorrow",
    ],
)
def test_words_about_files_that_are_part_of_a_request_stay(message: str) -> None:
    assert without_file_mentions(message) == (message, False)


def test_the_tasks_a_message_adds_are_marked_to_keep_the_files() -> None:
    reading = read_message("new task: submit tax return, with this pdf attached", NOW)
    assert reading.intent == AddTasks(reading.intent.drafts, with_files=True)  # type: ignore[union-attr]
    assert [draft.title for draft in reading.intent.drafts] == ["Submit tax return"]  # type: ignore[union-attr]


def test_each_add_of_a_compound_keeps_the_files() -> None:
    intent = read_message("add call the bank, see attached, then mark task 2 done", NOW).intent
    assert isinstance(intent, Compound)
    adds = [part for part in intent.parts if isinstance(part, AddTasks)]
    assert len(adds) == 1 and adds[0].with_files


@pytest.mark.parametrize("message", ["see attached", "thanks, see attached", "here's the file"])
def test_a_message_that_only_points_at_files_is_about_the_files(message: str) -> None:
    assert read_message(message, NOW).intent == Chat("files")


async def test_tools_that_cannot_keep_files_add_the_task_and_say_so() -> None:
    store = TodoStore()  # its add_task takes no attachment_ids
    manifest = MANIFEST_MARK + json.dumps([{"id": "att_1", "name": "lease.pdf", "kind": "file"}])
    content = [
        {"type": "input_text", "text": "remind me to sign the lease, attached"},
        {"type": "input_text", "text": manifest},
    ]

    result = await run(store, [{"role": "user", "content": content}])

    assert [task["title"] for task in store.tasks.values()] == ["Sign the lease"]
    assert "can't keep files with tasks" in str(result.final_output)
