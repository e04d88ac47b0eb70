"""Shared fixtures: a real database per backend (SQLite file, fresh PostgreSQL database),
migrated with Alembic, real users with real JWTs."""

from __future__ import annotations

import os
import socket
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("JWT_SECRET", "test-secret-" + "x" * 40)
os.environ.setdefault("CHATAPP_ENV", "dev")
# Runtime data of anything a test starts with default settings goes here, never into the checkout.
os.environ.setdefault("CHATAPP_DATA_DIR", tempfile.mkdtemp(prefix="chatapp-test-data-"))
os.environ.pop("OPENAI_API_KEY", None)
os.environ.pop("REFLEX_REDIS_URL", None)

ROOT = Path(__file__).resolve().parent.parent
PG_ADMIN_URL = os.environ.get(
    "CHATAPP_TEST_PG_ADMIN", "postgresql://postgres@127.0.0.1:5432/postgres"
)


def _use_database(url: str) -> None:
    from chatapp.auth.ratelimit import reset_login_limiter
    from chatapp.db import reset_engine
    from chatapp.settings import get_settings

    os.environ["DATABASE_URL"] = url
    get_settings.cache_clear()
    reset_engine()
    reset_login_limiter()


def migrate(url: str) -> None:
    from alembic import command
    from alembic.config import Config

    cfg = Config(str(ROOT / "alembic.ini"))
    cfg.attributes["database_url"] = url
    cfg.attributes["configure_logger"] = False
    command.upgrade(cfg, "head")


def create_pg_database() -> tuple[str, str]:
    import psycopg

    name = f"chatapp_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return name, f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"


def drop_pg_database(name: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


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
    _use_database(database_url)
    yield database_url
    from sqlalchemy import text

    from chatapp.db import get_engine

    with get_engine().begin() as conn:
        conn.execute(text("DELETE FROM chat_items"))
        conn.execute(text("DELETE FROM chat_conversations"))
        conn.execute(text("DELETE FROM chat_threads"))
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
    import uvicorn

    from chatapp.api import build_api

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(build_api(), log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
