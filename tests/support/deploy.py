"""Production servers as subprocesses for the deployment tests, a private Redis database,
and the JSON log lines they print."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from tests.support import ROOT
from tests.support.servers import stop_group, wait_for

BIN = Path(sys.executable).parent
REDIS_URL = os.environ.get("CHATAPP_TEST_REDIS", "redis://127.0.0.1:6379")
# Marks a Redis database as taken by one test run; expires if a run dies without cleaning up.
_CLAIM_KEY = "chatapp-test:claim"
STRONG_SECRET = "deploy-test-secret-" + "s" * 40


@contextmanager
def private_redis_db() -> Iterator[str]:
    """An empty Redis database (1-15) claimed for this test alone, emptied afterwards."""
    import redis

    base = REDIS_URL.rstrip("/")
    claim = uuid.uuid4().hex
    for number in range(15, 0, -1):
        client = redis.Redis.from_url(f"{base}/{number}")
        # SET NX on an empty database: two runs can never claim the same one.
        if client.dbsize() == 0 and client.set(_CLAIM_KEY, claim, nx=True, ex=3600):
            try:
                yield f"{base}/{number}"
            finally:
                client.flushdb()
                client.close()
            return
        client.close()
    raise RuntimeError(f"no empty Redis database on {base} (1-15) to run in")


def server_env(**overrides: str) -> dict[str, str]:
    """The environment of a production server process: this venv's tools first on PATH."""
    env = {
        key: value
        for key, value in os.environ.items()
        # The test process's own settings must not leak into the server.
        if key not in {"DATABASE_URL", "REFLEX_REDIS_URL", "CHATAPP_ENV", "LOG_FORMAT"}
        and not key.startswith("PYTEST_")
    }
    env.update(
        {
            "PATH": f"{BIN}:{ROOT / '.tools/node_modules/.bin'}:{os.environ['PATH']}",
            "REFLEX_TELEMETRY_ENABLED": "false",
            "REFLEX_CHECK_LATEST_VERSION": "false",
            "CHATAPP_ENV": "prod",
            "JWT_SECRET": STRONG_SECRET,
        }
    )
    env.setdefault("NPM_CONFIG_REGISTRY", "https://registry.npmjs.org/")
    env.update(overrides)
    return env


@contextmanager
def running(
    cmd: list[str], env: dict[str, str], log: Path, ready_url: str, timeout: float
) -> Iterator[subprocess.Popen]:
    """Start `cmd` in its own process group, wait until `ready_url` answers 200, stop it after."""
    with log.open("w") as out:
        proc = subprocess.Popen(
            cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        wait_for(ready_url, proc, log, timeout)
        yield proc
    finally:
        stop_group(proc, grace=30)


def json_lines(log: Path) -> list[dict]:
    """Every line of a server log that is a JSON object."""
    records = []
    for line in log.read_text(errors="replace").splitlines():
        if line.startswith("{"):
            try:
                records.append(json.loads(line))
            except ValueError:
                continue
    return records


def access_lines(log: Path) -> list[dict]:
    return [r for r in json_lines(log) if r.get("logger") == "chatapp.access"]


def access_lines_for(log: Path, request_id: str, timeout: float = 10) -> list[dict]:
    """The access lines of one request. The line is written when the response has ended, which
    can be a moment after the client has read it: wait for it (a busy machine takes longer)."""
    deadline = time.monotonic() + timeout
    while True:
        lines = [line for line in access_lines(log) if line.get("request_id") == request_id]
        if lines or time.monotonic() > deadline:
            return lines
        time.sleep(0.05)


def signup(http: httpx.Client, email: str, password: str = "correct horse battery") -> dict:
    r = http.post("/api/auth/signup", json={"email": email, "password": password})
    assert r.status_code == 201, r.text
    return r.json()
