"""Sign up, log in, who-am-I, the tokens they hand out, and the failed-login limiter."""

from __future__ import annotations

import os
import time

import jwt
import pytest

from tests.support.auth import DEFAULT_PASSWORD

SIGNUP = "/api/auth/signup"
LOGIN = "/api/auth/login"
ME = "/api/auth/me"
TOKEN_KEYS = {"user_id", "access_token", "token_type", "expires_in"}


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _claims(token: str) -> dict:
    return jwt.decode(token, options={"verify_signature": False})


# --- sign up -------------------------------------------------------------------------------


def test_signup_returns_201_with_a_bearer_token_that_identifies_the_new_user(client):
    r = client.post(SIGNUP, json={"email": "carol@example.com", "password": "s3cret-pass"})

    assert r.status_code == 201, r.text
    body = r.json()
    assert set(body) == TOKEN_KEYS
    assert isinstance(body["user_id"], int)
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 3600
    me = client.get(ME, headers=_bearer(body["access_token"]))
    assert me.status_code == 200, me.text
    assert me.json() == {"user_id": body["user_id"], "email": "carol@example.com"}


def test_signup_stores_the_email_lower_cased_and_trimmed(client):
    r = client.post(SIGNUP, json={"email": "  Carol@Example.COM ", "password": "s3cret-pass"})

    assert r.status_code == 201, r.text
    me = client.get(ME, headers=_bearer(r.json()["access_token"]))
    assert me.json()["email"] == "carol@example.com"


def test_signup_with_an_existing_email_is_409(client, alice):
    r = client.post(SIGNUP, json={"email": "alice@example.com", "password": "another-pass"})

    assert r.status_code == 409
    assert "already exists" in r.json()["detail"]


def test_signup_with_an_existing_email_in_other_case_is_409(client, quick_user):
    quick_user("alice@example.com")

    r = client.post(SIGNUP, json={"email": "Alice@Example.com", "password": "another-pass"})

    assert r.status_code == 409, r.text


@pytest.mark.parametrize(
    "email", ["not-an-email", "alice@", "@example.com", "", "alice example@example.com", 42]
)
def test_signup_with_an_invalid_email_is_422_naming_the_email_field(client, email):
    r = client.post(SIGNUP, json={"email": email, "password": "long-enough"})

    assert r.status_code == 422
    assert r.json()["detail"].startswith("email:"), r.json()


def test_signup_with_a_password_shorter_than_8_is_422_naming_the_password_field(client):
    r = client.post(SIGNUP, json={"email": "carol@example.com", "password": "7chars!"})

    assert r.status_code == 422
    assert r.json()["detail"].startswith("password:"), r.json()


def test_signup_accepts_a_password_of_exactly_8_characters(client):
    r = client.post(SIGNUP, json={"email": "carol@example.com", "password": "8chars!!"})

    assert r.status_code == 201, r.text


@pytest.mark.parametrize("path", [SIGNUP, LOGIN])
def test_auth_bodies_with_unknown_fields_are_422(client, path):
    body = {"email": "carol@example.com", "password": "long-enough", "is_admin": True}

    r = client.post(path, json=body)

    assert r.status_code == 422
    assert "is_admin" in r.json()["detail"]


@pytest.mark.parametrize("path", [SIGNUP, LOGIN])
@pytest.mark.parametrize("missing", ["email", "password"])
def test_auth_bodies_missing_a_field_are_422_naming_it(client, path, missing):
    body = {"email": "carol@example.com", "password": "long-enough"}
    del body[missing]

    r = client.post(path, json=body)

    assert r.status_code == 422
    assert r.json()["detail"].startswith(f"{missing}:")


# --- log in --------------------------------------------------------------------------------


def test_login_returns_200_with_the_same_token_body_as_signup(client, alice):
    r = client.post(LOGIN, json={"email": alice.email, "password": alice.password})

    assert r.status_code == 200, r.text
    body = r.json()
    assert set(body) == TOKEN_KEYS
    assert body["user_id"] == alice.id
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 3600
    claims = _claims(body["access_token"])
    assert claims["sub"] == str(alice.id)
    assert claims["exp"] - claims["iat"] == 3600
    me = client.get(ME, headers=_bearer(body["access_token"]))
    assert me.json() == {"user_id": alice.id, "email": "alice@example.com"}


def test_login_ignores_email_case(client, quick_user):
    user = quick_user("dave@example.com")

    r = client.post(LOGIN, json={"email": "Dave@EXAMPLE.com", "password": user.password})

    assert r.status_code == 200, r.text
    assert r.json()["user_id"] == user.id


def test_wrong_password_and_unknown_email_give_the_same_401(client, quick_user):
    user = quick_user()

    wrong_password = client.post(LOGIN, json={"email": user.email, "password": "not-the-one"})
    unknown_email = client.post(
        LOGIN, json={"email": "nobody@example.com", "password": user.password}
    )

    assert wrong_password.status_code == unknown_email.status_code == 401
    assert wrong_password.json() == unknown_email.json()
    assert wrong_password.json()["detail"]


def test_login_with_an_invalid_email_is_422_naming_the_email_field(client):
    r = client.post(LOGIN, json={"email": "not-an-email", "password": "whatever1"})

    assert r.status_code == 422
    assert r.json()["detail"].startswith("email:")


# --- who am I ------------------------------------------------------------------------------


def test_me_returns_exactly_user_id_and_email(client, quick_user):
    user = quick_user("erin@example.com")

    r = client.get(ME, headers=user.headers)

    assert r.status_code == 200
    assert r.json() == {"user_id": user.id, "email": "erin@example.com"}


# --- tokens --------------------------------------------------------------------------------


def test_signup_token_is_hs256_with_string_sub_iat_and_exp_one_hour_apart(client):
    before = int(time.time())
    r = client.post(SIGNUP, json={"email": "frank@example.com", "password": "long-enough"})
    body = r.json()

    assert jwt.get_unverified_header(body["access_token"])["alg"] == "HS256"
    claims = _claims(body["access_token"])
    assert claims["sub"] == str(body["user_id"])
    assert before <= claims["iat"] <= int(time.time())
    assert claims["exp"] - claims["iat"] == 3600 == body["expires_in"]


@pytest.fixture
def short_token_ttl(db):
    """JWT_TTL_SECONDS=120 for one test; settings are re-read before and after."""
    from chatapp.settings import get_settings

    previous = os.environ.get("JWT_TTL_SECONDS")
    os.environ["JWT_TTL_SECONDS"] = "120"
    get_settings.cache_clear()
    yield 120
    if previous is None:
        os.environ.pop("JWT_TTL_SECONDS", None)
    else:
        os.environ["JWT_TTL_SECONDS"] = previous
    get_settings.cache_clear()


def test_token_lifetime_follows_the_jwt_ttl_seconds_setting(client, quick_user, short_token_ttl):
    user = quick_user()

    body = client.post(LOGIN, json={"email": user.email, "password": user.password}).json()

    claims = _claims(body["access_token"])
    assert body["expires_in"] == short_token_ttl
    assert claims["exp"] - claims["iat"] == short_token_ttl


# --- failed-login limiter ------------------------------------------------------------------


def _fail_login(client, email: str, times: int) -> None:
    for _ in range(times):
        r = client.post(LOGIN, json={"email": email, "password": "wrong-password"})
        assert r.status_code == 401, r.text


def test_five_failed_logins_lock_that_email_with_429_and_retry_after(client, quick_user):
    user = quick_user("grace@example.com")
    other = quick_user("heidi@example.com")
    _fail_login(client, user.email, 5)

    locked = client.post(LOGIN, json={"email": user.email, "password": DEFAULT_PASSWORD})
    locked_other_case = client.post(
        LOGIN, json={"email": "GRACE@example.com", "password": DEFAULT_PASSWORD}
    )
    unaffected = client.post(LOGIN, json={"email": other.email, "password": DEFAULT_PASSWORD})

    assert locked.status_code == 429, locked.text
    retry_after = locked.headers["Retry-After"]
    assert retry_after.isdigit() and int(retry_after) > 0
    assert retry_after in locked.json()["detail"]
    assert locked_other_case.status_code == 429
    assert unaffected.status_code == 200, unaffected.text


def test_a_successful_login_resets_the_failure_count(client, quick_user):
    user = quick_user()
    _fail_login(client, user.email, 4)
    after_four = client.post(LOGIN, json={"email": user.email, "password": user.password})
    assert after_four.status_code == 200, "four failures must not lock the email"
    _fail_login(client, user.email, 1)  # the fifth failure overall

    r = client.post(LOGIN, json={"email": user.email, "password": user.password})

    assert r.status_code == 200, r.text


def test_unknown_emails_are_locked_like_known_ones(client):
    _fail_login(client, "nobody@example.com", 5)

    r = client.post(LOGIN, json={"email": "nobody@example.com", "password": "wrong-password"})

    assert r.status_code == 429
    assert int(r.headers["Retry-After"]) > 0
