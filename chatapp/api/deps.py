"""Request dependencies: the authenticated user, and the path user it must equal."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header

from chatapp.auth.bearer import live_account, verify_bearer
from chatapp.auth.security import TokenClaims
from chatapp.auth.sessions import Account
from chatapp.errors import Forbidden

__all__ = ["CurrentAccount", "CurrentClaims", "PathUser", "verify_bearer"]


async def current_account(
    authorization: Annotated[str | None, Header(include_in_schema=False)] = None,
) -> tuple[TokenClaims, Account]:
    # async: on the event loop a cached account costs no worker-thread hop.
    claims = verify_bearer(authorization)
    return claims, await live_account(claims)


async def current_claims(
    session: Annotated[tuple[TokenClaims, Account], Depends(current_account)],
) -> TokenClaims:
    return session[0]


async def account_of(
    session: Annotated[tuple[TokenClaims, Account], Depends(current_account)],
) -> Account:
    return session[1]


async def path_user(user_id: str, claims: Annotated[TokenClaims, Depends(current_claims)]) -> int:
    """The `{user_id}` in the path must be the token's subject."""
    if user_id.strip() != str(claims.user_id):
        raise Forbidden("You can only access your own tasks.")
    return claims.user_id


CurrentClaims = Annotated[TokenClaims, Depends(current_claims)]
CurrentAccount = Annotated[Account, Depends(account_of)]
PathUser = Annotated[int, Depends(path_user)]
