"""The test databases: Alembic migrations, throwaway PostgreSQL databases, and pointing the app
at one."""

from __future__ import annotations

import os
import uuid

from tests.support import ROOT

PG_ADMIN_URL = os.environ.get(
    "CHATAPP_TEST_PG_ADMIN", "postgresql://postgres@127.0.0.1:5432/postgres"
)


def point_app_at(url: str | None) -> None:
    """Settings, engine, login limiter and account cache start over on `url` (None: the default
    database)."""
    from chatapp.auth.ratelimit import reset_login_limiter
    from chatapp.auth.sessions import reset_account_cache
    from chatapp.db import reset_engine
    from chatapp.settings import get_settings

    if url is None:
        os.environ.pop("DATABASE_URL", None)
    else:
        os.environ["DATABASE_URL"] = url
    get_settings.cache_clear()
    reset_engine()
    reset_login_limiter()
    reset_account_cache()


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
