"""Where chatapp keeps what it writes at run time, and why it is not where `reflex run` looks.

In dev mode Reflex's backend restarts on any change under the app root except hidden folders
(and a few file extensions). A database, its `-wal`/`-shm` journals or a generated secret in a
watched folder restart the backend on every write and drop the reply being streamed. So runtime
data lives in one hidden, git-ignored folder, `.data/` (CHATAPP_DATA_DIR moves it), and files that
earlier versions wrote into the project root are moved there once.
"""

from __future__ import annotations

import contextlib
import logging
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

if TYPE_CHECKING:
    from chatapp.settings import Settings

logger = logging.getLogger("chatapp.data_dir")

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA_DIR = PROJECT_ROOT / ".data"
SQLITE_FILE_NAME = "chatapp.db"
DEV_SECRET_FILE_NAME = "jwt_secret"
# SQLite writes these beside the database file while it runs.
SQLITE_COMPANION_SUFFIXES = ("-wal", "-shm", "-journal")

# Where versions before the data folder kept their runtime files.
LEGACY_SQLITE_PATH = PROJECT_ROOT / SQLITE_FILE_NAME
LEGACY_SECRET_FILE = PROJECT_ROOT / ".secrets" / DEV_SECRET_FILE_NAME


def make_private_dir(path: Path) -> None:
    """Create a folder only its owner can read (it holds the dev secret and the database)."""
    if not path.exists():
        path.mkdir(parents=True, mode=0o700)


def sqlite_path(database_url: str) -> Path | None:
    """The database file of a SQLite URL (absolute), or None for other databases and :memory:."""
    try:
        url = make_url(database_url)
    except ArgumentError:
        return None
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    return Path(url.database).expanduser().resolve()


def sqlite_files(database: Path) -> list[Path]:
    """The database file and the journals SQLite keeps beside it."""
    return [database, *(database.with_name(database.name + s) for s in SQLITE_COMPANION_SUFFIXES)]


def watched_by_dev_reload(path: Path, root: Path = PROJECT_ROOT) -> bool:
    """Would a write to `path` restart `reflex run`'s dev backend? (Reflex watches each entry of
    the app root except hidden and dunder folders; tests check this against Reflex's own list.)"""
    try:
        relative = path.resolve().relative_to(root)
    except ValueError:
        return False
    if not relative.parts:
        return False
    top = relative.parts[0]
    return not (top.startswith(".") or top.startswith("__"))


def _move(files: list[Path], target_dir: Path) -> list[Path]:
    make_private_dir(target_dir)
    moved = []
    for source in files:
        if source.exists():
            destination = target_dir / source.name
            shutil.move(source, destination)
            moved.append(destination)
    return moved


def _adopt_legacy_database(database: Path) -> None:
    legacy = LEGACY_SQLITE_PATH
    if database == legacy or not legacy.exists():
        return
    if database.exists():
        logger.warning(
            "An old database %s is left in the project root and no longer used (the app uses %s). "
            "Delete it, or stop the app and move it over the new one to keep its data.",
            legacy,
            database,
        )
        return
    # Only the default name moves: a database and its journals belong together.
    if database.name != legacy.name:
        return
    _move(sqlite_files(legacy), database.parent)
    logger.warning(
        "Moved the database from %s to %s: runtime data now lives in the hidden data folder, "
        "where `reflex run` does not restart the backend on every write.",
        legacy,
        database,
    )


def _adopt_legacy_secret(secret_file: Path) -> None:
    if secret_file.exists() or not LEGACY_SECRET_FILE.exists():
        return
    make_private_dir(secret_file.parent)
    shutil.move(LEGACY_SECRET_FILE, secret_file)
    with contextlib.suppress(OSError):  # something else lives there: leave the folder alone
        LEGACY_SECRET_FILE.parent.rmdir()


def prepare_data_dir(settings: Settings) -> None:
    """Adopt files earlier versions left in the project root; warn about a watched database."""
    database = sqlite_path(settings.database_url)
    if database is not None and database == settings.default_sqlite_path:
        make_private_dir(database.parent)
        _adopt_legacy_database(database)
    if settings.jwt_secret is None and not settings.is_prod:
        _adopt_legacy_secret(settings.dev_secret_file)
    if database is not None and not settings.is_prod and watched_by_dev_reload(database):
        logger.warning(
            "DATABASE_URL puts the SQLite database at %s, inside the project folder that "
            "`reflex run` watches for code changes: in dev mode every write restarts the backend "
            "and cuts off chat replies. Leave DATABASE_URL unset (the database goes to %s) or use "
            "a path outside the project.",
            database,
            settings.default_sqlite_path,
        )
