"""Malformed and oversized bodies on every door answer 4xx with a readable JSON message, never a
5xx and never a write. (tests/chat_api/test_chatkit_malformed.py covers the common ChatKit shapes;
these are the parser-level attacks: nesting bombs, duplicate keys, non-finite and huge numbers,
lone surrogates, a BOM, oversized ids; and the 1 MB limit on the doors not covered elsewhere.)"""

from __future__ import annotations

import json

import pytest

from tests.support.auth import insert_user
from tests.support.reliability import row_counts

LIMIT = 1_000_000
MCP_ACCEPT = "application/json, text/event-stream"
NEST = 100_000
BOMB = b"[" * NEST + b"]" * NEST


def _chatkit(params_json: bytes, request_type: bytes = b"threads.list") -> bytes:
    return b'{"type": "' + request_type + b'", "params": ' + params_json + b"}"


def _create(text_json: bytes) -> bytes:
    content = b'[{"type": "input_text", "text": ' + text_json + b"}]"
    return _chatkit(
        b'{"input": {"content": ' + content + b', "attachments": [], "inference_options": {}}}',
        b"threads.create",
    )


# name -> (path template, raw body, statuses allowed)
MALFORMED = {
    "chatkit: array nesting bomb": ("/chatkit", BOMB, {400}),
    "chatkit: object nesting bomb": (
        "/chatkit",
        _chatkit(b'{"a":' * 50_000 + b"1" + b"}" * 50_000),
        {400},
    ),
    "chatkit: duplicate type keys": (
        "/chatkit",
        b'{"type": "threads.list", "params": {}, "type": "threads.delete"}',
        {400},
    ),
    "chatkit: NaN limit": ("/chatkit", _chatkit(b'{"limit": NaN}'), {400}),
    "chatkit: Infinity limit": ("/chatkit", _chatkit(b'{"limit": Infinity}'), {400}),
    "chatkit: 5000-digit limit": ("/chatkit", _chatkit(b'{"limit": ' + b"9" * 5000 + b"}"), {400}),
    "chatkit: 1e400 limit": ("/chatkit", _chatkit(b'{"limit": 1e400}'), {400}),
    "chatkit: byte order mark": ("/chatkit", b"\xef\xbb\xbf" + _chatkit(b"{}"), {400}),
    "chatkit: lone surrogate in an id": (
        "/chatkit",
        _chatkit(b'{"thread_id": "\\ud800"}', b"threads.get_by_id"),
        {400, 404},
    ),
    "chatkit: lone surrogate in a message": ("/chatkit", _create(b'"add \\ud800 milk"'), {400}),
    "chatkit: NUL in a thread id": (
        "/chatkit",
        _chatkit(b'{"thread_id": "thr_\\u0000"}', b"items.list"),
        {400, 404},
    ),
    "chatkit: 10 000-character thread id": (
        "/chatkit",
        _chatkit(json.dumps({"thread_id": "t" * 10_000}).encode(), b"items.list"),
        {400, 404},
    ),
    "chatkit: deep metadata": (
        "/chatkit",
        b'{"type": "threads.list", "params": {}, "metadata": '
        + b'{"a":' * 150
        + b"1"
        + b"}" * 150
        + b"}",
        {200, 400},
    ),
    # Not blank to str.strip(): the model answers it like any other message (it is stored as is).
    "chatkit: control characters only": (
        "/chatkit",
        _create(b'"\\u0000\\u0007\\u001b"'),
        {200, 400},
    ),
    "tasks: nesting bomb": ("{tasks}", BOMB, {400, 422}),
    "tasks: nesting bomb in tags": (
        "{tasks}",
        b'{"title": "x", "tags": ' + BOMB + b"}",
        {400, 422},
    ),
    "tasks: lone surrogate title": ("{tasks}", b'{"title": "\\udfff x"}', {422}),
    "tasks: NUL title": ("{tasks}", b'{"title": "a\\u0000b"}', {422}),
    "tasks: NaN priority": ("{tasks}", b'{"title": "x", "priority": NaN}', {422}),
    "tasks: body is a string": ("{tasks}", b'"buy milk"', {422}),
    "tasks: 5000-digit id in a patch": ("{tasks}/" + "9" * 5000, b'{"title": "x"}', {404, 422}),
    "chat: nesting bomb": ("{chat}", BOMB, {400, 422}),
    "chat: lone surrogate": ("{chat}", b'{"message": "add \\ud800 milk"}', {422}),
    "chat: NUL only": ("{chat}", b'{"message": "\\u0000"}', {200, 422}),
    "chat: message is a list": ("{chat}", b'{"message": ["add milk"]}', {422}),
    "chat: conversation id is an object": (
        "{chat}",
        b'{"message": "hi", "conversation_id": {"$ne": null}}',
        {422},
    ),
    "mcp: nesting bomb": ("/mcp", BOMB, {400}),
    "mcp: invalid JSON": ("/mcp", b'{"jsonrpc":', {400}),
    "mcp: null": ("/mcp", b"null", {400}),
    "mcp: batch": ("/mcp", b'[{"jsonrpc": "2.0", "id": 1, "method": "tools/list"}]', {400}),
    "mcp: 5000-digit id": (
        "/mcp",
        b'{"jsonrpc": "2.0", "id": ' + b"9" * 5000 + b', "method": "tools/list"}',
        {400},
    ),
    "mcp: unknown method": ("/mcp", b'{"jsonrpc": "2.0", "id": 1, "method": "rm -rf"}', {200}),
    "mcp: arguments as a string": (
        "/mcp",
        b'{"jsonrpc": "2.0", "id": 1, "method": "tools/call",'
        b' "params": {"name": "add_task", "arguments": "x"}}',
        {200, 400},
    ),
    "mcp: lone surrogate title": (
        "/mcp",
        b'{"jsonrpc": "2.0", "id": 1, "method": "tools/call",'
        b' "params": {"name": "add_task", "arguments": {"title": "\\ud800"}}}',
        {200, 400},
    ),
}


def _url(template: str, user) -> str:
    return template.format(tasks=user.tasks_url, chat=f"/api/{user.id}/chat")


def _readable(response) -> str | None:
    """The human message of an error body: {"detail": ...} or a JSON-RPC error."""
    if not response.headers.get("content-type", "").startswith("application/json"):
        return None
    body = response.json()
    if isinstance(body, dict) and isinstance(body.get("detail"), str):
        return body["detail"]
    error = body.get("error") if isinstance(body, dict) else None
    return error.get("message") if isinstance(error, dict) else None


def test_malformed_bodies_are_4xx_with_a_readable_message(client) -> None:
    user = insert_user()
    wrong = {}

    for name, (template, body, allowed) in MALFORMED.items():
        headers = user.headers | {"Content-Type": "application/json"}
        if template == "/mcp":
            headers["Accept"] = MCP_ACCEPT
        method = "PATCH" if name.startswith("tasks: 5000") else "POST"
        before = row_counts()
        response = client.request(method, _url(template, user), content=body, headers=headers)
        if response.status_code not in allowed:
            wrong[name] = f"{response.status_code} {response.text[:200]}"
        elif response.status_code >= 400 and not _readable(response):
            wrong[name] = f"no readable message: {response.status_code} {response.text[:200]}"
        elif response.status_code >= 400 and row_counts() != before:
            wrong[name] = "refused, but wrote rows"
        elif name.startswith("mcp") and response.status_code == 200 and not _readable(response):
            wrong[name] = f"accepted: {response.text[:200]}"

    assert wrong == {}


def _sized(limit: int, template: bytes) -> bytes:
    """A JSON body of exactly `limit` bytes: `template` with its {pad} filled."""
    skeleton = template.replace(b"{pad}", b"")
    return template.replace(b"{pad}", b"x" * (limit - len(skeleton)))


OVERSIZED = {
    "chat": ("{chat}", b'{"message": "{pad}"}'),
    "chatkit": ("/chatkit", _create(b'"{pad}"')),
    "mcp": (
        "/mcp",
        b'{"jsonrpc": "2.0", "id": 1, "method": "tools/call",'
        b' "params": {"name": "add_task", "arguments": {"title": "{pad}"}}}',
    ),
    "chatkit/start": ("/api/chatkit/start", b'{"pad": "{pad}"}'),
    "signup": ("/api/auth/signup", b'{"email": "a@example.com", "password": "{pad}"}'),
    "an unknown path": ("/no/such/route", b'{"pad": "{pad}"}'),
}


# Routes that never read a request body.
UNREAD = {"chatkit/start", "an unknown path"}


def _chunks(body: bytes, size: int = 64 * 1024):
    for i in range(0, len(body), size):
        yield body[i : i + size]


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize("streamed", [False, True], ids=["with length", "chunked"])
@pytest.mark.parametrize("door", OVERSIZED)
def test_one_byte_over_the_limit_is_413_json(client, door: str, streamed: bool) -> None:
    user = insert_user()
    template, shape = OVERSIZED[door]
    body = _sized(LIMIT + 1, shape)
    before = row_counts()
    headers = user.headers | {"Content-Type": "application/json", "Accept": MCP_ACCEPT}

    response = client.post(
        _url(template, user), content=_chunks(body) if streamed else body, headers=headers
    )

    if streamed and door in UNREAD:
        # No Content-Length and a route that never reads its body: nothing is buffered, the
        # limit has nothing to count, and the route answers as it would without a body.
        assert response.status_code in (200, 404), response.text[:300]
        assert row_counts() == before
        return
    assert response.status_code == 413, response.text[:300]
    assert response.headers["content-type"].startswith("application/json")
    assert response.json() == {"detail": f"Request body too large (limit {LIMIT} bytes)."}
    assert row_counts() == before


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize("door", ["chat", "chatkit", "mcp"])
def test_a_body_at_the_limit_is_read_and_refused_by_validation(client, door: str) -> None:
    user = insert_user()
    template, shape = OVERSIZED[door]
    headers = user.headers | {"Content-Type": "application/json", "Accept": MCP_ACCEPT}

    response = client.post(_url(template, user), content=_sized(LIMIT, shape), headers=headers)

    # Read in full (no 413), then refused for its 1 MB message or title, with a message.
    assert response.status_code != 413
    assert response.status_code < 500, response.text[:300]
    assert "too large" not in response.text.lower()
    if door != "mcp":
        assert response.status_code in (400, 422), response.text[:300]
    else:
        assert '"isError":true' in response.text.replace(" ", ""), response.text[:300]
