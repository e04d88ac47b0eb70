"""Shared benchmark plumbing: a migrated throwaway database, a real uvicorn server, stats."""

from __future__ import annotations

import os
import socket
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# In-process benches share stdout with the app: keep its per-request access lines out of the
# report (set LOG_LEVEL=info to include their cost). bench/load.py's server logs to a file.
os.environ.setdefault("LOG_LEVEL", "warning")


def use_fresh_sqlite() -> str:
    """Point the app at a new migrated SQLite file; returns its URL."""
    os.environ.setdefault("JWT_SECRET", "bench-secret-" + "x" * 40)
    os.environ.pop("OPENAI_API_KEY", None)
    path = Path(tempfile.mkdtemp(prefix="chatapp-bench-")) / "bench.db"
    url = f"sqlite:///{path}"
    os.environ["DATABASE_URL"] = url
    from tests.support.database import migrate, point_app_at

    migrate(url)
    point_app_at(url)
    return url


PG_ADMIN_URL = os.environ.get(
    "CHATAPP_TEST_PG_ADMIN", "postgresql://postgres@127.0.0.1:5432/postgres"
)
BACKENDS = ("sqlite", "postgres")


@contextmanager
def bench_database(backend: str) -> Iterator[str]:
    """A fresh migrated database ("sqlite" file or a new PostgreSQL database, dropped after),
    with the app pointed at it; yields its URL."""
    import psycopg

    from tests.support.database import migrate, point_app_at

    os.environ.setdefault("JWT_SECRET", "bench-secret-" + "x" * 40)
    os.environ.pop("OPENAI_API_KEY", None)
    if backend == "sqlite":
        url = f"sqlite:///{Path(tempfile.mkdtemp(prefix='chatapp-bench-')) / 'bench.db'}"
        name = None
    else:
        name = f"chatapp_bench_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    try:
        migrate(url)
        point_app_at(url)
        yield url
    finally:
        if name is not None:
            from chatapp.db import reset_engine

            reset_engine()
            with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serve(app):
    """Run an ASGI app with uvicorn on a free loopback port in a background thread."""
    import uvicorn

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def percentile(samples: list[float], pct: float) -> float:
    ordered = sorted(samples)
    k = max(0, min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1))))
    return ordered[k]


def summary(name: str, samples_s: list[float]) -> dict[str, float]:
    ms = [s * 1000 for s in samples_s]
    stats = {"median_ms": statistics.median(ms), "p95_ms": percentile(ms, 95), "n": len(ms)}
    print(
        f"{name:<34} n={stats['n']:<4} median={stats['median_ms']:8.2f} ms  p95={stats['p95_ms']:8.2f} ms"
    )
    return stats


def row(name: str, samples_s: list[float], digits: int = 2) -> float:
    """Print one indented `median / p95` line in ms; returns the median in ms."""
    ms = [s * 1000 for s in samples_s]
    median = statistics.median(ms)
    print(f"  {name:<36} median={median:7.{digits}f} ms  p95={percentile(ms, 95):7.{digits}f} ms")
    return median


@contextmanager
def app_beside(path: str, baseline, method: str, backend: str = "sqlite", extra=()):
    """chatapp's API with one extra baseline route at `path` (same app, middleware and server),
    and any `extra` (path, endpoint) routes of the same method, on a fresh database with one
    signed-up user; yields (httpx client, the signup answer)."""
    import httpx

    from chatapp.api import build_api

    with bench_database(backend):
        api = build_api()
        api.router.add_route(path, baseline, methods=[method])
        for extra_path, endpoint in extra:
            api.router.add_route(extra_path, endpoint, methods=[method])
        with serve(api) as base, httpx.Client(base_url=base, timeout=30) as http:
            auth = http.post(
                "/api/auth/signup", json={"email": "bench@example.com", "password": "benchmark-pw"}
            ).json()
            yield http, auth
