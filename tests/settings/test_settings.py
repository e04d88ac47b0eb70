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


STRONG_SECRET = "s" * 48
DOMAIN_KEY_WARNING = "CHATKIT_DOMAIN_KEY is the localhost placeholder"


def _chatkit_env(monkeypatch, **values: str | None) -> None:
    base = {
        "CHATAPP_ENV": "prod",
        "JWT_SECRET": STRONG_SECRET,
        "CHATAPP_CHAT_UI": "auto",
        "CHATKIT_DOMAIN_KEY": None,
        "CHATKIT_WORKFLOW_ID": None,
    }
    for name, value in {**base, **values}.items():
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)


def _domain_key_warnings(caplog) -> list[str]:
    return [
        r.getMessage()
        for r in caplog.records
        if r.name == "chatapp.settings" and DOMAIN_KEY_WARNING in r.getMessage()
    ]


@pytest.mark.parametrize("ui", ["auto", "chatkit"])
def test_prod_chatkit_with_the_placeholder_domain_key_warns_once(
    ui, monkeypatch, fresh_settings, caplog
):
    _chatkit_env(monkeypatch, CHATAPP_CHAT_UI=ui)
    caplog.set_level("WARNING", logger="chatapp.settings")
    get_settings()
    get_settings()  # settings load once per process: so does the warning

    [warning] = _domain_key_warnings(caplog)
    assert "domain_pk_localhost_dev" in warning
    assert f"CHATAPP_CHAT_UI={ui}" in warning
    assert settings_module.CHATKIT_DOMAIN_ALLOWLIST_URL in warning
    assert "set CHATKIT_DOMAIN_KEY" in warning
    assert [r.levelname for r in caplog.records if r.name == "chatapp.settings"] == ["WARNING"]


@pytest.mark.parametrize(
    "env",
    [
        {"CHATAPP_ENV": "dev", "JWT_SECRET": STRONG_SECRET},
        {"CHATAPP_CHAT_UI": "native"},
        {"CHATKIT_DOMAIN_KEY": "domain_pk_68f1c0ffee0123456789abcdef"},
        {"CHATKIT_WORKFLOW_ID": "wf_hosted_mode_sends_no_domain_key"},
    ],
    ids=["dev", "native", "real-key", "hosted"],
)
def test_no_domain_key_warning_when_chatkit_cannot_be_broken_by_it(
    env, monkeypatch, fresh_settings, caplog
):
    _chatkit_env(monkeypatch, **env)
    caplog.set_level("WARNING", logger="chatapp.settings")
    get_settings()
    assert _domain_key_warnings(caplog) == []
