"""The app brings its database schema to head when it starts (chatapp/db/schema.py): from empty,
from an older revision with data in it, from several processes at once (one migrates, the others
wait and find it done), on SQLite and PostgreSQL; and it refuses, in one line, what it must not
touch (auto-migration off, a revision newer than the code)."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from chatapp.db.engine import build_engine
from chatapp.db.schema import alembic_config, ensure_schema, head_revision
from chatapp.settings import ConfigurationError, Settings
from tests.support import ROOT
from tests.support.database import create_pg_database, drop_pg_database, migrate

HEAD = head_revision(alembic_config("sqlite://"))


@pytest.fixture(params=["sqlite", "postgres"])
def empty_url(request, tmp_path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    name, url = create_pg_database()
    try:
        yield url
    finally:
        drop_pg_database(name)


def settings_for(url: str, **overrides) -> Settings:
    return Settings(_env_file=None, database_url=url, jwt_secret="s" * 40, **overrides)


def revisions(url: str) -> list[str]:
    engine = build_engine(url)
    try:
        with engine.connect() as conn:
            return list(conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalars())
    finally:
        engine.dispose()


def test_an_empty_database_is_brought_to_head_and_a_second_start_changes_nothing(empty_url, caplog):
    with caplog.at_level(logging.INFO, logger="chatapp"):
        ensure_schema(settings_for(empty_url))
    assert revisions(empty_url) == [HEAD]
    assert f"Database schema created at {HEAD}" in caplog.text

    caplog.clear()
    with caplog.at_level(logging.INFO, logger="chatapp"):
        ensure_schema(settings_for(empty_url))
    assert revisions(empty_url) == [HEAD]
    assert caplog.text == ""


def test_an_older_schema_is_upgraded_and_its_rows_are_kept(empty_url):
    from alembic import command

    command.upgrade(alembic_config(empty_url), "0001")
    engine = build_engine(empty_url)
    try:
        with engine.begin() as conn:
            conn.execute(
                sa.text(
                    "INSERT INTO users (email, password_hash, created_at) "
                    "VALUES ('kept@example.com', 'x', CURRENT_TIMESTAMP)"
                )
            )
    finally:
        engine.dispose()

    ensure_schema(settings_for(empty_url))

    assert revisions(empty_url) == [HEAD]
    engine = build_engine(empty_url)
    try:
        with engine.connect() as conn:
            emails = conn.execute(sa.text("SELECT email FROM users")).scalars().all()
            threads = conn.execute(sa.text("SELECT count(*) FROM chat_threads")).scalar_one()
    finally:
        engine.dispose()
    assert emails == ["kept@example.com"] and threads == 0


# Each process imports everything first, then all call ensure_schema at the same instant.
_START = """
import sys, time
from chatapp.db.schema import ensure_schema
from chatapp.settings import Settings
settings = Settings(_env_file=None, database_url=sys.argv[1], jwt_secret="s" * 40)
time.sleep(max(0.0, float(sys.argv[2]) - time.time()))
ensure_schema(settings)
print("started")
"""


def test_workers_starting_together_migrate_once(empty_url):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    go = str(time.time() + 15)
    starts = [
        subprocess.Popen(
            [sys.executable, "-c", _START, empty_url, go],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    outputs = [proc.communicate(timeout=180) for proc in starts]

    for proc, (out, err) in zip(starts, outputs, strict=True):
        assert proc.returncode == 0 and "started" in out, err[-3000:]
    assert revisions(empty_url) == [HEAD]


def test_with_auto_migration_off_a_stale_schema_stops_the_start_naming_the_command(empty_url):
    with pytest.raises(ConfigurationError, match=r"run `alembic upgrade head`"):
        ensure_schema(settings_for(empty_url, chatapp_auto_migrate=False))
    engine = build_engine(empty_url)
    try:
        assert "users" not in sa.inspect(engine).get_table_names()
    finally:
        engine.dispose()


def test_a_database_migrated_by_a_newer_version_is_refused(tmp_path):
    url = f"sqlite:///{tmp_path / 'newer.db'}"
    migrate(url)
    engine = build_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE alembic_version SET version_num = '9999_from_the_future'"))
    engine.dispose()

    with pytest.raises(ConfigurationError, match="9999_from_the_future.*newer version"):
        ensure_schema(settings_for(url))
    assert revisions(url) == ["9999_from_the_future"]


def test_an_unreachable_database_is_reported_and_the_start_goes_on(caplog):
    url = "postgresql+psycopg://postgres:secret-pw@127.0.0.1:1/nowhere"
    with caplog.at_level(logging.ERROR, logger="chatapp"):
        ensure_schema(settings_for(url))
    assert "Could not check the database schema" in caplog.text
    assert "/health" in caplog.text
    assert "secret-pw" not in caplog.text
