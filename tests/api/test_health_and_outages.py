"""/health, and what every route says when the database cannot be reached."""

from __future__ import annotations

import os

import pytest

from tests.support.database import point_app_at
from tests.support.servers import free_port


def test_health_reports_ok_when_the_database_answers(client):
    r = client.get("/health")

    assert r.status_code == 200
    # No REFLEX_REDIS_URL here, and no Reflex app around the API (so no state manager).
    assert r.json() == {
        "status": "ok",
        "database": "ok",
        "redis": "not configured",
        "state_manager": "none",
    }


UNREACHABLE = {
    "postgres closed port": lambda tmp: (
        f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/chatapp?connect_timeout=2"
    ),
    "postgres missing database": lambda tmp: (
        "postgresql+psycopg://postgres@127.0.0.1:5432/chatapp_no_such_database"
    ),
    "sqlite unopenable path": lambda tmp: f"sqlite:///{tmp / 'no-such-dir' / 'chatapp.db'}",
}


@pytest.fixture(params=list(UNREACHABLE), ids=list(UNREACHABLE))
def down_client(request, tmp_path):
    """A client of an app whose DATABASE_URL points at a database that cannot be reached."""
    from fastapi.testclient import TestClient

    from chatapp.api import build_api

    previous = os.environ.get("DATABASE_URL")
    point_app_at(UNREACHABLE[request.param](tmp_path))
    try:
        # raise_server_exceptions=False: a 500 must show up as a failed assertion, not a crash.
        with TestClient(build_api(), raise_server_exceptions=False) as c:
            yield c
    finally:
        point_app_at(previous)


def test_health_is_503_json_when_the_database_is_unreachable(down_client):
    r = down_client.get("/health")

    assert r.status_code == 503
    assert r.headers["content-type"].startswith("application/json")
    body = r.json()
    assert body["status"] != "ok"
    assert body["database"] != "ok"


OUTAGE_ROUTES = [
    ("POST", "/api/auth/signup", {"email": "new@example.com", "password": "long-enough"}),
    ("POST", "/api/auth/login", {"email": "new@example.com", "password": "long-enough"}),
    ("GET", "/api/auth/me", None),
    ("GET", "/api/1/tasks", None),
    ("POST", "/api/1/tasks", {"title": "x"}),
    ("GET", "/api/1/tasks/1", None),
    ("PUT", "/api/1/tasks/1", {"title": "x"}),
    ("PATCH", "/api/1/tasks/1", {"title": "x"}),
    ("DELETE", "/api/1/tasks/1", None),
    ("PATCH", "/api/1/tasks/1/complete", None),
]


def test_every_route_is_503_json_with_a_clear_message_when_the_database_is_unreachable(
    down_client,
):
    from chatapp.api.errors import DB_UNAVAILABLE
    from chatapp.auth.security import issue_token

    token, _ = issue_token(1)  # a valid session token for user 1; only the database is missing
    wrong = {}

    for method, path, body in OUTAGE_ROUTES:
        r = down_client.request(
            method, path, headers={"Authorization": f"Bearer {token}"}, json=body
        )
        is_json = r.headers.get("content-type", "").startswith("application/json")
        detail = r.json().get("detail", "") if is_json else ""
        if r.status_code != 503 or detail != DB_UNAVAILABLE:
            wrong[f"{method} {path}"] = f"{r.status_code} {r.text}"

    assert wrong == {}
