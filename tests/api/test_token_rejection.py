"""Every protected route answers 401 to every kind of bad bearer credential, and changes nothing."""

from __future__ import annotations

import base64
import json
import time

import pytest

from tests.support.auth import QuickUser, b64url, session_claims, sign, unsigned

# (method, path template, JSON body) for every route that needs a session token.
PROTECTED_ROUTES = [
    ("GET", "/api/auth/me", None),
    ("GET", "/api/{uid}/tasks", None),
    ("POST", "/api/{uid}/tasks", {"title": "new"}),
    ("GET", "/api/{uid}/tasks/{tid}", None),
    ("PUT", "/api/{uid}/tasks/{tid}", {"title": "replaced"}),
    ("PATCH", "/api/{uid}/tasks/{tid}", {"title": "patched"}),
    ("DELETE", "/api/{uid}/tasks/{tid}", None),
    ("PATCH", "/api/{uid}/tasks/{tid}/complete", {"completed": True}),
]
ROUTE_IDS = [f"{m} {p}" for m, p, _ in PROTECTED_ROUTES]


def _flip_signature(token: str) -> str:
    header, payload, signature = token.split(".")
    i = len(signature) // 2
    swapped = "A" if signature[i] != "A" else "B"
    return f"{header}.{payload}.{signature[:i]}{swapped}{signature[i + 1 :]}"


def _extend_payload(token: str) -> str:
    """Keep header and signature, rewrite the payload to live a day longer."""
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["exp"] += 86400
    return f"{header}.{b64url(json.dumps(claims).encode())}.{signature}"


def _auth(value: str) -> dict[str, str]:
    return {"Authorization": value}


def _bearer(token: str) -> dict[str, str]:
    return _auth(f"Bearer {token}")


now = int(time.time())

# name → function(user) → request headers. Each would be accepted if its one defect were fixed.
BAD_CREDENTIALS = {
    "no authorization header": lambda u: {},
    "empty authorization header": lambda u: _auth(""),
    "scheme without token": lambda u: _auth("Bearer"),
    "scheme with blank token": lambda u: _auth("Bearer    "),
    "basic scheme": lambda u: _auth("Basic b3duZXI6c2VjcmV0"),
    "token without scheme": lambda u: _auth(u.token),
    "not a jwt": lambda u: _bearer("not-a-jwt"),
    "three garbage segments": lambda u: _bearer("abc.def.ghi"),
    "expired": lambda u: _bearer(
        sign(session_claims(u.id, iat=now - 7200, exp=int(time.time()) - 60))
    ),
    "tampered signature": lambda u: _bearer(_flip_signature(u.token)),
    "tampered payload": lambda u: _bearer(_extend_payload(u.token)),
    "wrong secret": lambda u: _bearer(
        sign(session_claims(u.id), secret="some-other-secret-" + "y" * 40)
    ),
    "alg none": lambda u: _bearer(unsigned(session_claims(u.id))),
    "alg HS512 with the right secret": lambda u: _bearer(
        sign(session_claims(u.id), algorithm="HS512")
    ),
    "chat audience": lambda u: _bearer(sign(session_claims(u.id, aud="chatapp:chat"))),
    "foreign audience": lambda u: _bearer(sign(session_claims(u.id, aud="someone-else"))),
    "missing sub": lambda u: _bearer(sign(session_claims(u.id, sub=None))),
    "empty sub": lambda u: _bearer(sign(session_claims(u.id, sub=""))),
    "non-numeric sub": lambda u: _bearer(sign(session_claims(u.id, sub="alice"))),
    "negative sub": lambda u: _bearer(sign(session_claims(u.id, sub=f"-{u.id}"))),
    "decimal sub": lambda u: _bearer(sign(session_claims(u.id, sub=f"{u.id}.0"))),
    "superscript digit sub": lambda u: _bearer(sign(session_claims(u.id, sub="\u00b2"))),
    "integer sub": lambda u: _bearer(sign(session_claims(u.id, sub=u.id))),
    "missing exp": lambda u: _bearer(sign(session_claims(u.id, exp=None))),
}


@pytest.fixture
def owner_with_task(client, owner) -> tuple[QuickUser, int]:
    r = client.post(owner.tasks_url, headers=owner.headers, json={"title": "keep me"})
    assert r.status_code == 201, r.text
    return owner, r.json()["id"]


def _request(client, route, user: QuickUser, task_id: int, headers: dict[str, str]):
    method, template, body = route
    url = template.format(uid=user.id, tid=task_id)
    return client.request(method, url, headers=headers, json=body)


def _snapshot(user_id: int):
    from chatapp.tasks import service

    return service.list_tasks(user_id)


@pytest.mark.parametrize("route", PROTECTED_ROUTES, ids=ROUTE_IDS)
def test_every_kind_of_bad_credential_is_401_on_every_protected_route(
    client, owner_with_task, route
):
    user, task_id = owner_with_task
    before = _snapshot(user.id)
    wrong = {}

    for name, credential in BAD_CREDENTIALS.items():
        try:
            r = _request(client, route, user, task_id, credential(user))
        except Exception as exc:  # the app crashed: TestClient re-raises a 500's cause
            wrong[name] = repr(exc)
            continue
        detail = r.json().get("detail") if r.content else None
        if r.status_code != 401 or not isinstance(detail, str) or not detail:
            wrong[name] = f"{r.status_code} {r.text}"

    assert wrong == {}
    assert _snapshot(user.id) == before


@pytest.mark.parametrize("route", PROTECTED_ROUTES, ids=ROUTE_IDS)
def test_a_hand_signed_token_with_correct_claims_is_accepted_on_every_route(
    client, owner_with_task, route
):
    """The control for the test above: the forging helpers make valid tokens by default."""
    user, task_id = owner_with_task

    r = _request(client, route, user, task_id, _bearer(sign(session_claims(user.id))))

    assert r.is_success, r.text


@pytest.mark.parametrize("route", PROTECTED_ROUTES, ids=ROUTE_IDS)
def test_a_token_of_a_deleted_account_is_401_on_every_route(client, owner_with_task, route):
    from chatapp.db import User, session_scope

    user, task_id = owner_with_task
    with session_scope() as session:
        session.delete(session.get(User, user.id))

    r = _request(client, route, user, task_id, user.headers)

    assert r.status_code == 401, r.text


def test_401_tells_the_client_to_use_a_bearer_token(client):
    r = client.get("/api/auth/me")

    assert r.status_code == 401
    assert r.headers["WWW-Authenticate"] == "Bearer"


def test_an_expired_token_says_the_session_expired(client, owner):
    expired = sign(session_claims(owner.id, iat=now - 7200, exp=int(time.time()) - 60))

    r = client.get("/api/auth/me", headers=_bearer(expired))

    assert r.status_code == 401
    assert "expired" in r.json()["detail"].lower()
