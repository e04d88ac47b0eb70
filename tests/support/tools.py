"""The MCP task tools from the outside: arranged rows, row lookups, result decoding, and the
official MCP client over streamable HTTP."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from tests.support.auth import QuickUser


def seed(user: QuickUser, title: str, **fields: Any) -> int:
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


def stored_ids(user: QuickUser) -> list[int]:
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
