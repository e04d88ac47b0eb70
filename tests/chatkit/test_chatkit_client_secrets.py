"""POST /api/chatkit/start and /refresh (self-hosted): a session token buys a short-lived,
chat-scoped token that only /chatkit accepts."""

from __future__ import annotations

import time

import jwt
import pytest

from chatapp.auth.security import (
    CHAT_AUDIENCE,
    ISSUER,
    SESSION_AUDIENCE,
    InvalidToken,
    decode_token,
    issue_token,
)
from chatapp.settings import get_settings

THREADS_LIST = {"type": "threads.list", "params": {"limit": 5, "order": "desc"}}
MCP_INITIALIZE = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {
        "protocolVersion": "2025-06-18",
        "capabilities": {},
        "clientInfo": {"name": "chatkit-test", "version": "1"},
    },
}


def crafted(user_id: int, *, audience: str, exp_offset: int, secret: str | None = None) -> str:
    now = int(time.time())
    claims = {
        "sub": str(user_id),
        "iat": now - 3600,
        "exp": now + exp_offset,
        "aud": audience,
        "iss": ISSUER,
    }
    return jwt.encode(claims, secret or get_settings().jwt_secret, algorithm="HS256")


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def chat_token_for(client, user) -> str:
    response = client.post("/api/chatkit/start", headers=user.headers)
    assert response.status_code == 200, response.text
    return response.json()["client_secret"]


@pytest.mark.parametrize("endpoint", ["start", "refresh"])
def test_session_token_buys_a_chat_scoped_client_secret(client, alice, endpoint):
    before = int(time.time())
    response = client.post(f"/api/chatkit/{endpoint}", headers=alice.headers)

    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == {"client_secret", "expires_in", "expires_at"}
    ttl = get_settings().chat_token_ttl_seconds
    assert body["expires_in"] == ttl
    assert before + ttl <= body["expires_at"] <= int(time.time()) + ttl
    claims = decode_token(body["client_secret"], audience=CHAT_AUDIENCE)
    assert claims.user_id == alice.id
    assert abs(int(claims.expires_at.timestamp()) - body["expires_at"]) <= 1
    with pytest.raises(InvalidToken):
        decode_token(body["client_secret"], audience=SESSION_AUDIENCE)


def test_chat_token_lifetime_follows_the_setting(client, alice, settings_env):
    settings_env(CHAT_TOKEN_TTL_SECONDS="120")
    body = client.post("/api/chatkit/start", headers=alice.headers).json()
    assert body["expires_in"] == 120
    lifetime = decode_token(body["client_secret"], audience=CHAT_AUDIENCE).expires_at.timestamp()
    assert 115 <= lifetime - time.time() <= 121


def test_refresh_issues_a_secret_that_outlives_the_old_one(client, alice):
    first = client.post("/api/chatkit/start", headers=alice.headers).json()
    time.sleep(1.05)  # JWT times have one-second resolution
    second = client.post("/api/chatkit/refresh", headers=alice.headers).json()
    assert second["expires_at"] > first["expires_at"]
    assert second["client_secret"] != first["client_secret"]
    assert decode_token(second["client_secret"], audience=CHAT_AUDIENCE).user_id == alice.id


def test_each_user_gets_a_secret_for_themselves(client, alice, bob):
    assert decode_token(chat_token_for(client, bob), audience=CHAT_AUDIENCE).user_id == bob.id
    assert decode_token(chat_token_for(client, alice), audience=CHAT_AUDIENCE).user_id == alice.id


@pytest.mark.parametrize("endpoint", ["start", "refresh"])
@pytest.mark.parametrize(
    "case", ["no header", "garbage", "expired session", "chat token", "foreign audience", "forged"]
)
def test_client_secret_endpoints_need_a_valid_session_token(client, alice, endpoint, case):
    chat_token, _ = issue_token(alice.id, audience=CHAT_AUDIENCE)
    headers = {
        "no header": {},
        "garbage": bearer("not-a-jwt"),
        "expired session": bearer(crafted(alice.id, audience=SESSION_AUDIENCE, exp_offset=-60)),
        # A leaked client secret must not be able to extend itself.
        "chat token": bearer(chat_token),
        "foreign audience": bearer(crafted(alice.id, audience="someone-else", exp_offset=600)),
        "forged": bearer(
            crafted(alice.id, audience=SESSION_AUDIENCE, exp_offset=600, secret="x" * 48)
        ),
    }[case]

    response = client.post(f"/api/chatkit/{endpoint}", headers=headers)

    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    detail = response.json()["detail"]
    assert ("expired" in detail) if case == "expired session" else detail


def test_client_secret_opens_the_chatkit_endpoint(client, alice):
    response = client.post(
        "/chatkit", headers=bearer(chat_token_for(client, alice)), json=THREADS_LIST
    )
    assert response.status_code == 200, response.text
    assert response.json()["data"] == []


def test_expired_chat_token_is_rejected_by_chatkit(client, alice):
    expired = crafted(alice.id, audience=CHAT_AUDIENCE, exp_offset=-1)
    response = client.post("/chatkit", headers=bearer(expired), json=THREADS_LIST)
    assert response.status_code == 401
    assert "expired" in response.json()["detail"]


@pytest.mark.parametrize("audience", ["someone-else", "chatapp:chat "])
def test_chatkit_rejects_tokens_for_other_audiences(client, alice, audience):
    token = crafted(alice.id, audience=audience, exp_offset=600)
    response = client.post("/chatkit", headers=bearer(token), json=THREADS_LIST)
    assert response.status_code == 401


# (method, path, JSON body) of every API besides /chatkit that takes a bearer token.
OTHER_APIS = [
    ("GET", "/api/auth/me", None),
    ("GET", "/api/{uid}/tasks", None),
    ("POST", "/api/{uid}/tasks", {"title": "sneaky"}),
    ("GET", "/api/{uid}/tasks/{tid}", None),
    ("PUT", "/api/{uid}/tasks/{tid}", {"title": "replaced"}),
    ("PATCH", "/api/{uid}/tasks/{tid}", {"title": "patched"}),
    ("PATCH", "/api/{uid}/tasks/{tid}/complete", {"completed": True}),
    ("DELETE", "/api/{uid}/tasks/{tid}", None),
    ("POST", "/api/{uid}/chat", {"message": "What's pending?"}),
    ("POST", "/mcp", MCP_INITIALIZE),
    ("POST", "/api/chatkit/start", None),
    ("POST", "/api/chatkit/refresh", None),
    ("POST", "/api/chat/init", None),
]


@pytest.mark.parametrize(
    ("method", "path", "body"), OTHER_APIS, ids=[f"{m} {p}" for m, p, _ in OTHER_APIS]
)
def test_chat_token_is_rejected_by_every_other_api(client, alice, method, path, body):
    task = client.post(alice.tasks_url, headers=alice.headers, json={"title": "Keep me"}).json()
    url = path.format(uid=alice.id, tid=task["id"])
    headers = {
        **bearer(chat_token_for(client, alice)),
        "Accept": "application/json, text/event-stream",
    }

    response = client.request(method, url, headers=headers, json=body)

    assert response.status_code == 401, response.text
    assert response.json()["detail"]
    after = client.get(f"{alice.tasks_url}/{task['id']}", headers=alice.headers).json()
    assert after["title"] == "Keep me" and after["completed"] is False
    assert client.get(alice.tasks_url, headers=alice.headers).headers["x-total-count"] == "1"
