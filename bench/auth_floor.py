"""Benchmark 8: the authenticated floor. `GET /api/auth/me` (bearer check, account check, the
user's email) vs a bare route that does nothing, both on the same FastAPI app behind the same
middleware (request id + access log, body limit, websocket origin check, error handlers) and
the same uvicorn server. Requests alternate between the two so machine noise lands on both
alike. Target: median ≤ 1.5× the bare route's.

    python bench/auth_floor.py [--requests 400] [--backend sqlite|postgres]
"""

from __future__ import annotations

import argparse
import time

from common import app_beside, row

TARGET_RATIO = 1.5
BARE_PATH = "/bench/bare"
WARM_UP = 20


async def bare(request):
    """The baseline: no auth, no database, a small JSON body."""
    from starlette.responses import JSONResponse

    return JSONResponse({"ok": True})


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--backend", choices=("sqlite", "postgres"), default="sqlite")
    args = parser.parse_args()

    with app_beside(BARE_PATH, bare, "GET", args.backend) as (http, auth):
        headers = {"Authorization": f"Bearer {auth['access_token']}"}
        runs: dict[str, list[float]] = {"bare": [], "me": []}
        for i in range(args.requests + WARM_UP):
            for kind, path, h in (("bare", BARE_PATH, {}), ("me", "/api/auth/me", headers)):
                start = time.perf_counter()
                r = http.get(path, headers=h)
                elapsed = time.perf_counter() - start
                assert r.status_code == 200, r.text
                if i >= WARM_UP:
                    runs[kind].append(elapsed)

    print(f"{args.requests} interleaved requests each ({args.backend}, uvicorn, keep-alive)")
    base_ms = row(f"GET {BARE_PATH} (baseline)", runs["bare"], digits=3)
    me_ms = row("GET /api/auth/me", runs["me"], digits=3)
    ratio = me_ms / base_ms
    verdict = "meets" if ratio <= TARGET_RATIO else "MISSES"
    print(f"ratio of medians: {ratio:.2f}x (target ≤ {TARGET_RATIO}x: {verdict})")


if __name__ == "__main__":
    main()
