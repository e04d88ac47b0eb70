"""Benchmark 3: load. 50 concurrent users × 20 chat turns each against one production server
(`reflex run --env prod`, frontend and backend on one port), on SQLite and on PostgreSQL.

Each user signs up first; then all users talk at once, each turn waiting for the previous one
(`POST /api/{user_id}/chat`, JSON, one conversation per user). Reported: turns/s, p50/p95,
errors (target 0) and lost messages (target 0): afterwards every user message sent and every
assistant reply is looked for in the database (chat_items, by type and text) and every task the
turns created is counted. Target: p95 ≤ 10 × p50. The baseline, measured in the same run on
the same server before the load: one user's turns alone (p50 under load / p50 alone).

Two kinds of turn: `tools` ("add load task 3-7": the agent calls add_task) and `plain` ("thanks (3-7)":
a reply with no tool call). For each, the server's CPU per turn: the CPU seconds the server
process tree (the reflex CLI and its granian workers) used during the crowd phase ÷ the turns
answered. Targets (issue 14): ≤ 20 ms plain, ≤ 30 ms with a tool call.

The door: `json` (`POST /api/{user_id}/chat`, one JSON answer per turn) or `chatkit` (the
ChatKit protocol the chat panel speaks: `POST /chatkit`, threads.create then
threads.add_user_message, each answer an SSE stream read to its end).

    python bench/load.py [--backend sqlite|postgres|both] [--kind tools|plain|both]
                         [--door json|chatkit] [--users 50] [--turns 20] [--max-seconds 600]
                         [--workers-via-redis]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from contextlib import contextmanager
from pathlib import Path

from common import BACKENDS, ROOT, bench_database, free_port, percentile

TARGET_TAIL_RATIO = 10.0
TARGET_CPU_MS = {"plain": 20.0, "tools": 30.0}
KINDS = ("tools", "plain")
START_TIMEOUT = 900
REQUEST_TIMEOUT = 120
REDIS_URL = "redis://127.0.0.1:6379/15"


def wait_ready(url: str, proc: subprocess.Popen, log: Path, timeout: float) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited ({proc.returncode}):\n{log.read_text()[-4000:]}")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(1)
    raise TimeoutError(f"{url} not ready after {timeout}s:\n{log.read_text()[-4000:]}")


@contextmanager
def production_server(database_url: str, redis: bool):
    """`reflex run --env prod` on one free port; yields (base URL, log path)."""
    from tests.support.servers import exclusive_web_dir

    port = free_port()
    log = Path(tempfile.mkdtemp(prefix="chatapp-load-")) / "server.log"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "CHATAPP_ENV": "prod",
        "JWT_SECRET": os.environ["JWT_SECRET"],
        "LOG_LEVEL": os.environ.get("BENCH_SERVER_LOG_LEVEL", "info"),
        "PATH": f"{ROOT / '.tools/node_modules/.bin'}:{os.environ['PATH']}",
        "REFLEX_TELEMETRY_ENABLED": "false",
    }
    env.setdefault("NPM_CONFIG_REGISTRY", "https://registry.npmjs.org/")
    env.pop("REFLEX_REDIS_URL", None)
    if redis:
        env["REFLEX_REDIS_URL"] = REDIS_URL
    reflex = shutil.which("reflex", path=str(Path(sys.executable).parent)) or "reflex"
    command = [reflex, "run", "--env", "prod", "--frontend-port", str(port)]
    command += ["--backend-port", str(port)]
    base = f"http://127.0.0.1:{port}"
    # One `reflex run` compiles into .web at a time (the browser tests take the same lock).
    with exclusive_web_dir(), log.open("w") as out:
        started = time.monotonic()
        proc = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            wait_ready(f"{base}/health", proc, log, START_TIMEOUT)
        except BaseException:
            _stop(proc)
            raise
    print(f"  server up in {time.monotonic() - started:.0f} s (log: {log})")
    try:
        yield base, log, proc
    finally:
        _stop(proc)


def _stop(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
    except ProcessLookupError:
        pass
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)


def message(kind: str, user: int, turn: str) -> str:
    if kind == "plain":
        return f"thanks ({user}-{turn})"
    return f"add load task {user}-{turn}"


def expected_calls(kind: str) -> list[str]:
    return [] if kind == "plain" else ["add_task"]


def server_cpu_seconds(proc: subprocess.Popen) -> float:
    """User + system CPU seconds of the server's process tree so far (live processes)."""
    import psutil

    root = psutil.Process(proc.pid)
    total = 0.0
    for p in [root, *root.children(recursive=True)]:
        try:
            times = p.cpu_times()
        except psutil.NoSuchProcess:
            continue
        total += times.user + times.system
    return total


class User:
    def __init__(self, index: int) -> None:
        self.index = index
        self.email = f"load{index}@example.com"
        self.id: int | None = None
        self.headers: dict[str, str] = {}
        self.conversation: int | None = None
        self.thread: str | None = None  # the ChatKit door's thread
        self.sent: list[str] = []  # messages the server answered 200 to
        self.latencies: list[float] = []
        self.errors: Counter[str] = Counter()


async def sign_up(http, user: User) -> None:
    r = await http.post(
        "/api/auth/signup", json={"email": user.email, "password": "load-benchmark-pw"}
    )
    r.raise_for_status()
    body = r.json()
    user.id = body["user_id"]
    user.headers = {"Authorization": f"Bearer {body['access_token']}"}


def chatkit_body(text: str, thread: str | None) -> dict:
    """What <openai-chatkit> sends for a message: to `thread`, or a new thread."""
    content = {"content": [{"type": "input_text", "text": text}], "attachments": []}
    params: dict = {"input": {**content, "inference_options": {}}}
    if thread:
        return {"type": "threads.add_user_message", "params": {**params, "thread_id": thread}}
    return {"type": "threads.create", "params": params}


async def chatkit_turn(http, user: User, text: str) -> list[str] | str:
    """One ChatKit turn read to the end of its stream: the tools it called, or an error."""
    calls: list[str] = []
    replied = False
    async with http.stream(
        "POST", "/chatkit", json=chatkit_body(text, user.thread), headers=user.headers
    ) as r:
        if r.status_code != 200:
            return f"HTTP {r.status_code}"
        async for line in r.aiter_lines():
            if not line.startswith("data: "):
                continue
            event = json.loads(line[6:])
            kind = event.get("type")
            if kind == "error":
                return "stream error"
            if kind == "thread.created":
                user.thread = event["thread"]["id"]
            if kind == "thread.item.done":
                item = event["item"]
                if item["type"] == "assistant_message":
                    replied = True
                elif item["type"] == "task" and item.get("task", {}).get("title"):
                    calls.append(item["task"]["title"])
    return calls if replied else "no reply"


async def talk(http, user: User, turns: int, kind: str, door: str, prefix: str = "") -> None:
    for turn in range(turns):
        text = message(kind, user.index, f"{prefix}{turn}")
        if door == "chatkit":
            start = time.perf_counter()
            try:
                outcome = await chatkit_turn(http, user, text)
            except Exception as exc:  # a timeout or a dropped connection is an error
                user.errors[type(exc).__name__] += 1
                continue
            if isinstance(outcome, str):
                user.errors[outcome] += 1
                continue
            user.sent.append(text)
            user.latencies.append(time.perf_counter() - start)
            if bool(outcome) != bool(expected_calls(kind)):
                user.errors["bad reply"] += 1
            continue
        body = {"message": text}
        if user.conversation:
            body["conversation_id"] = user.conversation
        start = time.perf_counter()
        try:
            r = await http.post(f"/api/{user.id}/chat", json=body, headers=user.headers)
        except Exception as exc:  # a timeout or a dropped connection is an error, not a crash
            user.errors[type(exc).__name__] += 1
            continue
        elapsed = time.perf_counter() - start
        if r.status_code != 200:
            user.errors[f"HTTP {r.status_code}"] += 1
            continue
        reply = r.json()
        user.sent.append(text)
        user.latencies.append(elapsed)
        user.conversation = reply["conversation_id"]
        calls = [c["name"] for c in reply.get("tool_calls", [])]
        if reply.get("error") or not reply.get("response") or calls != expected_calls(kind):
            user.errors["bad reply"] += 1


def stored_items(user_ids: list[int]) -> dict[int, Counter]:
    """Per user: Counter of (type, text) for every stored chat item of the bench users."""
    from sqlalchemy import select

    from chatapp.db import get_engine
    from chatapp.db.models import ChatItem

    found: dict[int, Counter] = {uid: Counter() for uid in user_ids}
    items = ChatItem.__table__.c
    with get_engine().connect() as conn:
        rows = conn.execute(
            select(items.user_id, items.type, items.payload).where(items.user_id.in_(user_ids))
        )
        for user_id, kind, payload in rows:
            text = ""
            if kind == "user_message":
                payload = json.loads(payload) if isinstance(payload, str) else payload
                text = " ".join(part.get("text", "") for part in payload["content"])
            found[user_id][(kind, text)] += 1
    return found


def stored_tasks(user_ids: list[int]) -> Counter:
    from sqlalchemy import func, select

    from chatapp.db import Task, get_engine

    tasks = Task.__table__.c
    with get_engine().connect() as conn:
        rows = conn.execute(
            select(tasks.user_id, func.count())
            .where(tasks.user_id.in_(user_ids))
            .group_by(tasks.user_id)
        )
        return Counter(dict(rows.all()))


async def run_load(
    base: str,
    proc: subprocess.Popen,
    kind: str,
    door: str,
    first: int,
    users: int,
    turns: int,
    max_seconds: float,
) -> dict:
    """One kind of turn: user numbers from `first` on, so kinds on one server never share one."""
    import httpx

    limits = httpx.Limits(max_connections=users + 5, max_keepalive_connections=users + 5)
    async with httpx.AsyncClient(base_url=base, timeout=REQUEST_TIMEOUT, limits=limits) as http:
        # Baseline: one user alone on the same server (and a warm-up of the agent path).
        solo = User(first)
        await sign_up(http, solo)
        await talk(http, solo, 3, kind, door, prefix="warm")
        solo.latencies.clear()
        await talk(http, solo, turns, kind, door, prefix="solo")

        crowd = [User(i) for i in range(first + 1, first + users + 1)]
        await asyncio.gather(*(sign_up(http, u) for u in crowd))
        cpu_start = server_cpu_seconds(proc)
        start = time.perf_counter()
        timed_out = False
        try:
            await asyncio.wait_for(
                asyncio.gather(*(talk(http, u, turns, kind, door) for u in crowd)),
                timeout=max_seconds,
            )
        except TimeoutError:
            timed_out = True
        wall = time.perf_counter() - start
        cpu = server_cpu_seconds(proc) - cpu_start
    return {"solo": solo, "crowd": crowd, "wall": wall, "timed_out": timed_out, "cpu": cpu}


def report(backend: str, kind: str, door: str, result: dict, users: int, turns: int) -> dict:
    solo, crowd, wall = result["solo"], result["crowd"], result["wall"]
    latencies = [s * 1000 for u in crowd for s in u.latencies]
    ok = len(latencies)
    errors = sum((u.errors for u in crowd), Counter())
    everyone = [solo, *crowd]
    stored = stored_items([u.id for u in everyone])
    tasks = stored_tasks([u.id for u in everyone])
    lost_user = lost_assistant = lost_tasks = 0
    for u in everyone:
        texts = Counter(("user_message", t) for t in u.sent)
        lost_user += sum((texts - stored[u.id]).values())
        replies = stored[u.id][("assistant_message", "")]
        lost_assistant += max(0, len(u.sent) - replies)
        if kind == "tools":
            lost_tasks += max(0, len(u.sent) - tasks[u.id])
        else:  # a plain turn adds nothing
            lost_tasks += tasks[u.id]
    extra_user = sum(
        max(0, stored[u.id][k] - n)
        for u in everyone
        for k, n in Counter(("user_message", t) for t in u.sent).items()
    )
    solo_ms = [s * 1000 for s in solo.latencies]
    p50, p95 = statistics.median(latencies), percentile(latencies, 95)
    solo_p50 = statistics.median(solo_ms)
    print(
        f"== {backend}, {kind} turns through the {door} door: {users} users × {turns} turns,"
        " one reflex prod server =="
    )
    print(
        f"  baseline (one user alone): p50 {solo_p50:.1f} ms  p95 {percentile(solo_ms, 95):.1f} ms"
    )
    print(
        f"  under load: {ok}/{users * turns} turns in {wall:.1f} s = {ok / wall:.1f} turns/s;"
        f" p50 {p50:.1f} ms  p95 {p95:.1f} ms  max {max(latencies):.1f} ms"
        + ("  (STOPPED at --max-seconds)" if result["timed_out"] else "")
    )
    print(f"  errors: {sum(errors.values())} {dict(errors) or ''}")
    print(
        f"  lost: user messages {lost_user}, assistant replies {lost_assistant},"
        f" tasks {lost_tasks} (duplicated user messages: {extra_user})"
    )
    ratio = p95 / p50
    verdict = "meets" if ratio <= TARGET_TAIL_RATIO else "MISSES"
    print(
        f"  p95/p50 = {ratio:.2f}x (target ≤ {TARGET_TAIL_RATIO:.0f}x: {verdict});"
        f"  p50 under load / p50 alone = {p50 / solo_p50:.1f}x"
    )
    cpu_ms = result["cpu"] / ok * 1000 if ok else float("nan")
    cpu_verdict = "meets" if cpu_ms <= TARGET_CPU_MS[kind] else "MISSES"
    print(
        f"  server CPU: {result['cpu']:.1f} s for {ok} turns = {cpu_ms:.1f} ms per turn"
        f" (target ≤ {TARGET_CPU_MS[kind]:.0f} ms: {cpu_verdict})"
    )
    return {
        "p50": p50,
        "p95": p95,
        "turns_per_s": ok / wall,
        "errors": sum(errors.values()),
        "cpu_ms": cpu_ms,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--backend", choices=[*BACKENDS, "both"], default="both")
    parser.add_argument("--kind", choices=[*KINDS, "both"], default="both")
    parser.add_argument("--door", choices=["json", "chatkit"], default="json")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--turns", type=int, default=20)
    parser.add_argument("--max-seconds", type=float, default=600)
    parser.add_argument(
        "--workers-via-redis",
        action="store_true",
        help=f"set REFLEX_REDIS_URL={REDIS_URL}: Reflex then starts several backend workers",
    )
    args = parser.parse_args()
    kinds = KINDS if args.kind == "both" else (args.kind,)
    for backend in BACKENDS if args.backend == "both" else (args.backend,):
        with bench_database(backend) as url:
            results = {}
            with production_server(url, args.workers_via_redis) as (base, _log, proc):
                for n, kind in enumerate(kinds):
                    first = n * (args.users + 1)
                    results[kind] = asyncio.run(
                        run_load(
                            base,
                            proc,
                            kind,
                            args.door,
                            first,
                            args.users,
                            args.turns,
                            args.max_seconds,
                        )
                    )
            for kind, result in results.items():
                report(backend, kind, args.door, result, args.users, args.turns)


if __name__ == "__main__":
    main()
