"""Fast real users (a real row, a real JWT) and hand-made tokens.

Signing up through the API costs one argon2 hash (~150 ms); tests that are not about sign-up
insert the user row with a password hash computed once per session and get a token from
chatapp.auth.security, exactly as the login route would.
"""

from __future__ import annotations

import base64
import json
import time
import uuid
import warnings
from dataclasses import dataclass, field
from functools import cache

import jwt

DEFAULT_PASSWORD = "correct horse battery"


@cache
def _password_hash(password: str) -> str:
    from chatapp.auth.security import hash_password

    return hash_password(password)


@dataclass
class QuickUser:
    """A real user row with a real session token."""

    id: int
    email: str
    password: str
    token: str
    headers: dict[str, str] = field(init=False)
    tasks_url: str = field(init=False)
    chat_url: str = field(init=False)

    def __post_init__(self) -> None:
        self.headers = {"Authorization": f"Bearer {self.token}"}
        self.tasks_url = f"/api/{self.id}/tasks"
        self.chat_url = f"/api/{self.id}/chat"


def insert_user(email: str | None = None, password: str = DEFAULT_PASSWORD) -> QuickUser:
    """A user row plus a session token, as the login route would issue it."""
    from chatapp.auth.security import issue_token
    from chatapp.db import User, session_scope

    email = email or f"user-{uuid.uuid4().hex[:8]}@example.com"
    with session_scope() as session:
        user = User(email=email, password_hash=_password_hash(password))
        session.add(user)
        session.flush()
        user_id = user.id
    token, _ = issue_token(user_id)
    return QuickUser(id=user_id, email=email, password=password, token=token)


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def session_claims(user_id: int | str, **overrides) -> dict:
    """The claims a real session token carries; overrides replace (None removes) a claim."""
    from chatapp.auth.security import ISSUER, SESSION_AUDIENCE

    now = int(time.time())
    claims = {
        "sub": str(user_id),
        "iat": now,
        "exp": now + 3600,
        "aud": SESSION_AUDIENCE,
        "iss": ISSUER,
    }
    for key, value in overrides.items():
        if value is None:
            claims.pop(key, None)
        else:
            claims[key] = value
    return claims


def sign(claims: dict, *, secret: str | None = None, algorithm: str = "HS256") -> str:
    from chatapp.settings import get_settings

    with warnings.catch_warnings():
        # HS512 with the app's HS256-sized test secret is exactly the point of one test.
        warnings.simplefilter("ignore")
        return jwt.encode(claims, secret or get_settings().jwt_secret, algorithm=algorithm)


def unsigned(claims: dict) -> str:
    """A token with header alg "none" and an empty signature."""
    header = b64url(json.dumps({"alg": "none", "typ": "JWT"}).encode())
    payload = b64url(json.dumps(claims).encode())
    return f"{header}.{payload}."
