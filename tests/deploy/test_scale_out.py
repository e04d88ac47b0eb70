"""Scale-out: two production backends (`reflex run --env prod --backend-only`, two workers each)
on different ports, sharing one PostgreSQL database and one Redis. A conversation started on one
continues on the other; the login limit holds across both; Reflex keeps its state in Redis."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import httpx
import pytest

from tests.support.database import create_pg_database, drop_pg_database, migrate
from tests.support.deploy import (
    BIN,
    STRONG_SECRET,
    access_lines_for,
    private_redis_db,
    running,
    server_env,
    signup,
)
from tests.support.servers import free_port

pytestmark = pytest.mark.postgres

MAX_FAILURES = 3
START_TIMEOUT = 300


@pytest.fixture(scope="module")
def backends(tmp_path_factory) -> Iterator[tuple[str, str, dict]]:
    """Two backends A and B; yields their base URLs and the logs/settings they run with."""
    tmp = tmp_path_factory.mktemp("scale-out")
    name, db_url = create_pg_database()
    try:
        migrate(db_url)
        with private_redis_db() as redis_url:
            env = server_env(
                DATABASE_URL=db_url,
                REFLEX_REDIS_URL=redis_url,
                LOGIN_MAX_FAILURES=str(MAX_FAILURES),
                GRANIAN_WORKERS="2",
            )
            ports = [free_port(), free_port()]
            logs = [tmp / "a.log", tmp / "b.log"]
            urls = [f"http://127.0.0.1:{p}" for p in ports]
            commands = [
                [str(BIN / "reflex"), "run", "--env", "prod", "--backend-only"]
                + ["--backend-port", str(p), "--backend-host", "127.0.0.1"]
                for p in ports
            ]
            with (
                running(commands[0], env, logs[0], f"{urls[0]}/health", START_TIMEOUT),
                running(commands[1], env, logs[1], f"{urls[1]}/health", START_TIMEOUT),
            ):
                yield urls[0], urls[1], {"logs": logs, "redis_url": redis_url, "db_url": db_url}
    finally:
        from chatapp.db import reset_engine

        reset_engine()
        drop_pg_database(name)


@pytest.fixture
def a_and_b(backends) -> Iterator[tuple[httpx.Client, httpx.Client]]:
    a_url, b_url, _ = backends
    with (
        httpx.Client(base_url=a_url, timeout=60) as a,
        httpx.Client(base_url=b_url, timeout=60) as b,
    ):
        yield a, b


def test_both_backends_use_redis_for_reflex_state_and_report_healthy(a_and_b):
    for http in a_and_b:
        r = http.get("/health")
        assert r.status_code == 200
        assert r.json() == {
            "status": "ok",
            "database": "ok",
            "redis": "ok",
            "state_manager": "redis",
        }


def test_a_conversation_started_on_one_backend_continues_on_the_other(a_and_b):
    a, b = a_and_b
    me = signup(a, f"scale-{uuid.uuid4().hex[:8]}@example.com")
    headers = {"Authorization": f"Bearer {me['access_token']}"}
    chat_url = f"/api/{me['user_id']}/chat"

    first = a.post(chat_url, json={"message": "add buy oat milk"}, headers=headers)
    assert first.status_code == 200, first.text
    conversation = first.json()["conversation_id"]
    task_id = first.json()["tool_calls"][0]["output"]["task_id"]

    # "it" only means the oat milk to someone who has read the first turn: B reads it from
    # PostgreSQL, since no backend keeps chat state in memory.
    second = b.post(
        chat_url,
        json={"conversation_id": conversation, "message": "mark it as done"},
        headers={**headers, "X-Request-ID": "scale-out-continue-1"},
    )

    assert second.status_code == 200, second.text
    body = second.json()
    assert body["conversation_id"] == conversation
    assert [(c["name"], c["arguments"]) for c in body["tool_calls"]] == [
        ("complete_task", {"task_id": task_id, "completed": True})
    ]
    assert second.headers["X-Request-ID"] == "scale-out-continue-1"
    tasks = a.get(f"/api/{me['user_id']}/tasks", headers=headers).json()
    assert [(t["title"], t["completed"]) for t in tasks] == [("Buy oat milk", True)]


def test_the_login_limit_holds_across_both_backends(a_and_b, backends):
    import redis

    a, b = a_and_b
    email = f"limit-{uuid.uuid4().hex[:8]}@example.com"
    signup(a, email)
    wrong = {"email": email, "password": "not the password"}

    # Failures alternate between the backends; each sees fewer than the limit on its own.
    for http in (a, b, a)[:MAX_FAILURES]:
        assert http.post("/api/auth/login", json=wrong).status_code == 401

    for http in (b, a):
        locked = http.post(
            "/api/auth/login", json={"email": email, "password": "correct horse battery"}
        )
        assert locked.status_code == 429, locked.text
        assert int(locked.headers["Retry-After"]) > 0
    counts = redis.Redis.from_url(backends[2]["redis_url"])
    assert counts.zcard(f"chatapp:login-failures:{email}") == MAX_FAILURES


def test_each_backend_logs_json_access_lines_without_credentials(a_and_b, backends):
    a, b = a_and_b
    me = signup(b, f"logs-{uuid.uuid4().hex[:8]}@example.com")
    token = me["access_token"]
    r = a.get(
        f"/api/{me['user_id']}/tasks?q=secret-query",
        headers={"Authorization": f"Bearer {token}", "X-Request-ID": "scale-out-log-1"},
    )
    assert r.status_code == 200

    a_log, b_log = backends[2]["logs"]
    lines = access_lines_for(a_log, "scale-out-log-1")
    assert len(lines) == 1
    assert lines[0]["method"] == "GET"
    assert lines[0]["path"] == f"/api/{me['user_id']}/tasks"
    assert lines[0]["status"] == 200
    assert lines[0]["duration_ms"] >= 0
    for log in (a_log, b_log):
        text = log.read_text()
        assert token not in text
        assert STRONG_SECRET not in text
        assert "secret-query" not in text
