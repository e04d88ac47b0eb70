"""/health: is the app up, and can it reach its database and (when configured) Redis?"""

from __future__ import annotations

from functools import lru_cache

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy import text

from chatapp.db import get_engine
from chatapp.settings import get_settings

router = APIRouter(tags=["health"])

OK = "ok"
NOT_CONFIGURED = "not configured"
# Without a Reflex app around the API (TestClient, plain uvicorn) there is no state manager.
NO_REFLEX_APP = "none"
PROBE_TIMEOUT_SECONDS = 2


def _unavailable(exc: BaseException) -> str:
    return f"unavailable ({exc.__class__.__name__})"


def database_status() -> str:
    try:
        with get_engine().connect() as conn:
            # Reading the schema's version proves both connectivity and a migrated database.
            conn.execute(text("SELECT version_num FROM alembic_version")).one()
    except Exception as exc:  # any failure means "not ready", reported, never raised
        return _unavailable(exc)
    return OK


@lru_cache(maxsize=4)
def _redis_client(url: str):
    import redis

    # One client per URL: each probe reuses a pooled connection instead of opening one.
    return redis.Redis.from_url(
        url, socket_timeout=PROBE_TIMEOUT_SECONDS, socket_connect_timeout=PROBE_TIMEOUT_SECONDS
    )


def redis_status(url: str | None) -> str:
    if not url:
        return NOT_CONFIGURED
    try:
        _redis_client(url).ping()
    except Exception as exc:
        return _unavailable(exc)
    return OK


def state_manager_kind() -> str:
    """Which Reflex state manager this worker really runs: "redis", "disk" or "memory"."""
    try:
        from reflex_base.event.context import EventContext

        manager = EventContext.get().state_manager
    except (ImportError, LookupError):
        return NO_REFLEX_APP
    return type(manager).__name__.removeprefix("StateManager").lower()


class HealthOut(BaseModel):
    status: str
    database: str
    redis: str
    state_manager: str


@router.get(
    "/health",
    response_model=HealthOut,
    responses={503: {"model": HealthOut, "description": "database or a configured Redis is down"}},
)
def health() -> JSONResponse:
    database = database_status()
    redis = redis_status(get_settings().reflex_redis_url)
    ok = database == OK and redis in (OK, NOT_CONFIGURED)
    return JSONResponse(
        {
            "status": "ok" if ok else "degraded",
            "database": database,
            "redis": redis,
            "state_manager": state_manager_kind(),
        },
        status_code=200 if ok else 503,
    )
