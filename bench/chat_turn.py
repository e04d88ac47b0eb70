"""Benchmark 1: an add-task turn through POST /api/{user_id}/chat (real HTTP, uvicorn, SQLite,
offline model, in-process MCP tools, ChatKit store) vs a bare `Runner.run` turn with the same
model and an in-memory function tool. The two alternate turn by turn, so machine noise lands on
both alike. Target: ratio of medians ≤ 2.0.

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
    cpu = 0.0
    with serve(build_api()) as base, httpx.Client(base_url=base, timeout=30) as http:
        auth = http.post(
            "/api/auth/signup", json={"email": "bench@example.com", "password": "benchmark-pw"}
        ).json()
        headers = {"Authorization": f"Bearer {auth['access_token']}"}
        url = f"/api/{auth['user_id']}/chat"
        http.post(url, json={"message": "hello"}, headers=headers)  # the conversation
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
            if i >= WARM_UP:
                bare.append(bare_s)
                api.append(api_s)
                cpu += api_cpu
    loop.close()
    bare_stats = summary("bare Runner.run (baseline)", bare)
    api_stats = summary("POST /api/{user_id}/chat", api)
    # Less sensitive to a busy machine than wall time (server and client share this process).
    print(f"process CPU per API turn: {cpu / len(api) * 1000:.2f} ms (server + HTTP client)")
    ratio = api_stats["median_ms"] / bare_stats["median_ms"]
    verdict = "meets" if ratio <= TARGET_RATIO else "MISSES"
    print(f"ratio of medians: {ratio:.2f}x (target ≤ {TARGET_RATIO}x: {verdict})")
    print(f"p95 ratio: {api_stats['p95_ms'] / bare_stats['p95_ms']:.2f}x")


if __name__ == "__main__":
    main()
