"""/health: is the app up and can it reach its database?"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy import text

from chatapp.db import get_engine

router = APIRouter(tags=["health"])


@router.get("/health")
def health() -> JSONResponse:
    try:
        with get_engine().connect() as conn:
            # Reading the schema's version proves both connectivity and a migrated database.
            conn.execute(text("SELECT version_num FROM alembic_version")).one()
        database = "ok"
    except Exception as exc:  # any failure means "not ready", reported, never raised
        database = f"unavailable ({exc.__class__.__name__})"
    ok = database == "ok"
    return JSONResponse(
        {"status": "ok" if ok else "degraded", "database": database},
        status_code=200 if ok else 503,
    )
