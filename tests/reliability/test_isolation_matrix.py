"""Isolation attack matrix: attacker B aims every door (REST tasks, the JSON chat API, every ChatKit
request type, every MCP tool) at victim A's task, thread, item and attachment ids, on both
databases. Every attempt must be refused (403/404/400/422, or an empty answer), no response may
carry any of A's secrets, and A's rows must stay byte-for-byte what they were."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.support.chat import parse_sse, user_input
from tests.support.reliability import World, json_text, victim_rows
from tests.support.tools import mcp_client

# (method, suffix under /api/{uid}/tasks, body); "{tid}" is the target task id.
TASK_ROUTES = [
    ("GET", "", None),
    ("POST", "", {"title": "planted"}),
    ("GET", "/{tid}", None),
    ("PUT", "/{tid}", {"title": "hijacked", "completed": True}),
    ("PATCH", "/{tid}", {"title": "hijacked", "tags": ["pwned"]}),
    ("DELETE", "/{tid}", None),
    ("PATCH", "/{tid}/complete", None),
    ("PATCH", "/{tid}/complete", {"completed": False}),
    ("PATCH", "/{tid}", {"recurrence": None}),
    ("PATCH", "/{tid}", {"remind_at": None, "time_zone": "Asia/Tokyo"}),
    (
        "PUT",
        "/{tid}",
        {"title": "hijacked", "due_at": "2031-01-01T00:00:00Z", "recurrence": "FREQ=DAILY"},
    ),
]
# (method, suffix under /api/{uid}, body): the user's completions, reminders and feed token.
USER_ROUTES = [
    ("GET", "/completions", None),
    ("GET", "/completions?since=2000-01-01T00:00:00Z&limit=500", None),
    ("POST", "/reminders/claim", None),
    ("POST", "/calendar/token", None),
    ("DELETE", "/calendar/token", None),
]


class Verdicts:
    """Collects every attempt that was not refused cleanly, or leaked, or changed A's rows."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.wrong: dict[str, str] = {}

    def check(self, name: str, status: int, text: str, expected: set[int]) -> None:
        problems = []
        if status not in expected:
            problems.append(f"status {status} (expected {sorted(expected)})")
        if leaked := self.world.leaks(text):
            problems.append(f"leaked {leaked}")
        if not self.world.unchanged():
            problems.append("changed the victim's rows")
            self.world.snapshot = victim_rows(self.world.victim.id)  # blame the next one fairly
        if problems:
            self.wrong[name] = "; ".join(problems) + f" — {text[:300]}"

    def http(self, name: str, response, expected: set[int]) -> None:
        if response.status_code >= 400:
            is_json = response.headers.get("content-type", "").startswith("application/json")
            detail = response.json().get("detail") if is_json else None
            if not isinstance(detail, str) or not detail:
                self.wrong[name] = f"no JSON detail: {response.status_code} {response.text[:200]}"
        self.check(name, response.status_code, json_text(response), expected)


def rest_attacks(w: World, own_task: int) -> dict[str, tuple[str, str, Any, set[int]]]:
    a, b = w.victim, w.attacker
    attacks: dict[str, tuple[str, str, Any, set[int]]] = {}
    for method, suffix, body in TASK_ROUTES:
        url = a.tasks_url + suffix.format(tid=w.task_ids[0])
        attacks[f"B's token on A's path: {method} tasks{suffix} {body or ''}"] = (
            method,
            url,
            body,
            {403},
        )
    for tid in w.task_ids:
        for method, suffix, body in TASK_ROUTES:
            if "{tid}" in suffix:
                url = b.tasks_url + suffix.format(tid=tid)
                attacks[f"A's task {tid} on B's path: {method} tasks{suffix} {body or ''}"] = (
                    method,
                    url,
                    body,
                    {404},
                )
    for method, suffix, body in USER_ROUTES:
        attacks[f"B's token on A's path: {method} {suffix}"] = (
            method,
            f"/api/{a.id}{suffix}",
            body,
            {403},
        )
    tid = w.task_ids[0]
    attacks |= {
        "B's own completions, all of them": (
            "GET",
            f"/api/{b.id}/completions?limit=500",
            None,
            {200},
        ),
        "B's own completions with A's user_id in the query": (
            "GET",
            f"/api/{b.id}/completions?user_id={a.id}",
            None,
            {200},
        ),
        "B claims reminders (A's is due)": ("POST", f"/api/{b.id}/reminders/claim", None, {200}),
        "B claims reminders naming A": (
            "POST",
            f"/api/{b.id}/reminders/claim?user_id={a.id}",
            {"user_id": a.id},
            {200, 422},
        ),
        "B's tasks completed since forever": (
            "GET",
            f"{b.tasks_url}?completed_since=2000-01-01T00:00:00Z",
            None,
            {200},
        ),
        "path user with padding": ("GET", f"/api/%20{a.id}%20/tasks", None, {403}),
        "path user with a leading zero": ("GET", f"/api/0{a.id}/tasks", None, {403}),
        "path user as a float": ("GET", f"/api/{a.id}.0/tasks", None, {403}),
        "A's task id with a leading zero": ("GET", f"{b.tasks_url}/0{tid}", None, {404}),
        "A's task id negated": ("DELETE", f"{b.tasks_url}/-{tid}", None, {404}),
        "A's task id beyond 64 bits": ("GET", f"{b.tasks_url}/{2**64 + tid}", None, {404, 422}),
        "user_id in the query of a delete": (
            "DELETE",
            f"{b.tasks_url}/{tid}?user_id={a.id}",
            None,
            {404},
        ),
        "user_id in a create body": (
            "POST",
            b.tasks_url,
            {"title": "planted", "user_id": a.id},
            {422},
        ),
        "id in a create body": ("POST", b.tasks_url, {"title": "planted", "id": tid}, {422}),
        "user_id in a patch of my own task": (
            "PATCH",
            f"{b.tasks_url}/{own_task}",
            {"user_id": a.id},
            {422},
        ),
        "id in a put of my own task": (
            "PUT",
            f"{b.tasks_url}/{own_task}",
            {"title": "moved", "id": tid},
            {422},
        ),
        "user_id in a complete body": (
            "PATCH",
            f"{b.tasks_url}/{tid}/complete",
            {"completed": True, "user_id": a.id},
            {404, 422},
        ),
        "user_id in the list query": ("GET", f"{b.tasks_url}?user_id={a.id}", None, {200, 422}),
        "SQL LIKE wildcard search": ("GET", f"{b.tasks_url}?q=%25", None, {200}),
        "SQL LIKE underscore search": ("GET", f"{b.tasks_url}?q=_", None, {200}),
        "SQL injection in the search": (
            "GET",
            f"{b.tasks_url}?q=%27%20OR%201%3D1%20--",
            None,
            {200},
        ),
        "SQL injection in the tag filter": (
            "GET",
            f"{b.tasks_url}?tag=x%27%20OR%20%271%27%3D%271",
            None,
            {200, 422},
        ),
        "every task, all statuses, huge page": (
            "GET",
            f"{b.tasks_url}?status=all&limit=200",
            None,
            {200},
        ),
    }
    return attacks


def test_rest_tasks_door(client, world: World) -> None:
    b = world.attacker
    own = client.post(b.tasks_url, json={"title": "attacker's own"}, headers=b.headers)
    assert own.status_code == 201, own.text
    verdicts = Verdicts(world)

    for name, (method, url, body, expected) in rest_attacks(world, own.json()["id"]).items():
        response = client.request(method, url, json=body, headers=b.headers)
        verdicts.http(name, response, expected)
        if response.status_code == 404 and "Task" in response.text:
            # Another user's task and a missing one read the same: never confirm an id exists.
            assert response.json()["detail"].endswith(" not found"), response.text

    listed = client.get(b.tasks_url, params={"limit": 200}, headers=b.headers).json()
    assert [t["title"] for t in listed] == ["attacker's own"]
    assert verdicts.wrong == {}


def test_calendar_feed_door(client, world: World) -> None:
    """The feed's URL token is its only credential: B's own feed shows B's tasks alone, and no
    token B can make up, or derive from A's ids, opens A's feed."""
    a, b = world.victim, world.attacker
    r = client.post(
        b.tasks_url,
        json={"title": "B's dated", "due_at": "2031-01-01T00:00:00Z"},
        headers=b.headers,
    )
    assert r.status_code == 201, r.text
    mine = client.post(f"/api/{b.id}/calendar/token", headers=b.headers)
    assert mine.status_code == 200, mine.text
    my_feed = urlsplit(mine.json()["url"]).path
    victim_token = urlsplit(world.feed_url).path.rsplit("/", 1)[1].removesuffix(".ics")
    verdicts = Verdicts(world)

    own = client.get(my_feed, headers=a.headers, params={"user_id": a.id})
    verdicts.check("B's own feed, with A's token and id", own.status_code, own.text, {200})
    assert b"B's dated" in own.content
    guesses = {
        "A's user id as the token": str(a.id),
        "A's task id as the token": str(world.task_ids[2]),
        "A's email as the token": a.email,
        "A's token upper-cased": victim_token.upper(),
        "A's token minus a character": victim_token[:-1],
        "A's token hashed": hashlib.sha256(victim_token.encode()).hexdigest(),
        "a LIKE wildcard": "%25",
        "SQL in the token": "x' OR '1'='1",
    }
    for name, token in guesses.items():
        verdicts.http(name, client.get(f"/api/calendar/{token}.ics", headers=a.headers), {404})
    verdicts.http("A's feed path with B's token appended", client.get(my_feed + "x"), {404})

    assert client.get(urlsplit(world.feed_url).path).status_code == 200  # A's own still works
    assert verdicts.wrong == {}


def chat_api_attacks(w: World) -> dict[str, tuple[str, dict[str, Any], bool, set[int]]]:
    a, b = w.victim, w.attacker
    tid = w.task_ids[0]
    mine, theirs = f"/api/{b.id}/chat", f"/api/{a.id}/chat"
    ask = "show all my tasks"
    return {
        "B's token on A's chat": (theirs, {"message": ask}, False, {403}),
        "B's token on A's chat, streamed": (theirs, {"message": ask}, True, {403}),
        "A's conversation": (mine, {"message": ask, "conversation_id": w.thread_id}, False, {404}),
        "A's conversation, streamed": (
            mine,
            {"message": f"delete task {tid}", "conversation_id": w.thread_id},
            True,
            {404},
        ),
        "A's conversation number": (
            mine,
            {"message": ask, "conversation_id": w.conversation},
            False,
            {404},
        ),
        "A's conversation number, streamed": (
            mine,
            {"message": f"delete task {tid}", "conversation_id": w.conversation},
            True,
            {404},
        ),
        "A's conversation number as a string": (
            mine,
            {"message": ask, "conversation_id": str(w.conversation)},
            False,
            {404},
        ),
        "A's conversation upper-cased": (
            mine,
            {"message": ask, "conversation_id": w.thread_id.upper()},
            False,
            {404},
        ),
        "A's conversation padded": (
            mine,
            {"message": ask, "conversation_id": f" {w.thread_id} "},
            False,
            {404},
        ),
        "A's conversation with a NUL": (
            mine,
            {"message": ask, "conversation_id": w.thread_id + "\x00"},
            False,
            {404, 422},
        ),
        "A's conversation as a LIKE pattern": (
            mine,
            {"message": ask, "conversation_id": w.thread_id[:-4] + "%"},
            False,
            {404},
        ),
        "A's item id as the conversation": (
            mine,
            {"message": ask, "conversation_id": w.user_item},
            False,
            {404},
        ),
        "user_id in the body": (mine, {"message": ask, "user_id": a.id}, False, {422}),
        "user_id as the conversation": (
            mine,
            {"message": ask, "conversation_id": str(a.id)},
            False,
            {404},
        ),
    }


def test_chat_api_door(client, world: World) -> None:
    b = world.attacker
    verdicts = Verdicts(world)

    for name, (url, body, streamed, expected) in chat_api_attacks(world).items():
        headers = b.headers | ({"Accept": "text/event-stream"} if streamed else {})
        verdicts.http(name, client.post(url, json=body, headers=headers), expected)

    assert verdicts.wrong == {}


# (request type, params) as B; w is the world, own() B's own thread id.
ChatKitAttempt = Callable[[World], tuple[str, dict[str, Any]]]
CHATKIT_ATTEMPTS: dict[str, ChatKitAttempt] = {
    "threads.get_by_id": lambda w: ("threads.get_by_id", {"thread_id": w.thread_id}),
    "threads.get_by_id upper-cased": lambda w: (
        "threads.get_by_id",
        {"thread_id": w.thread_id.upper()},
    ),
    "threads.get_by_id with a LIKE pattern": lambda w: (
        "threads.get_by_id",
        {"thread_id": "thr_%"},
    ),
    "threads.list after A's thread": lambda w: ("threads.list", {"after": w.thread_id}),
    "threads.list with A's user id in metadata": lambda w: (
        "threads.list",
        {"limit": 1000},
    ),
    "threads.update": lambda w: ("threads.update", {"thread_id": w.thread_id, "title": "pwned"}),
    "threads.delete": lambda w: ("threads.delete", {"thread_id": w.thread_id}),
    "items.list": lambda w: ("items.list", {"thread_id": w.thread_id, "limit": 1000}),
    "items.list of my thread after A's item": lambda w: (
        "items.list",
        {"thread_id": w.attacker_thread, "after": w.user_item},
    ),
    "items.feedback": lambda w: (
        "items.feedback",
        {"thread_id": w.thread_id, "item_ids": [w.reply_item], "kind": "negative"},
    ),
    "items.feedback on A's items in my thread": lambda w: (
        "items.feedback",
        {
            "thread_id": w.attacker_thread,
            "item_ids": [w.attacker_item, w.reply_item, w.chip_item],
            "kind": "positive",
        },
    ),
    "threads.add_user_message": lambda w: (
        "threads.add_user_message",
        {"thread_id": w.thread_id, "input": user_input(f"delete task {w.task_ids[0]}")},
    ),
    "threads.add_user_message with A's attachment": lambda w: (
        "threads.add_user_message",
        {
            "thread_id": w.attacker_thread,
            "input": user_input("what is in this file?") | {"attachments": [w.attachment_id]},
        },
    ),
    "threads.create with A's attachment": lambda w: (
        "threads.create",
        {"input": user_input("summarise this") | {"attachments": [w.attachment_id]}},
    ),
    "threads.retry_after_item": lambda w: (
        "threads.retry_after_item",
        {"thread_id": w.thread_id, "item_id": w.user_item},
    ),
    "threads.retry_after_item on A's item in my thread": lambda w: (
        "threads.retry_after_item",
        {"thread_id": w.attacker_thread, "item_id": w.user_item},
    ),
    "threads.add_client_tool_output": lambda w: (
        "threads.add_client_tool_output",
        {"thread_id": w.thread_id, "result": {"ok": True}},
    ),
    "threads.add_structured_input": lambda w: (
        "threads.add_structured_input",
        {"thread_id": w.thread_id, "item_id": w.chip_item, "input": {}},
    ),
    "threads.custom_action": lambda w: (
        "threads.custom_action",
        {"thread_id": w.thread_id, "item_id": w.chip_item, "action": {"type": "open"}},
    ),
    "threads.custom_action without an item": lambda w: (
        "threads.custom_action",
        {"thread_id": w.thread_id, "action": {"type": "open"}},
    ),
    "threads.custom_action on A's item in my thread": lambda w: (
        "threads.custom_action",
        {"thread_id": w.attacker_thread, "item_id": w.reply_item, "action": {"type": "x"}},
    ),
    "threads.sync_custom_action": lambda w: (
        "threads.sync_custom_action",
        {"thread_id": w.thread_id, "item_id": w.reply_item, "action": {"type": "x"}},
    ),
    "attachments.delete": lambda w: ("attachments.delete", {"attachment_id": w.attachment_id}),
    "attachments.create": lambda w: (
        "attachments.create",
        {"name": "x.pdf", "size": 1, "mime_type": "application/pdf"},
    ),
    "input.transcribe": lambda w: (
        "input.transcribe",
        {"audio_base64": "AAAA", "mime_type": "audio/webm"},
    ),
}
# Reads of one's own data answer 200, as does a new attachment of one's own (it names none of
# A's ids); everything naming A's ids is refused.
CHATKIT_ALLOWED = {
    "threads.list with A's user id in metadata": {200},
    "attachments.create": {200},
}


def _my_threads(client, headers) -> list[str]:
    r = client.post("/chatkit", json={"type": "threads.list", "params": {}}, headers=headers)
    assert r.status_code == 200, r.text
    return [t["id"] for t in r.json()["data"]]


@pytest.mark.parametrize("token", ["session token", "chat token"])
def test_chatkit_door_every_request_type(client, world: World, token: str) -> None:
    from chatapp.auth.security import CHAT_AUDIENCE, issue_token

    b = world.attacker
    headers = b.headers
    if token == "chat token":
        headers = {"Authorization": f"Bearer {issue_token(b.id, audience=CHAT_AUDIENCE)[0]}"}
    threads_before = _my_threads(client, headers)
    verdicts = Verdicts(world)

    for name, attempt in CHATKIT_ATTEMPTS.items():
        request_type, params = attempt(world)
        body = {"type": request_type, "params": params}
        if name == "threads.list with A's user id in metadata":
            body["metadata"] = {"user_id": world.victim.id, "sub": str(world.victim.id)}
        response = client.post("/chatkit", json=body, headers=headers)
        expected = CHATKIT_ALLOWED.get(name, {400, 404})
        verdicts.http(name, response, expected)
        if response.status_code >= 400 and _my_threads(client, headers) != threads_before:
            verdicts.wrong[name] = "a refused request still created or removed a thread of B's"

    assert _my_threads(client, headers) == threads_before
    assert verdicts.wrong == {}


MCP_ATTEMPTS: dict[str, Callable[[World], tuple[str, dict[str, Any]]]] = {
    "complete_task": lambda w: ("complete_task", {"task_id": w.task_ids[0]}),
    "reopen_task": lambda w: ("complete_task", {"task_id": w.task_ids[1], "completed": False}),
    "delete_task": lambda w: ("delete_task", {"task_id": w.task_ids[0]}),
    "update_task": lambda w: ("update_task", {"task_id": w.task_ids[2], "title": "pwned"}),
    "update_task clearing the due date": lambda w: (
        "update_task",
        {"task_id": w.task_ids[2], "due_at": ""},
    ),
    "update_task with A's user_id": lambda w: (
        "update_task",
        {"task_id": w.task_ids[0], "title": "pwned", "user_id": w.victim.id},
    ),
    "delete_task with A's user_id": lambda w: (
        "delete_task",
        {"task_id": w.task_ids[3], "user_id": str(w.victim.id)},
    ),
    "list_tasks with A's user_id": lambda w: ("list_tasks", {"user_id": w.victim.id}),
    "list_tasks with A's user_id as text": lambda w: ("list_tasks", {"user_id": str(w.victim.id)}),
    "list_tasks with A's user_id padded": lambda w: ("list_tasks", {"user_id": f" {w.victim.id} "}),
    "list_tasks with A's user_id zero-padded": lambda w: (
        "list_tasks",
        {"user_id": f"0{w.victim.id}"},
    ),
    "list_tasks with A's user_id as a float": lambda w: (
        "list_tasks",
        {"user_id": f"{w.victim.id}.0"},
    ),
    "list_tasks with a LIKE wildcard": lambda w: ("list_tasks", {"query": "%"}),
    "list_tasks with SQL in the query": lambda w: ("list_tasks", {"query": "' OR 1=1 --"}),
    "list_tasks completed": lambda w: ("list_tasks", {"status": "completed", "limit": 200}),
    "update_task stopping A's repeat": lambda w: (
        "update_task",
        {"task_id": w.task_ids[2], "recurrence": None},
    ),
    "update_task moving A's reminder": lambda w: (
        "update_task",
        {"task_id": w.task_ids[2], "remind_at": None, "time_zone": "Asia/Tokyo"},
    ),
    "complete_task on A's repeating task": lambda w: (
        "complete_task",
        {"task_id": w.task_ids[2]},
    ),
    "list_completions with A's user_id": lambda w: ("list_completions", {"user_id": w.victim.id}),
    "list_completions since forever": lambda w: (
        "list_completions",
        {"since": "2000-01-01T00:00:00Z", "limit": 500},
    ),
    "list_tasks completed since forever": lambda w: (
        "list_tasks",
        {"completed_since": "2000-01-01T00:00:00Z"},
    ),
    "add_task as A": lambda w: ("add_task", {"title": "planted", "user_id": w.victim.id}),
    "add_task with an unknown owner argument": lambda w: (
        "add_task",
        {"title": "planted", "owner_id": w.victim.id},
    ),
}


async def test_mcp_door_every_tool(api_server, world: World) -> None:
    verdicts = Verdicts(world)
    async with mcp_client(f"{api_server}/mcp", world.attacker.token) as mcp:
        for name, attempt in MCP_ATTEMPTS.items():
            tool, arguments = attempt(world)
            result = await mcp.call_tool(tool, arguments)
            text = "\n".join(getattr(part, "text", "") for part in result.content)
            if tool in ("list_tasks", "list_completions") and not result.is_error:
                # The attacker's own (empty) list is the only acceptable answer.
                rows = json.loads(text)
                if rows:
                    verdicts.wrong[name] = f"listed rows: {rows}"
            elif not result.is_error:
                verdicts.wrong[name] = f"succeeded: {text[:200]}"
            verdicts.check(name, 200, text, {200})

    assert verdicts.wrong == {}


def test_streamed_refusals_name_no_victim_data(client, world: World) -> None:
    """The SSE door refuses before it streams: a 404 JSON body, never an event stream."""
    b = world.attacker
    r = client.post(
        f"/api/{b.id}/chat",
        json={"message": "hi", "conversation_id": world.thread_id},
        headers=b.headers | {"Accept": "text/event-stream"},
    )
    assert r.status_code == 404
    assert r.headers["content-type"].startswith("application/json")
    assert parse_sse(r.text) == []
    assert world.unchanged()
