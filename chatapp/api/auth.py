"""Auth routes: sign up, log in, who am I, sign out."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, Response
from pydantic import BaseModel

from chatapp.api.deps import CurrentAccount, CurrentClaims
from chatapp.auth import accounts
from chatapp.auth.accounts import Credentials, LoginCredentials
from chatapp.auth.security import issue_token
from chatapp.db import User

router = APIRouter(prefix="/api/auth", tags=["auth"])


class TokenOut(BaseModel):
    user_id: int
    access_token: str
    token_type: str = "bearer"
    expires_in: int


class MeOut(BaseModel):
    user_id: int
    email: str


def _token_for(user: User) -> TokenOut:
    assert user.id is not None  # flushed by sign_up, or read from the table
    token, ttl = issue_token(user.id, version=user.token_version)
    return TokenOut(user_id=user.id, access_token=token, expires_in=ttl)


@router.post("/signup", status_code=201, response_model=TokenOut)
def signup(body: Credentials) -> TokenOut:
    return _token_for(accounts.sign_up(body))


@router.post("/login", response_model=TokenOut)
def login(body: LoginCredentials) -> TokenOut:
    return _token_for(accounts.authenticate(body))


@router.get("/me", response_model=MeOut)
async def me(account: CurrentAccount) -> MeOut:
    # The account check already read (or had cached) the email: no second look-up.
    return MeOut(user_id=account.user_id, email=account.email)


@router.post("/logout", status_code=204, response_class=Response)
async def logout(claims: CurrentClaims) -> Response:
    """Sign out everywhere: every session and chat token issued so far stops working."""
    await asyncio.to_thread(accounts.sign_out_everywhere, claims.user_id)
    return Response(status_code=204)
