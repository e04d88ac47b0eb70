"""Alembic owns the schema: `alembic upgrade head` builds it from nothing, matches the models,
and downgrades cleanly, on SQLite and on PostgreSQL."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.support import ROOT
from tests.support.database import create_pg_database, drop_pg_database, point_app_at

APP_TABLES = {"users", "tasks"}


def _alembic_cli(*args: str, url: str) -> subprocess.CompletedProcess:
    executable = Path(sys.executable).with_name("alembic")
    command = [str(executable)] if executable.exists() else [sys.executable, "-m", "alembic"]
    return subprocess.run(
        [*command, *args],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": url},
        capture_output=True,
        text=True,
        timeout=120,
    )


def _alembic_api(action: str, revision: str, url: str) -> None:
    from alembic import command
    from alembic.config import Config

    cfg = Config(str(ROOT / "alembic.ini"))
    cfg.attributes["database_url"] = url
    cfg.attributes["configure_logger"] = False
    getattr(command, action)(cfg, revision)


def _tables(url: str) -> set[str]:
    from chatapp.db.engine import build_engine

    engine = build_engine(url)
    try:
        return set(sa.inspect(engine).get_table_names())
    finally:
        engine.dispose()


def _schema_drift(url: str) -> list:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlmodel import SQLModel

    import chatapp.db.models  # noqa: F401  (the tables Alembic's env.py targets)
    from chatapp.db.engine import build_engine

    engine = build_engine(url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            return compare_metadata(context, SQLModel.metadata)
    finally:
        engine.dispose()


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def migrated_url(request, tmp_path_factory):
    """A brand-new empty database, brought to head by the `alembic upgrade head` command."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('migrations') / 'fresh.db'}"
        name = None
    else:
        name, url = create_pg_database()

    assert not _tables(url) & APP_TABLES
    result = _alembic_cli("upgrade", "head", url=url)
    assert result.returncode == 0, result.stderr
    try:
        yield url
    finally:
        if name is not None:
            from chatapp.db import reset_engine

            reset_engine()
            drop_pg_database(name)


@pytest.fixture
def app_on(migrated_url):
    """Point the app's settings and engine at the migrated database for one test."""
    previous = os.environ.get("DATABASE_URL")
    point_app_at(migrated_url)
    yield migrated_url
    point_app_at(previous)


def test_upgrade_head_creates_every_table_and_records_the_head_revision(migrated_url):
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from chatapp.db.engine import build_engine

    head = ScriptDirectory.from_config(Config(str(ROOT / "alembic.ini"))).get_current_head()
    engine = build_engine(migrated_url)
    try:
        with engine.connect() as conn:
            versions = conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalars()
            assert list(versions) == [head]
    finally:
        engine.dispose()
    assert _tables(migrated_url) >= APP_TABLES


def test_the_api_works_against_a_freshly_migrated_database(app_on):
    from fastapi.testclient import TestClient

    from chatapp.api import build_api

    with TestClient(build_api()) as client:
        signup = client.post(
            "/api/auth/signup", json={"email": "first@example.com", "password": "long-enough"}
        )
        assert signup.status_code == 201, signup.text
        user = signup.json()
        headers = {"Authorization": f"Bearer {user['access_token']}"}
        url = f"/api/{user['user_id']}/tasks"
        created = client.post(url, headers=headers, json={"title": "hello", "tags": ["x"]})
        listed = client.get(url, headers=headers, params={"tag": "x"})
        health = client.get("/health")

    assert created.status_code == 201, created.text
    assert [t["title"] for t in listed.json()] == ["hello"]
    assert health.json()["status"] == "ok" and health.json()["database"] == "ok"


def test_autogenerate_finds_no_difference_between_models_and_migrations(migrated_url):
    assert _schema_drift(migrated_url) == []


def test_downgrade_to_base_then_upgrade_to_head_round_trips(migrated_url):
    _alembic_api("downgrade", "base", migrated_url)
    assert not _tables(migrated_url) & APP_TABLES

    _alembic_api("upgrade", "head", migrated_url)

    assert _tables(migrated_url) >= APP_TABLES
    assert _schema_drift(migrated_url) == []


@pytest.fixture(params=["sqlite", "postgres"])
def blank_url(request, tmp_path):
    """An empty database of one test, on each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'blank.db'}"
        return
    name, url = create_pg_database()
    try:
        yield url
    finally:
        drop_pg_database(name)


def _sql(url: str, statement: str, **params):
    from chatapp.db.engine import build_engine

    engine = build_engine(url)
    try:
        with engine.begin() as conn:
            result = conn.execute(sa.text(statement), params)
            return result.all() if result.returns_rows else None
    finally:
        engine.dispose()


def _new_thread(url: str, thread_id: str, user_id: int, created_at: str) -> None:
    _sql(
        url,
        "INSERT INTO chat_threads (id, user_id, title, created_at, updated_at, payload)"
        " VALUES (:id, :u, NULL, :t, :t, '{}')",
        id=thread_id,
        u=user_id,
        t=created_at,
    )


def _numbers(url: str) -> list[tuple[int, str, int]]:
    return [
        tuple(row)
        for row in _sql(url, "SELECT id, thread_id, user_id FROM chat_conversations ORDER BY id")
    ]


def _next_number(url: str, thread_id: str, user_id: int, created_at: str) -> int:
    """A thread stored after the migration, numbered as the store numbers it."""
    _new_thread(url, thread_id, user_id, created_at)
    _sql(
        url,
        "INSERT INTO chat_conversations (thread_id, user_id) VALUES (:id, :u)",
        id=thread_id,
        u=user_id,
    )
    return _sql(url, "SELECT id FROM chat_conversations WHERE thread_id = :id", id=thread_id)[0][0]


def test_0004_numbers_existing_threads_in_list_order_and_counts_on(blank_url):
    _alembic_api("upgrade", "0003", blank_url)
    for email in ("a@example.com", "b@example.com"):
        _sql(
            blank_url,
            "INSERT INTO users (email, password_hash, created_at) VALUES (:e, 'x', :t)",
            e=email,
            t="2026-01-01 00:00:00",
        )
    a, b = (row[0] for row in _sql(blank_url, "SELECT id FROM users ORDER BY id"))
    # Created out of id order, one tie broken by id, two users interleaved.
    _new_thread(blank_url, "thr_z", a, "2026-01-01 09:00:00")
    _new_thread(blank_url, "thr_m", b, "2026-01-02 09:00:00")
    _new_thread(blank_url, "thr_b", a, "2026-01-01 10:00:00")
    _new_thread(blank_url, "thr_a", a, "2026-01-01 10:00:00")

    _alembic_api("upgrade", "head", blank_url)

    assert _numbers(blank_url) == [
        (1, "thr_z", a),
        (2, "thr_a", a),
        (3, "thr_b", a),
        (4, "thr_m", b),
    ]
    assert _next_number(blank_url, "thr_new", b, "2026-02-01 00:00:00") == 5
    # The newest number is deleted with its thread and never handed out again.
    _sql(blank_url, "DELETE FROM chat_threads WHERE id = 'thr_new'")
    assert _next_number(blank_url, "thr_newer", b, "2026-02-02 00:00:00") == 6
    assert _schema_drift(blank_url) == []


def test_0004_on_an_empty_database_starts_at_one(blank_url):
    _alembic_api("upgrade", "head", blank_url)
    _sql(
        blank_url,
        "INSERT INTO users (email, password_hash, created_at) VALUES ('a@x.io', 'x', :t)",
        t="2026-01-01 00:00:00",
    )
    (user,) = (row[0] for row in _sql(blank_url, "SELECT id FROM users"))

    assert _next_number(blank_url, "thr_first", user, "2026-01-01 00:00:00") == 1


def test_0004_downgrades_to_0003_keeping_threads_and_renumbers_on_upgrade(blank_url):
    _alembic_api("upgrade", "head", blank_url)
    _sql(
        blank_url,
        "INSERT INTO users (email, password_hash, created_at) VALUES ('a@x.io', 'x', :t)",
        t="2026-01-01 00:00:00",
    )
    (user,) = (row[0] for row in _sql(blank_url, "SELECT id FROM users"))
    _next_number(blank_url, "thr_1", user, "2026-01-01 00:00:00")
    _next_number(blank_url, "thr_2", user, "2026-01-02 00:00:00")
    _sql(blank_url, "DELETE FROM chat_threads WHERE id = 'thr_1'")

    _alembic_api("downgrade", "0003", blank_url)

    assert "chat_conversations" not in _tables(blank_url)
    assert _sql(blank_url, "SELECT id FROM chat_threads") == [("thr_2",)]

    _alembic_api("upgrade", "head", blank_url)

    assert _numbers(blank_url) == [(1, "thr_2", user)]
    assert _next_number(blank_url, "thr_3", user, "2026-01-03 00:00:00") == 2


def _new_task(url: str, user_id: int, title: str, completed: bool, **times: str | None) -> None:
    _sql(
        url,
        "INSERT INTO tasks (user_id, title, completed, tags, created_at, updated_at,"
        " completed_at, due_at) VALUES (:u, :title, :c, '[]', :t, :updated, :done, :due)",
        u=user_id,
        title=title,
        c=completed,
        t="2026-01-01 00:00:00",
        updated=times.get("updated", "2026-01-02 00:00:00"),
        done=times.get("done"),
        due=times.get("due"),
    )


def test_0005_records_the_completions_of_tasks_completed_before_it(blank_url):
    _alembic_api("upgrade", "0004", blank_url)
    _sql(
        blank_url,
        "INSERT INTO users (email, password_hash, created_at) VALUES ('a@x.io', 'x', :t)",
        t="2026-01-01 00:00:00",
    )
    (user,) = (row[0] for row in _sql(blank_url, "SELECT id FROM users"))
    _new_task(blank_url, user, "open", False)
    _new_task(blank_url, user, "done", True, done="2026-01-03 10:00:00", due="2026-01-03 09:00:00")
    _new_task(blank_url, user, "done long ago", True, done=None, updated="2026-01-02 08:00:00")

    _alembic_api("upgrade", "head", blank_url)

    rows = _sql(
        blank_url,
        "SELECT t.title, c.user_id, c.completed_at, c.due_at FROM task_completions c"
        " JOIN tasks t ON t.id = c.task_id ORDER BY c.id",
    )
    assert [(title, owner) for title, owner, _, _ in rows] == [
        ("done", user),
        ("done long ago", user),
    ]
    assert [str(done)[:19] for _, _, done, _ in rows] == [
        "2026-01-03 10:00:00",
        "2026-01-02 08:00:00",
    ]
    assert str(rows[0][3])[:19] == "2026-01-03 09:00:00"
    tasks = _sql(blank_url, "SELECT time_zone, recurrence, remind_at FROM tasks ORDER BY id")
    assert tasks == [("UTC", None, None)] * 3
    assert _schema_drift(blank_url) == []


def test_0005_downgrades_to_0004_keeping_every_task(blank_url):
    _alembic_api("upgrade", "head", blank_url)
    _sql(
        blank_url,
        "INSERT INTO users (email, password_hash, created_at) VALUES ('a@x.io', 'x', :t)",
        t="2026-01-01 00:00:00",
    )
    (user,) = (row[0] for row in _sql(blank_url, "SELECT id FROM users"))
    _new_task(blank_url, user, "kept", True, done="2026-01-03 10:00:00")

    _alembic_api("downgrade", "0004", blank_url)

    assert not {"task_completions", "calendar_feeds"} & _tables(blank_url)
    assert _sql(blank_url, "SELECT title FROM tasks") == [("kept",)]
    _alembic_api("upgrade", "head", blank_url)
    assert _schema_drift(blank_url) == []
