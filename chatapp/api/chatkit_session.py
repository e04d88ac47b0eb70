"""ChatKit client secrets: a signed-in user trades the session token for a short-lived one.

Self-hosted (default): the secret is a chat-scoped JWT (audience `chatapp:chat`,
CHAT_TOKEN_TTL_SECONDS) that only POST /chatkit accepts — every other API answers it with 401.
Hosted (CHATKIT_WORKFLOW_ID set): the secret is the `client_secret` of a session that OpenAI's
ChatKit sessions API created for this user.

POST /api/chat/init is the seed spec's name for the same exchange, in its camelCase shape.
"""

from __future__ import annotations

import time
from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from chatapp.api.deps import CurrentClaims
from chatapp.auth.security import CHAT_AUDIENCE, TokenClaims, issue_token
from chatapp.chat import hosted

router = APIRouter(prefix="/api/chatkit", tags=["chatkit"])
seed_router = APIRouter(tags=["chatkit"])


class ClientSecretOut(BaseModel):
    client_secret: str = Field(description="Bearer token for /chatkit, or OpenAI's session secret")
    expires_in: int = Field(description="Seconds until the secret expires")
    expires_at: int = Field(description="Expiry as a Unix timestamp (seconds)")


class ChatInitOut(BaseModel):
    """The seed spec's shape of a client secret (camelCase on the wire)."""

    client_secret: str = Field(
        serialization_alias="clientSecret",
        description="Bearer token for /chatkit, or OpenAI's session secret",
    )
    expires_in: int = Field(
        serialization_alias="expiresIn", description="Seconds until the secret expires"
    )


async def _client_secret(claims: TokenClaims) -> ClientSecretOut | JSONResponse:
    user_id = claims.user_id
    if hosted.hosted_mode():
        try:
            session = await hosted.create_session(user_id)
        except hosted.HostedSessionError as exc:
            headers = {"Retry-After": str(exc.retry_after)} if exc.retry_after else None
            return JSONResponse(
                {"detail": exc.message}, status_code=exc.status_code, headers=headers
            )
        return ClientSecretOut(
            client_secret=session.client_secret,
            expires_in=session.expires_in,
            expires_at=session.expires_at,
        )
    # The session's token version: signing out ends the chat secrets it handed out too.
    token, ttl = issue_token(user_id, audience=CHAT_AUDIENCE, version=claims.version)
    return ClientSecretOut(client_secret=token, expires_in=ttl, expires_at=int(time.time()) + ttl)


_RESPONSES: dict[int | str, dict[str, Any]] = {
    401: {"description": "Missing, invalid or expired session token"},
    502: {"description": "Hosted mode: OpenAI refused or failed to create the session"},
    503: {"description": "Hosted mode: rate-limited by OpenAI (Retry-After) or not configured"},
    504: {"description": "Hosted mode: OpenAI did not answer in time"},
}


@router.post("/start", response_model=ClientSecretOut, responses=_RESPONSES)
async def start(claims: CurrentClaims):
    """A fresh ChatKit client secret for the signed-in user (Bearer session token)."""
    return await _client_secret(claims)


@router.post("/refresh", response_model=ClientSecretOut, responses=_RESPONSES)
async def refresh(claims: CurrentClaims):
    """Replace a secret that is about to expire. Needs the session token, never the old secret:
    a leaked client secret cannot extend itself."""
    return await _client_secret(claims)


@seed_router.post("/api/chat/init", response_model=ChatInitOut, responses=_RESPONSES)
async def chat_init(claims: CurrentClaims):
    """The seed's name for /api/chatkit/start: the same client secret, as
    `{clientSecret, expiresIn}` (Bearer session token)."""
    secret = await _client_secret(claims)
    if isinstance(secret, JSONResponse):
        return secret
    return ChatInitOut(client_secret=secret.client_secret, expires_in=secret.expires_in)
