"""`Authorization: Bearer <token>` → verified claims of a live account. Shared by every door
(REST dependencies, /chatkit, /mcp, the Reflex state) so they accept and refuse exactly the same
tokens: a valid signature, a live account, and the account's current token version (a sign-out
raises it). The account part comes from the per-process cache in `chatapp.auth.sessions`."""

from __future__ import annotations

import asyncio

from chatapp.auth.security import SESSION_AUDIENCE, InvalidToken, TokenClaims, decode_token
from chatapp.auth.sessions import Account, account_cache
from chatapp.errors import Unauthorized

MISSING_TOKEN = "Missing bearer token: send 'Authorization: Bearer <access_token>'."
ACCOUNT_GONE = "This account no longer exists."
SIGNED_OUT = "You have signed out since this token was issued. Please sign in again."
# Users live in a 32-bit INTEGER id column; a larger `sub` cannot name an account.
MAX_USER_ID = 2**31 - 1


def bearer_token(authorization: str | None) -> str:
    scheme, _, token = (authorization or "").strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized(MISSING_TOKEN)
    return token.strip()


def verify_bearer(
    authorization: str | None, audience: str | tuple[str, ...] = SESSION_AUDIENCE
) -> TokenClaims:
    """Signature, expiry and audience only (no database)."""
    try:
        return decode_token(bearer_token(authorization), audience=audience)
    except InvalidToken as exc:
        raise Unauthorized(str(exc)) from exc


def _judge(claims: TokenClaims, account: Account | None) -> Account:
    # A signed token outlives its account; without this its writes would hit the FK (500).
    if account is None:
        raise Unauthorized(ACCOUNT_GONE)
    if claims.version != account.token_version:
        raise Unauthorized(SIGNED_OUT)
    return account


async def live_account(claims: TokenClaims) -> Account:
    """The live account the claims name, or Unauthorized: a cache hit costs no thread hop, a
    miss one read in a worker thread (never on the event loop)."""
    if not 1 <= claims.user_id <= MAX_USER_ID:
        raise Unauthorized(ACCOUNT_GONE)
    cache = account_cache()
    found = cache.cached(claims.user_id)
    if not isinstance(found, Account) and found is not None:  # MISSING
        found = await asyncio.to_thread(cache.load, claims.user_id)
    return _judge(claims, found)
