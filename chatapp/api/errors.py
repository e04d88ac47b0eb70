"""Every error leaves the API as JSON {"detail": "..."} with the right status."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy.exc import DBAPIError, OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from chatapp.errors import DB_UNAVAILABLE, AppError, InvalidInput, RateLimited, Unauthorized

logger = logging.getLogger("chatapp.api")


class FieldError(BaseModel):
    loc: list[str | int]
    msg: str
    type: str


class ValidationErrorOut(BaseModel):
    """Body of every 422: a readable `detail` naming the fields, plus per-field `errors`."""

    detail: str
    errors: list[FieldError] | None = None


def _field_name(loc: tuple) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    return ".".join(parts) or "body"


def validation_message(errors: Sequence[Mapping[str, Any]]) -> str:
    """'title: String should have at least 1 character; tags: ...' — names every field."""
    messages = []
    for err in errors:
        field = _field_name(tuple(err.get("loc", ())))
        msg = err.get("msg", "is invalid")
        if err.get("type") == "extra_forbidden":
            msg = "unknown field"
        elif err.get("type") == "missing":
            msg = "field required"
        elif err.get("type") == "json_invalid":
            field, msg = "body", "invalid JSON"
        elif err.get("type") == "value_error":
            # Our validators' own sentences; pydantic's "Value error, " prefix tells nobody anything.
            msg = msg.removeprefix("Value error, ")
        messages.append(f"{field}: {msg}")
    return "; ".join(messages) or "Invalid request."


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(AppError)
    async def _app_error(_: Request, exc: AppError) -> JSONResponse:
        headers = {}
        if isinstance(exc, RateLimited):
            headers["Retry-After"] = str(exc.retry_after)
        if isinstance(exc, Unauthorized):
            headers["WWW-Authenticate"] = "Bearer"
        body: dict = {"detail": exc.message}
        if isinstance(exc, InvalidInput) and exc.field:
            # A rule checked against the stored task (service side) reads like any other 422.
            msg = exc.message.removeprefix(f"{exc.field}: ")
            body["errors"] = [{"loc": [exc.field], "msg": msg, "type": "value_error"}]
        return JSONResponse(body, status_code=exc.status_code, headers=headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            {"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", "")}
            for e in exc.errors()
        ]
        return JSONResponse(
            {"detail": validation_message(exc.errors()), "errors": errors}, status_code=422
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        detail = exc.detail if isinstance(exc.detail, str) else "Request failed."
        if exc.status_code == 404 and detail == "Not Found":
            detail = "Not found."
        if exc.status_code == 405:
            detail = "Method not allowed."
        return JSONResponse(
            {"detail": detail}, status_code=exc.status_code, headers=getattr(exc, "headers", None)
        )

    @app.exception_handler(OperationalError)
    async def _db_down(_: Request, exc: OperationalError) -> JSONResponse:
        logger.warning("database unavailable: %s", exc.__class__.__name__)
        return JSONResponse({"detail": DB_UNAVAILABLE}, status_code=503)

    @app.exception_handler(DBAPIError)
    async def _db_error(_: Request, exc: DBAPIError) -> JSONResponse:
        if exc.connection_invalidated:
            return JSONResponse({"detail": DB_UNAVAILABLE}, status_code=503)
        logger.exception("database error")
        return JSONResponse({"detail": "Internal server error."}, status_code=500)

    @app.exception_handler(Exception)
    async def _unexpected(_: Request, exc: Exception) -> JSONResponse:
        logger.exception("unhandled error")
        return JSONResponse({"detail": "Internal server error."}, status_code=500)
