"""Request dependencies: the authenticated user, and the path user it must equal."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header

from chatapp.auth import accounts
from chatapp.auth.security import SESSION_AUDIENCE, InvalidToken, TokenClaims, decode_token
from chatapp.errors import Forbidden, Unauthorized

MISSING_TOKEN = "Missing bearer token: send 'Authorization: Bearer <access_token>'."
ACCOUNT_GONE = "This account no longer exists."


def bearer_token(authorization: str | None) -> str:
    if not authorization:
        raise Unauthorized(MISSING_TOKEN)
    scheme, _, token = authorization.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized(MISSING_TOKEN)
    return token.strip()


def verify_bearer(authorization: str | None, audience=SESSION_AUDIENCE) -> TokenClaims:
    try:
        return decode_token(bearer_token(authorization), audience=audience)
    except InvalidToken as exc:
        raise Unauthorized(str(exc)) from exc


def current_claims(
    authorization: Annotated[str | None, Header(include_in_schema=False)] = None,
) -> TokenClaims:
    claims = verify_bearer(authorization)
    # A signed token outlives its account; without this its writes would hit the FK (500).
    if accounts.get_user(claims.user_id) is None:
        raise Unauthorized(ACCOUNT_GONE)
    return claims


def path_user(user_id: str, claims: Annotated[TokenClaims, Depends(current_claims)]) -> int:
    """The `{user_id}` in the path must be the token's subject."""
    if user_id.strip() != str(claims.user_id):
        raise Forbidden("You can only access your own tasks.")
    return claims.user_id


CurrentClaims = Annotated[TokenClaims, Depends(current_claims)]
PathUser = Annotated[int, Depends(path_user)]
