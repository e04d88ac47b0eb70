"""Accounts: sign up, authenticate, look up. The only code that reads or writes User rows."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, EmailStr, Field, field_validator
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from chatapp.auth.ratelimit import get_login_limiter
from chatapp.auth.security import hash_password, verify_password
from chatapp.auth.sessions import forget_account
from chatapp.db import User, session_scope
from chatapp.errors import Conflict, RateLimited, Unauthorized

PASSWORD_MIN_LENGTH = 8
PASSWORD_MAX_LENGTH = 1024
BAD_CREDENTIALS = "Incorrect email or password."


class Credentials(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: EmailStr = Field(max_length=320)
    password: str = Field(min_length=PASSWORD_MIN_LENGTH, max_length=PASSWORD_MAX_LENGTH)

    @field_validator("email", mode="before")
    @classmethod
    def _strip(cls, v: object) -> object:
        return v.strip() if isinstance(v, str) else v


class LoginCredentials(Credentials):
    # Old accounts may predate a stricter policy; a short password just fails to match.
    password: str = Field(min_length=1, max_length=PASSWORD_MAX_LENGTH)


def normalise_email(email: str) -> str:
    return email.strip().lower()


def sign_up(creds: Credentials) -> User:
    email = normalise_email(creds.email)
    user = User(email=email, password_hash=hash_password(creds.password))
    try:
        with session_scope() as session:
            if session.exec(select(User.id).where(User.email == email)).first() is not None:
                raise Conflict("An account with this email already exists.")
            session.add(user)
            session.flush()
    except IntegrityError as exc:  # two sign-ups racing for one email
        raise Conflict("An account with this email already exists.") from exc
    return user


def authenticate(creds: LoginCredentials) -> User:
    """Return the user, or raise Unauthorized (same message for unknown email / bad password)."""
    email = normalise_email(creds.email)
    limiter = get_login_limiter()
    wait = limiter.retry_after(email)
    if wait:
        raise RateLimited(
            f"Too many failed sign-in attempts. Try again in {wait} seconds.", retry_after=wait
        )
    with session_scope() as session:
        user = session.exec(select(User).where(User.email == email)).first()
    if not verify_password(user.password_hash if user else None, creds.password) or user is None:
        limiter.record_failure(email)
        raise Unauthorized(BAD_CREDENTIALS)
    limiter.reset(email)
    return user


def get_user(user_id: int) -> User | None:
    with session_scope() as session:
        return session.get(User, user_id)


def sign_out_everywhere(user_id: int) -> None:
    """End every token issued to the account so far (a raised token_version refuses them)."""
    with session_scope() as session:
        session.execute(
            update(User).where(col(User.id) == user_id).values(token_version=User.token_version + 1)
        )
    forget_account(user_id)
