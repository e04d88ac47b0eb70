"""Shared fixtures: a real database per backend (SQLite file, fresh PostgreSQL database),
migrated with Alembic, real users with real JWTs, and the app on a real model answered by the
local fake OpenAI server."""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.support.database import create_pg_database, drop_pg_database, migrate, point_app_at
from tests.support.servers import serve_in_thread

if TYPE_CHECKING:
    from tests.support.fake_openai import FakeOpenAI

os.environ.setdefault("JWT_SECRET", "test-secret-" + "x" * 40)
os.environ.setdefault("CHATAPP_ENV", "dev")
# Runtime data of anything a test starts with default settings goes here, never into the checkout.
os.environ.setdefault("CHATAPP_DATA_DIR", tempfile.mkdtemp(prefix="chatapp-test-data-"))
os.environ.pop("OPENAI_API_KEY", None)
os.environ.pop("REFLEX_REDIS_URL", None)


@pytest.fixture(scope="session", params=["sqlite", "postgres"])
def database_url(request, tmp_path_factory) -> Iterator[str]:
    """A migrated, empty database on each backend; the same tests run on both."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'chatapp.db'}"
        migrate(url)
        yield url
        return
    name, url = create_pg_database()
    try:
        migrate(url)
        yield url
    finally:
        from chatapp.db import reset_engine

        reset_engine()
        drop_pg_database(name)


@pytest.fixture
def db(database_url) -> Iterator[str]:
    """Point the app at the test database and leave it empty after each test."""
    point_app_at(database_url)
    yield database_url
    from sqlalchemy import text

    from chatapp.db import get_engine

    with get_engine().begin() as conn:
        conn.execute(text("DELETE FROM chat_items"))
        conn.execute(text("DELETE FROM chat_conversations"))
        conn.execute(text("DELETE FROM chat_threads"))
        conn.execute(text("DELETE FROM task_attachments"))
        conn.execute(text("DELETE FROM chat_attachments"))
        conn.execute(text("DELETE FROM task_completions"))
        conn.execute(text("DELETE FROM calendar_feeds"))
        conn.execute(text("DELETE FROM tasks"))
        conn.execute(text("DELETE FROM users"))


@pytest.fixture
def client(db):
    from fastapi.testclient import TestClient

    from chatapp.api import build_api

    with TestClient(build_api()) as c:
        yield c


class ApiUser:
    def __init__(self, client, email: str, password: str) -> None:
        r = client.post("/api/auth/signup", json={"email": email, "password": password})
        assert r.status_code == 201, r.text
        body = r.json()
        self.id: int = body["user_id"]
        self.token: str = body["access_token"]
        self.email = email
        self.password = password
        self.headers = {"Authorization": f"Bearer {self.token}"}
        self.tasks_url = f"/api/{self.id}/tasks"


@pytest.fixture
def attachment_dir(db, tmp_path, monkeypatch) -> Iterator[Path]:
    """Local attachment storage in a folder of this test's own (settings re-read)."""
    from chatapp.settings import get_settings

    root = tmp_path / "attachments"
    monkeypatch.setenv("ATTACHMENT_DIR", str(root))
    get_settings.cache_clear()
    yield root
    monkeypatch.delenv("ATTACHMENT_DIR")
    get_settings.cache_clear()


@pytest.fixture
def make_user(client):
    def _make(email: str | None = None, password: str = "correct horse battery") -> ApiUser:
        return ApiUser(client, email or f"user-{uuid.uuid4().hex[:8]}@example.com", password)

    return _make


@pytest.fixture
def alice(make_user) -> ApiUser:
    return make_user("alice@example.com")


@pytest.fixture
def bob(make_user) -> ApiUser:
    return make_user("bob@example.com")


def pytest_collection_modifyitems(config, items):
    """Browser tests last: Playwright's sync API keeps an event loop running in the main
    thread for the rest of the session, which breaks asyncio.run() in later tests."""
    items.sort(key=lambda item: "/browser/" in str(item.path))


@pytest.fixture(scope="session")
def api_server() -> Iterator[str]:
    """build_api() served by uvicorn on a free 127.0.0.1 port; yields its base URL.

    Settings and the engine are read per request, so it follows the `db` fixture from one
    backend to the other."""
    from chatapp.api import build_api

    with serve_in_thread(build_api()) as base_url:
        yield base_url


@pytest.fixture(scope="session")
def fake_openai_server() -> Iterator[FakeOpenAI]:
    from tests.support.fake_openai import FakeOpenAI

    server = FakeOpenAI()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def model_env() -> Iterator[pytest.MonkeyPatch]:
    """A clean model configuration to set per test; afterwards the env, the caches and the
    SDK's tracing switch are as before, so later tests get the offline model again."""
    from agents import set_tracing_disabled

    from tests.support.models import MODEL_ENV, reset_app_caches, tracing_disabled

    tracing_was_disabled = tracing_disabled()
    with pytest.MonkeyPatch.context() as mp:
        for name in MODEL_ENV:
            mp.delenv(name, raising=False)
        reset_app_caches()
        yield mp
    reset_app_caches()
    set_tracing_disabled(tracing_was_disabled)


@pytest.fixture
def fake_openai(
    fake_openai_server: FakeOpenAI, model_env: pytest.MonkeyPatch, client
) -> Iterator[FakeOpenAI]:
    """The app (`client`) on a real model at OPENAI_BASE_URL (Chat Completions), served by the
    local fake."""
    from tests.support.models import on_fake_model

    model_env.setenv("OPENAI_BASE_URL", fake_openai_server.base_url)
    with on_fake_model(fake_openai_server, model_env, client) as server:
        yield server
