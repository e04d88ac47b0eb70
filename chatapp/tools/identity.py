"""Who a task tool acts for: the authenticated HTTP request's user, or the user bound in-process.

The model never chooses the user. Over HTTP, `chatapp.tools.http` verifies the bearer token of
each request and puts the user on that request's ASGI scope (as the SDK's `AuthenticatedUser`);
the tool reads it back from the request the SDK hands it. In-process, `InProcessTaskMCP` binds
its user in a context variable around each call. Without either, a tool refuses to run.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from mcp.server.auth.middleware.bearer_auth import AuthenticatedUser
from mcp.server.auth.provider import AccessToken
from mcp.server.mcpserver import Context

from chatapp.auth.security import TokenClaims
from chatapp.errors import Forbidden, Unauthorized
from chatapp.timezones import UnknownZone, valid_zone

NOT_SIGNED_IN = "Not signed in: the task tools need an authenticated user."
CLIENT_ID_PREFIX = "chatapp-user-"

# The same header the ChatKit door reads the browser's zone from.
TIMEZONE_HEADER = "x-chatapp-timezone"

_bound_user: ContextVar[int | None] = ContextVar("chatapp_tools_user", default=None)
_bound_zone: ContextVar[str | None] = ContextVar("chatapp_tools_zone", default=None)


def user_mismatch(claimed: object) -> str:
    return (
        f"user_id {claimed} is not the signed-in user. Omit user_id: "
        "the task tools always act for the signed-in user."
    )


@contextmanager
def acting_as(user_id: int, timezone: str | None = None) -> Iterator[None]:
    """Bind `user_id` (and the user's IANA zone, if known) for in-process tool calls made
    inside the block."""
    token = _bound_user.set(user_id)
    zone = _bound_zone.set(timezone)
    try:
        yield
    finally:
        _bound_zone.reset(zone)
        _bound_user.reset(token)


def authenticated_user(claims: TokenClaims, token: str) -> AuthenticatedUser:
    """The scope["user"] for a request that carried a valid session token."""
    access = AccessToken(
        token=token,
        client_id=f"{CLIENT_ID_PREFIX}{claims.user_id}",
        scopes=[],
        expires_at=int(claims.expires_at.timestamp()),
        subject=str(claims.user_id),
    )
    return AuthenticatedUser(access)


def _request_of(ctx: Context) -> object | None:
    try:
        return ctx.request_context.request
    except ValueError:  # no request at all: a direct, in-process call
        return None


def acting_user(ctx: Context, claimed: int | str | None = None) -> int:
    """The user this tool call acts for; a `claimed` user_id must be that user."""
    request = _request_of(ctx)
    if request is not None:
        # A transport request is present: only its own authenticated user counts.
        user = getattr(request, "scope", {}).get("user")
        subject = user.access_token.subject if isinstance(user, AuthenticatedUser) else None
        if subject is None or not subject.isdigit():
            raise Unauthorized(NOT_SIGNED_IN)
        user_id = int(subject)
    else:
        bound = _bound_user.get()
        if bound is None:
            raise Unauthorized(NOT_SIGNED_IN)
        user_id = bound
    if claimed is not None and str(claimed).strip() not in ("", str(user_id)):
        raise Forbidden(user_mismatch(claimed))
    return user_id


def acting_zone(ctx: Context) -> str | None:
    """The user's own IANA zone, when the caller knows it: the chat's run context in-process,
    an `X-Chatapp-Timezone` header over HTTP. An unknown zone counts as none (as on the ChatKit
    door): the model did not choose it, so it should not see an error about it."""
    request = _request_of(ctx)
    if request is None:
        zone = _bound_zone.get()
    else:
        headers = getattr(request, "headers", None)
        zone = headers.get(TIMEZONE_HEADER) if headers is not None else None
    if not isinstance(zone, str) or not zone.strip():
        return None
    try:
        return valid_zone(zone)
    except UnknownZone:
        return None
