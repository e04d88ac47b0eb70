"""Baseline for the native chat's browser latency: the same add-task turns run in-process through
`stream_turn` (TodoChatServer, SQLite, offline model), timing the first text delta and the end.

    python bench/chat_stream.py [--turns 20] [--json]

The browser side of the same turns is benchmark 6 (bench/first_token.py);
tests/browser/test_chat_native.py also writes its medians to test-results/ without judging them.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import time

from common import bench_database


async def stream_turns(n: int) -> tuple[list[float], list[float]]:
    from chatapp.chat import get_chat_server
    from chatapp.chat.store import RequestContext
    from chatapp.chat.turns import TurnSummary, stream_turn
    from chatapp.db import User, session_scope

    with session_scope() as session:
        user = User(email="bench-stream@example.com", password_hash="not-a-password-hash")
        session.add(user)
        session.flush()
        user_id = user.id
    server = get_chat_server()
    thread_id = None
    async for event in stream_turn(server, RequestContext(user_id=user_id), "hello", None):
        if event.type == "thread.created":
            thread_id = event.thread.id
    first, done = [], []
    for i in range(n):
        summary = TurnSummary()
        start = time.perf_counter()
        seen_first = False
        ctx = RequestContext(user_id=user_id)
        async for event in stream_turn(server, ctx, f"add buy milk {i}", thread_id):
            if summary.observe(event) and not seen_first:
                first.append(time.perf_counter() - start)
                seen_first = True
        done.append(time.perf_counter() - start)
    return first, done


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--turns", type=int, default=20)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with bench_database("sqlite"):
        first, done = asyncio.run(stream_turns(args.turns))
    result = {
        "first_token_median_ms": statistics.median(first) * 1000,
        "done_median_ms": statistics.median(done) * 1000,
        "n": args.turns,
    }
    if args.json:
        print(json.dumps(result))
    else:
        print(
            f"in-process stream_turn  n={args.turns}  first token {result['first_token_median_ms']:.1f} ms"
            f"  done {result['done_median_ms']:.1f} ms (medians)"
        )


if __name__ == "__main__":
    main()
