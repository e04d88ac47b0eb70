"""Benchmark 1: an add-task turn through POST /api/{user_id}/chat (real HTTP, uvicorn, SQLite,
offline model, in-process MCP tools, ChatKit store) vs a bare `Runner.run` turn with the same
model and an in-memory function tool. Target: ratio of medians ≤ 2.0.

    python bench/chat_turn.py [--turns 60]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time

from common import serve, summary, use_fresh_sqlite

TARGET_RATIO = 2.0


async def bare_runner_turns(n: int) -> list[float]:
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
    samples = []
    for i in range(n):
        start = time.perf_counter()
        await Runner.run(agent, f"add buy milk {i}", run_config=config)
        samples.append(time.perf_counter() - start)
    return samples


def api_turns(n: int) -> list[float]:
    import httpx

    from chatapp.api import build_api

    with serve(build_api()) as base, httpx.Client(base_url=base, timeout=30) as http:
        auth = http.post(
            "/api/auth/signup", json={"email": "bench@example.com", "password": "benchmark-pw"}
        ).json()
        headers = {"Authorization": f"Bearer {auth['access_token']}"}
        url = f"/api/{auth['user_id']}/chat"
        http.post(url, json={"message": "hello"}, headers=headers)  # warm-up
        samples = []
        for i in range(n):
            start = time.perf_counter()
            r = http.post(url, json={"message": f"add buy milk {i}"}, headers=headers)
            samples.append(time.perf_counter() - start)
            assert r.status_code == 200 and r.json()["tool_calls"][0]["name"] == "add_task", r.text
    return samples


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--turns", type=int, default=60)
    args = parser.parse_args()
    use_fresh_sqlite()
    asyncio.run(bare_runner_turns(5))  # warm imports and caches
    bare = summary("bare Runner.run (baseline)", asyncio.run(bare_runner_turns(args.turns)))
    api = summary("POST /api/{user_id}/chat", api_turns(args.turns))
    ratio = api["median_ms"] / bare["median_ms"]
    verdict = "meets" if ratio <= TARGET_RATIO else "MISSES"
    print(f"ratio of medians: {ratio:.2f}x (target ≤ {TARGET_RATIO}x: {verdict})")
    print(f"p95 ratio: {api['p95_ms'] / bare['p95_ms']:.2f}x")


if __name__ == "__main__":
    main()
