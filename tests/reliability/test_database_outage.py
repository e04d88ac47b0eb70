"""The database goes away under a running app: every REST and chat door answers 503 JSON with the
one database message (never a 500, never a hang), nothing is half-written, and the app serves
again once the database is back. (Unreachable-at-start URLs: tests/api/test_health_and_outages.py;
the database failing in the middle of a chat turn: test_crash_points.py.)"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support import ROOT
from tests.support.auth import insert_user
from tests.support.database import create_pg_database, drop_pg_database, migrate, point_app_at
from tests.support.reliability import row_counts

SSE = {"Accept": "text/event-stream"}
MCP = {"Accept": "application/json, text/event-stream"}


def requests_for(user_id: int, task_id: int, thread_id: str) -> dict[str, tuple]:
    """name -> (method, path, JSON body, extra headers): every door, reads and writes."""
    tasks = f"/api/{user_id}/tasks"
    chatkit_list = {"type": "threads.list", "params": {}}
    chatkit_items = {"type": "items.list", "params": {"thread_id": thread_id}}
    chatkit_create = {
        "type": "threads.create",
        "params": {
            "input": {
                "content": [{"type": "input_text", "text": "add milk"}],
                "attachments": [],
                "inference_options": {},
            }
        },
    }
    return {
        "GET me": ("GET", "/api/auth/me", None, {}),
        "POST signup": (
            "POST",
            "/api/auth/signup",
            {"email": "new@example.com", "password": "long-enough-pw"},
            {},
        ),
        "POST login": (
            "POST",
            "/api/auth/login",
            {"email": "new@example.com", "password": "long-enough-pw"},
            {},
        ),
        "GET tasks": ("GET", tasks, None, {}),
        "POST task": ("POST", tasks, {"title": "during the outage"}, {}),
        "GET task": ("GET", f"{tasks}/{task_id}", None, {}),
        "PUT task": ("PUT", f"{tasks}/{task_id}", {"title": "replaced"}, {}),
        "PATCH task": ("PATCH", f"{tasks}/{task_id}", {"title": "patched"}, {}),
        "PATCH complete": ("PATCH", f"{tasks}/{task_id}/complete", None, {}),
        "DELETE task": ("DELETE", f"{tasks}/{task_id}", None, {}),
        "POST chat (new)": ("POST", f"/api/{user_id}/chat", {"message": "add milk"}, {}),
        "POST chat (continued)": (
            "POST",
            f"/api/{user_id}/chat",
            {"message": "add milk", "conversation_id": thread_id},
            {},
        ),
        "POST chat (SSE)": ("POST", f"/api/{user_id}/chat", {"message": "add milk"}, SSE),
        "POST chatkit threads.list": ("POST", "/chatkit", chatkit_list, {}),
        "POST chatkit items.list": ("POST", "/chatkit", chatkit_items, {}),
        "POST chatkit threads.create": ("POST", "/chatkit", chatkit_create, {}),
        "POST chatkit/start": ("POST", "/api/chatkit/start", None, {}),
        "POST mcp tools/call": (
            "POST",
            "/mcp",
            {
                "jsonrpc": "2.0",
                "id": 1,
                "method": "tools/call",
                "params": {"name": "add_task", "arguments": {"title": "x"}},
            },
            MCP,
        ),
    }


# Doors that need no database while the caller's account is in the account cache (read a
# moment ago, chatapp/auth/sessions.py): they answer as usual through a short outage.
SERVED_FROM_THE_ACCOUNT_CACHE = {"GET me", "POST chatkit/start"}


def _verdict(name: str, status: int, content_type: str, text: str) -> str | None:
    """None if the answer is the outage answer; else what is wrong with it."""
    from chatapp.api.errors import DB_UNAVAILABLE

    if name in SERVED_FROM_THE_ACCOUNT_CACHE and status == 200:
        return None
    if name.startswith("POST mcp") and status == 200 and '"isError":true' in text:
        return None  # MCP reports a failed tool call as a tool error (its message: see below)
    if status != 503 or not content_type.startswith("application/json"):
        return f"{status} {content_type} {text[:200]}"
    if json.loads(text).get("detail") != DB_UNAVAILABLE:
        return f"503 with another message: {text[:200]}"
    return None


@pytest.fixture
def own_postgres() -> Iterator[tuple[str, str]]:
    """A PostgreSQL database of this test only, migrated; the app points at it meanwhile."""
    previous = os.environ.get("DATABASE_URL")
    name, url = create_pg_database()
    try:
        migrate(url)
        point_app_at(url)
        yield name, url
    finally:
        from chatapp.db import reset_engine

        reset_engine()
        drop_pg_database(name)
        point_app_at(previous)


def _seed(client) -> tuple:
    user = insert_user()
    task = client.post(user.tasks_url, json={"title": "before the outage"}, headers=user.headers)
    assert task.status_code == 201, task.text
    chat = client.post(f"/api/{user.id}/chat", json={"message": "add tea"}, headers=user.headers)
    assert chat.status_code == 200, chat.text
    return user, task.json()["id"], chat.json()["thread_id"]


def _admin(sql: str) -> None:
    import psycopg

    from tests.support.database import PG_ADMIN_URL

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(sql)


def test_postgres_dropped_under_a_running_app_is_503_on_every_door(own_postgres) -> None:
    from fastapi.testclient import TestClient

    from chatapp.api import build_api

    name, _ = own_postgres
    with TestClient(build_api(), raise_server_exceptions=False) as client:
        user, task_id, thread_id = _seed(client)  # the pool now holds live connections
        drop_pg_database(name)
        wrong = {}

        for label, (method, path, body, extra) in requests_for(user.id, task_id, thread_id).items():
            r = client.request(method, path, json=body, headers=user.headers | extra)
            if problem := _verdict(label, r.status_code, r.headers.get("content-type", ""), r.text):
                wrong[label] = problem
        health = client.get("/health")

    assert wrong == {}
    assert health.status_code == 503 and health.json()["database"] != "ok"


def test_postgres_refusing_connections_is_503_then_the_app_recovers_with_nothing_written(
    own_postgres,
) -> None:
    from fastapi.testclient import TestClient

    from chatapp.api import build_api

    name, _ = own_postgres
    with TestClient(build_api(), raise_server_exceptions=False) as client:
        user, task_id, thread_id = _seed(client)
        before = row_counts()
        _admin(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
        _admin(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'")
        wrong = {}
        try:
            requests = requests_for(user.id, task_id, thread_id)
            for label, (method, path, body, extra) in requests.items():
                r = client.request(method, path, json=body, headers=user.headers | extra)
                content_type = r.headers.get("content-type", "")
                if problem := _verdict(label, r.status_code, content_type, r.text):
                    wrong[label] = problem
        finally:
            _admin(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')

        assert wrong == {}
        assert row_counts() == before  # nothing was half-written
        # Back without a restart: the pool replaces its dead connections.
        again = client.post(user.tasks_url, json={"title": "after"}, headers=user.headers)
        assert again.status_code == 201, again.text
        turn = client.post(
            f"/api/{user.id}/chat",
            json={"message": "show my tasks", "conversation_id": thread_id},
            headers=user.headers,
        )
        assert turn.status_code == 200 and "Tea" in turn.json()["response"], turn.text


CHILD = """
import json, sys
sys.path.insert(0, {root!r})
from fastapi.testclient import TestClient
from chatapp.api import build_api

token, requests = sys.argv[1], json.loads(sys.argv[2])
answers = {{}}
with TestClient(build_api(), raise_server_exceptions=False) as client:
    for name, (method, path, body, extra) in requests.items():
        headers = {{"Authorization": f"Bearer {{token}}", **extra}}
        r = client.request(method, path, json=body, headers=headers)
        answers[name] = [r.status_code, r.headers.get("content-type", ""), r.text[:400]]
print(json.dumps(answers))
"""


def _as_unprivileged(workdir: Path, db_url: str, token: str, requests: dict) -> dict:
    """Run the app in a fresh process that file permissions apply to (root ignores them, so as
    root the process runs without CAP_DAC_OVERRIDE)."""
    script = workdir / "outage_child.py"
    script.write_text(CHILD.format(root=str(ROOT)))
    command = [sys.executable, str(script), token, json.dumps(requests)]
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root without setpriv: file permissions cannot be enforced")
        command = [setpriv, "--bounding-set=-dac_override,-dac_read_search,-fowner", *command]
    env = {**os.environ, "DATABASE_URL": db_url, "CHATAPP_ENV": "dev"}
    done = subprocess.run(
        command, env=env, cwd=workdir, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture
def sqlite_file(tmp_path) -> Iterator[tuple[Path, str]]:
    workdir = tmp_path / "ro"
    workdir.mkdir()
    db = workdir / "chatapp.db"
    url = f"sqlite:///{db}"
    previous = os.environ.get("DATABASE_URL")
    migrate(url)
    point_app_at(url)
    try:
        yield db, url
    finally:
        workdir.chmod(0o755)
        db.chmod(0o644)
        from chatapp.db import reset_engine

        reset_engine()
        point_app_at(previous)


WRITES = {
    "POST signup",
    "POST login",  # a failed sign-in is counted; this one writes nothing but reads
    "POST task",
    "PUT task",
    "PATCH task",
    "PATCH complete",
    "DELETE task",
    "POST chat (new)",
    "POST chat (continued)",
    "POST chat (SSE)",
    "POST chatkit threads.create",
    "POST mcp tools/call",
}


@pytest.mark.parametrize("read_only", ["file", "file and directory"])
def test_read_only_sqlite_refuses_every_write_with_503(sqlite_file, read_only: str) -> None:
    from fastapi.testclient import TestClient

    from chatapp.api import build_api
    from chatapp.db import reset_engine

    db, url = sqlite_file
    with TestClient(build_api(), raise_server_exceptions=False) as client:
        user, task_id, thread_id = _seed(client)
    before = row_counts()
    reset_engine()  # the app below opens the file anew, read-only
    db.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    if read_only == "file and directory":
        db.parent.chmod(0o555)

    requests = requests_for(user.id, task_id, thread_id)
    answers = _as_unprivileged(db.parent, url, user.token, requests)

    wrong = {}
    for label, (status, content_type, text) in answers.items():
        if label in WRITES or read_only == "file and directory":
            if label == "POST login" and status == 401:
                continue  # an unknown account reads as such; nothing to write
            if problem := _verdict(label, status, content_type, text):
                wrong[label] = problem
        elif status >= 500 and status != 503:
            wrong[label] = f"{status} {text[:200]}"
    assert wrong == {}
    db.parent.chmod(0o755)
    db.chmod(0o644)
    assert row_counts() == before


def test_mcp_tools_name_the_database_outage(sqlite_file) -> None:
    from fastapi.testclient import TestClient

    from chatapp.api import build_api
    from chatapp.api.errors import DB_UNAVAILABLE
    from chatapp.db import reset_engine

    db, url = sqlite_file
    with TestClient(build_api(), raise_server_exceptions=False) as client:
        user, task_id, thread_id = _seed(client)
    reset_engine()
    db.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    requests = {"mcp": requests_for(user.id, task_id, thread_id)["POST mcp tools/call"]}

    ((status, _, text),) = _as_unprivileged(db.parent, url, user.token, requests).values()

    assert status == 200 and '"isError":true' in text
    assert DB_UNAVAILABLE in text
