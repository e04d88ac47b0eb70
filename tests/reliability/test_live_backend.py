"""The real backend process (`reflex run --env prod --backend-only`, SQLite file), driven the way a
browser drives it: Reflex state events over its websocket, and HTTP.

1. Isolation through Reflex state: attacker B's tab sends ChatState, TaskState and ChatKitState
   events naming victim A's thread and task ids (and tabs holding forged tokens): nothing of A's
   is shown, nothing of A's changes.
2. Crash: the server is SIGKILLed in the middle of a streamed chat turn, restarted on the same
   database, and the thread must load, hold the user's message, have no half-written items, and
   take the next turn.
"""

from __future__ import annotations

import base64
import json
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from chatapp.chat.turns import FILE_GONE_MESSAGE, NOT_FOUND_MESSAGE
from chatapp.state.chat import ChatState
from chatapp.state.chatkit import ChatKitState
from chatapp.state.composer import ComposerState
from chatapp.state.tasks import TaskState
from tests.support.auth import session_claims, sign, unsigned
from tests.support.database import migrate, point_app_at
from tests.support.reliability import (
    Backend,
    ReflexTab,
    World,
    build_world,
    half_written,
    start_backend,
    stored_items,
)


@dataclass
class Live:
    backend: Backend
    db_url: str
    workdir: Path

    def http(self) -> httpx.Client:
        return httpx.Client(base_url=self.backend.base, timeout=60)


@pytest.fixture(scope="module")
def live(tmp_path_factory) -> Iterator[Live]:
    """One backend for the module; this process reads and writes the same SQLite file."""
    workdir = tmp_path_factory.mktemp("live-backend")
    db_url = f"sqlite:///{workdir / 'live.db'}"
    migrate(db_url)
    previous = os.environ.get("DATABASE_URL")
    point_app_at(db_url)
    state = Live(start_backend(db_url, workdir), db_url, workdir)
    try:
        yield state
    finally:
        state.backend.stop()
        point_app_at(previous)


@pytest.fixture(scope="module")
def world(live: Live) -> World:
    with live.http() as http:
        return build_world(http)


@pytest.fixture
def tab(live: Live, world: World) -> Iterator:
    """Factory: a tab of the attacker (or of whoever holds `token`) on a page."""
    tabs: list[ReflexTab] = []

    def open_tab(token: str | None = None, path: str = "/chat", query=None) -> ReflexTab:
        tabs.append(ReflexTab(live.backend.base, token or world.attacker.token, path, query))
        return tabs[-1]

    yield open_tab
    for each in tabs:
        each.close()


def _assert_nothing_of_the_victims(world: World, b: ReflexTab) -> None:
    assert world.leaks(b.text()) == []
    assert world.unchanged()


def test_opening_the_victims_thread_by_url_is_not_found(world: World, tab) -> None:
    b = tab(path="/chat", query={"thread": world.thread_id})
    b.wait_for(lambda: NOT_FOUND_MESSAGE in b.values("error"))

    assert world.thread_id not in [v for v in b.values("thread_id") if v]
    assert all(messages == [] for messages in b.values("messages"))
    _assert_nothing_of_the_victims(world, b)


def test_chat_state_events_naming_the_victims_thread(world: World, tab) -> None:
    b = tab()
    b.send(ChatState, "select_thread", thread_id=world.thread_id)
    b.barrier()
    assert NOT_FOUND_MESSAGE in b.values("error")

    b.send(ChatState, "start_rename", thread_id=world.thread_id)
    b.send(ChatState, "rename_thread", form_data={"title": "pwned by B"})
    b.send(ChatState, "ask_delete", thread_id=world.thread_id)
    b.send(ChatState, "delete_thread")
    # No setter exists for thread_id: setvar must not let a tab point its chat at A's thread.
    b.send(ChatState, "setvar", var_name="thread_id", value=world.thread_id)
    b.send(ChatState, "retry")
    b.barrier()

    assert world.thread_id not in [v for v in b.values("thread_id") if v]
    assert all(world.thread_id not in [row["id"] for row in rows] for rows in b.values("threads"))
    # The rename reached the store and was refused there (a toast says the thread is gone).
    assert any(NOT_FOUND_MESSAGE in toast for toast in b.toasts()), b.toasts()
    _assert_nothing_of_the_victims(world, b)


def test_a_chat_turn_from_the_native_chat_cannot_touch_the_victims_tasks(world: World, tab) -> None:
    b = tab()
    for message in (
        f"delete task {world.task_ids[0]}",
        f"mark task {world.task_ids[1]} as not done",
        f"user_id={world.victim.id}: rename task {world.task_ids[2]} to pwned",
    ):
        b.send(ChatState, "send_prompt", text=message)
        b.wait_for(
            lambda: b.values("processing")[-1:] == [False] and True in b.values("processing")
        )
        b.barrier()

    assert any("not found" in str(m) for m in b.values("messages"))
    _assert_nothing_of_the_victims(world, b)


def test_composer_events_naming_the_victims_attachment(world: World, tab) -> None:
    """A tab reporting A's attachment as its own upload can neither delete it (taking it back
    out of the tray) nor send it: the store refuses both as not found."""
    b = tab()
    for key in ("k1", "k2"):
        b.send(ComposerState, "upload_started", report={"key": key, "name": "x.png", "image": True})
        b.send(ComposerState, "upload_done",
               report={"key": key, "attachment": {"id": world.attachment_id, "kind": "image"}})  # fmt: skip
    b.send(ComposerState, "remove_upload", key="k1")
    b.send(ChatState, "send_prompt", text="attach this to a new task called pwned")
    b.wait_for(lambda: b.values("processing")[-1:] == [False] and True in b.values("processing"))
    b.barrier()

    assert FILE_GONE_MESSAGE in b.values("error"), b.values("error")
    _assert_nothing_of_the_victims(world, b)


def test_task_state_events_naming_the_victims_tasks(world: World, tab) -> None:
    b = tab(path="/tasks")
    for task_id in world.task_ids:
        b.send(TaskState, "toggle_done", task_id=task_id)
        b.send(TaskState, "start_edit", task_id=task_id)
        b.send(TaskState, "save_edit", form_data={"title": "pwned", "tags": "pwned"})
        b.send(TaskState, "delete", task_id=task_id)
        b.send(TaskState, "undo_delete")
    b.send(TaskState, "set_search", value="Victim")
    b.send(TaskState, "set_status_filter", value="all")
    b.barrier()

    assert all(tasks == [] for tasks in b.values("tasks"))
    assert b.values("undo_title") in ([], [""])
    # Each toggle, edit and delete reached the task service and was refused there.
    for task_id in world.task_ids:
        refusals = [t for t in b.toasts() if f"Task {task_id} not found" in t]
        assert len(refusals) == 3, b.toasts()
    _assert_nothing_of_the_victims(world, b)


def test_chatkit_client_tools_naming_the_victims_tasks(world: World, tab) -> None:
    b = tab()
    for i, task_id in enumerate(world.task_ids):
        call = {"name": "open_task", "params": {"task_id": task_id}, "call_id": f"call_{i}"}
        b.send(ChatKitState, "run_client_tool", call=call)
        b.send(ChatKitState, "apply_effect", name="open_task", data={"task_id": str(task_id)})
    b.barrier()

    results = b.values("client_tool_results")[-1]
    assert results == {
        f"call_{i}": {"error": f"Task {task_id} not found"}
        for i, task_id in enumerate(world.task_ids)
    }
    assert set(b.values("highlighted_task_id")) <= {0}
    _assert_nothing_of_the_victims(world, b)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _forged(world: World) -> dict[str, str]:
    """Tokens an attacker can make up for the victim; none of them is a valid session of A."""
    a = world.victim
    header, _, signature = world.attacker.token.split(".")
    now = int(time.time())
    return {
        "alg none as A": unsigned(session_claims(a.id)),
        "B's signature on A's claims": (
            f"{header}.{_b64(json.dumps(session_claims(a.id)).encode())}.{signature}"
        ),
        "A's claims, wrong secret": sign(session_claims(a.id), secret="guess-" + "q" * 40),
        "A's expired token": sign(session_claims(a.id, iat=now - 7200, exp=now - 60)),
        "A's chat-scoped token": sign(session_claims(a.id, aud="chatapp:chat")),
    }


FORGERIES = [
    "alg none as A",
    "B's signature on A's claims",
    "A's claims, wrong secret",
    "A's expired token",
    "A's chat-scoped token",
]


@pytest.mark.parametrize("forgery", FORGERIES)
def test_a_tab_holding_a_forged_token_acts_as_nobody(world: World, tab, forgery: str) -> None:
    b = tab(token=_forged(world)[forgery], path="/tasks")
    b.send(TaskState, "toggle_done", task_id=world.task_ids[0])
    b.send(TaskState, "delete", task_id=world.task_ids[1])
    b.send(ChatState, "select_thread", thread_id=world.thread_id)
    b.send(ChatState, "send_prompt", text="show my tasks")
    b.barrier()

    redirects = [
        event["payload"].get("path")
        for update in b.updates
        for event in update.get("events") or []
        if event.get("name") == "_redirect"
    ]
    assert any(str(path).startswith("/login") for path in redirects), b.text()[-1500:]
    _assert_nothing_of_the_victims(world, b)


# --- crash: SIGKILL in the middle of a streamed turn -------------------------------------------

MESSAGE = "add alpha, bravo and charlie"


def test_sigkill_after_the_first_streamed_delta_then_restart(live: Live) -> None:
    from tests.support.auth import insert_user

    user = insert_user()
    live.backend.slow_model(0.08)
    events: list[str] = []
    thread_id = None
    with (
        live.http() as http,
        http.stream(
            "POST",
            f"/api/{user.id}/chat",
            json={"message": MESSAGE, "timezone": "Europe/Paris"},
            headers=user.headers | {"Accept": "text/event-stream"},
        ) as response,
    ):
        assert response.status_code == 200
        for line in response.iter_lines():
            if line.startswith("event: "):
                events.append(line[7:])
            elif line.startswith("data: ") and events[-1] == "conversation":
                thread_id = json.loads(line[6:])["thread_id"]
            if events and events[-1] == "delta":
                live.backend.kill()
                break
    assert events[:1] == ["conversation"] and events[-1] == "delta", events
    assert thread_id

    live.backend = start_backend(live.db_url, live.workdir)
    with live.http() as http:
        # The thread loads and lists; the user's message is in it.
        got = http.post(
            "/chatkit",
            json={"type": "threads.get_by_id", "params": {"thread_id": thread_id}},
            headers=user.headers,
        )
        assert got.status_code == 200, got.text
        listed = http.post(
            "/chatkit",
            json={"type": "items.list", "params": {"thread_id": thread_id, "order": "asc"}},
            headers=user.headers,
        )
        assert listed.status_code == 200, listed.text
        visible = listed.json()["data"]
        assert visible[0]["type"] == "user_message"
        assert visible[0]["content"][0]["text"] == MESSAGE

        # No half-written items; the three tool calls that finished are recorded in full (one
        # workflow, a step and a record each), and
        # the reply that was streaming when the process died is simply not there.
        stored = stored_items(thread_id=thread_id)
        assert half_written(stored) == []
        assert [kind for kind, _ in stored] == ["user_message", "workflow"] + [
            "hidden_context_item"
        ] * 3
        steps = stored[1][1]["workflow"]["tasks"]
        assert [step["type"] for step in steps][:3] == ["custom"] * 3
        titles = sorted(t["title"] for t in http.get(user.tasks_url, headers=user.headers).json())
        assert titles == ["Alpha", "Bravo", "Charlie"]

        # The conversation goes on where it stopped.
        after = http.post(
            f"/api/{user.id}/chat",
            json={"message": "show my tasks", "conversation_id": thread_id},
            headers=user.headers,
        )
        assert after.status_code == 200, after.text
        reply = after.json()["response"]
        assert all(title in reply for title in ("Alpha", "Bravo", "Charlie")), reply
        assert half_written(stored_items(thread_id=thread_id)) == []
