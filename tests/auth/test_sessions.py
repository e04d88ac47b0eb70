"""Sign-out and account deletion against the per-process account cache: a token of a signed-out
or deleted account is refused at once in this process, by every door, and through Redis in
every other worker."""

from __future__ import annotations

import time

import jwt
import pytest

from chatapp.auth.bearer import ACCOUNT_GONE, SIGNED_OUT
from chatapp.auth.sessions import MISSING, AccountCache, RedisAccountChanges, account_cache
from tests.support.auth import insert_user, session_claims, sign
from tests.support.chat import chatkit_body

ME = "/api/auth/me"
LOGOUT = "/api/auth/logout"


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _threads(client, token: str):
    return client.post("/chatkit", json=chatkit_body("threads.list"), headers=_bearer(token))


def test_a_signed_out_token_is_401_everywhere_and_a_new_sign_in_works(client, alice):
    chat_secret = client.post("/api/chatkit/start", headers=alice.headers).json()["client_secret"]
    assert client.get(ME, headers=alice.headers).status_code == 200
    assert _threads(client, chat_secret).status_code == 200

    assert client.post(LOGOUT, headers=alice.headers).status_code == 204

    for response in (
        client.get(ME, headers=alice.headers),
        client.get(alice.tasks_url, headers=alice.headers),
        _threads(client, alice.token),
        _threads(client, chat_secret),  # the chat secret it handed out ends with it
        client.post(LOGOUT, headers=alice.headers),
    ):
        assert response.status_code == 401, response.text
        assert response.json() == {"detail": SIGNED_OUT}
    login = client.post(
        "/api/auth/login", json={"email": alice.email, "password": alice.password}
    ).json()
    fresh = _bearer(login["access_token"])
    assert client.get(ME, headers=fresh).json() == {"user_id": alice.id, "email": alice.email}
    assert jwt.decode(login["access_token"], options={"verify_signature": False})["ver"] == 1


def test_signing_out_ends_only_that_accounts_tokens(client, alice, bob):
    client.get(ME, headers=bob.headers)

    client.post(LOGOUT, headers=alice.headers)

    assert client.get(ME, headers=bob.headers).status_code == 200


def test_a_deleted_account_is_401_at_once_even_when_it_was_just_cached(client):
    from chatapp.db import User, session_scope

    user = insert_user()
    assert client.get(ME, headers=user.headers).status_code == 200  # now cached as alive

    with session_scope() as session:
        session.delete(session.get(User, user.id))

    response = client.get(ME, headers=user.headers)
    assert response.status_code == 401
    assert response.json() == {"detail": ACCOUNT_GONE}


def test_a_rolled_back_delete_keeps_the_account(client):
    from chatapp.db import User, session_scope

    user = insert_user()
    client.get(ME, headers=user.headers)

    with pytest.raises(RuntimeError), session_scope() as session:
        session.delete(session.get(User, user.id))
        session.flush()
        raise RuntimeError("abort")

    assert client.get(ME, headers=user.headers).status_code == 200


def test_a_token_from_before_token_versions_still_works(client):
    """Tokens issued before the `ver` claim existed read as version 0, which every account had."""
    user = insert_user()
    old = sign(session_claims(user.id))
    assert "ver" not in session_claims(user.id)

    assert client.get(ME, headers=_bearer(old)).status_code == 200
    client.post(LOGOUT, headers=_bearer(old))
    assert client.get(ME, headers=_bearer(old)).status_code == 401


@pytest.mark.parametrize("version", ["0", -1, True, 1.0])
def test_a_malformed_token_version_is_401(client, version):
    user = insert_user()
    token = sign(session_claims(user.id, ver=version))

    response = client.get(ME, headers=_bearer(token))
    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid authentication token."}


def test_authenticated_requests_read_the_account_once_until_it_changes(client):
    user = insert_user()
    cache = account_cache()
    client.get(ME, headers=user.headers)
    reads = cache.reads

    for _ in range(3):
        assert client.get(user.tasks_url, headers=user.headers).status_code == 200
        assert client.get(ME, headers=user.headers).status_code == 200
    assert cache.reads == reads

    client.post(LOGOUT, headers=user.headers)
    client.get(ME, headers=user.headers)
    assert cache.reads == reads + 1


def test_a_cache_of_zero_seconds_reads_every_time(db):
    user = insert_user()
    cache = AccountCache(ttl=0)

    assert cache.account(user.id) == cache.account(user.id)
    assert cache.reads == 2
    assert cache.cached(user.id) is MISSING


def test_a_read_that_began_before_a_change_is_not_kept(db, monkeypatch):
    """A sign-out that commits while another request is reading the row must not leave that
    request's older answer in the cache."""
    from chatapp.auth import sessions
    from chatapp.db import get_engine

    user = insert_user()
    cache = AccountCache(ttl=60)
    engine = get_engine()

    class ChangedDuringTheRead:
        def connect(self):
            cache.forget(user.id)  # the change commits after the read began
            return engine.connect()

    during = ChangedDuringTheRead()
    monkeypatch.setattr(sessions, "get_engine", lambda: during)
    assert cache.load(user.id) is not None
    assert cache.cached(user.id) is MISSING

    monkeypatch.setattr(sessions, "get_engine", lambda: engine)
    account = cache.load(user.id)
    assert cache.cached(user.id) == account


@pytest.fixture
def redis_workers(db, monkeypatch):
    """This process's cache publishing through a private Redis database, and a second
    "worker" (its own cache and listener) on the same database."""
    from tests.support.database import point_app_at
    from tests.support.deploy import private_redis_db

    with private_redis_db() as url:
        monkeypatch.setenv("REFLEX_REDIS_URL", url)
        point_app_at(db)
        other = AccountCache(ttl=60)
        listener = RedisAccountChanges(url, other)
        try:
            assert listener.subscribed.wait(10)
            assert account_cache() is not other
            yield other
        finally:
            listener.close()
            monkeypatch.delenv("REFLEX_REDIS_URL")
            point_app_at(db)


def _wait_until(condition, seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.01)
    return condition()


def test_a_sign_out_reaches_the_other_workers_through_redis(client, redis_workers):
    from chatapp.auth import accounts

    user = insert_user()
    other = redis_workers
    stale = other.account(user.id)
    assert stale is not None and other.cached(user.id) == stale

    accounts.sign_out_everywhere(user.id)

    assert _wait_until(lambda: other.cached(user.id) is MISSING)
    assert other.account(user.id).token_version == 1  # pyright: ignore[reportOptionalMemberAccess]


def test_a_deletion_reaches_the_other_workers_through_redis(client, redis_workers):
    from chatapp.db import User, session_scope

    user = insert_user()
    other = redis_workers
    assert other.account(user.id) is not None

    with session_scope() as session:
        session.delete(session.get(User, user.id))

    assert _wait_until(lambda: other.cached(user.id) is MISSING)
    assert other.account(user.id) is None
