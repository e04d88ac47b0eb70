"""The one settings object. Nothing else in chatapp reads os.environ."""

from __future__ import annotations

import logging
import secrets
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from chatapp.data_dir import (
    DEFAULT_DATA_DIR,
    DEV_SECRET_FILE_NAME,
    PROJECT_ROOT,
    SQLITE_FILE_NAME,
    make_private_dir,
    prepare_data_dir,
)

logger = logging.getLogger("chatapp.settings")

__all__ = ["PROJECT_ROOT", "ConfigurationError", "Settings", "get_settings"]
MIN_SECRET_LENGTH = 32
# Works on localhost only: OpenAI's ChatKit element rejects it on any other host.
PLACEHOLDER_CHATKIT_DOMAIN_KEY = "domain_pk_localhost_dev"
CHATKIT_DOMAIN_ALLOWLIST_URL = (
    "https://platform.openai.com/settings/organization/security/domain-allowlist"
)


class Settings(BaseSettings):
    """Configuration read from the environment (and an optional `.env` file)."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", case_sensitive=False)

    # Runtime data (the default SQLite database, the dev JWT secret); created on first use.
    chatapp_data_dir: Path = DEFAULT_DATA_DIR
    # Empty means the SQLite file in chatapp_data_dir (filled in by _default_database).
    database_url: str = ""
    # Bring the database schema up to date when the app starts (Alembic, under a lock).
    chatapp_auto_migrate: bool = True
    jwt_secret: str | None = None
    jwt_algorithm: Literal["HS256", "HS384", "HS512"] = "HS256"
    jwt_ttl_seconds: int = Field(default=3600, ge=60, le=60 * 60 * 24 * 30)
    chat_token_ttl_seconds: int = Field(default=3600, ge=60, le=3600)
    # How long a worker trusts its copy of an account (alive, token version) before re-reading
    # it: the bound on a sign-out or deletion made elsewhere reaching it without Redis (0: off).
    account_cache_seconds: float = Field(default=5.0, ge=0, le=60)
    chatapp_env: Literal["dev", "prod"] = "dev"

    login_max_failures: int = Field(default=5, ge=1)
    login_window_seconds: int = Field(default=300, ge=1)
    max_request_bytes: int = Field(default=1_000_000, ge=1024)

    openai_api_key: str | None = None
    openai_base_url: str | None = None
    chatapp_model: str = "gpt-4.1-mini"
    chatapp_tracing: bool = False
    chatapp_chat_ui: Literal["auto", "chatkit", "native"] = "auto"
    chatkit_domain_key: str = PLACEHOLDER_CHATKIT_DOMAIN_KEY
    chatkit_workflow_id: str | None = None
    # Where <openai-chatkit> is defined: OpenAI's CDN (no npm package ships the element).
    chatkit_script_url: str = "https://cdn.platform.openai.com/deployments/chatkit/chatkit.js"
    # Hosted mode: the OpenAI API that creates ChatKit sessions (tests point it at a stand-in).
    chatkit_api_base: str = "https://api.openai.com/v1"
    chatkit_session_timeout_seconds: float = Field(default=10.0, gt=0, le=120)
    reflex_redis_url: str | None = None
    # Extra pages for bench/page_ready.py (a blank baseline page at /bench/blank); off in real use.
    chatapp_bench_pages: bool = False

    # Attachments (chatapp/attachments): where files live, and what an upload may be.
    attachment_storage: Literal["local", "s3"] = "local"
    # Local storage folder; empty means `attachments/` in chatapp_data_dir (never hot-reloaded).
    attachment_dir: Path | None = None
    attachment_max_bytes: int = Field(default=10 * 1024 * 1024, ge=1024)
    # Decoded size an image may have (width × height): a small file can unpack to gigabytes.
    attachment_max_pixels: int = Field(default=40_000_000, ge=10_000)
    # ATTACHMENT_STORAGE=s3: any S3-compatible store (AWS, MinIO, R2, ...); needs boto3.
    attachment_s3_bucket: str | None = None
    attachment_s3_prefix: str = "attachments/"
    attachment_s3_endpoint_url: str | None = None
    attachment_s3_region: str | None = None
    attachment_s3_access_key_id: str | None = None
    attachment_s3_secret_access_key: str | None = None
    # Absolute address of this app, for upload URLs made outside a request (else the request's).
    chatapp_public_url: str | None = None

    # Browser origins allowed to call the backend from another origin (comma-separated).
    # Unset: "*" in dev (Vite on :3000 talks to :8000); same-origin only in prod.
    cors_origins: Annotated[list[str] | None, NoDecode] = None
    log_format: Literal["json", "text"] | None = None
    log_level: Literal["debug", "info", "warning", "error"] = "info"

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: object) -> object:
        if isinstance(value, str):
            return [o.strip().rstrip("/") for o in value.split(",") if o.strip()]
        return value

    @field_validator("chatapp_data_dir")
    @classmethod
    def _absolute_data_dir(cls, path: Path) -> Path:
        return path.expanduser().resolve()

    @model_validator(mode="after")
    def _default_database(self) -> Settings:
        if not self.database_url:
            self.database_url = f"sqlite:///{self.default_sqlite_path}"
        if self.attachment_storage == "s3" and not self.attachment_s3_bucket:
            raise ValueError("ATTACHMENT_STORAGE=s3 needs ATTACHMENT_S3_BUCKET")
        return self

    @field_validator("database_url")
    @classmethod
    def _normalise_postgres_driver(cls, url: str) -> str:
        # Plain postgres:// URLs (Heroku, docker) mean psycopg 3 here.
        for prefix in ("postgres://", "postgresql://"):
            if url.startswith(prefix):
                return "postgresql+psycopg://" + url[len(prefix) :]
        return url

    @property
    def default_sqlite_path(self) -> Path:
        return self.chatapp_data_dir / SQLITE_FILE_NAME

    @property
    def dev_secret_file(self) -> Path:
        return self.chatapp_data_dir / DEV_SECRET_FILE_NAME

    @property
    def attachment_root(self) -> Path:
        return (self.attachment_dir or self.chatapp_data_dir / "attachments").expanduser().resolve()

    @property
    def is_prod(self) -> bool:
        return self.chatapp_env == "prod"

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def allowed_origins(self) -> list[str]:
        """Cross-origin callers allowed by CORS and the websocket origin check."""
        if self.cors_origins is not None:
            return self.cors_origins
        return [] if self.is_prod else ["*"]

    @property
    def chatkit_domain_key_is_placeholder(self) -> bool:
        """Prod shows the self-hosted ChatKit element with a key no deployed host can pass."""
        return (
            self.is_prod
            and self.chatapp_chat_ui != "native"
            and not self.chatkit_workflow_id  # hosted mode sends no domain key
            and self.chatkit_domain_key.strip() in ("", PLACEHOLDER_CHATKIT_DOMAIN_KEY)
        )

    @property
    def effective_log_format(self) -> Literal["json", "text"]:
        return self.log_format or ("json" if self.is_prod else "text")


class ConfigurationError(RuntimeError):
    """Raised when the environment cannot run the app safely."""


def _dev_secret(path: Path) -> str:
    """A random secret kept in the git-ignored data folder so dev tokens survive restarts."""
    if path.exists():
        return path.read_text().strip()
    make_private_dir(path.parent)
    secret = secrets.token_urlsafe(48)
    path.write_text(secret)
    path.chmod(0o600)
    # Said once, when the file is made: later starts reuse it silently.
    logger.warning(
        "JWT_SECRET is not set: generated a development secret in %s. "
        "Set JWT_SECRET for any shared or production deployment.",
        path,
    )
    return secret


@lru_cache
def get_settings() -> Settings:
    """Load settings once; prod refuses to start without a strong JWT_SECRET."""
    settings = Settings()
    if settings.is_prod and settings.jwt_secret is None:
        raise ConfigurationError(
            "CHATAPP_ENV=prod requires JWT_SECRET (at least "
            f"{MIN_SECRET_LENGTH} characters); generate one with "
            "`python -c 'import secrets; print(secrets.token_urlsafe(48))'`."
        )
    if settings.is_prod and len(settings.jwt_secret or "") < MIN_SECRET_LENGTH:
        raise ConfigurationError(
            f"JWT_SECRET is too short for production: use at least {MIN_SECRET_LENGTH} characters."
        )
    prepare_data_dir(settings)
    if settings.jwt_secret is None:
        settings.jwt_secret = _dev_secret(settings.dev_secret_file)
    if settings.chatkit_domain_key_is_placeholder:
        logger.warning(
            "CHATKIT_DOMAIN_KEY is the localhost placeholder (%s) while CHATAPP_ENV=prod shows "
            "ChatKit (CHATAPP_CHAT_UI=%s): OpenAI rejects it on any other host, so ChatKit will "
            "not start (auto falls back to the built-in chat, chatkit shows the error). Add this "
            "site's hostname to OpenAI's domain allowlist (%s) and set CHATKIT_DOMAIN_KEY to the "
            "domain_pk_... key it gives you, or set CHATAPP_CHAT_UI=native.",
            PLACEHOLDER_CHATKIT_DOMAIN_KEY,
            settings.chatapp_chat_ui,
            CHATKIT_DOMAIN_ALLOWLIST_URL,
        )
    return settings
