"""Request dependencies: the authenticated user, and the path user it must equal."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header

from chatapp.auth.bearer import verify_account, verify_bearer
from chatapp.auth.security import TokenClaims
from chatapp.errors import Forbidden

__all__ = ["CurrentClaims", "PathUser", "verify_bearer"]


def current_claims(
    authorization: Annotated[str | None, Header(include_in_schema=False)] = None,
) -> TokenClaims:
    return verify_account(verify_bearer(authorization))


async def path_user(user_id: str, claims: Annotated[TokenClaims, Depends(current_claims)]) -> int:
    """The `{user_id}` in the path must be the token's subject."""
    if user_id.strip() != str(claims.user_id):
        raise Forbidden("You can only access your own tasks.")
    return claims.user_id


CurrentClaims = Annotated[TokenClaims, Depends(current_claims)]
PathUser = Annotated[int, Depends(path_user)]
