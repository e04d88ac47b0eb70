"""Runtime data lives where `reflex run`'s dev hot reload does not look, checked against Reflex's
own list of watched paths; files an earlier version left in the project root move there once."""

from __future__ import annotations

import json
import logging
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from chatapp import data_dir
from chatapp.data_dir import PROJECT_ROOT, sqlite_files, watched_by_dev_reload
from chatapp.settings import Settings, get_settings

# Asks Reflex itself, from the app root, which paths its dev backend reload watches and which
# file names it ignores (its patterns plus watchfiles' defaults, as granian combines them).
_REFLEX_WATCH = r"""
import json, os, re, sys
from pathlib import Path
sys.path.insert(0, os.getcwd())  # as `reflex run` does before it looks for the app
from reflex.utils.exec import HOTRELOAD_IGNORE_PATTERNS, get_reload_paths
from watchfiles.filters import DefaultFilter
roots = [str(p) for p in get_reload_paths()]
patterns = [*DefaultFilter.ignore_entity_patterns, *HOTRELOAD_IGNORE_PATTERNS]
def watched(path):
    p = Path(path)
    if any(re.search(pat, p.name) for pat in patterns):
        return False
    return any(p == Path(r) or Path(r) in p.parents for r in roots)
print(json.dumps({path: watched(path) for path in json.loads(sys.argv[1])}))
"""


def reflex_watches(paths: list[Path]) -> dict[str, bool]:
    done = subprocess.run(
        [sys.executable, "-c", _REFLEX_WATCH, json.dumps([str(p) for p in paths])],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture
def settings_in(monkeypatch, tmp_path):
    """Settings with nothing configured but the given environment, cache cleared around."""
    for name in ("DATABASE_URL", "CHATAPP_DATA_DIR", "JWT_SECRET"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("CHATAPP_ENV", "dev")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_the_default_database_and_secret_live_in_the_hidden_data_folder(monkeypatch):
    for name in ("DATABASE_URL", "CHATAPP_DATA_DIR"):
        monkeypatch.delenv(name, raising=False)
    settings = Settings(_env_file=None)
    assert settings.chatapp_data_dir == PROJECT_ROOT / ".data"
    assert settings.database_url == f"sqlite:///{PROJECT_ROOT / '.data' / 'chatapp.db'}"
    assert settings.dev_secret_file == PROJECT_ROOT / ".data" / "jwt_secret"


def test_no_runtime_file_is_watched_by_reflex_dev_reload(monkeypatch):
    for name in ("DATABASE_URL", "CHATAPP_DATA_DIR"):
        monkeypatch.delenv(name, raising=False)
    settings = Settings(_env_file=None)
    runtime = [*sqlite_files(settings.default_sqlite_path), settings.dev_secret_file]
    # Reflex watches each entry of the app root that exists when it starts: a file beside
    # rxconfig.py (where the database and its journals used to be) and anything in a package.
    beside_rxconfig, in_package = PROJECT_ROOT / "README.md", PROJECT_ROOT / "chatapp" / "x.py"
    verdicts = reflex_watches([*runtime, beside_rxconfig, in_package])

    assert not [path for path in runtime if verdicts[str(path)]], verdicts
    assert verdicts[str(beside_rxconfig)] and verdicts[str(in_package)], verdicts
    # chatapp's own rule agrees with Reflex on each of them.
    for path, watched in verdicts.items():
        assert watched_by_dev_reload(Path(path)) == watched, path


def test_a_relative_data_dir_is_resolved_once(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CHATAPP_DATA_DIR", "runtime")
    monkeypatch.delenv("DATABASE_URL", raising=False)
    settings = Settings(_env_file=None)
    assert settings.database_url == f"sqlite:///{tmp_path / 'runtime' / 'chatapp.db'}"


def _legacy(monkeypatch, root: Path) -> tuple[Path, Path]:
    legacy_db, legacy_secret = root / "chatapp.db", root / ".secrets" / "jwt_secret"
    monkeypatch.setattr(data_dir, "LEGACY_SQLITE_PATH", legacy_db)
    monkeypatch.setattr(data_dir, "LEGACY_SECRET_FILE", legacy_secret)
    return legacy_db, legacy_secret


def test_an_old_database_and_secret_in_the_project_root_move_to_the_data_folder(
    settings_in, monkeypatch, tmp_path, caplog
):
    legacy_db, legacy_secret = _legacy(monkeypatch, tmp_path)
    with sqlite3.connect(legacy_db) as conn:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("CREATE TABLE kept (v TEXT)")
        conn.execute("INSERT INTO kept VALUES ('my tasks')")
    legacy_secret.parent.mkdir()
    legacy_secret.write_text("an-old-dev-secret-" + "x" * 30)
    monkeypatch.setenv("CHATAPP_DATA_DIR", str(tmp_path / ".data"))

    with caplog.at_level(logging.WARNING, logger="chatapp"):
        settings = get_settings()

    moved = tmp_path / ".data" / "chatapp.db"
    assert settings.database_url == f"sqlite:///{moved}"
    assert not any(path.exists() for path in sqlite_files(legacy_db))
    with sqlite3.connect(moved) as conn:
        assert conn.execute("SELECT v FROM kept").fetchall() == [("my tasks",)]
    assert "Moved the database" in caplog.text
    assert settings.jwt_secret == "an-old-dev-secret-" + "x" * 30
    assert not legacy_secret.parent.exists()
    assert (tmp_path / ".data").stat().st_mode & 0o077 == 0


def test_an_old_database_beside_a_new_one_is_left_alone_with_a_warning(
    settings_in, monkeypatch, tmp_path, caplog
):
    legacy_db, _ = _legacy(monkeypatch, tmp_path)
    legacy_db.write_bytes(b"old")
    (tmp_path / ".data").mkdir()
    (tmp_path / ".data" / "chatapp.db").write_bytes(b"new")
    monkeypatch.setenv("CHATAPP_DATA_DIR", str(tmp_path / ".data"))

    with caplog.at_level(logging.WARNING, logger="chatapp"):
        get_settings()

    assert legacy_db.read_bytes() == b"old"
    assert (tmp_path / ".data" / "chatapp.db").read_bytes() == b"new"
    assert "no longer used" in caplog.text


def test_a_database_url_inside_the_watched_project_is_named_in_a_warning(
    settings_in, monkeypatch, caplog
):
    watched = PROJECT_ROOT / "my-tasks.db"
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{watched}")
    with caplog.at_level(logging.WARNING, logger="chatapp"):
        get_settings()
    assert str(watched) in caplog.text and "restarts the backend" in caplog.text
    assert not watched.exists()

    caplog.clear()
    get_settings.cache_clear()
    monkeypatch.setenv("CHATAPP_ENV", "prod")
    monkeypatch.setenv("JWT_SECRET", "p" * 40)
    with caplog.at_level(logging.WARNING, logger="chatapp"):
        get_settings()  # no hot reload in prod: nothing to say
    assert "restarts the backend" not in caplog.text
