"""`/mcp`: the task tools over MCP streamable HTTP, behind the app's session bearer token.

`TaskMCPEndpoint` is an ASGI app. For each request it verifies `Authorization: Bearer <session
JWT>` (401 JSON {"detail"} with `WWW-Authenticate: Bearer` otherwise), puts that request's user
on its scope, and hands it to the SDK's session manager in stateless JSON mode, so any worker can
serve any request and no identity outlives the request that proved it.

The session manager must run for the host's lifetime: enter `endpoint.serving()` in the host's
lifespan (FastAPI's own when `build_api()` runs standalone, a Reflex lifespan task otherwise).
"""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from mcp.server.streamable_http_manager import StreamableHTTPSessionManager
from mcp.server.transport_security import TransportSecuritySettings
from starlette.authentication import AuthCredentials
from starlette.datastructures import Headers
from starlette.responses import JSONResponse
from starlette.types import Receive, Scope, Send

from chatapp.auth.bearer import bearer_token, live_account, verify_bearer
from chatapp.auth.security import TokenClaims
from chatapp.errors import Unauthorized
from chatapp.tools.identity import authenticated_user
from chatapp.tools.server import TaskToolServer, task_server

MCP_PATH = "/mcp"
NOT_RUNNING = "The MCP endpoint is not running (its host app did not start it)."
# Bearer tokens, not cookies, authenticate here, so a rebound DNS name gains nothing; the SDK's
# localhost-only Host check would instead reject every deployment behind a real hostname.
_ANY_HOST = TransportSecuritySettings(enable_dns_rebinding_protection=False)
# streamable_http_app() replaces the server's session manager; build and take it atomically.
_build_lock = threading.Lock()


async def authenticate(authorization: str | None) -> tuple[TokenClaims, str]:
    """The verified session claims (and raw token) of a request; Unauthorized otherwise."""
    token = bearer_token(authorization)
    claims = verify_bearer(authorization)
    await live_account(claims)
    return claims, token


class TaskMCPEndpoint:
    """The authenticated ASGI app for `/mcp`, and the lifespan that keeps its sessions running."""

    def __init__(self, server: TaskToolServer = task_server) -> None:
        self.server = server
        self._manager: StreamableHTTPSessionManager | None = None
        self._serving = False

    @property
    def running(self) -> bool:
        return self._manager is not None

    @asynccontextmanager
    async def serving(self) -> AsyncIterator[None]:
        """Run the session manager until the block ends; nested or repeated entry is a no-op."""
        if self._serving:
            yield
            return
        self._serving = True
        try:
            # A session manager runs once; each host lifespan gets a fresh one.
            with _build_lock:
                self.server.streamable_http_app(
                    streamable_http_path=MCP_PATH,
                    stateless_http=True,
                    json_response=True,
                    transport_security=_ANY_HOST,
                )
                manager = self.server.session_manager
            async with manager.run():
                self._manager = manager
                try:
                    yield
                finally:
                    self._manager = None
        finally:
            self._serving = False

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            claims, token = await authenticate(Headers(scope=scope).get("authorization"))
        except Unauthorized as exc:
            response = JSONResponse(
                {"detail": exc.message}, status_code=401, headers={"WWW-Authenticate": "Bearer"}
            )
            await response(scope, receive, send)
            return
        manager = self._manager
        if manager is None:
            await JSONResponse({"detail": NOT_RUNNING}, status_code=503)(scope, receive, send)
            return
        # The tools read the user from this scope (via the request the SDK passes them).
        scope = {**scope, "user": authenticated_user(claims, token), "auth": AuthCredentials()}
        await manager.handle_request(scope, receive, send)
