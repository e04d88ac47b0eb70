"""Helpers for the MCP task tool tests: real users with real tokens, row lookups, result decoding,
and the official MCP client over streamable HTTP."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from functools import cache
from typing import Any


@cache
def _password_hash() -> str:
    from chatapp.auth.security import hash_password

    return hash_password("correct horse battery")


@dataclass(frozen=True)
class ToolUser:
    id: int
    email: str
    token: str

    @property
    def bearer(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


def insert_user(email: str | None = None) -> ToolUser:
    """A real user row and a real session token, as the login route would issue it."""
    from chatapp.auth.security import issue_token
    from chatapp.db import User, session_scope

    email = email or f"user-{uuid.uuid4().hex[:8]}@example.com"
    with session_scope() as session:
        user = User(email=email, password_hash=_password_hash())
        session.add(user)
        session.flush()
        user_id = user.id
    token, _ = issue_token(user_id)
    return ToolUser(id=user_id, email=email, token=token)


def seed(user: ToolUser, title: str, **fields: Any) -> int:
    """A task created straight through the service (arrange step, not under test)."""
    from chatapp.tasks import service
    from chatapp.tasks.schemas import TaskCreate

    return service.create_task(user.id, TaskCreate(title=title, **fields)).id


def stored(task_id: int):
    """The task row as the database holds it now, or None."""
    from chatapp.db import Task, session_scope

    with session_scope() as session:
        task = session.get(Task, task_id)
        if task is not None:
            session.expunge(task)
        return task


def stored_ids(user: ToolUser) -> list[int]:
    from sqlmodel import select

    from chatapp.db import Task, session_scope

    with session_scope() as session:
        ids = session.exec(select(Task.id).where(Task.user_id == user.id).order_by(Task.id))
        return list(ids.all())


def payload(result) -> Any:
    """The decoded JSON text of a successful tool result."""
    assert not result.is_error, result.content
    assert len(result.content) == 1
    return json.loads(result.content[0].text)


def error_text(result) -> str:
    """The message of a failed tool result (isError, one text block of contract JSON)."""
    return failure(result).message


def error_code(result) -> str:
    """The code of a failed tool result ("not_found", "invalid_input", ...)."""
    return failure(result).code


def failure(result) -> Any:
    from chatapp.tools.contract import failure_of

    assert result.is_error, result.content
    assert len(result.content) == 1
    text = result.content[0].text
    assert "Traceback" not in text
    body = json.loads(text)
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}, body
    found = failure_of(text)
    assert found is not None
    return found


@asynccontextmanager
async def mcp_client(
    url: str, token: str | None = None, mode: str = "auto", http: Any = None
) -> AsyncIterator[Any]:
    """The official MCP client over streamable HTTP, sending `token` as its bearer (or using
    the given httpx2 client, whose headers the caller controls)."""
    import httpx2
    from mcp import Client
    from mcp.client.streamable_http import streamable_http_client

    if http is None:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        async with (
            httpx2.AsyncClient(headers=headers, timeout=15) as own_http,
            mcp_client(url, mode=mode, http=own_http) as client,
        ):
            yield client
        return
    transport = streamable_http_client(url, http_client=http)
    async with Client(transport, mode=mode, cache=None) as client:
        yield client
