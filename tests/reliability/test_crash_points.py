"""A chat turn that dies at every possible write, on both databases.

One turn of "add alpha, bravo and charlie" makes a fixed sequence of INSERT/UPDATE/DELETE
statements (thread, user message, three tasks, one workflow of three steps committed with each
step's hidden record, the reply).
For every N, the statements after the first N fail as if the process had died there (a failing
statement rolls its transaction back, so the database holds exactly what a crash at that point
would leave). Then the fault goes away ("restart") and:

- the thread, if any, loads (threads.get_by_id, items.list) and holds the user's message;
- no item is half-written: no reply without text, no tool chip or workflow step without its
  hidden record;
- the next turn works and sees every task that exists;
- while it was failing, the JSON door said so: 503 with the database message, never a 500 and
  never a 200 that reads like a finished turn.

(The real process kill is tests/reliability/test_live_backend.py; this covers every point.)
"""

from __future__ import annotations

import gc
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import pytest
from sqlalchemy import event, text
from sqlalchemy.exc import OperationalError

from tests.support.auth import insert_user
from tests.support.chat import parse_sse
from tests.support.reliability import half_written, stored_items

MESSAGE = "add alpha, bravo and charlie"
WRITES = ("INSERT", "UPDATE", "DELETE")


class DiesAfter:
    """before_cursor_execute hook: every write after the first `allowed` fails."""

    def __init__(self, allowed: int) -> None:
        self.allowed = allowed
        self.writes = 0

    def __call__(self, conn, cursor, statement, parameters, context, executemany) -> None:
        if statement.lstrip().split(None, 1)[0].upper() not in WRITES:
            return
        if self.writes >= self.allowed:
            raise OperationalError(statement, parameters, Exception("simulated crash"))
        self.writes += 1


@dataclass
class Outcome:
    """What one crash point left behind, and what the app said and did afterwards."""

    allowed: int
    status: int
    body: dict
    items: list[tuple[str, dict]] = field(default_factory=list)
    threads: list[str] = field(default_factory=list)
    loads: list[str] = field(default_factory=list)
    next_turn: str = ""
    # Exceptions Python could only report as "ignored" (coroutines finalized by the GC).
    unraisable: list[str] = field(default_factory=list)


def _rows(user_id: int) -> tuple[list[str], list[tuple[str, dict]]]:
    from chatapp.db import get_engine

    with get_engine().connect() as conn:
        threads = conn.execute(
            text("SELECT id FROM chat_threads WHERE user_id = :u"), {"u": user_id}
        ).scalars()
        return list(threads), stored_items(user_id=user_id)


@contextmanager
def dying_after(allowed: int) -> Iterator[list[str]]:
    """Writes fail after the first `allowed`; yields the exceptions Python reported as ignored
    while the block ran (coroutines the garbage collector had to finalize)."""
    from chatapp.chat import get_chat_server
    from chatapp.db import get_engine

    hook = DiesAfter(allowed)
    engine = get_engine()
    unraisable: list[str] = []
    previous_hook = sys.unraisablehook
    sys.unraisablehook = lambda u: unraisable.append(f"{u.exc_type.__name__} in {u.object!r:.80}")
    event.listen(engine, "before_cursor_execute", hook)
    try:
        yield unraisable
        gc.collect(1)
    finally:
        event.remove(engine, "before_cursor_execute", hook)
        sys.unraisablehook = previous_hook
        get_chat_server.cache_clear()  # "restart": nothing of the dead turn stays in memory


def _streamed_turn(client, allowed: int) -> Outcome:
    """The SSE door at one crash point: its events, and what was stored."""
    user = insert_user()
    with dying_after(allowed) as unraisable:
        r = client.post(
            f"/api/{user.id}/chat",
            json={"message": MESSAGE},
            headers=user.headers | {"Accept": "text/event-stream"},
        )
    streamed = r.headers.get("content-type", "").startswith("text/event-stream")
    body = {"events": parse_sse(r.text)} if streamed else r.json()
    threads, items = _rows(user.id)
    return Outcome(allowed, r.status_code, body, items, threads, unraisable=unraisable)


def _turn(client, allowed: int) -> Outcome:
    user = insert_user()
    with dying_after(allowed) as unraisable:
        r = client.post(f"/api/{user.id}/chat", json={"message": MESSAGE}, headers=user.headers)

    body = r.json() if r.headers.get("content-type", "").startswith("application/json") else {}
    threads, items = _rows(user.id)
    outcome = Outcome(allowed, r.status_code, body, items, threads, unraisable=unraisable)
    for thread_id in threads:
        for request_type in ("threads.get_by_id", "items.list"):
            loaded = client.post(
                "/chatkit",
                json={"type": request_type, "params": {"thread_id": thread_id}},
                headers=user.headers,
            )
            outcome.loads.append(f"{request_type} {loaded.status_code}")
    following = client.post(
        f"/api/{user.id}/chat",
        json={"message": "show my tasks", "conversation_id": threads[0] if threads else None},
        headers=user.headers,
    )
    tasks = client.get(user.tasks_url, headers=user.headers).json()
    reply = following.json().get("response", "") if following.status_code == 200 else ""
    missing = [t["title"] for t in tasks if t["title"] not in reply]
    outcome.next_turn = (
        f"{following.status_code} {following.text[:200]}"
        if following.status_code != 200 or missing
        else "ok"
    )
    return outcome


_OUTCOMES: dict[str, list[Outcome]] = {}


def outcomes(client, database_url: str, streamed: bool = False) -> list[Outcome]:
    """Every crash point of one turn, computed once per database (and door) for the tests."""
    key = f"{database_url} {'sse' if streamed else 'json'}"
    if key not in _OUTCOMES:
        counting = DiesAfter(10**9)
        from chatapp.db import get_engine

        user = insert_user()
        event.listen(get_engine(), "before_cursor_execute", counting)
        try:
            r = client.post(f"/api/{user.id}/chat", json={"message": MESSAGE}, headers=user.headers)
        finally:
            event.remove(get_engine(), "before_cursor_execute", counting)
        assert r.status_code == 200 and len(r.json()["tool_calls"]) == 3, r.text
        run = _streamed_turn if streamed else _turn
        _OUTCOMES[key] = [run(client, n) for n in range(counting.writes + 1)]
    return _OUTCOMES[key]


def test_there_are_crash_points_to_test(client, database_url) -> None:
    points = outcomes(client, database_url)
    assert len(points) > 15
    assert points[-1].status == 200 and points[-1].body["response"].startswith("Added 3 tasks")


def test_after_any_crash_the_thread_loads_and_the_next_turn_works(client, database_url) -> None:
    wrong = {}
    for o in outcomes(client, database_url):
        problems = []
        if any(not load.endswith(" 200") for load in o.loads):
            problems.append(f"loads: {o.loads}")
        if o.next_turn != "ok":
            problems.append(f"next turn: {o.next_turn}")
        if o.items and o.items[0][0] != "user_message":
            problems.append(f"first item is {o.items[0][0]}, not the user's message")
        if problems:
            wrong[o.allowed] = problems
    assert wrong == {}


def test_after_any_crash_no_item_is_half_written(client, database_url) -> None:
    wrong = {o.allowed: half_written(o.items) for o in outcomes(client, database_url)}
    assert {n: problems for n, problems in wrong.items() if problems} == {}


def test_while_the_database_fails_the_chat_door_answers_503(client, database_url) -> None:
    from chatapp.api.errors import DB_UNAVAILABLE

    wrong = {}
    for o in outcomes(client, database_url)[:-1]:  # the last point is the turn that succeeds
        if o.status == 503 and o.body.get("detail") == DB_UNAVAILABLE:
            continue
        wrong[o.allowed] = f"{o.status} {json.dumps(o.body)[:160]}"
    assert wrong == {}


def test_while_the_database_fails_the_chat_door_never_answers_500(client, database_url) -> None:
    statuses = {o.allowed: o.status for o in outcomes(client, database_url)}
    assert {n: s for n, s in statuses.items() if s >= 500 and s != 503} == {}


def test_an_aborted_turn_leaves_no_agent_run_behind(client, database_url) -> None:
    leftovers = {o.allowed: o.unraisable for o in outcomes(client, database_url) if o.unraisable}
    assert leftovers == {}


def _sse_end(o: Outcome) -> tuple[str | None, dict]:
    events = o.body.get("events") or [(None, o.body)]
    return events[-1]


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_while_the_database_fails_the_sse_door_ends_in_an_error(client, database_url) -> None:
    wrong = {}
    for o in outcomes(client, database_url, streamed=True)[:-1]:
        name, data = _sse_end(o)
        if o.status == 503 or name == "error":
            continue
        wrong[o.allowed] = f"{o.status} ended with {name}: {json.dumps(data)[:120]}"
    assert wrong == {}


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_the_sse_error_only_says_saved_when_the_message_was_saved(client, database_url) -> None:
    wrong = {}
    for o in outcomes(client, database_url, streamed=True):
        name, data = _sse_end(o)
        stored = any(kind == "user_message" for kind, _ in o.items)
        if name == "error" and "saved" in data.get("detail", "") and not stored:
            wrong[o.allowed] = data["detail"]
    assert wrong == {}
