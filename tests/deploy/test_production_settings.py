"""Production behaviour in process: /health reports Redis, CORS and websocket origins are
same-origin by default, and the Redis login limiter fails closed."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator

import pytest
from starlette.applications import Starlette
from starlette.routing import WebSocketRoute
from starlette.testclient import TestClient
from starlette.websockets import WebSocket, WebSocketDisconnect

from tests.support import ROOT
from tests.support.deploy import STRONG_SECRET, private_redis_db
from tests.support.servers import free_port


@pytest.fixture(scope="module")
def sqlite_url(tmp_path_factory) -> str:
    from tests.support.database import migrate

    url = f"sqlite:///{tmp_path_factory.mktemp('prod-settings') / 'chatapp.db'}"
    migrate(url)
    return url


def _reload() -> None:
    from chatapp.api.health import _redis_client
    from chatapp.auth.ratelimit import reset_login_limiter
    from chatapp.db import reset_engine
    from chatapp.logging import configure_logging
    from chatapp.settings import get_settings

    get_settings.cache_clear()
    reset_engine()
    reset_login_limiter()
    _redis_client.cache_clear()
    configure_logging(get_settings())


@pytest.fixture
def app_with(monkeypatch, sqlite_url) -> Iterator:
    """Build the API under the given environment; restore the suite's settings afterwards."""
    from fastapi.testclient import TestClient as ApiClient

    from chatapp.api import build_api

    clients = []

    def build(**env: str | None) -> ApiClient:
        monkeypatch.setenv("DATABASE_URL", sqlite_url)
        for key, value in env.items():
            if value is None:
                monkeypatch.delenv(key, raising=False)
            else:
                monkeypatch.setenv(key, value)
        _reload()
        client = ApiClient(build_api(), raise_server_exceptions=False)
        clients.append(client)
        return client

    yield build
    for client in clients:
        client.close()
    monkeypatch.undo()
    _reload()


def test_health_reports_redis_ok_when_configured_and_reachable(app_with):
    with private_redis_db() as redis_url:
        r = app_with(REFLEX_REDIS_URL=redis_url).get("/health")

    assert r.status_code == 200
    assert r.json() == {
        "status": "ok",
        "database": "ok",
        "redis": "ok",
        "state_manager": "none",
    }


def test_health_is_503_when_the_configured_redis_is_down(app_with):
    r = app_with(REFLEX_REDIS_URL=f"redis://127.0.0.1:{free_port()}/0").get("/health")

    assert r.status_code == 503
    body = r.json()
    assert body["status"] == "degraded"
    assert body["database"] == "ok"
    assert body["redis"] == "unavailable (ConnectionError)"


def test_sign_in_is_503_not_unlimited_when_the_limiter_cannot_reach_redis(app_with):
    from chatapp.auth.ratelimit import LIMITER_UNAVAILABLE

    client = app_with(REFLEX_REDIS_URL=f"redis://127.0.0.1:{free_port()}/0")
    r = client.post("/api/auth/login", json={"email": "x@example.com", "password": "whatever-pw"})

    assert r.status_code == 503
    assert r.json() == {"detail": LIMITER_UNAVAILABLE}


@pytest.mark.parametrize(
    ("env", "origins"),
    [
        ({"CHATAPP_ENV": "dev"}, ["*"]),
        ({"CHATAPP_ENV": "prod"}, []),
        (
            {"CHATAPP_ENV": "prod", "CORS_ORIGINS": "https://todo.example.com/, https://b.example"},
            ["https://todo.example.com", "https://b.example"],
        ),
        ({"CHATAPP_ENV": "prod", "CORS_ORIGINS": ""}, []),
    ],
)
def test_allowed_origins_default_to_same_origin_in_prod(monkeypatch, env, origins):
    from chatapp.settings import Settings

    monkeypatch.delenv("CORS_ORIGINS", raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    assert Settings(_env_file=None).allowed_origins == origins


@pytest.mark.parametrize(
    ("env", "fmt"),
    [("dev", "text"), ("prod", "json")],
)
def test_log_format_defaults_to_json_in_prod(monkeypatch, env, fmt):
    from chatapp.settings import Settings

    monkeypatch.setenv("CHATAPP_ENV", env)
    monkeypatch.delenv("LOG_FORMAT", raising=False)
    assert Settings(_env_file=None).effective_log_format == fmt
    monkeypatch.setenv("LOG_FORMAT", "text")
    assert Settings(_env_file=None).effective_log_format == "text"


def _rxconfig(**env: str) -> str:
    script = "import rxconfig; c = rxconfig.config; print(repr((tuple(c.cors_allowed_origins), c.redis_url)))"
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "HOME": str(ROOT), **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_reflex_gets_same_origin_cors_and_the_redis_url_in_prod():
    prod = {"CHATAPP_ENV": "prod", "JWT_SECRET": STRONG_SECRET}
    assert _rxconfig(**prod) == "((), None)"
    assert _rxconfig(**prod, CORS_ORIGINS="https://todo.example.com") == (
        "(('https://todo.example.com',), None)"
    )
    assert _rxconfig(**prod, REFLEX_REDIS_URL="redis://cache:6379/0") == (
        "((), 'redis://cache:6379/0')"
    )
    assert _rxconfig(CHATAPP_ENV="dev", JWT_SECRET=STRONG_SECRET) == "(('*',), None)"


def _echo_socket_app(allowed: list[str]) -> TestClient:
    from chatapp.api.app import WebSocketOriginCheck

    async def echo(ws: WebSocket) -> None:
        await ws.accept()
        await ws.send_text("hello")
        await ws.close()

    app = Starlette(routes=[WebSocketRoute("/_event", echo)])
    return TestClient(
        WebSocketOriginCheck(app, allowed_origins=allowed), base_url="http://todo.test"
    )


@pytest.mark.parametrize(
    ("allowed", "origin", "accepted"),
    [
        ([], "http://testserver", True),  # same host: the app's own pages
        ([], None, True),  # not a browser
        ([], "https://evil.example", False),
        (["https://partner.example"], "https://partner.example", True),
        (["https://partner.example"], "https://evil.example", False),
        (["*"], "https://evil.example", True),
    ],
)
def test_websockets_from_other_origins_are_refused_unless_allowed(allowed, origin, accepted):
    client = _echo_socket_app(allowed)
    headers = {"origin": origin} if origin else {}
    if accepted:
        with client.websocket_connect("/_event", headers=headers) as ws:
            assert ws.receive_text() == "hello"
    else:
        with (
            pytest.raises(WebSocketDisconnect) as refused,
            client.websocket_connect("/_event", headers=headers),
        ):
            pass
        assert refused.value.code == 1008
