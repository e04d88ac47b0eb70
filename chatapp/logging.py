"""Log lines: JSON in prod (one object per line, with the request id), text on request
(LOG_FORMAT=text), Python's defaults in dev; and the access-log middleware that gives every
request its id."""

from __future__ import annotations

import datetime
import json
import logging
import re
import sys
import time
import uuid
from contextvars import ContextVar

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from chatapp.settings import Settings

REQUEST_ID_HEADER = "X-Request-ID"
ACCESS_LOGGER = "chatapp.access"
# Fields an access record carries besides the message (see RequestLog below).
ACCESS_FIELDS = ("method", "path", "status", "duration_ms", "client")

request_id_var: ContextVar[str | None] = ContextVar("chatapp_request_id", default=None)

# An incoming id is echoed back and logged, so it must be short and harmless.
_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:/+=-]{1,128}$")
_BEARER = re.compile(r"(?i)\b(bearer)\s+[A-Za-z0-9._~+/=-]+")
_JWT = re.compile(r"\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*")
REDACTED = "[redacted]"


def request_id_from(incoming: str | None) -> str:
    """The caller's X-Request-ID when it is safe to echo, else a fresh one."""
    if incoming and _SAFE_REQUEST_ID.match(incoming):
        return incoming
    return uuid.uuid4().hex


class Redactor:
    """Removes bearer tokens, JWTs and the configured secrets from log text."""

    def __init__(self, secrets: list[str]) -> None:
        self.secrets = sorted((s for s in secrets if s and len(s) >= 8), key=len, reverse=True)

    def __call__(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, REDACTED)
        text = _BEARER.sub(rf"\1 {REDACTED}", text)
        return _JWT.sub(REDACTED, text)


class JsonFormatter(logging.Formatter):
    """One JSON object per record: timestamp, level, logger, message, request_id, extras.

    `level` and `message` keep Reflex's REFLEX_LOG_JSON supervisor passing the line through as is.
    """

    def __init__(self, redact: Redactor) -> None:
        super().__init__()
        self.redact = redact

    def format(self, record: logging.LogRecord) -> str:
        payload: dict[str, object] = {
            "timestamp": datetime.datetime.fromtimestamp(record.created, datetime.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": self.redact(record.getMessage()),
        }
        request_id = getattr(record, "request_id", None) or request_id_var.get()
        if request_id:
            payload["request_id"] = request_id
        for field in ACCESS_FIELDS:
            if (value := getattr(record, field, None)) is not None:
                payload[field] = value
        if record.exc_info:
            payload["exception"] = self.redact(self.formatException(record.exc_info))
        return json.dumps(payload, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    def __init__(self, redact: Redactor) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s")
        self.redact = redact

    def format(self, record: logging.LogRecord) -> str:
        record.request_id = getattr(record, "request_id", None) or request_id_var.get() or "-"
        return self.redact(super().format(record))


class _ChatappHandler(logging.StreamHandler):
    """Writes to the current sys.stdout (never a stale one); marks the handler we own."""

    def __init__(self) -> None:
        super().__init__(sys.stdout)

    @property
    def stream(self):
        return sys.stdout

    @stream.setter
    def stream(self, _value) -> None:
        pass


def configure_logging(settings: Settings) -> None:
    """Attach chatapp's one handler to the `chatapp` logger (idempotent).

    Dev without LOG_FORMAT keeps Python's defaults (warnings and errors only, no access lines).
    """
    redact = Redactor([settings.jwt_secret or "", settings.openai_api_key or ""])
    logger = logging.getLogger("chatapp")
    for handler in [h for h in logger.handlers if isinstance(h, _ChatappHandler)]:
        logger.removeHandler(handler)
    if settings.log_format is None and not settings.is_prod:
        logger.propagate = True
        logger.setLevel(logging.NOTSET)
        return
    handler = _ChatappHandler()
    if settings.effective_log_format == "json":
        handler.setFormatter(JsonFormatter(redact))
        # Only JSON on stdout: nothing else (root, Reflex) gets to re-print these records.
        logger.propagate = False
    else:
        handler.setFormatter(TextFormatter(redact))
        logger.propagate = True
    logger.addHandler(handler)
    logger.setLevel(settings.log_level.upper())


access_log = logging.getLogger(ACCESS_LOGGER)


class RequestLog:
    """Give every HTTP request an id (the caller's X-Request-ID or a new one), echo it in the
    response, and log one access line when the response ends. Headers, query strings and
    bodies are never logged: they carry tokens."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = request_id_from(Headers(scope=scope).get(REQUEST_ID_HEADER))
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        status = 500  # what the client gets if the app raises before answering

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message.setdefault("headers", [])
                MutableHeaders(scope=message)[REQUEST_ID_HEADER] = request_id
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            client = scope.get("client")
            access_log.log(
                logging.ERROR if status >= 500 else logging.INFO,
                "%s %s %s",
                scope["method"],
                scope["path"],
                status,
                extra={
                    "method": scope["method"],
                    "path": scope["path"],
                    "status": status,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                    "client": client[0] if client else None,
                },
            )
            request_id_var.reset(token)
