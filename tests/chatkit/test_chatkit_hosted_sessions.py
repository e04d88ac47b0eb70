"""Hosted mode (CHATKIT_WORKFLOW_ID set): /api/chatkit/start and /refresh create a session with
OpenAI's ChatKit sessions API — here a local stand-in speaking its wire format — and every
upstream failure becomes a clear JSON error."""

from __future__ import annotations

import time

import pytest

from chatapp.chat.hosted import chatkit_user
from tests.support.servers import free_port


@pytest.mark.parametrize("endpoint", ["start", "refresh"])
def test_start_and_refresh_return_openais_client_secret(client, alice, hosted, endpoint):
    response = client.post(f"/api/chatkit/{endpoint}", headers=alice.headers)

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["client_secret"].startswith("ek_test_secret_")
    assert body["expires_at"] - int(time.time()) in range(595, 601)
    assert body["expires_in"] in range(595, 601)
    [sent] = hosted.requests
    assert sent["path"] == "/v1/chatkit/sessions"
    assert sent["headers"]["openai-beta"] == "chatkit_beta=v1"
    assert sent["headers"]["authorization"] == f"Bearer {hosted.api_key}"
    assert sent["headers"]["content-type"] == "application/json"
    assert sent["json"] == {"workflow": {"id": hosted.workflow_id}, "user": chatkit_user(alice.id)}


def test_each_call_creates_a_new_session_for_that_user(client, alice, bob, hosted):
    first = client.post("/api/chatkit/start", headers=alice.headers).json()["client_secret"]
    second = client.post("/api/chatkit/refresh", headers=alice.headers).json()["client_secret"]
    client.post("/api/chatkit/start", headers=bob.headers)
    assert first != second
    users = [r["json"]["user"] for r in hosted.requests]
    assert users == [chatkit_user(alice.id), chatkit_user(alice.id), chatkit_user(bob.id)]


def test_hosted_start_needs_a_session_token_before_calling_openai(client, hosted):
    response = client.post("/api/chatkit/start", headers={"Authorization": "Bearer nope"})
    assert response.status_code == 401
    assert hosted.requests == []


def test_openai_rejecting_the_key_is_a_502_that_names_the_fix(client, alice, hosted):
    hosted.status = 401
    hosted.body = {
        "error": {
            "message": "Incorrect API key provided: sk-test***.",
            "type": "invalid_request_error",
            "param": None,
            "code": "invalid_api_key",
        }
    }
    response = client.post("/api/chatkit/start", headers=alice.headers)

    assert response.status_code == 502
    detail = response.json()["detail"]
    assert "Incorrect API key provided" in detail
    assert "OPENAI_API_KEY" in detail


def test_openai_rate_limit_is_a_503_with_retry_after(client, alice, hosted):
    hosted.status = 429
    hosted.headers = {"Retry-After": "7"}
    hosted.body = {
        "error": {"message": "Rate limit reached for chatkit sessions.", "type": "requests"}
    }

    response = client.post("/api/chatkit/start", headers=alice.headers)

    assert response.status_code == 503
    assert response.headers["retry-after"] == "7"
    detail = response.json()["detail"]
    assert "rate-limiting" in detail and "7 s" in detail


def test_openai_too_slow_is_a_504(client, alice, hosted, settings_env):
    settings_env(CHATKIT_SESSION_TIMEOUT_SECONDS="0.3")
    hosted.delay = 4.0
    started = time.monotonic()

    response = client.post("/api/chatkit/start", headers=alice.headers)

    assert time.monotonic() - started < hosted.delay  # gave up before OpenAI would have answered
    assert response.status_code == 504
    assert response.json()["detail"] == (
        "OpenAI's ChatKit sessions API did not answer within 0.3 s. Try again."
    )


def test_openai_server_error_is_a_502(client, alice, hosted):
    hosted.status = 500
    hosted.body = {"error": {"message": "The server had an error.", "type": "server_error"}}
    response = client.post("/api/chatkit/start", headers=alice.headers)
    assert response.status_code == 502
    assert "The server had an error." in response.json()["detail"]


def test_unknown_workflow_is_a_502_with_openais_message(client, alice, hosted):
    hosted.status = 404
    hosted.body = {
        "error": {
            "message": "Workflow wf_test_workflow not found.",
            "type": "invalid_request_error",
        }
    }
    response = client.post("/api/chatkit/start", headers=alice.headers)
    assert response.status_code == 502
    assert "Workflow wf_test_workflow not found." in response.json()["detail"]


@pytest.mark.parametrize("body", ['{"id": "cksess_1"}', "not json", '{"client_secret": ""}'])
def test_answer_without_client_secret_is_a_502(client, alice, hosted, body):
    hosted.body = body
    response = client.post("/api/chatkit/start", headers=alice.headers)
    assert response.status_code == 502
    assert "without a client_secret" in response.json()["detail"]


def test_unreachable_openai_is_a_502(client, alice, hosted, settings_env):
    settings_env(CHATKIT_API_BASE=f"http://127.0.0.1:{free_port()}/v1")
    response = client.post("/api/chatkit/start", headers=alice.headers)
    assert response.status_code == 502
    assert response.json()["detail"].startswith("Could not reach OpenAI's ChatKit sessions API")


def test_hosted_mode_without_api_key_is_a_503(client, alice, hosted, settings_env):
    settings_env(OPENAI_API_KEY=None)
    response = client.post("/api/chatkit/start", headers=alice.headers)
    assert response.status_code == 503
    assert "OPENAI_API_KEY" in response.json()["detail"]
    assert hosted.requests == []


def test_self_hosted_mode_never_calls_openai(client, alice, sessions_server, settings_env):
    sessions_server.reset()
    settings_env(CHATKIT_WORKFLOW_ID=None, CHATKIT_API_BASE=sessions_server.base_url)
    response = client.post("/api/chatkit/start", headers=alice.headers)
    assert response.status_code == 200
    assert not response.json()["client_secret"].startswith("ek_")
    assert sessions_server.requests == []


def test_chat_init_answers_openais_secret_in_the_seed_shape(client, alice, hosted):
    response = client.post("/api/chat/init", headers=alice.headers)

    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == {"clientSecret", "expiresIn"}
    assert body["clientSecret"].startswith("ek_test_secret_")
    assert body["expiresIn"] in range(595, 601)
    [sent] = hosted.requests
    assert sent["json"] == {"workflow": {"id": hosted.workflow_id}, "user": chatkit_user(alice.id)}


def test_chat_init_passes_openais_refusal_on_as_json(client, alice, hosted):
    hosted.status = 429
    hosted.headers = {"Retry-After": "7"}
    hosted.body = {"error": {"message": "Rate limit reached", "type": "rate_limit_error"}}

    response = client.post("/api/chat/init", headers=alice.headers)

    assert response.status_code == 503
    assert response.headers["retry-after"] == "7"
    assert response.json()["detail"]
