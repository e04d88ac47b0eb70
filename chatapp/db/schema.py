"""Bring the database schema to Alembic's head when the app starts.

Every process that loads the app calls `ensure_schema()`: `reflex run`'s compile step (before
Reflex compares the models with the database), each backend worker, `reflex db …`. When the
database is already at head that is one indexed read. When it is behind, the upgrade runs under
a lock (a PostgreSQL advisory lock, or a file lock beside a SQLite file) and re-checks the
revision inside it, so workers starting together migrate once and the rest wait, then carry on.
"""

from __future__ import annotations

import fcntl
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import OperationalError

from chatapp.data_dir import PROJECT_ROOT, sqlite_path
from chatapp.db.engine import build_engine
from chatapp.settings import ConfigurationError, Settings

logger = logging.getLogger("chatapp.db.schema")

ALEMBIC_INI = PROJECT_ROOT / "alembic.ini"
UPGRADE_COMMAND = "alembic upgrade head"
# pg_advisory_xact_lock key: any constant every chatapp process agrees on ("chatapp" in ASCII).
_PG_MIGRATION_LOCK = 0x63686174617070


def alembic_config(database_url: str) -> Config:
    """The project's Alembic config aimed at `database_url`, leaving logging to the app."""
    config = Config(str(ALEMBIC_INI))
    config.attributes["database_url"] = database_url
    config.attributes["configure_logger"] = False
    return config


def head_revision(config: Config) -> str | None:
    return ScriptDirectory.from_config(config).get_current_head()


def current_revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def ensure_schema(settings: Settings) -> None:
    """Upgrade the database to head (or, with CHATAPP_AUTO_MIGRATE=0, refuse a stale one).

    An unreachable database is logged and left to /health: the app starts and serves 503s until
    the database answers. A database this code cannot migrate stops the start with one line."""
    config = alembic_config(settings.database_url)
    head = head_revision(config)
    engine = build_engine(settings.database_url)
    try:
        with engine.connect() as connection:
            current = current_revision(connection)
        if current == head:
            return
        _require_known(config, current, settings.database_url)
        if not settings.chatapp_auto_migrate:
            raise ConfigurationError(
                f"The database schema is at {current or 'nothing (empty database)'} and this "
                f"version needs {head}: run `{UPGRADE_COMMAND}` (or `reflex db migrate`), or "
                "unset CHATAPP_AUTO_MIGRATE to let the app do it on start."
            )
        upgraded_from = _upgrade(engine, config, settings.database_url, head)
        if upgraded_from is not _ALREADY_CURRENT:
            logger.info(
                "Database schema %s %s (%s).",
                "created at" if upgraded_from is None else f"upgraded from {upgraded_from} to",
                head,
                _describe(settings.database_url),
            )
    except OperationalError as exc:
        logger.error(
            "Could not check the database schema (%s): %s. The app starts anyway and /health "
            "reports the database until it answers; then restart it, or run `%s`.",
            _describe(settings.database_url),
            str(exc.orig or exc).strip().splitlines()[0],
            UPGRADE_COMMAND,
        )
    finally:
        engine.dispose()


_ALREADY_CURRENT = object()


def _upgrade(engine: Engine, config: Config, url: str, head: str | None) -> object:
    """Upgrade under the migration lock; what the revision was before, or _ALREADY_CURRENT."""
    if engine.dialect.name == "postgresql":
        # One transaction: the advisory lock is released when the migration commits.
        with engine.begin() as connection:
            connection.execute(
                text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_MIGRATION_LOCK}
            )
            before = current_revision(connection)
            if before == head:
                return _ALREADY_CURRENT
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
            return before
    with _file_lock(sqlite_path(url)):
        with engine.connect() as connection:
            before = current_revision(connection)
        if before == head:
            return _ALREADY_CURRENT
        command.upgrade(config, "head")
        return before


@contextmanager
def _file_lock(database: Path | None) -> Iterator[None]:
    """Serialise migrations of one SQLite file across the processes of this machine."""
    if database is None:
        yield
        return
    lock_path = database.with_name(database.name + ".migrate-lock")
    with lock_path.open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _require_known(config: Config, current: str | None, url: str) -> None:
    if current is None:
        return
    try:
        ScriptDirectory.from_config(config).get_revision(current)
    except CommandError as exc:
        raise ConfigurationError(
            f"The database ({_describe(url)}) is at schema revision {current}, which this version "
            "of chatapp does not know: a newer version migrated it. Run that version, or point "
            "DATABASE_URL at another database."
        ) from exc


def _describe(url: str) -> str:
    """The database's location for a log line, without a password."""
    path = sqlite_path(url)
    if path is not None:
        return str(path)
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)
