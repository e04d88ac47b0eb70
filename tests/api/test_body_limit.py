"""Request bodies over the 1 MB limit are refused with 413 JSON, however they are sent."""

from __future__ import annotations

import json

import pytest

LIMIT = 1_000_000


def _task_body(size: int) -> bytes:
    """A JSON task body of exactly `size` bytes (the description pads it)."""
    skeleton = json.dumps({"title": "big", "description": ""}).encode()
    return json.dumps({"title": "big", "description": "d" * (size - len(skeleton))}).encode()


def _chunks(body: bytes, size: int = 64 * 1024):
    for i in range(0, len(body), size):
        yield body[i : i + size]


def _assert_413_json(r) -> None:
    assert r.status_code == 413, r.text
    assert r.headers["content-type"].startswith("application/json")
    assert "too large" in r.json()["detail"].lower()


@pytest.mark.parametrize("path", ["/api/auth/signup", "/api/auth/login", "{tasks}"])
def test_a_body_over_one_megabyte_is_413_json(client, owner, path):
    url = path.format(tasks=owner.tasks_url)

    r = client.post(
        url,
        headers={**owner.headers, "Content-Type": "application/json"},
        content=_task_body(LIMIT + 1),
    )

    _assert_413_json(r)


def test_a_streamed_body_over_one_megabyte_without_content_length_is_413_json(client, owner):
    r = client.post(
        owner.tasks_url,
        headers={**owner.headers, "Content-Type": "application/json"},
        content=_chunks(_task_body(LIMIT + 100_000)),
    )

    _assert_413_json(r)


def test_a_body_just_under_the_limit_reaches_validation(client, owner):
    r = client.post(
        owner.tasks_url,
        headers={**owner.headers, "Content-Type": "application/json"},
        content=_task_body(LIMIT - 10),
    )

    assert r.status_code == 422  # the description is too long, but the body was read
    assert "description" in r.json()["detail"]


def test_nothing_is_stored_from_a_refused_body(client, owner):
    client.post(
        owner.tasks_url,
        headers={**owner.headers, "Content-Type": "application/json"},
        content=_chunks(_task_body(LIMIT + 1)),
    )

    r = client.get(owner.tasks_url, headers=owner.headers)
    assert r.json() == []
