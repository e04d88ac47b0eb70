"""POST /api/chat/init, the seed spec's name for /api/chatkit/start: a session token buys the same
chat-scoped client secret, answered as `{"clientSecret": ..., "expiresIn": seconds}`."""

from __future__ import annotations

import json
import time

import pytest

from chatapp.auth.security import CHAT_AUDIENCE, SESSION_AUDIENCE, InvalidToken, decode_token
from chatapp.settings import get_settings
from tests.support.auth import QuickUser, session_claims, sign

INIT = "/api/chat/init"


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def init_secret(client, user: QuickUser) -> str:
    response = client.post(INIT, headers=user.headers)
    assert response.status_code == 200, response.text
    return response.json()["clientSecret"]


def test_session_token_gets_a_chat_secret_in_the_seed_shape(client, owner) -> None:
    response = client.post(INIT, headers=owner.headers)

    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == {"clientSecret", "expiresIn"}
    assert body["expiresIn"] == get_settings().chat_token_ttl_seconds == 3600
    claims = decode_token(body["clientSecret"], audience=CHAT_AUDIENCE)
    assert claims.user_id == owner.id
    assert claims.expires_at.timestamp() - time.time() == pytest.approx(3600, abs=5)
    with pytest.raises(InvalidToken):
        decode_token(body["clientSecret"], audience=SESSION_AUDIENCE)


def test_it_is_the_secret_chatkit_start_issues(client, owner) -> None:
    start = client.post("/api/chatkit/start", headers=owner.headers).json()
    init = client.post(INIT, headers=owner.headers).json()

    started = decode_token(start["client_secret"], audience=CHAT_AUDIENCE)
    initialised = decode_token(init["clientSecret"], audience=CHAT_AUDIENCE)
    assert started.user_id == initialised.user_id == owner.id
    assert init["expiresIn"] == start["expires_in"]


@pytest.mark.parametrize(
    "case", ["no header", "empty bearer", "garbage", "expired session", "forged", "chat token"]
)
def test_without_a_valid_session_token_it_is_401_json(client, owner, case) -> None:
    headers = {
        "no header": {},
        "empty bearer": {"Authorization": "Bearer"},
        "garbage": bearer("not-a-jwt"),
        "expired session": bearer(sign(session_claims(owner.id, exp=int(time.time()) - 60))),
        "forged": bearer(sign(session_claims(owner.id), secret="y" * 48)),
        # A client secret must not buy itself a successor.
        "chat token": bearer(init_secret(client, owner)),
    }[case]

    response = client.post(INIT, headers=headers)

    assert response.status_code == 401
    assert response.headers["content-type"].startswith("application/json")
    assert response.headers["www-authenticate"] == "Bearer"
    assert isinstance(response.json()["detail"], str) and response.json()["detail"]


def test_the_secret_opens_chatkit_and_its_thread_has_a_number(client, owner) -> None:
    secret = init_secret(client, owner)
    create = {
        "type": "threads.create",
        "params": {
            "input": {
                "content": [{"type": "input_text", "text": "add buy milk"}],
                "attachments": [],
                "inference_options": {},
            }
        },
    }

    created = client.post("/chatkit", json=create, headers=bearer(secret))
    listed = client.post(
        "/chatkit", json={"type": "threads.list", "params": {}}, headers=bearer(secret)
    )

    assert created.status_code == 200, created.text
    events = [
        json.loads(line[6:]) for line in created.text.splitlines() if line.startswith("data:")
    ]
    (thread,) = [e["thread"] for e in events if e["type"] == "thread.created"]
    assert isinstance(thread["metadata"]["conversation_id"], int)
    assert listed.status_code == 200, listed.text
    assert [t["id"] for t in listed.json()["data"]] == [thread["id"]]


def test_the_secret_opens_nothing_but_chatkit(client, owner) -> None:
    secret = init_secret(client, owner)

    chat = client.post(f"/api/{owner.id}/chat", json={"message": "hi"}, headers=bearer(secret))
    tasks = client.get(owner.tasks_url, headers=bearer(secret))

    assert (chat.status_code, tasks.status_code) == (401, 401)


def test_openapi_documents_the_camelcase_shape(client) -> None:
    spec = client.get("/openapi.json").json()
    operation = spec["paths"][INIT]["post"]
    ref = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    schema = spec["components"]["schemas"][ref.rsplit("/", 1)[1]]
    assert set(schema["properties"]) == {"clientSecret", "expiresIn"}
    assert set(schema["required"]) == {"clientSecret", "expiresIn"}
