"""Password hashing (argon2) and JWT issue/verify (PyJWT). The only place that touches either."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from chatapp.settings import get_settings

SESSION_AUDIENCE = "chatapp:session"
CHAT_AUDIENCE = "chatapp:chat"
ISSUER = "chatapp"

_hasher = PasswordHasher()
# Verified when the email is unknown, so both failure paths cost the same time.
_DUMMY_HASH = _hasher.hash("not-a-real-password-used-for-timing-only")


class InvalidToken(Exception):
    """The bearer token is missing, malformed, expired, or not for this audience."""


@dataclass(frozen=True)
class TokenClaims:
    user_id: int
    audience: str
    expires_at: datetime
    # The account's token_version when issued (claim "ver"; tokens from before it carry none: 0).
    version: int = 0


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Constant-work check; `None` hash (unknown user) still runs a verification."""
    try:
        # bool(), not "is not None": an empty stored hash must not fall back to the dummy hash.
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


def issue_token(
    user_id: int,
    *,
    audience: str = SESSION_AUDIENCE,
    ttl_seconds: int | None = None,
    version: int = 0,
) -> tuple[str, int]:
    """Return (token, lifetime in seconds) for `user_id` at the account's token `version`."""
    settings = get_settings()
    if ttl_seconds is None:
        ttl_seconds = (
            settings.chat_token_ttl_seconds
            if audience == CHAT_AUDIENCE
            else settings.jwt_ttl_seconds
        )
    now = datetime.now(UTC)
    claims = {
        "sub": str(user_id),
        "iat": int(now.timestamp()),
        "exp": int((now + timedelta(seconds=ttl_seconds)).timestamp()),
        "aud": audience,
        "iss": ISSUER,
        "ver": version,
    }
    assert settings.jwt_secret is not None  # get_settings() sets a dev secret when none is given
    token = jwt.encode(claims, settings.jwt_secret, algorithm=settings.jwt_algorithm)
    return token, ttl_seconds


def decode_token(token: str, *, audience: str | tuple[str, ...] = SESSION_AUDIENCE) -> TokenClaims:
    """Verify signature, expiry, audience and subject; raise InvalidToken otherwise."""
    settings = get_settings()
    audiences = (audience,) if isinstance(audience, str) else audience
    assert settings.jwt_secret is not None  # get_settings() sets a dev secret when none is given
    try:
        claims = jwt.decode(
            token,
            settings.jwt_secret,
            # A fixed list: never trust the token header's own "alg" (blocks alg=none).
            algorithms=[settings.jwt_algorithm],
            audience=list(audiences),
            issuer=ISSUER,
            options={"require": ["exp", "iat", "sub", "aud"]},
        )
    except jwt.ExpiredSignatureError as exc:
        raise InvalidToken("Your session has expired. Please sign in again.") from exc
    except jwt.PyJWTError as exc:
        raise InvalidToken("Invalid authentication token.") from exc
    sub = claims.get("sub")
    # isdigit() alone accepts '²' and other Unicode digits that int() rejects or misreads.
    if not isinstance(sub, str) or not (sub.isascii() and sub.isdigit()):
        raise InvalidToken("Invalid authentication token.")
    version = claims.get("ver", 0)
    if type(version) is not int or version < 0:  # bool is an int subclass: not a version
        raise InvalidToken("Invalid authentication token.")
    return TokenClaims(
        user_id=int(sub),
        audience=claims["aud"],
        expires_at=datetime.fromtimestamp(claims["exp"], UTC),
        version=version,
    )
