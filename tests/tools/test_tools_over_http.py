"""The task tools at /mcp, through the official `mcp` client over real streamable HTTP (uvicorn)."""

from __future__ import annotations

import time

import httpx
import httpx2
import jwt
import pytest

from tests.support.auth import insert_user
from tests.support.tools import error_text, mcp_client, payload, seed, stored, stored_ids

# "auto" negotiates the 2026-07-28 per-request protocol; "legacy" does the initialize handshake.
MODES = ["auto", "legacy"]


@pytest.mark.parametrize("mode", MODES)
async def test_lists_the_seven_tools_with_annotations_and_schemas(live_api, ann, mode):
    async with mcp_client(live_api, ann.token, mode) as client:
        tools = {tool.name: tool for tool in (await client.list_tools()).tools}

    assert list(tools) == [
        "add_task",
        "list_tasks",
        "complete_task",
        "delete_task",
        "update_task",
        "list_completions",
        "attach_files",
    ]
    hints = {
        name: (
            tool.annotations.read_only_hint,
            tool.annotations.destructive_hint,
            tool.annotations.idempotent_hint,
        )
        for name, tool in tools.items()
    }
    assert hints == {
        "add_task": (False, False, False),
        "list_tasks": (True, None, None),
        # Not idempotent: completing a repeating task twice completes two occurrences.
        "complete_task": (False, False, False),
        "delete_task": (False, True, True),
        "update_task": (False, False, True),
        "list_completions": (True, None, None),
        "attach_files": (False, False, True),
    }
    required = {name: tool.input_schema.get("required", []) for name, tool in tools.items()}
    assert required == {
        "add_task": ["title"],
        "list_tasks": [],
        "complete_task": ["task_id"],
        "delete_task": ["task_id"],
        "update_task": ["task_id"],
        "list_completions": [],
        "attach_files": ["task_id", "attachment_ids"],
    }
    properties = {name: list(tool.input_schema["properties"]) for name, tool in tools.items()}
    assert properties["add_task"] == [
        "title",
        "description",
        "priority",
        "due_at",
        "tags",
        "recurrence",
        "time_zone",
        "remind_at",
        "attachment_ids",
        "user_id",
    ]
    assert properties["list_tasks"] == [
        "status",
        "query",
        "priority",
        "tag",
        "due_before",
        "due_after",
        "limit",
        "completed_since",
        "user_id",
    ]
    assert properties["complete_task"] == ["task_id", "completed", "user_id"]
    assert properties["delete_task"] == ["task_id", "user_id"]
    assert properties["update_task"] == [
        "task_id",
        "title",
        "description",
        "priority",
        "due_at",
        "tags",
        "recurrence",
        "time_zone",
        "remind_at",
        "user_id",
    ]
    assert properties["list_completions"] == ["since", "limit", "user_id"]
    assert tools["list_tasks"].input_schema["properties"]["status"]["enum"] == [
        "all",
        "pending",
        "completed",
    ]
    assert tools["list_tasks"].input_schema["properties"]["limit"]["default"] == 50
    assert tools["complete_task"].input_schema["properties"]["task_id"]["type"] == "integer"


@pytest.mark.parametrize("mode", MODES)
async def test_each_tool_changes_the_callers_rows(live_api, ann, mode):
    async with mcp_client(live_api, ann.token, mode) as client:
        added = payload(
            await client.call_tool(
                "add_task", {"title": "Buy milk", "priority": "low", "tags": ["shop"]}
            )
        )
        task_id = added["task_id"]
        assert added["status"] == "created"
        assert stored(task_id).user_id == ann.id and stored(task_id).title == "Buy milk"

        listed = payload(await client.call_tool("list_tasks", {"status": "pending"}))
        assert [row["id"] for row in listed] == [task_id]

        updated = payload(
            await client.call_tool(
                "update_task", {"task_id": task_id, "title": "Buy oat milk", "due_at": "2026-03-01"}
            )
        )
        assert updated["status"] == "updated" and stored(task_id).title == "Buy oat milk"
        assert stored(task_id).priority == "low" and stored(task_id).tags == ["shop"]

        completed = payload(await client.call_tool("complete_task", {"task_id": task_id}))
        assert completed["status"] == "completed" and stored(task_id).completed

        reopened = payload(
            await client.call_tool("complete_task", {"task_id": task_id, "completed": False})
        )
        assert reopened["status"] == "reopened" and not stored(task_id).completed

        deleted = payload(await client.call_tool("delete_task", {"task_id": task_id}))
        assert (deleted["status"], deleted["title"]) == ("deleted", "Buy oat milk")
        assert stored(task_id) is None

        gone = await client.call_tool("delete_task", {"task_id": task_id})
        assert error_text(gone) == f"Task {task_id} not found"


def _expired(user_id: int) -> str:
    from chatapp.auth.security import ISSUER, SESSION_AUDIENCE
    from chatapp.settings import get_settings

    now = int(time.time())
    claims = {"sub": str(user_id), "iat": now - 7200, "exp": now - 3600}
    claims |= {"aud": SESSION_AUDIENCE, "iss": ISSUER}
    return jwt.encode(claims, get_settings().jwt_secret, algorithm="HS256")


def _bad_tokens(user) -> dict[str, tuple[dict[str, str], str]]:
    from chatapp.auth.security import CHAT_AUDIENCE, issue_token

    chat_token, _ = issue_token(user.id, audience=CHAT_AUDIENCE)
    forged = jwt.encode({"sub": str(user.id)}, "not-the-secret-" + "y" * 40, algorithm="HS256")
    return {
        "none": ({}, "Missing bearer token"),
        "bare scheme": ({"Authorization": "Bearer"}, "Missing bearer token"),
        "basic scheme": ({"Authorization": "Basic YTpi"}, "Missing bearer token"),
        "garbage": ({"Authorization": "Bearer not-a-jwt"}, "Invalid authentication token"),
        "forged": ({"Authorization": f"Bearer {forged}"}, "Invalid authentication token"),
        "expired": ({"Authorization": f"Bearer {_expired(user.id)}"}, "expired"),
        "chat audience": ({"Authorization": f"Bearer {chat_token}"}, "Invalid authentication"),
    }


BAD_TOKEN_CASES = [
    "none",
    "bare scheme",
    "basic scheme",
    "garbage",
    "forged",
    "expired",
    "chat audience",
]


@pytest.mark.parametrize("case", BAD_TOKEN_CASES)
def test_missing_or_bad_token_is_401_json(live_api, ann, case):
    headers, detail = _bad_tokens(ann)[case]
    seed(ann, "Untouchable")
    body = {"jsonrpc": "2.0", "id": 1, "method": "tools/call"}
    body["params"] = {"name": "delete_task", "arguments": {"task_id": stored_ids(ann)[0]}}

    response = httpx.post(
        live_api,
        json=body,
        headers={**headers, "Accept": "application/json, text/event-stream"},
    )

    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert response.headers["content-type"] == "application/json"
    assert detail in response.json()["detail"]
    assert len(stored_ids(ann)) == 1


def test_token_of_a_deleted_account_is_401(live_api, db):
    from chatapp.db import User, session_scope

    ghost = insert_user()
    with session_scope() as session:
        session.delete(session.get(User, ghost.id))

    response = httpx.post(live_api, json={}, headers=ghost.headers)

    assert response.status_code == 401
    assert response.json() == {"detail": "This account no longer exists."}


@pytest.mark.parametrize("token", [None, "not-a-jwt"])
async def test_official_client_cannot_connect_without_a_valid_token(live_api, db, token):
    with pytest.raises(Exception):  # noqa: B017  (the client wraps the 401 in a task group error)
        async with mcp_client(live_api, token) as client:
            await client.list_tools()


@pytest.mark.parametrize("mode", MODES)
async def test_other_user_gets_task_not_found_and_rows_stay(live_api, ann, ben, mode):
    task_id = seed(ann, "Ann's plan", priority="high", tags=["private"])
    before = stored(task_id)

    async with mcp_client(live_api, ben.token, mode) as client:
        for tool, extra in [
            ("complete_task", {}),
            ("update_task", {"title": "Ben was here"}),
            ("delete_task", {}),
        ]:
            result = await client.call_tool(tool, {"task_id": task_id, **extra})
            assert error_text(result) == f"Task {task_id} not found"
        assert payload(await client.call_tool("list_tasks", {})) == []

    after = stored(task_id)
    assert (after.title, after.completed, after.priority, after.tags, after.updated_at) == (
        "Ann's plan",
        False,
        "high",
        ["private"],
        before.updated_at,
    )
    assert stored_ids(ben) == []


async def test_forged_user_id_over_http_is_an_error(live_api, ann, ben):
    seed(ann, "Ann's plan")

    async with mcp_client(live_api, ben.token) as client:
        for claimed in (ann.id, str(ann.id)):
            result = await client.call_tool("list_tasks", {"user_id": claimed})
            assert "is not the signed-in user" in error_text(result)
            result = await client.call_tool("add_task", {"title": "As Ann", "user_id": claimed})
            assert "is not the signed-in user" in error_text(result)
        own = await client.call_tool("add_task", {"title": "As me", "user_id": ben.id})
        assert stored(payload(own)["task_id"]).user_id == ben.id

    assert [stored(i).title for i in stored_ids(ann)] == ["Ann's plan"]


@pytest.mark.parametrize("mode", MODES)
async def test_identity_comes_from_each_requests_token_not_the_session_start(
    live_api, ann, ben, mode
):
    seed(ann, "Ann's task")
    seed(ben, "Ben's task")

    async with (
        httpx2.AsyncClient(headers=ann.headers, timeout=15) as http,
        mcp_client(live_api, mode=mode, http=http) as client,
    ):
        as_ann = payload(await client.call_tool("list_tasks", {}))
        http.headers["Authorization"] = f"Bearer {ben.token}"
        as_ben = payload(await client.call_tool("list_tasks", {}))
        added = payload(await client.call_tool("add_task", {"title": "Ben's second"}))

    assert [row["title"] for row in as_ann] == ["Ann's task"]
    assert [row["title"] for row in as_ben] == ["Ben's task"]
    assert stored(added["task_id"]).user_id == ben.id


async def test_validation_errors_reach_the_http_client_as_tool_errors(live_api, ann):
    async with mcp_client(live_api, ann.token) as client:
        bad_date = await client.call_tool("add_task", {"title": "Pay", "due_at": "someday"})
        bad_id = await client.call_tool("complete_task", {"task_id": "seven"})

    assert error_text(bad_date).startswith("Invalid arguments — due_at:")
    assert error_text(bad_id).startswith("Invalid arguments — task_id:")
    assert stored_ids(ann) == []
