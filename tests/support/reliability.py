"""Shared pieces of the reliability and security suite.

A `World` is two real users on a real database: the victim (A) owns tasks, a chat thread with
a finished tool-calling turn in it (user message, task chip, hidden tool record, reply) and an
attachment record; the attacker (B) owns a thread of their own. `victim_rows` reads every row
that belongs to A or hangs off A's threads exactly as the database returns it, so "unchanged"
means unchanged to the last byte of every timestamp and JSON payload. `leaks` names every
victim secret (title, description, tag, email, file name) found in a response.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from typing import Any

from tests.support import ROOT
from tests.support.auth import QuickUser, insert_user
from tests.support.servers import free_port, stop_group, wait_for

VICTIM_TABLES = {
    "users": "SELECT * FROM users WHERE id = :u",
    "tasks": "SELECT * FROM tasks WHERE user_id = :u ORDER BY id",
    "chat_threads": "SELECT * FROM chat_threads WHERE user_id = :u ORDER BY id",
    # Rows another user might plant in the victim's threads carry that user's id: include them.
    "chat_items": (
        "SELECT * FROM chat_items WHERE user_id = :u"
        " OR thread_id IN (SELECT id FROM chat_threads WHERE user_id = :u) ORDER BY seq"
    ),
    "chat_attachments": "SELECT * FROM chat_attachments WHERE user_id = :u ORDER BY id",
    # Completions another user might record against the victim's tasks carry that user's id.
    "task_completions": (
        "SELECT * FROM task_completions WHERE user_id = :u"
        " OR task_id IN (SELECT id FROM tasks WHERE user_id = :u) ORDER BY id"
    ),
    "calendar_feeds": "SELECT * FROM calendar_feeds WHERE user_id = :u",
    "chat_conversations": (
        "SELECT * FROM chat_conversations WHERE user_id = :u"
        " OR thread_id IN (SELECT id FROM chat_threads WHERE user_id = :u) ORDER BY id"
    ),
}


def victim_rows(user_id: int) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of `user_id` (and every item in their threads), as the driver returns it."""
    from sqlalchemy import text

    from chatapp.db import get_engine

    with get_engine().connect() as conn:
        return {
            table: [tuple(row) for row in conn.execute(text(sql), {"u": user_id})]
            for table, sql in VICTIM_TABLES.items()
        }


def row_counts() -> dict[str, int]:
    """Rows per table, all users together (for "nothing was written" checks)."""
    from sqlalchemy import text

    from chatapp.db import get_engine

    with get_engine().connect() as conn:
        return {
            table: conn.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar_one()
            for table in (
                "users",
                "tasks",
                "chat_threads",
                "chat_items",
                "chat_attachments",
                "chat_conversations",
                "task_completions",
                "calendar_feeds",
            )
        }


@dataclass
class World:
    victim: QuickUser
    attacker: QuickUser
    task_ids: list[int]
    thread_id: str
    conversation: int  # the victim's thread's conversation number
    user_item: str
    chip_item: str
    hidden_item: str
    reply_item: str
    attachment_id: str
    attacker_thread: str
    attacker_item: str
    feed_url: str  # the victim's private calendar feed
    secrets: list[str] = field(default_factory=list)
    snapshot: dict[str, list[tuple[Any, ...]]] = field(default_factory=dict)

    def unchanged(self) -> bool:
        return victim_rows(self.victim.id) == self.snapshot

    def leaks(self, text: str) -> list[str]:
        return leaks(text, self.secrets)


def leaks(text: str, secrets: list[str]) -> list[str]:
    folded = text.casefold()
    return [secret for secret in secrets if secret.casefold() in folded]


def _items_of(thread_id: str) -> dict[str, str]:
    """item type -> id for a thread with one item of each type."""
    from sqlalchemy import text

    from chatapp.db import get_engine

    with get_engine().connect() as conn:
        rows = conn.execute(
            text("SELECT type, id FROM chat_items WHERE thread_id = :t ORDER BY seq"),
            {"t": thread_id},
        ).all()
    return {kind: item_id for kind, item_id in rows}


def build_world(client) -> World:
    """The victim's tasks (REST), a finished chat turn (the JSON chat API), an attachment row;
    the attacker's own thread. Every secret carries a marker no attacker input contains."""
    import asyncio

    from chatkit.types import FileAttachment

    from chatapp.chat import get_chat_server
    from chatapp.chat.store import RequestContext

    marker = uuid.uuid4().hex[:10]
    victim = insert_user(f"victim-{marker}@example.com")
    attacker = insert_user(f"attacker-{uuid.uuid4().hex[:10]}@example.com")

    task_ids = []
    for body in (
        {"title": f"Victim plan {marker}", "description": f"victim notes {marker}"},
        {"title": f"Victim done {marker}", "completed": True, "priority": "high"},
        # Repeating, with a reminder already due: any cross-user claim would take it.
        {
            "title": f"Victim due {marker}",
            "due_at": "2030-01-02T03:04:05Z",
            "tags": [marker],
            "recurrence": "FREQ=WEEKLY",
            "time_zone": "Europe/Paris",
            "remind_at": "2020-01-02T03:04:05Z",
        },
    ):
        r = client.post(victim.tasks_url, json=body, headers=victim.headers)
        assert r.status_code == 201, r.text
        task_ids.append(r.json()["id"])

    chat = client.post(
        f"/api/{victim.id}/chat",
        json={"message": f"add Victim errand {marker}"},
        headers=victim.headers,
    )
    assert chat.status_code == 200, chat.text
    body = chat.json()
    thread_id, conversation = body["thread_id"], body["conversation_id"]
    task_ids.append(body["tool_calls"][0]["output"]["task_id"])
    items = _items_of(thread_id)

    # The id is not secret (B names it in its attacks); the file name is.
    attachment_id = f"atc_{uuid.uuid4().hex}"
    attachment = FileAttachment(
        id=attachment_id, name=f"victim-{marker}.pdf", mime_type="application/pdf"
    )
    asyncio.run(
        get_chat_server().store.save_attachment(attachment, RequestContext(user_id=victim.id))
    )

    mine = client.post(
        f"/api/{attacker.id}/chat", json={"message": "hello"}, headers=attacker.headers
    )
    assert mine.status_code == 200, mine.text
    attacker_thread = mine.json()["thread_id"]

    feed = client.post(f"/api/{victim.id}/calendar/token", headers=victim.headers)
    assert feed.status_code == 200, feed.text

    world = World(
        victim=victim,
        attacker=attacker,
        task_ids=task_ids,
        thread_id=thread_id,
        conversation=conversation,
        user_item=items["user_message"],
        chip_item=items["task"],
        hidden_item=items["hidden_context_item"],
        reply_item=items["assistant_message"],
        attachment_id=attachment_id,
        attacker_thread=attacker_thread,
        attacker_item=_items_of(attacker_thread)["user_message"],
        feed_url=feed.json()["url"],
        # The marker is in every title, note, tag and file name; the email and ids too.
        secrets=[marker, victim.email],
    )
    world.snapshot = victim_rows(victim.id)
    return world


def stored_items(*, thread_id: str | None = None, user_id: int | None = None) -> list[tuple]:
    """(type, payload) of every stored item of a thread or a user, hidden ones too, in order."""
    from sqlalchemy import text

    from chatapp.db import get_engine

    column, value = ("thread_id", thread_id) if thread_id else ("user_id", user_id)
    with get_engine().connect() as conn:
        rows = conn.execute(
            text(f"SELECT type, payload FROM chat_items WHERE {column} = :v ORDER BY seq"),
            {"v": value},
        ).all()
    return [
        (kind, payload if isinstance(payload, dict) else json.loads(payload))
        for kind, payload in rows
    ]


def half_written(items: list[tuple[str, dict]]) -> list[str]:
    """Items that cannot stand alone: a reply with no text, a tool chip without the hidden record
    the next turn replays to the model, such a record without its chip, or a workflow whose
    steps and records differ in number (each step is committed with its record)."""
    problems = []
    shown: tuple[str, str] | None = None  # the (kind, id) records after it belong to
    for i, (kind, payload) in enumerate(items):
        after = items[i + 1][0] if i + 1 < len(items) else None
        if kind == "assistant_message":
            if not "".join(part.get("text", "") for part in payload.get("content", [])).strip():
                problems.append(f"item {i}: assistant message with no text")
        elif kind == "task" and after != "hidden_context_item":
            problems.append(f"item {i}: tool chip without its hidden record")
        elif kind == "workflow":
            steps = [t for t in payload["workflow"]["tasks"] if t["type"] == "custom"]
            records = [
                p
                for k, p in items[i + 1 :]
                if k == "hidden_context_item" and p["content"].get("chip_id") == payload["id"]
            ]
            if len(steps) != len(records):
                problems.append(f"item {i}: workflow of {len(steps)} steps, {len(records)} records")
        elif kind == "hidden_context_item":
            chip_id = payload["content"].get("chip_id")
            if shown is None or (chip_id and chip_id != shown[1]):
                problems.append(f"item {i}: hidden tool record without its chip")
        if kind in ("task", "workflow"):
            shown = (kind, payload["id"])
        elif kind != "hidden_context_item":
            shown = None
    return problems


def json_text(response) -> str:
    """The whole body as text, decoded if JSON (so escaped unicode is compared too)."""
    try:
        return json.dumps(response.json(), ensure_ascii=False)
    except ValueError:
        return response.text


# --- a real `reflex run --backend-only` process, and a browser tab's websocket to it ---------

SLOW_MODEL_SHIM = '''\
"""Test-only fault knob, loaded as sitecustomize by the backend under test: while the file named
by CHATAPP_TEST_MODEL_DELAY_FILE holds a number, the offline model waits that many seconds before
each streamed event (a slow model, without a network)."""
import asyncio
import os

_path = os.environ.get("CHATAPP_TEST_MODEL_DELAY_FILE")
if _path:
    from chatapp.agent.offline import model as _offline

    _stream = _offline.OfflineModel.stream_response

    async def _slow_stream(self, *args, **kwargs):
        async for event in _stream(self, *args, **kwargs):
            try:
                with open(_path) as knob:
                    delay = float(knob.read().strip() or 0)
            except (OSError, ValueError):
                delay = 0.0
            if delay:
                await asyncio.sleep(delay)
            yield event

    _offline.OfflineModel.stream_response = _slow_stream
'''


@dataclass
class Backend:
    """One `reflex run --env prod --backend-only` process group on a SQLite file."""

    base: str
    proc: Any
    log: Any
    delay_file: Any

    def slow_model(self, seconds: float) -> None:
        self.delay_file.write_text(str(seconds))

    def kill(self) -> None:
        """SIGKILL the whole process group: no cleanup, no flush, no goodbye."""
        import os
        import signal

        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=30)

    def stop(self) -> None:
        stop_group(self.proc)


def start_backend(db_url: str, workdir) -> Backend:
    """Start the real backend (prod: no file-watching reloads while others edit the tree)."""
    import os
    import shutil
    import subprocess
    import sys
    from pathlib import Path

    shim = workdir / "shim"
    shim.mkdir(exist_ok=True)
    (shim / "sitecustomize.py").write_text(SLOW_MODEL_SHIM)
    delay_file = workdir / "model-delay"
    delay_file.write_text("0")
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": db_url,
        "CHATAPP_ENV": "prod",
        "PATH": f"{ROOT / '.tools/node_modules/.bin'}:{os.environ['PATH']}",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(shim), os.environ.get("PYTHONPATH")])),
        "CHATAPP_TEST_MODEL_DELAY_FILE": str(delay_file),
        "REFLEX_TELEMETRY_ENABLED": "false",
    }
    reflex = shutil.which("reflex", path=str(Path(sys.executable).parent)) or "reflex"
    log = workdir / f"backend-{port}.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            [reflex, "run", "--env", "prod", "--backend-only"]
            + ["--backend-port", str(port), "--backend-host", "127.0.0.1"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    backend = Backend(base=f"http://127.0.0.1:{port}", proc=proc, log=log, delay_file=delay_file)
    try:
        wait_for(f"{backend.base}/health", proc, log, 300)
    except BaseException:
        backend.stop()
        raise
    return backend


class ReflexTab:
    """What one browser tab does on the websocket: the boot event a compiled frontend sends
    (hydrate_and_load carrying localStorage's token), then events by handler name. Every state
    update the backend pushes is kept, in order, as decoded JSON."""

    def __init__(self, base: str, session_token: str, path: str = "/chat", query=None) -> None:
        import socketio

        from chatapp.state.auth import AuthState

        self.path = path
        self.query = query or {}
        self.updates: list[dict[str, Any]] = []
        self._sio = socketio.Client(reconnection=False)
        self._sio.on("event", self.updates.append, namespace="/_event")
        boot = self._event(
            "reflex___state____state.hydrate_and_load",
            {"vars": {f"{AuthState.get_full_name()}.token": session_token}},
        )
        self._sio.connect(
            f"{base}?token={uuid.uuid4()}",
            socketio_path="/_event",
            namespaces=["/_event"],
            transports=["websocket"],
            auth={"event": boot},
            wait_timeout=20,
        )
        self.barrier()

    def _event(self, name: str, payload: dict[str, Any]) -> dict[str, Any]:
        from urllib.parse import urlencode

        shown = f"{self.path}?{urlencode(self.query)}" if self.query else self.path
        router = {"pathname": self.path, "query": self.query, "asPath": shown}
        return {"name": name, "payload": payload, "router_data": router}

    def send(self, state_cls, handler: str, **payload: Any) -> None:
        self._sio.emit(
            "event", self._event(f"{state_cls.get_full_name()}.{handler}", payload), "/_event"
        )

    def values(self, key: str) -> list[Any]:
        """Every value a state var took, in order (`key` as Reflex sends it, e.g. 'error')."""
        found = []
        for update in self.updates:
            for substate in (update.get("delta") or {}).values():
                if f"{key}_rx_state_" in substate:
                    found.append(substate[f"{key}_rx_state_"])
        return found

    def wait_for(self, predicate, timeout: float = 30) -> None:
        import time

        deadline = time.monotonic() + timeout
        while not predicate():
            if time.monotonic() > deadline:
                raise TimeoutError(f"no such update within {timeout}s: {self.text()[-2000:]}")
            time.sleep(0.02)

    def barrier(self) -> None:
        """Wait until every event sent so far has been handled (a tab's events run in order):
        a harmless event whose answer names a fresh marker."""
        from chatapp.state.chatkit import ChatKitState

        marker = f"barrier-{uuid.uuid4().hex}"
        self.send(ChatKitState, "record_log", name=marker, data={})
        self.wait_for(lambda: marker in self.values("last_log"))

    def frontend_events(self, name: str) -> list[dict[str, Any]]:
        """Payloads of the frontend events (toasts are `_call_function`) the backend sent."""
        return [
            event.get("payload", {})
            for update in self.updates
            for event in update.get("events") or []
            if event.get("name") == name
        ]

    def toasts(self) -> list[str]:
        return [str(p.get("function", "")) for p in self.frontend_events("_call_function")]

    def text(self) -> str:
        return json.dumps(self.updates, ensure_ascii=False)

    def close(self) -> None:
        self._sio.disconnect()
