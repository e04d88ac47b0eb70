"""chatapp.auth.security: argon2 password hashes and the session/chat JWTs."""

from __future__ import annotations

import time

import jwt
import pytest

from chatapp.auth import security
from chatapp.settings import get_settings


@pytest.fixture(scope="module")
def stored_hash() -> str:
    return security.hash_password("correct horse battery")


def test_a_password_hash_is_argon2_and_not_the_password(stored_hash):
    assert stored_hash.startswith("$argon2")
    assert "correct horse battery" not in stored_hash


def test_verify_accepts_only_the_right_password(stored_hash):
    assert security.verify_password(stored_hash, "correct horse battery") is True
    assert security.verify_password(stored_hash, "Correct horse battery") is False


@pytest.mark.parametrize("bad_hash", [None, "", "not-an-argon2-hash"])
def test_verify_is_false_without_a_usable_hash(monkeypatch, stored_hash, bad_hash):
    # Unknown users are checked against a dummy hash; even its own password must not pass.
    monkeypatch.setattr(security, "_DUMMY_HASH", stored_hash)

    assert security.verify_password(bad_hash, "correct horse battery") is False


def test_issued_session_token_carries_sub_iat_exp_and_decodes_back():
    token, ttl = security.issue_token(42)

    claims = jwt.decode(token, options={"verify_signature": False})
    assert jwt.get_unverified_header(token)["alg"] == "HS256"
    assert claims["sub"] == "42"
    assert abs(claims["iat"] - time.time()) <= 2
    assert claims["exp"] - claims["iat"] == ttl == get_settings().jwt_ttl_seconds == 3600
    decoded = security.decode_token(token)
    assert decoded.user_id == 42
    assert decoded.audience == security.SESSION_AUDIENCE
    assert int(decoded.expires_at.timestamp()) == claims["exp"]


def test_a_chat_token_has_its_own_lifetime_and_is_not_a_session_token():
    token, ttl = security.issue_token(7, audience=security.CHAT_AUDIENCE)

    assert ttl == get_settings().chat_token_ttl_seconds
    assert security.decode_token(token, audience=security.CHAT_AUDIENCE).user_id == 7
    with pytest.raises(security.InvalidToken):
        security.decode_token(token)


def test_an_expired_token_is_rejected_with_an_expiry_message():
    token, _ = security.issue_token(7, ttl_seconds=-10)

    with pytest.raises(security.InvalidToken, match="expired"):
        security.decode_token(token)


def test_a_token_signed_with_another_secret_is_rejected():
    now = int(time.time())
    claims = {
        "sub": "7",
        "iat": now,
        "exp": now + 60,
        "aud": security.SESSION_AUDIENCE,
        "iss": security.ISSUER,
    }
    forged = jwt.encode(claims, "another-secret-" + "z" * 40, algorithm="HS256")

    with pytest.raises(security.InvalidToken):
        security.decode_token(forged)
