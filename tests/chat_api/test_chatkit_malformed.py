"""POST /chatkit refuses what it cannot serve with 400 (or 413) and a readable JSON detail, never 500."""

from __future__ import annotations

import json

import pytest

from tests.support.chat import Chat, user_input

CREATE = "threads.create"


def raw(value) -> bytes:
    return value if isinstance(value, bytes) else json.dumps(value).encode()


MALFORMED = {
    "empty-body": b"",
    "whitespace-body": b"  \n ",
    "invalid-json": b'{"type": "threads.list", "params": {',
    "not-utf8": b"\xff\xfe\x00garbage",
    "json-null": b"null",
    "json-array": b"[]",
    "json-number": b"42",
    "json-string": b'"threads.list"',
    "unknown-type": {"type": "threads.explode", "params": {}},
    "type-missing": {"params": {"thread_id": "thr_1"}},
    "type-not-a-string": {"type": 7, "params": {}},
    "params-missing": {"type": "threads.get_by_id"},
    "params-not-an-object": {"type": "threads.list", "params": "all"},
    "thread-id-missing": {"type": "threads.get_by_id", "params": {}},
    "thread-id-a-number": {"type": "threads.get_by_id", "params": {"thread_id": 5}},
    "thread-id-a-list": {"type": "items.list", "params": {"thread_id": ["thr_1"]}},
    "limit-not-a-number": {"type": "threads.list", "params": {"limit": "many"}},
    "order-unknown": {"type": "threads.list", "params": {"order": "sideways"}},
    "input-a-string": {"type": CREATE, "params": {"input": "add buy milk"}},
    "input-missing": {"type": CREATE, "params": {}},
    "content-text-missing": {
        "type": CREATE,
        "params": {"input": {"content": [{"type": "input_text"}], "attachments": []}},
    },
    "content-type-unknown": {
        "type": CREATE,
        "params": {
            "input": {
                "content": [{"type": "input_video", "text": "x"}],
                "attachments": [],
                "inference_options": {},
            }
        },
    },
    "feedback-kind-unknown": {
        "type": "items.feedback",
        "params": {"thread_id": "thr_1", "item_ids": ["msg_1"], "kind": "meh"},
    },
    "feedback-item-ids-a-string": {
        "type": "items.feedback",
        "params": {"thread_id": "thr_1", "item_ids": "msg_1", "kind": "positive"},
    },
    "title-a-number": {"type": "threads.update", "params": {"thread_id": "thr_1", "title": 5}},
    "retry-item-missing": {"type": "threads.retry_after_item", "params": {"thread_id": "thr_1"}},
    "empty-message": {"type": CREATE, "params": {"input": user_input("")}},
    "blank-message": {"type": CREATE, "params": {"input": user_input(" \n\t ")}},
    "no-content": {
        "type": CREATE,
        "params": {"input": {"content": [], "attachments": [], "inference_options": {}}},
    },
    "message-too-long": {"type": CREATE, "params": {"input": user_input("x" * 4001)}},
    "limit-beyond-any-page": {"type": "threads.list", "params": {"limit": 2**63}},
    "items-limit-beyond-any-page": {
        "type": "items.list",
        "params": {"thread_id": "thr_1", "limit": 2**70},
    },
}


@pytest.mark.parametrize("body", MALFORMED.values(), ids=MALFORMED.keys())
def test_malformed_request_is_400_with_a_clear_detail(me: Chat, body) -> None:
    response = me.client.post(
        "/chatkit",
        content=raw(body),
        headers=me.user.headers | {"Content-Type": "application/json"},
    )

    assert response.status_code == 400, response.text
    assert response.headers["content-type"].startswith("application/json")
    detail = response.json()["detail"]
    assert isinstance(detail, str) and detail.startswith("Invalid ChatKit request: ")
    assert len(detail) > len("Invalid ChatKit request: ")
    assert me.chatkit_ok("threads.list")["data"] == []
    assert me.tasks() == []


@pytest.mark.parametrize(
    ("body", "words"),
    [
        (b"", "empty"),
        (b"{oops", "invalid json"),
        ({"type": "threads.explode", "params": {}}, "type"),
        ({"type": "threads.get_by_id"}, "params"),
        ({"type": "threads.get_by_id", "params": {"thread_id": 5}}, "thread_id"),
        ({"type": CREATE, "params": {"input": user_input("x" * 4001)}}, "4000"),
    ],
    ids=["empty", "invalid-json", "unknown-type", "missing-params", "wrong-type", "too-long"],
)
def test_detail_names_what_is_wrong(me: Chat, body, words: str) -> None:
    response = me.client.post("/chatkit", content=raw(body), headers=me.user.headers)
    assert response.status_code == 400
    assert words in response.json()["detail"].lower()


@pytest.mark.parametrize(
    "params",
    [
        {"type": "input.transcribe", "params": {"audio_base64": "AAAA", "mime_type": "audio/webm"}},
    ],
    ids=["transcribe"],
)
def test_unsupported_request_is_400_not_500(me: Chat, params: dict) -> None:
    response = me.client.post("/chatkit", json=params, headers=me.user.headers)
    assert response.status_code == 400
    assert response.json()["detail"].startswith("Invalid ChatKit request: ")


def test_deleting_a_missing_attachment_is_404(me: Chat) -> None:
    body = {"type": "attachments.delete", "params": {"attachment_id": "atc_1"}}
    response = me.client.post("/chatkit", json=body, headers=me.user.headers)
    assert response.status_code == 404
    assert response.json()["detail"] == "Attachment atc_1 not found"


def test_client_tool_output_without_a_pending_call_is_400(me: Chat) -> None:
    events = me.chatkit_ok("threads.create", input=user_input("hello"))
    thread_id = events[0]["thread"]["id"]
    before = me.items(thread_id)

    response = me.chatkit("threads.add_client_tool_output", thread_id=thread_id, result={})

    assert response.status_code == 400
    assert me.items(thread_id) == before


def test_unknown_attachment_is_404_and_creates_no_thread(me: Chat) -> None:
    message = user_input("add buy milk") | {"attachments": ["atc_unknown"]}

    response = me.chatkit("threads.create", input=message)

    assert response.status_code == 404
    assert "atc_unknown" in response.json()["detail"]
    assert me.chatkit_ok("threads.list")["data"] == []
    assert me.tasks() == []


def test_five_megabyte_body_is_413(me: Chat) -> None:
    body = json.dumps(
        {"type": CREATE, "params": {"input": user_input("x" * (5 * 1024 * 1024))}}
    ).encode()

    response = me.client.post(
        "/chatkit", content=body, headers=me.user.headers | {"Content-Type": "application/json"}
    )

    assert response.status_code == 413
    assert "too large" in response.json()["detail"].lower()
    assert me.chatkit_ok("threads.list")["data"] == []


def test_five_megabyte_body_without_a_length_is_413(me: Chat) -> None:
    def chunks():
        piece = b"x" * 65536
        yield b'{"type": "threads.create", "params": {"input": {"content": [{"type": "input_text", "text": "'
        for _ in range(80):
            yield piece
        yield b'"}], "attachments": [], "inference_options": {}}}}'

    response = me.client.post("/chatkit", content=chunks(), headers=me.user.headers)

    assert response.status_code == 413
    assert me.chatkit_ok("threads.list")["data"] == []
