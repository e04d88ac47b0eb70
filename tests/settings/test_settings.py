"""Settings: prod refuses weak configuration; dev generates and keeps a local secret."""

from __future__ import annotations

import subprocess
import sys

import pytest

from chatapp import settings as settings_module
from chatapp.settings import ConfigurationError, Settings, get_settings


@pytest.fixture
def fresh_settings(monkeypatch, tmp_path):
    monkeypatch.setenv("CHATAPP_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    yield tmp_path / "data" / "jwt_secret"
    get_settings.cache_clear()


def test_prod_refuses_to_start_without_jwt_secret(monkeypatch, fresh_settings):
    monkeypatch.setenv("CHATAPP_ENV", "prod")
    monkeypatch.delenv("JWT_SECRET", raising=False)
    with pytest.raises(ConfigurationError, match="JWT_SECRET"):
        get_settings()


def test_prod_refuses_a_short_jwt_secret(monkeypatch, fresh_settings):
    monkeypatch.setenv("CHATAPP_ENV", "prod")
    monkeypatch.setenv("JWT_SECRET", "short")
    with pytest.raises(ConfigurationError, match="too short"):
        get_settings()


def test_dev_generates_a_secret_once_and_reuses_it(monkeypatch, fresh_settings, caplog):
    monkeypatch.setenv("CHATAPP_ENV", "dev")
    monkeypatch.delenv("JWT_SECRET", raising=False)
    first = get_settings().jwt_secret
    assert fresh_settings.read_text() == first
    assert len(first) >= 32
    assert fresh_settings.stat().st_mode & 0o077 == 0
    assert "JWT_SECRET is not set" in caplog.text
    caplog.clear()
    get_settings.cache_clear()
    assert get_settings().jwt_secret == first
    assert "JWT_SECRET" not in caplog.text  # said once, when the secret is made


def test_defaults_match_the_readme(monkeypatch):
    for name in (
        "DATABASE_URL",
        "CHATAPP_DATA_DIR",
        "JWT_TTL_SECONDS",
        "CHATAPP_ENV",
        "CHATAPP_CHAT_UI",
        "CHATAPP_MODEL",
    ):
        monkeypatch.delenv(name, raising=False)
    s = Settings(_env_file=None)
    assert s.database_url == f"sqlite:///{settings_module.PROJECT_ROOT / '.data' / 'chatapp.db'}"
    assert s.chatapp_auto_migrate is True
    assert s.jwt_ttl_seconds == 3600
    assert s.chatapp_env == "dev"
    assert s.chatapp_chat_ui == "auto"


@pytest.mark.parametrize(
    "given",
    ["postgres://u:p@h:5432/d", "postgresql://u:p@h:5432/d", "postgresql+psycopg://u:p@h:5432/d"],
)
def test_postgres_urls_use_psycopg3(given, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", given)
    assert Settings(_env_file=None).database_url == "postgresql+psycopg://u:p@h:5432/d"


def test_reflex_config_refuses_prod_without_secret(tmp_path):
    """`reflex run --env prod` loads rxconfig.py, which loads settings: it must fail loudly."""
    env = {"CHATAPP_ENV": "prod", "PATH": "/usr/bin:/bin"}
    proc = subprocess.run(
        [sys.executable, "-c", "import rxconfig"],
        cwd=settings_module.PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert proc.returncode != 0
    assert "JWT_SECRET" in proc.stderr
