"""Request ids and JSON access lines, in process: one line per request, never a credential."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator

import pytest

from tests.support.deploy import STRONG_SECRET


@pytest.fixture(scope="module")
def sqlite_url(tmp_path_factory) -> str:
    from tests.support.database import migrate

    url = f"sqlite:///{tmp_path_factory.mktemp('logging') / 'chatapp.db'}"
    migrate(url)
    return url


def _reload() -> None:
    from chatapp.auth.ratelimit import reset_login_limiter
    from chatapp.db import reset_engine
    from chatapp.logging import configure_logging
    from chatapp.settings import get_settings

    get_settings.cache_clear()
    reset_engine()
    reset_login_limiter()
    configure_logging(get_settings())


@pytest.fixture(autouse=True)
def settings_restored(monkeypatch) -> Iterator[None]:
    """Whatever a test sets, the next one gets the suite's settings and text logging back."""
    yield
    monkeypatch.undo()
    _reload()


@pytest.fixture
def prod_client(monkeypatch, sqlite_url) -> Iterator:
    """The API as production builds it: JSON log lines on stdout."""
    from fastapi.testclient import TestClient

    from chatapp.api import build_api

    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    monkeypatch.setenv("CHATAPP_ENV", "prod")
    monkeypatch.setenv("JWT_SECRET", STRONG_SECRET)
    monkeypatch.delenv("LOG_FORMAT", raising=False)
    _reload()
    with TestClient(build_api()) as client:
        yield client


def _records(out: str) -> list[dict]:
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def test_each_request_gets_one_json_access_line_with_its_request_id(prod_client, capsys):
    capsys.readouterr()
    r = prod_client.get("/health", headers={"X-Request-ID": "req-42"})

    assert r.headers["X-Request-ID"] == "req-42"
    records = _records(capsys.readouterr().out)
    assert len(records) == 1
    line = records[0]
    assert line["logger"] == "chatapp.access"
    assert line["level"] == "info"
    assert line["request_id"] == "req-42"
    assert (line["method"], line["path"], line["status"]) == ("GET", "/health", 200)
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0
    assert line["message"] == "GET /health 200"
    assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00$", line["timestamp"])


def test_a_missing_or_unsafe_request_id_is_replaced_by_a_fresh_one(prod_client, capsys):
    plain = prod_client.get("/health")
    hostile = prod_client.get("/health", headers={"X-Request-ID": 'x"\n{"level": "forged"}'})
    too_long = prod_client.get("/health", headers={"X-Request-ID": "a" * 200})

    ids = [r.headers["X-Request-ID"] for r in (plain, hostile, too_long)]
    assert all(re.fullmatch(r"[0-9a-f]{32}", i) for i in ids)
    assert len(set(ids)) == 3
    assert "forged" not in capsys.readouterr().out


def test_errors_and_rejections_are_logged_with_their_status(prod_client, capsys):
    capsys.readouterr()
    prod_client.get("/api/auth/me")
    prod_client.post(
        "/api/auth/signup",
        content=b"x" * 2_000_000,
        headers={"content-type": "application/json"},
    )

    records = _records(capsys.readouterr().out)
    assert [(r["path"], r["status"]) for r in records] == [
        ("/api/auth/me", 401),
        ("/api/auth/signup", 413),
    ]


def test_tokens_passwords_and_query_strings_never_reach_the_log(prod_client, capsys):
    signup = prod_client.post(
        "/api/auth/signup",
        json={"email": "quiet@example.com", "password": "hunter2-but-longer"},
    )
    token = signup.json()["access_token"]
    prod_client.get(
        f"/api/{signup.json()['user_id']}/tasks?q=private-words",
        headers={"Authorization": f"Bearer {token}"},
    )
    logging.getLogger("chatapp.api").warning("rejected Authorization: Bearer %s", token)

    out = capsys.readouterr().out
    assert token not in out
    assert token.split(".")[1] not in out
    assert "hunter2" not in out
    assert "private-words" not in out
    assert "Bearer [redacted]" in out


def test_app_log_lines_inside_a_request_carry_its_request_id(prod_client, capsys):
    from fastapi import APIRouter

    router = APIRouter()

    @router.get("/_log_probe")
    def probe() -> dict:
        logging.getLogger("chatapp.probe").warning("inside the handler")
        return {}

    prod_client.app.include_router(router)
    capsys.readouterr()
    prod_client.get("/_log_probe", headers={"X-Request-ID": "probe-7"})

    records = _records(capsys.readouterr().out)
    assert [(r["logger"], r["request_id"]) for r in records] == [
        ("chatapp.probe", "probe-7"),
        ("chatapp.access", "probe-7"),
    ]


def test_the_redactor_removes_configured_secrets_bearer_tokens_and_jwts():
    from chatapp.logging import Redactor

    redact = Redactor(["sk-live-0123456789", "tiny"])

    assert redact("key=sk-live-0123456789 ok") == "key=[redacted] ok"
    assert (
        redact("tiny stays (too short to be a secret)") == "tiny stays (too short to be a secret)"
    )
    assert redact("authorization: bearer abc.def-ghi") == "authorization: bearer [redacted]"
    assert redact("token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl!") == "token [redacted]!"


def test_dev_prints_no_access_lines_unless_asked_and_then_readable_text(
    monkeypatch, sqlite_url, capsys
):
    from fastapi.testclient import TestClient

    from chatapp.api import build_api

    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    monkeypatch.setenv("CHATAPP_ENV", "dev")
    monkeypatch.delenv("LOG_FORMAT", raising=False)
    _reload()
    with TestClient(build_api()) as client:
        capsys.readouterr()
        r = client.get("/health", headers={"X-Request-ID": "dev-1"})
    assert r.headers["X-Request-ID"] == "dev-1"
    assert capsys.readouterr().out == ""

    monkeypatch.setenv("LOG_FORMAT", "text")
    _reload()
    with TestClient(build_api()) as client:
        capsys.readouterr()
        client.get("/health", headers={"X-Request-ID": "dev-2"})
    out = capsys.readouterr().out
    assert "INFO chatapp.access [dev-2] GET /health 200" in out
    assert not out.lstrip().startswith("{")
