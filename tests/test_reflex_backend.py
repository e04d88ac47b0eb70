"""The real Reflex entry points: `reflex db migrate` builds the schema, and
`reflex run --backend-only` serves chatapp's API routes mounted via api_transformer."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.support import ROOT
from tests.support.servers import free_port, stop_group, wait_for

REFLEX = str(Path(sys.executable).parent / "reflex")


def _env(db_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": db_url,
        "PATH": f"{ROOT / '.tools/node_modules/.bin'}:{os.environ['PATH']}",
        "REFLEX_TELEMETRY_ENABLED": "false",
    }


def test_reflex_db_migrate_creates_the_schema(tmp_path):
    db = tmp_path / "migrate.db"
    proc = subprocess.run(
        [REFLEX, "db", "migrate"],
        cwd=ROOT,
        env=_env(f"sqlite:///{db}"),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    tables = {
        row[0]
        for row in sqlite3.connect(db).execute("SELECT name FROM sqlite_master WHERE type='table'")
    }
    assert {"users", "tasks", "chat_threads", "chat_items", "alembic_version"} <= tables


@pytest.fixture(scope="module")
def backend_only(tmp_path_factory):
    from tests.support.database import migrate

    tmp = tmp_path_factory.mktemp("backend")
    db_url = f"sqlite:///{tmp / 'backend.db'}"
    migrate(db_url)
    port = free_port()
    log = tmp / "backend.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            [
                REFLEX,
                "run",
                "--backend-only",
                "--backend-port",
                str(port),
                "--backend-host",
                "127.0.0.1",
            ],
            cwd=ROOT,
            env=_env(db_url),
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{base}/health", proc, log, 300)
        yield base
    finally:
        stop_group(proc)


def test_backend_only_serves_health_auth_tasks_chat_and_mcp(backend_only):
    with httpx.Client(base_url=backend_only, timeout=30) as http:
        health = http.get("/health").json()
        assert health["status"] == "ok" and health["database"] == "ok", health
        signup = http.post(
            "/api/auth/signup", json={"email": "be@example.com", "password": "backend-only-pw"}
        )
        assert signup.status_code == 201, signup.text
        body = signup.json()
        headers = {"Authorization": f"Bearer {body['access_token']}"}
        created = http.post(
            f"/api/{body['user_id']}/tasks", json={"title": "From the backend"}, headers=headers
        )
        assert created.status_code == 201, created.text
        listed = http.get(f"/api/{body['user_id']}/tasks", headers=headers).json()
        assert [t["title"] for t in listed] == ["From the backend"]
        assert http.get(f"/api/{body['user_id']}/tasks").status_code == 401
        chat = http.post(
            f"/api/{body['user_id']}/chat",
            json={"message": "add water the plants"},
            headers=headers,
        )
        assert chat.status_code == 200, chat.text
        assert chat.json()["tool_calls"][0]["name"] == "add_task"
        assert http.post("/mcp", json={}).status_code == 401
