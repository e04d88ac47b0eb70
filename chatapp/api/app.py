"""The FastAPI app that carries chatapp's HTTP routes; Reflex mounts its own app beneath it."""

from __future__ import annotations

from urllib.parse import urlsplit

from fastapi import FastAPI
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Receive, Scope, Send

from chatapp.api import attachments, auth, calendar, chat, chatkit_session, health, tasks
from chatapp.api.errors import ValidationErrorOut, install_error_handlers
from chatapp.logging import RequestLog, configure_logging
from chatapp.settings import get_settings
from chatapp.tools import MCP_PATH, TaskMCPEndpoint

# Room for a multipart form's boundaries and part headers around an upload's file.
MULTIPART_SLACK_BYTES = 64 * 1024


class BodyLimit:
    """Reject request bodies over the limit with 413 before any handler reads them."""

    def __init__(
        self, app: ASGIApp, max_bytes: int, larger: tuple[tuple[str, int], ...] = ()
    ) -> None:
        self.app = app
        self.default_max_bytes = max_bytes
        self.larger = larger  # (path prefix, limit): uploads carry files, not JSON

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        max_bytes = next(
            (limit for prefix, limit in self.larger if path.startswith(prefix)),
            self.default_max_bytes,
        )
        headers = dict(scope.get("headers") or [])
        length = headers.get(b"content-length")
        if length is not None and length.isdigit() and int(length) > max_bytes:
            await _too_large(send, max_bytes)
            return
        received = 0

        async def limited_receive():
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > max_bytes:
                    raise _BodyTooLarge(max_bytes)
            return message

        try:
            await self.app(scope, limited_receive, send)
        except _BodyTooLarge:
            await _too_large(send, max_bytes)


def _too_large_detail(limit: int) -> str:
    return f"Request body too large (limit {limit} bytes)."


class _BodyTooLarge(HTTPException):
    # An HTTPException, so FastAPI's body reader re-raises it (any other error becomes a 400).
    def __init__(self, limit: int) -> None:
        super().__init__(status_code=413, detail=_too_large_detail(limit))


async def _too_large(send: Send, limit: int) -> None:
    import json

    body = json.dumps({"detail": _too_large_detail(limit)}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class WebSocketOriginCheck:
    """Refuse browser websockets (Reflex's /_event) from origins that are neither this host nor
    allowed: Reflex hands an empty CORS list to Socket.IO, which reads it as "check nothing"."""

    def __init__(self, app: ASGIApp, allowed_origins: list[str]) -> None:
        self.app = app
        self.allowed = set(allowed_origins)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "websocket" or "*" in self.allowed:
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        origin = headers.get("origin")
        same_host = origin is not None and urlsplit(origin).netloc == headers.get("host")
        if origin is None or same_host or origin in self.allowed:
            await self.app(scope, receive, send)
            return
        await receive()  # websocket.connect; closing before accepting answers it with 403
        await send({"type": "websocket.close", "code": 1008})


def build_api() -> FastAPI:
    """Create the API app with every chatapp route and JSON error handling."""
    settings = get_settings()
    configure_logging(settings)
    mcp = TaskMCPEndpoint()
    api = FastAPI(
        title="chatapp API",
        version="0.1.0",
        description="Tasks, auth and chat for chatapp. Every route but /health, "
        "/api/auth/{signup,login} and the calendar feed (/api/calendar/{token}.ics, whose token "
        "is its credential) needs `Authorization: Bearer <access_token>`. "
        f"MCP task tools (streamable HTTP) are at {MCP_PATH}.",
        # Runs when this app is the server's top app (uvicorn, TestClient). Reflex does not run
        # a mounted app's lifespan: chatapp.py registers `mcp.serving` as a lifespan task.
        lifespan=lambda _api: mcp.serving(),
        # What every 422 really looks like (api/errors.py), not FastAPI's default schema.
        responses={422: {"model": ValidationErrorOut, "description": "Invalid request"}},
    )
    api.state.mcp_endpoint = mcp
    install_error_handlers(api)
    api.include_router(health.router)
    api.include_router(auth.router)
    api.include_router(tasks.router)
    api.include_router(tasks.user_router)
    api.include_router(calendar.router)
    api.include_router(chat.router)
    api.include_router(attachments.router)
    api.include_router(chatkit_session.router)
    api.include_router(chatkit_session.seed_router)
    api.router.add_route(MCP_PATH, mcp, include_in_schema=False)  # pyright: ignore[reportArgumentType]  -- its Route takes an ASGI app too; the hint names only request handlers
    # Uploads stream under their own limit (the route answers 413 itself); this is a backstop.
    upload_limit = settings.attachment_max_bytes + MULTIPART_SLACK_BYTES
    api.add_middleware(
        BodyLimit,
        max_bytes=settings.max_request_bytes,
        larger=((attachments.ATTACHMENT_PATHS, max(upload_limit, settings.max_request_bytes)),),
    )
    api.add_middleware(WebSocketOriginCheck, allowed_origins=settings.allowed_origins)
    # Added last, so outermost: 413s and every path below (Reflex's too) get an id and a line.
    api.add_middleware(RequestLog)
    return api
