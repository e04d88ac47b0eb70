"""Run every benchmark, one fresh process each, and print their reports in order.

    python bench/run_all.py [--only chat_turn,chat_ttfb,load,data_scale,page,first_token,attachments,
                                    auth_floor]
                            [--skip load,page]

Needs the local PostgreSQL (127.0.0.1:5432, user postgres) for load and data_scale, the Reflex
toolchain on PATH for load and page, and Chromium for page (see docs/PERFORMANCE.md). Exits
non-zero if a benchmark crashed; a missed target is reported, not a failure.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHMARKS = {
    "chat_turn": "1. chat turn: POST /api/{id}/chat vs bare Runner.run",
    "chat_ttfb": "2. first streamed byte: chat SSE vs bare Starlette SSE",
    "load": "3. load: 50 users x 20 turns on reflex run --env prod",
    "data_scale": "4. data scale: task list/filter/search at 100/1,000/10,000 tasks",
    "page": "5. page ready: /chat vs a blank Reflex page, headless Chromium, prod build",
    "first_token": "6. native chat: send -> first token on screen vs a Reflex state round trip",
    "attachments": "7. attachments: a 12 MP photo's upload vs a same-size CSV's, over HTTP",
    "auth_floor": "8. authenticated floor: GET /api/auth/me vs a bare route on the same stack",
}
SCRIPTS = {"page": "page_ready.py"}  # the others are <name>.py


def machine() -> str:
    import sqlite3

    load = os.getloadavg()
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"{os.cpu_count()} CPUs, {memory:.0f} GiB, Python {platform.python_version()}, "
        f"SQLite {sqlite3.sqlite_version}, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", default=",".join(BENCHMARKS))
    parser.add_argument("--skip", default="")
    args = parser.parse_args()
    chosen = [b for b in args.only.split(",") if b and b not in args.skip.split(",")]
    unknown = set(chosen) - set(BENCHMARKS)
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(sorted(unknown))}")
    failed = []
    for name in chosen:
        print(f"\n### {BENCHMARKS[name]}  ({machine()})", flush=True)
        started = time.monotonic()
        code = subprocess.call(
            [sys.executable, str(HERE / SCRIPTS.get(name, f"{name}.py"))], cwd=HERE.parent
        )
        print(f"### {name}: exit {code} after {time.monotonic() - started:.0f} s", flush=True)
        if code:
            failed.append(name)
    if failed:
        sys.exit(f"benchmarks that crashed: {', '.join(failed)}")


if __name__ == "__main__":
    main()
