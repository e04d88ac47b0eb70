"""`Authorization: Bearer <token>` → verified claims of a live account. Shared by every door
(REST dependencies, /chatkit, /mcp) so they accept and refuse exactly the same tokens."""

from __future__ import annotations

from chatapp.auth import accounts
from chatapp.auth.security import SESSION_AUDIENCE, InvalidToken, TokenClaims, decode_token
from chatapp.errors import Unauthorized

MISSING_TOKEN = "Missing bearer token: send 'Authorization: Bearer <access_token>'."
ACCOUNT_GONE = "This account no longer exists."
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


def verify_account(claims: TokenClaims) -> TokenClaims:
    """A signed token outlives its account; without this its writes would hit the FK (500)."""
    if not 1 <= claims.user_id <= MAX_USER_ID or accounts.get_user(claims.user_id) is None:
        raise Unauthorized(ACCOUNT_GONE)
    return claims
