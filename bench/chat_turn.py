"""Benchmark 1: an add-task turn through POST /api/{user_id}/chat (real HTTP, uvicorn, SQLite,
offline model, in-process MCP tools, ChatKit store) vs a bare `Runner.run` turn with the same
model and an in-memory function tool. The two alternate turn by turn, so machine noise lands on
both alike. Target: ratio of medians ≤ 2.0.

A third series, the floor, is the least a persisted, authenticated turn can do on the same
server: an HTTP route on the same app and middleware that checks the bearer (cached account),
stores a new conversation's thread row (as the API series starts one per turn; an existing
conversation would instead cost one indexed read), commits the user's message before the model
runs, runs the bare `Runner.run` whose tool commits its task, then commits the tool call's
record and the reply, each write its own transaction in a worker thread, as the guarantees ask
(docs/PERFORMANCE.md, section 1). It alternates with the other two.

    python bench/chat_turn.py [--turns 60]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time

from common import serve, summary, use_fresh_sqlite

TARGET_RATIO = 2.0
WARM_UP = 5


def bare_runner():
    """One bare turn per call: `Runner.run` with the offline model and an in-memory tool."""
    from agents import Agent, RunConfig, Runner, function_tool

    from chatapp.agent.agent import INSTRUCTIONS
    from chatapp.agent.offline.model import OfflineModelProvider

    tasks: dict[int, str] = {}

    @function_tool
    def add_task(title: str) -> str:
        """Add a task."""
        task_id = len(tasks) + 1
        tasks[task_id] = title
        return json.dumps({"task_id": task_id, "status": "created", "title": title})

    agent = Agent(name="bare", instructions=INSTRUCTIONS, tools=[add_task])
    config = RunConfig(model_provider=OfflineModelProvider(), tracing_disabled=True)

    async def turn(i: int) -> None:
        await Runner.run(agent, f"add buy milk {i}", run_config=config)

    return turn


FLOOR_PATH = "/bench/floor-turn"


def floor_route(bare_agent_and_config):
    """The floor turn as a Starlette endpoint (see the module docstring)."""
    import asyncio

    from agents import Runner
    from sqlalchemy import Column, Integer, MetaData, String, Table, Text, insert, select
    from starlette.responses import JSONResponse

    from chatapp.auth.bearer import live_account, verify_bearer
    from chatapp.db import get_engine, session_scope
    from chatapp.db.models import ChatConversation

    scratch = Table(
        "bench_floor_items",
        MetaData(),
        Column("id", Integer, primary_key=True),
        Column("user_id", Integer, index=True),
        Column("kind", String(32)),
        Column("payload", Text),
    )
    scratch.create(get_engine(), checkfirst=True)
    rows = ChatConversation.__table__.c

    def write(user_id: int, *items: tuple[str, dict]) -> None:
        with session_scope() as session:
            for kind, payload in items:
                session.execute(
                    insert(scratch).values(user_id=user_id, kind=kind, payload=json.dumps(payload))
                )

    def read(user_id: int, conversation: int) -> str:
        with session_scope() as session:
            found = session.execute(
                select(rows.thread_id).where(rows.id == conversation, rows.user_id == user_id)
            )
            return found.scalar_one()

    agent, config, tasks = bare_agent_and_config

    async def endpoint(request):
        claims = verify_bearer(request.headers.get("authorization"))
        await live_account(claims)
        body = await request.json()
        user = claims.user_id
        if "conversation_id" in body:  # an existing conversation: the 404 decision's read
            await asyncio.to_thread(read, user, body["conversation_id"])
        else:  # a new one (as the API series): its thread row
            await asyncio.to_thread(write, user, ("thread", {"title": None}))
        message = {"type": "user_message", "content": [{"text": body["message"]}]}
        await asyncio.to_thread(write, user, ("user_message", message))
        result = await Runner.run(agent, body["message"], run_config=config)
        await asyncio.to_thread(write, user, ("task", {"title": tasks[-1]}), ("record", {}))
        reply = {"type": "assistant_message", "content": [{"text": result.final_output}]}
        await asyncio.to_thread(write, user, ("assistant_message", reply))
        return JSONResponse({"response": result.final_output})

    return endpoint


def floor_agent():
    """The bare agent again, its tool committing the task in a worker thread."""
    import asyncio

    from agents import Agent, RunConfig, function_tool
    from sqlalchemy import text

    from chatapp.agent.agent import INSTRUCTIONS
    from chatapp.agent.offline.model import OfflineModelProvider
    from chatapp.db import session_scope

    titles: list[str] = []

    def store(title: str) -> None:
        with session_scope() as session:
            session.execute(
                text(
                    "INSERT INTO bench_floor_items (user_id, kind, payload) VALUES (0, 'task', :t)"
                ),
                {"t": title},
            )

    @function_tool
    async def add_task(title: str) -> str:
        """Add a task."""
        await asyncio.to_thread(store, title)
        titles.append(title)
        return json.dumps({"task_id": len(titles), "status": "created", "title": title})

    agent = Agent(name="floor", instructions=INSTRUCTIONS, tools=[add_task])
    config = RunConfig(model_provider=OfflineModelProvider(), tracing_disabled=True)
    return agent, config, titles


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--turns", type=int, default=60)
    args = parser.parse_args()
    use_fresh_sqlite()

    import httpx

    from chatapp.api import build_api

    loop = asyncio.new_event_loop()
    bare_turn = bare_runner()
    bare: list[float] = []
    api: list[float] = []
    floor: list[float] = []
    cpu = 0.0
    app = build_api()
    app.router.add_route(FLOOR_PATH, floor_route(floor_agent()), methods=["POST"])
    with serve(app) as base, httpx.Client(base_url=base, timeout=30) as http:
        auth = http.post(
            "/api/auth/signup", json={"email": "bench@example.com", "password": "benchmark-pw"}
        ).json()
        headers = {"Authorization": f"Bearer {auth['access_token']}"}
        url = f"/api/{auth['user_id']}/chat"
        http.post(url, json={"message": "hello"}, headers=headers)  # warms the agent path
        for i in range(args.turns + WARM_UP):
            start = time.perf_counter()
            loop.run_until_complete(bare_turn(i))
            bare_s = time.perf_counter() - start
            cpu_start = time.process_time()
            start = time.perf_counter()
            r = http.post(url, json={"message": f"add buy milk {i}"}, headers=headers)
            api_s = time.perf_counter() - start
            api_cpu = time.process_time() - cpu_start
            assert r.status_code == 200 and r.json()["tool_calls"][0]["name"] == "add_task", r.text
            start = time.perf_counter()
            r = http.post(FLOOR_PATH, json={"message": f"add buy tea {i}"}, headers=headers)
            floor_s = time.perf_counter() - start
            assert r.status_code == 200 and "Buy tea" in r.json()["response"], r.text
            if i >= WARM_UP:
                bare.append(bare_s)
                api.append(api_s)
                floor.append(floor_s)
                cpu += api_cpu
    loop.close()
    bare_stats = summary("bare Runner.run (baseline)", bare)
    floor_stats = summary("floor: persisted, authenticated", floor)
    api_stats = summary("POST /api/{user_id}/chat", api)
    # Less sensitive to a busy machine than wall time (server and client share this process).
    print(f"process CPU per API turn: {cpu / len(api) * 1000:.2f} ms (server + HTTP client)")
    ratio = api_stats["median_ms"] / bare_stats["median_ms"]
    verdict = "meets" if ratio <= TARGET_RATIO else "MISSES"
    print(f"ratio of medians: {ratio:.2f}x (target ≤ {TARGET_RATIO}x: {verdict})")
    print(f"p95 ratio: {api_stats['p95_ms'] / bare_stats['p95_ms']:.2f}x")
    floor_ratio = floor_stats["median_ms"] / bare_stats["median_ms"]
    print(
        f"the floor: {floor_ratio:.2f}x bare Runner.run; the API turn is"
        f" {api_stats['median_ms'] / floor_stats['median_ms']:.2f}x the floor"
    )


if __name__ == "__main__":
    main()
