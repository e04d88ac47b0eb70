"""Benchmark 7: the authenticated floor. `GET /api/auth/me` (bearer check, account check, the
user's email) vs a bare route that does nothing, both on the same FastAPI app behind the same
middleware (request id + access log, body limit, websocket origin check, error handlers) and
the same uvicorn server. Requests alternate between the two so machine noise lands on both
alike. Target: median ≤ 1.5× the bare route's.

    python bench/auth_floor.py [--requests 400] [--backend sqlite|postgres]
"""

from __future__ import annotations

import argparse
import statistics
import time

from common import bench_database, percentile, serve

TARGET_RATIO = 1.5
BARE_PATH = "/bench/bare"
WARM_UP = 20


async def bare(request):
    """The baseline: no auth, no database, a small JSON body."""
    from starlette.responses import JSONResponse

    return JSONResponse({"ok": True})


def row(name: str, samples: list[float]) -> float:
    ms = [s * 1000 for s in samples]
    median = statistics.median(ms)
    print(f"  {name:<34} median={median:7.3f} ms  p95={percentile(ms, 95):7.3f} ms")
    return median


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--backend", choices=("sqlite", "postgres"), default="sqlite")
    args = parser.parse_args()

    import httpx

    from chatapp.api import build_api

    with bench_database(args.backend):
        api = build_api()
        api.router.add_route(BARE_PATH, bare, methods=["GET"])
        with serve(api) as base, httpx.Client(base_url=base, timeout=30) as http:
            auth = http.post(
                "/api/auth/signup", json={"email": "floor@example.com", "password": "benchmark-pw"}
            ).json()
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
    base_ms = row(f"GET {BARE_PATH} (baseline)", runs["bare"])
    me_ms = row("GET /api/auth/me", runs["me"])
    ratio = me_ms / base_ms
    verdict = "meets" if ratio <= TARGET_RATIO else "MISSES"
    print(f"ratio of medians: {ratio:.2f}x (target ≤ {TARGET_RATIO}x: {verdict})")


if __name__ == "__main__":
    main()
