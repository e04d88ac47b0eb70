"""chatapp.auth.accounts against a real database: racing sign-ups and email normalisation."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlmodel import select

from chatapp.auth import accounts
from chatapp.auth.accounts import Credentials, LoginCredentials
from chatapp.db import User, session_scope
from chatapp.errors import Conflict


def test_two_racing_signups_for_one_email_make_one_account_and_one_conflict(db):
    def attempt(email: str):
        try:
            return accounts.sign_up(Credentials(email=email, password="long-enough"))
        except Conflict as exc:
            return exc

    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(attempt, ["race@example.com", "RACE@example.com"]))

    assert sorted(type(r).__name__ for r in results) == ["Conflict", "User"]
    with session_scope() as session:
        emails = session.exec(select(User.email)).all()
    assert emails == ["race@example.com"]


def test_authenticate_finds_the_account_whatever_the_email_case(db):
    user = accounts.sign_up(Credentials(email="Mixed@Example.com", password="long-enough"))

    found = accounts.authenticate(
        LoginCredentials(email="  mixed@EXAMPLE.com ", password="long-enough")
    )

    assert found.id == user.id
    assert found.email == "mixed@example.com"


@pytest.mark.parametrize("user_id", [0, 10**9])
def test_get_user_is_none_for_an_unknown_id(db, user_id):
    assert accounts.get_user(user_id) is None
