"""Fixtures for the ChatKit tests: a local stand-in for OpenAI's ChatKit sessions API (real HTTP,
the real wire format) and settings switched into hosted mode against it."""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tests.support.auth import QuickUser, insert_user
from tests.support.servers import serve_in_thread

WORKFLOW_ID = "wf_test_workflow"
API_KEY = "sk-test-chatkit"


@dataclass
class SessionsStandIn:
    """What POST /v1/chatkit/sessions answers next, and every request it received."""

    base_url: str
    workflow_id: str = WORKFLOW_ID
    api_key: str = API_KEY
    requests: list[dict[str, Any]] = field(default_factory=list)
    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    counter: int = 0

    def reset(self) -> None:
        self.requests.clear()
        self.status, self.body, self.headers, self.delay = 200, None, {}, 0.0

    def session_body(self, user: str, workflow_id: str) -> dict[str, Any]:
        """A session object as OpenAI's API reference describes it."""
        self.counter += 1
        now = int(time.time())
        return {
            "id": f"cksess_{self.counter:04d}",
            "object": "chatkit.session",
            "client_secret": f"ek_test_secret_{self.counter:04d}",
            "expires_at": now + 600,
            "status": "active",
            "user": user,
            "workflow": {
                "id": workflow_id,
                "version": None,
                "state_variables": None,
                "tracing": {"enabled": True},
            },
            "rate_limits": {"max_requests_per_1_minute": 10},
            "max_requests_per_1_minute": 10,
            "chatkit_configuration": {
                "automatic_thread_titling": {"enabled": True},
                "file_upload": {"enabled": False, "max_file_size": 512, "max_files": 10},
                "history": {"enabled": True, "recent_threads": None},
            },
        }


def _app(stand_in: SessionsStandIn) -> Starlette:
    async def create_session(request: Request) -> Response:
        body = await request.json()
        stand_in.requests.append(
            {"path": request.url.path, "headers": dict(request.headers), "json": body}
        )
        if stand_in.delay:
            await asyncio.sleep(stand_in.delay)
        if stand_in.body is not None:
            if isinstance(stand_in.body, str | bytes):
                return Response(stand_in.body, stand_in.status, headers=stand_in.headers)
            return JSONResponse(stand_in.body, stand_in.status, headers=stand_in.headers)
        payload = stand_in.session_body(body["user"], body["workflow"]["id"])
        return JSONResponse(payload, stand_in.status, headers=stand_in.headers)

    return Starlette(routes=[Route("/v1/chatkit/sessions", create_session, methods=["POST"])])


@pytest.fixture(scope="session")
def sessions_server() -> Iterator[SessionsStandIn]:
    stand_in = SessionsStandIn(base_url="")
    with serve_in_thread(_app(stand_in), lifespan="off") as base_url:
        stand_in.base_url = f"{base_url}/v1"
        yield stand_in


@pytest.fixture
def alice(db) -> QuickUser:
    """A real user row and session token (no sign-up request: argon2 costs ~0.5 s a user)."""
    return insert_user("alice@example.com")


@pytest.fixture
def bob(db) -> QuickUser:
    return insert_user("bob@example.com")


def _set_env(values: dict[str, str | None]) -> dict[str, str | None]:
    from chatapp.settings import get_settings

    previous = {name: os.environ.get(name) for name in values}
    for name, value in values.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    get_settings.cache_clear()
    return previous


@pytest.fixture
def settings_env(db) -> Iterator:
    """set(NAME=value, ...) changes settings for one test; everything is restored after it."""
    saved: dict[str, str | None] = {}

    def set_(**values: str | None) -> None:
        for name, old in _set_env(values).items():
            saved.setdefault(name, old)

    yield set_
    _set_env(saved)


@pytest.fixture
def hosted(sessions_server, settings_env) -> SessionsStandIn:
    """Hosted ChatKit mode, creating sessions at the local stand-in."""
    sessions_server.reset()
    settings_env(
        CHATKIT_WORKFLOW_ID=WORKFLOW_ID,
        OPENAI_API_KEY=API_KEY,
        CHATKIT_API_BASE=sessions_server.base_url,
        CHATKIT_SESSION_TIMEOUT_SECONDS="2",
    )
    return sessions_server
