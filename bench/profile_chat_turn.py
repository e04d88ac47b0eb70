"""Where the time of one `POST /api/{user_id}/chat` add-task turn goes (companion to
bench/chat_turn.py): database round trips, thread hops and (de)serialisation per turn, counted
by wrapping the real functions, plus a sampling profile of the server's event-loop thread.

    python bench/profile_chat_turn.py [--turns 40] [--backend sqlite|postgres]
                                      [--profile pyinstrument|cprofile|none] [--new]

--new starts a new conversation every turn, as bench/chat_turn.py does (its thread row, number
and title are then part of each turn); without it every turn continues one conversation.

pyinstrument is not a chatapp dependency: `pip install --target /tmp/pyinst pyinstrument` and
run with PYTHONPATH=/tmp/pyinst (without it, cProfile is used).
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import statistics
import threading
import time
from collections import Counter, defaultdict

from common import bench_database, free_port

COUNTS: Counter[str] = Counter()
SECONDS: defaultdict[str, float] = defaultdict(float)


def _timed_async(name: str, fn):
    @functools.wraps(fn)
    async def wrapper(*args, **kwargs):
        COUNTS[name] += 1
        start = time.perf_counter()
        try:
            return await fn(*args, **kwargs)
        finally:
            SECONDS[name] += time.perf_counter() - start

    return wrapper


def _timed_sync(name: str, fn):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        COUNTS[name] += 1
        start = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            SECONDS[name] += time.perf_counter() - start

    return wrapper


class _CountingAdapter:
    """Stands in for a pydantic TypeAdapter, timing validate_json."""

    def __init__(self, name: str, adapter) -> None:
        self._adapter = adapter
        self.validate_json = _timed_sync(name, adapter.validate_json)

    def __getattr__(self, attr):
        return getattr(self._adapter, attr)


def instrument() -> None:
    """Wrap the seams a turn crosses; every wrapper only counts and times."""
    import anyio.to_thread
    from chatkit.server import ChatKitServer
    from sqlalchemy import event

    import chatapp.chat.turns as turns
    from chatapp.chat.store import SQLStore
    from chatapp.db import get_engine

    asyncio.to_thread = _timed_async(
        "thread hop: asyncio.to_thread (chat store)", asyncio.to_thread
    )
    anyio.to_thread.run_sync = _timed_async(
        "thread hop: anyio run_sync (sync deps, task tools)", anyio.to_thread.run_sync
    )
    for name in (
        "load_thread",
        "save_thread",
        "load_thread_items",
        "add_thread_item",
        "save_item",
        "load_item",
        "delete_thread_item",
    ):
        setattr(SQLStore, name, _timed_async(f"store.{name}", getattr(SQLStore, name)))
    ChatKitServer._serialize = _timed_sync(
        "serialize: chatkit event -> JSON bytes", ChatKitServer._serialize
    )
    turns._EVENT = _CountingAdapter("parse: JSON API re-parses each SSE event", turns._EVENT)

    engine = get_engine()

    @event.listens_for(engine, "before_cursor_execute")
    def _statement(conn, cursor, statement, parameters, context, executemany):
        COUNTS["sql: " + statement.split(None, 1)[0].upper()] += 1

    @event.listens_for(engine, "commit")
    def _commit(conn):
        COUNTS["sql: COMMIT"] += 1

    @event.listens_for(engine.pool, "checkout")
    def _checkout(*_args):
        COUNTS["db sessions (pool checkouts)"] += 1


def run_server(app, port: int, out: dict) -> None:
    import uvicorn

    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    out["server"] = server
    server.run()


def new_profiler(kind: str):
    if kind == "pyinstrument":
        from pyinstrument import Profiler

        return Profiler(interval=0.0005, async_mode="disabled")
    if kind == "cprofile":
        import cProfile

        return cProfile.Profile()
    return None


def in_server_loop(server, action) -> None:
    """Run `action` on the uvicorn thread's event loop and wait for it."""
    done = threading.Event()

    def call() -> None:
        action()
        done.set()

    server.servers[0].get_loop().call_soon_threadsafe(call)
    done.wait(5)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--turns", type=int, default=40)
    parser.add_argument("--backend", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--profile", choices=["pyinstrument", "cprofile", "none"], default=None)
    parser.add_argument("--new", action="store_true", help="a new conversation every turn")
    args = parser.parse_args()
    kind = args.profile
    if kind is None:
        try:
            import pyinstrument  # noqa: F401

            kind = "pyinstrument"
        except ImportError:
            kind = "cprofile"

    import httpx

    from chatapp.api import build_api

    with bench_database(args.backend):
        app = build_api()
        port = free_port()
        out: dict = {}
        thread = threading.Thread(target=run_server, args=(app, port, out), daemon=True)
        thread.start()
        while "server" not in out or not out["server"].started:
            time.sleep(0.02)
        server = out["server"]
        profiler = new_profiler(kind)
        base = f"http://127.0.0.1:{port}"
        with httpx.Client(base_url=base, timeout=30) as http:
            auth = http.post(
                "/api/auth/signup", json={"email": "prof@example.com", "password": "benchmark-pw"}
            ).json()
            headers = {"Authorization": f"Bearer {auth['access_token']}"}
            url = f"/api/{auth['user_id']}/chat"
            first = http.post(url, json={"message": "hello"}, headers=headers).json()
            conversation = first["conversation_id"]
            for i in range(5):  # warm-up
                body = {"message": f"add warm {i}", "conversation_id": conversation}
                http.post(url, json=body, headers=headers)
            instrument()
            if profiler is not None:
                # Sample the server's own thread: uvicorn, FastAPI, ChatKit, the agent loop.
                begin = profiler.enable if kind == "cprofile" else profiler.start
                in_server_loop(server, begin)
            walls = []
            for i in range(args.turns):
                start = time.perf_counter()
                body = {"message": f"add buy milk {i}"}
                if not args.new:
                    body["conversation_id"] = conversation
                r = http.post(url, json=body, headers=headers)
                walls.append(time.perf_counter() - start)
                assert r.status_code == 200 and r.json()["tool_calls"][0]["name"] == "add_task"
            if profiler is not None:
                stop = profiler.disable if kind == "cprofile" else profiler.stop
                in_server_loop(server, stop)
        server.should_exit = True
        thread.join(10)

    n = args.turns
    turn_ms = statistics.median(walls) * 1000
    where = "a new conversation each" if args.new else "one conversation"
    print(f"{n} add-task turns on {args.backend}, {where}; median turn {turn_ms:.2f} ms")
    print(f"{'per turn':<58} {'count':>7} {'ms':>8}")
    for name in sorted(COUNTS, key=lambda k: (k.split(":")[0], -COUNTS[k])):
        ms = f"{SECONDS[name] / n * 1000:8.2f}" if name in SECONDS else ""
        print(f"  {name:<56} {COUNTS[name] / n:7.1f} {ms}")
    if kind == "pyinstrument":
        print(
            profiler.output_text(unicode=True, color=False, show_all=False, time="percent_of_total")
        )
    elif kind == "cprofile":
        import pstats

        pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)


if __name__ == "__main__":
    main()
