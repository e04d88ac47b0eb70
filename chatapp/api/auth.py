"""Auth routes: sign up, log in, who am I."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from chatapp.api.deps import CurrentClaims
from chatapp.auth import accounts
from chatapp.auth.accounts import Credentials, LoginCredentials
from chatapp.auth.bearer import ACCOUNT_GONE
from chatapp.auth.security import issue_token
from chatapp.errors import Unauthorized

router = APIRouter(prefix="/api/auth", tags=["auth"])


class TokenOut(BaseModel):
    user_id: int
    access_token: str
    token_type: str = "bearer"
    expires_in: int


class MeOut(BaseModel):
    user_id: int
    email: str


def _token_for(user_id: int) -> TokenOut:
    token, ttl = issue_token(user_id)
    return TokenOut(user_id=user_id, access_token=token, expires_in=ttl)


@router.post("/signup", status_code=201, response_model=TokenOut)
def signup(body: Credentials) -> TokenOut:
    user = accounts.sign_up(body)
    assert user.id is not None  # flushed by sign_up
    return _token_for(user.id)


@router.post("/login", response_model=TokenOut)
def login(body: LoginCredentials) -> TokenOut:
    user = accounts.authenticate(body)
    assert user.id is not None  # read from the table
    return _token_for(user.id)


@router.get("/me", response_model=MeOut)
def me(claims: CurrentClaims) -> MeOut:
    user = accounts.get_user(claims.user_id)
    if user is None:
        raise Unauthorized(ACCOUNT_GONE)
    return MeOut(user_id=claims.user_id, email=user.email)
