"""One user's ChatKit threads and items are unreachable for another: every request type is 404
(or 400), and the owner's thread, items and tasks stay exactly as they were."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.support.chat import Chat, done_items, user_input


class Owned:
    """The owner's thread with a finished turn in it, and a snapshot of everything it holds."""

    def __init__(self, owner: Chat) -> None:
        events = owner.chatkit_ok("threads.create", input=user_input("add buy milk"))
        self.thread_id = events[0]["thread"]["id"]
        (user,) = done_items(events, "user_message")
        (reply,) = done_items(events, "assistant_message")
        self.user_item = user["id"]
        self.reply_item = reply["id"]
        self.owner = owner
        self.snapshot = self.state()

    def state(self) -> dict[str, Any]:
        """Title and items (get_by_id carries them), the thread list, the tasks."""
        return {
            "thread": self.owner.chatkit_ok("threads.get_by_id", thread_id=self.thread_id),
            "threads": self.owner.chatkit_ok("threads.list")["data"],
            "tasks": self.owner.tasks(),
        }


Attempt = Callable[[Owned, Callable[[], str]], tuple[str, dict[str, Any]]]

# (request type, params) an intruder sends; `mine()` makes a thread of the intruder's own.
ATTEMPTS: dict[str, Attempt] = {
    "get-by-id": lambda a, mine: ("threads.get_by_id", {"thread_id": a.thread_id}),
    "add-user-message": lambda a, mine: (
        "threads.add_user_message",
        {"thread_id": a.thread_id, "input": user_input("delete task 1")},
    ),
    "items-list": lambda a, mine: ("items.list", {"thread_id": a.thread_id}),
    "items-list-after-their-item-in-my-thread": lambda a, mine: (
        "items.list",
        {"thread_id": mine(), "after": a.user_item},
    ),
    "threads-list-after-their-thread": lambda a, mine: (
        "threads.list",
        {"after": a.thread_id},
    ),
    "update": lambda a, mine: ("threads.update", {"thread_id": a.thread_id, "title": "mine"}),
    "delete": lambda a, mine: ("threads.delete", {"thread_id": a.thread_id}),
    "feedback": lambda a, mine: (
        "items.feedback",
        {"thread_id": a.thread_id, "item_ids": [a.reply_item], "kind": "negative"},
    ),
    "feedback-on-their-item-in-my-thread": lambda a, mine: (
        "items.feedback",
        {"thread_id": mine(), "item_ids": [a.reply_item], "kind": "negative"},
    ),
    "retry": lambda a, mine: (
        "threads.retry_after_item",
        {"thread_id": a.thread_id, "item_id": a.user_item},
    ),
    "retry-their-item-in-my-thread": lambda a, mine: (
        "threads.retry_after_item",
        {"thread_id": mine(), "item_id": a.user_item},
    ),
    "custom-action": lambda a, mine: (
        "threads.custom_action",
        {"thread_id": a.thread_id, "item_id": a.reply_item, "action": {"type": "x"}},
    ),
    "sync-custom-action": lambda a, mine: (
        "threads.sync_custom_action",
        {"thread_id": a.thread_id, "item_id": a.reply_item, "action": {"type": "x"}},
    ),
    "client-tool-output": lambda a, mine: (
        "threads.add_client_tool_output",
        {"thread_id": a.thread_id, "result": {"ok": True}},
    ),
    "structured-input": lambda a, mine: (
        "threads.add_structured_input",
        {"thread_id": a.thread_id, "item_id": a.user_item, "input": {}},
    ),
}


@pytest.mark.parametrize("attempt", ATTEMPTS.values(), ids=ATTEMPTS.keys())
def test_other_users_thread_and_items_are_unreachable(
    me: Chat, other: Chat, attempt: Attempt
) -> None:
    theirs = Owned(other)
    my_threads: dict[str, Any] = {}

    def mine() -> str:
        events = me.chatkit_ok("threads.create", input=user_input("hello"))
        thread_id = events[0]["thread"]["id"]
        my_threads[thread_id] = me.chatkit_ok("threads.get_by_id", thread_id=thread_id)
        return thread_id

    request_type, params = attempt(theirs, mine)
    response = me.chatkit(request_type, **params)

    assert response.status_code in (404, 400), (response.status_code, response.text[:300])
    assert response.headers["content-type"].startswith("application/json")
    detail = response.json()["detail"]
    assert "buy milk" not in detail.lower()
    assert theirs.state() == theirs.snapshot
    for thread_id, thread in my_threads.items():
        assert me.chatkit_ok("threads.get_by_id", thread_id=thread_id) == thread
    assert [t["id"] for t in me.chatkit_ok("threads.list")["data"]] == list(my_threads)
    assert me.tasks() == []


def test_thread_ids_are_the_same_404_whether_foreign_or_missing(me: Chat, other: Chat) -> None:
    theirs = Owned(other)
    foreign = me.chatkit("threads.get_by_id", thread_id=theirs.thread_id)
    missing = me.chatkit("threads.get_by_id", thread_id="thr_" + "0" * 24)
    assert foreign.status_code == missing.status_code == 404
    assert foreign.json()["detail"].replace(theirs.thread_id, "ID") == missing.json()[
        "detail"
    ].replace("thr_" + "0" * 24, "ID")


def test_threads_list_shows_only_ones_own_threads(me: Chat, other: Chat) -> None:
    theirs = [Owned(other).thread_id for _ in range(2)]
    mine = me.chatkit_ok("threads.create", input=user_input("hello"))[0]["thread"]["id"]

    listed = me.chatkit_ok("threads.list", limit=100)["data"]

    assert [t["id"] for t in listed] == [mine]
    assert {t["id"] for t in other.chatkit_ok("threads.list", limit=100)["data"]} == set(theirs)


def test_json_api_cannot_continue_a_chatkit_thread_of_another_user(me: Chat, other: Chat) -> None:
    theirs = Owned(other)
    response = me.post("mark it done", theirs.thread_id)
    assert response.status_code == 404
    assert theirs.state() == theirs.snapshot
