"""Every protected route of every door (REST, JSON chat, /chatkit, /mcp, /api/chatkit/start,
refresh and /api/chat/init) answers 401 JSON to every kind of bad credential, writes nothing, and accepts the right
one. /chatkit takes a session or a chat-scoped token; every other route a session token only.
The calendar feed is the one exception: its URL token is its credential, and it needs no other."""

from __future__ import annotations

import base64
import json
import time

import pytest

from chatapp.auth.security import CHAT_AUDIENCE, SESSION_AUDIENCE
from tests.support.auth import QuickUser, insert_user, session_claims, sign, unsigned

MCP_LIST = {"jsonrpc": "2.0", "id": 1, "method": "tools/list", "params": {}}
MCP_HEADERS = {"Accept": "application/json, text/event-stream"}
SSE = {"Accept": "text/event-stream"}

# name -> (method, path template, JSON body, extra headers, audiences the route accepts)
ROUTES = {
    "GET me": ("GET", "/api/auth/me", None, {}, "session"),
    "GET tasks": ("GET", "/api/{uid}/tasks", None, {}, "session"),
    "POST tasks": ("POST", "/api/{uid}/tasks", {"title": "new"}, {}, "session"),
    "GET task": ("GET", "/api/{uid}/tasks/{tid}", None, {}, "session"),
    "PUT task": ("PUT", "/api/{uid}/tasks/{tid}", {"title": "replaced"}, {}, "session"),
    "PATCH task": ("PATCH", "/api/{uid}/tasks/{tid}", {"title": "patched"}, {}, "session"),
    "DELETE task": ("DELETE", "/api/{uid}/tasks/{tid}", None, {}, "session"),
    "PATCH complete": ("PATCH", "/api/{uid}/tasks/{tid}/complete", None, {}, "session"),
    "POST chat": ("POST", "/api/{uid}/chat", {"message": "add buy milk"}, {}, "session"),
    "POST chat (SSE)": ("POST", "/api/{uid}/chat", {"message": "add buy milk"}, SSE, "session"),
    "POST chatkit threads.list": (
        "POST",
        "/chatkit",
        {"type": "threads.list", "params": {}},
        {},
        "both",
    ),
    "POST chatkit threads.create": (
        "POST",
        "/chatkit",
        {
            "type": "threads.create",
            "params": {
                "input": {
                    "content": [{"type": "input_text", "text": "add buy milk"}],
                    "attachments": [],
                    "inference_options": {},
                }
            },
        },
        {},
        "both",
    ),
    "POST mcp tools/list": ("POST", "/mcp", MCP_LIST, MCP_HEADERS, "session"),
    "POST chatkit/start": ("POST", "/api/chatkit/start", None, {}, "session"),
    "POST chatkit/refresh": ("POST", "/api/chatkit/refresh", None, {}, "session"),
    "POST chat/init": ("POST", "/api/chat/init", None, {}, "session"),
    "GET completions": ("GET", "/api/{uid}/completions", None, {}, "session"),
    "POST reminders/claim": ("POST", "/api/{uid}/reminders/claim", None, {}, "session"),
    "POST calendar/token": ("POST", "/api/{uid}/calendar/token", None, {}, "session"),
    "DELETE calendar/token": ("DELETE", "/api/{uid}/calendar/token", None, {}, "session"),
}


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _payload(token: str) -> dict:
    part = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))


def _with_payload(token: str, **changes) -> str:
    """Same header and signature, a rewritten payload."""
    header, _, signature = token.split(".")
    claims = _payload(token) | changes
    return f"{header}.{_b64(json.dumps(claims).encode())}.{signature}"


def _flip_signature(token: str) -> str:
    header, payload, signature = token.split(".")
    i = len(signature) // 2
    return f"{header}.{payload}.{signature[:i]}{'A' if signature[i] != 'A' else 'B'}{signature[i + 1 :]}"


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def bad_credentials(user: QuickUser, other: QuickUser, route_audience: str) -> dict:
    """name -> (headers, extra request kwargs). Each would pass but for its one defect."""
    now = int(time.time())
    expired = dict(iat=now - 7200, exp=now - 60)
    cases = {
        "missing": ({}, {}),
        "empty header": ({"Authorization": ""}, {}),
        "scheme only": ({"Authorization": "Bearer"}, {}),
        "basic scheme": ({"Authorization": "Basic dXNlcjpwYXNz"}, {}),
        "token without scheme": ({"Authorization": user.token}, {}),
        "two tokens": ({"Authorization": f"Bearer {user.token} {user.token}"}, {}),
        "garbage": (_bearer("not.a.jwt"), {}),
        "tampered signature": (_bearer(_flip_signature(user.token)), {}),
        "tampered payload: another user": (
            _bearer(_with_payload(user.token, sub=str(other.id))),
            {},
        ),
        "tampered payload: longer life": (
            _bearer(_with_payload(user.token, exp=now + 86400 * 365)),
            {},
        ),
        "expired session token": (_bearer(sign(session_claims(user.id, **expired))), {}),
        "expired chat token": (
            _bearer(sign(session_claims(user.id, aud=CHAT_AUDIENCE, **expired))),
            {},
        ),
        "wrong secret": (
            _bearer(sign(session_claims(user.id), secret="another-secret-" + "z" * 40)),
            {},
        ),
        "alg none": (_bearer(unsigned(session_claims(user.id))), {}),
        "alg none as another user": (_bearer(unsigned(session_claims(other.id))), {}),
        "alg HS512": (_bearer(sign(session_claims(user.id), algorithm="HS512")), {}),
        "foreign audience": (_bearer(sign(session_claims(user.id, aud="someone-else"))), {}),
        "foreign issuer": (_bearer(sign(session_claims(user.id, iss="evil"))), {}),
        "no audience": (_bearer(sign(session_claims(user.id, aud=None))), {}),
        "no iat": (_bearer(sign(session_claims(user.id, iat=None))), {}),
        "account that never existed": (_bearer(sign(session_claims(2**31 - 1))), {}),
        "user id beyond 32 bits": (_bearer(sign(session_claims(2**40))), {}),
        "token in the query string": ({}, {"params": {"access_token": user.token}}),
        "token in a cookie": ({"Cookie": f"access_token={user.token}; token={user.token}"}, {}),
    }
    if route_audience == "session":
        chat_token = sign(session_claims(user.id, aud=CHAT_AUDIENCE))
        cases["chat token where a session token is needed"] = (_bearer(chat_token), {})
    return cases


def good_credentials(user: QuickUser, route_audience: str) -> dict[str, dict[str, str]]:
    from chatapp.auth.security import issue_token

    good = {"session token": _bearer(issue_token(user.id, audience=SESSION_AUDIENCE)[0])}
    if route_audience == "both":
        good["chat token"] = _bearer(issue_token(user.id, audience=CHAT_AUDIENCE)[0])
    return good


def _counts():
    from tests.support.reliability import row_counts

    return row_counts()


@pytest.fixture
def target(client) -> tuple[QuickUser, QuickUser, int]:
    user = insert_user()
    other = insert_user()
    r = client.post(user.tasks_url, json={"title": "keep me"}, headers=user.headers)
    assert r.status_code == 201, r.text
    return user, other, r.json()["id"]


def _send(client, route, user: QuickUser, task_id: int, headers: dict, extra: dict):
    method, template, body, route_headers, _ = route
    url = template.format(uid=user.id, tid=task_id)
    return client.request(method, url, json=body, headers=route_headers | headers, **extra)


@pytest.mark.parametrize("route_name", ROUTES)
def test_every_bad_credential_is_401_json_and_writes_nothing(client, target, route_name):
    user, other, task_id = target
    route = ROUTES[route_name]
    before = _counts()
    wrong = {}

    for name, (headers, extra) in bad_credentials(user, other, route[4]).items():
        r = _send(client, route, user, task_id, headers, extra)
        is_json = r.headers.get("content-type", "").startswith("application/json")
        detail = r.json().get("detail") if is_json else None
        if r.status_code != 401 or not isinstance(detail, str) or not detail:
            wrong[name] = f"{r.status_code} {r.text[:200]}"
        elif r.headers.get("www-authenticate") != "Bearer":
            wrong[name] = f"no WWW-Authenticate: Bearer ({dict(r.headers)})"

    assert wrong == {}
    assert _counts() == before


@pytest.mark.parametrize("route_name", ROUTES)
def test_the_right_token_is_accepted(client, target, route_name):
    """The control: the same requests with a valid credential succeed."""
    user, _, task_id = target
    route = ROUTES[route_name]

    for name, headers in good_credentials(user, route[4]).items():
        r = _send(client, route, user, task_id, headers, {})
        assert r.is_success, (name, r.status_code, r.text[:300])


def test_a_chat_token_cannot_mint_a_new_one(client, target):
    """refresh needs the session token: a leaked client secret cannot extend itself."""
    user, _, _ = target
    secret = client.post("/api/chatkit/start", headers=user.headers).json()["client_secret"]

    r = client.post("/api/chatkit/refresh", headers=_bearer(secret))

    assert r.status_code == 401
    assert (
        client.post(
            "/chatkit", json=ROUTES["POST chatkit threads.list"][2], headers=_bearer(secret)
        ).status_code
        == 200
    )


def test_the_calendar_feed_needs_its_url_token_and_nothing_else(client, target):
    """A calendar app sends no bearer: the feed answers to its URL alone, whatever header comes
    with it, and an unknown token is 404 even with a valid session token."""
    from urllib.parse import urlsplit

    user, other, _ = target
    r = client.post(
        user.tasks_url,
        json={"title": "dated", "due_at": "2031-01-01T00:00:00Z"},
        headers=user.headers,
    )
    assert r.status_code == 201, r.text
    feed = urlsplit(
        client.post(f"/api/{user.id}/calendar/token", headers=user.headers).json()["url"]
    )
    wrong = {}

    for name, (headers, extra) in bad_credentials(user, other, "session").items():
        r = client.get(feed.path, headers=headers, **extra)
        if r.status_code != 200 or b"dated" not in r.content:
            wrong[name] = f"{r.status_code} {r.text[:200]}"
    unknown = client.get("/api/calendar/" + "x" * 43 + ".ics", headers=user.headers)

    assert wrong == {}
    assert unknown.status_code == 404 and unknown.json()["detail"]
