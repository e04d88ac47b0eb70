"""The chat doors as a user meets them: one chat turn over HTTP, SSE parsing, ChatKit request
bodies, and the clock a phrase like "tomorrow at 5pm" is read against."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from tests.support.auth import QuickUser

TZ_NAME = "Europe/Paris"
TZ = ZoneInfo(TZ_NAME)


def parse_sse(text: str) -> list[tuple[str | None, Any]]:
    """(event name or None, decoded data) for every event of a text/event-stream body."""
    events = []
    for block in text.split("\n\n"):
        name, data = None, []
        for line in block.split("\n"):
            if line.startswith("event:"):
                name = line[6:].strip()
            elif line.startswith("data:"):
                data.append(line[5:].removeprefix(" "))
        if data:
            events.append((name, json.loads("\n".join(data))))
    return events


def user_input(text: str) -> dict[str, Any]:
    return {
        "content": [{"type": "input_text", "text": text}],
        "attachments": [],
        "inference_options": {},
    }


def chatkit_body(request_type: str, /, **params: Any) -> dict[str, Any]:
    return {"type": request_type, "params": params}


class Chat:
    """One user talking to the app through the real HTTP stack."""

    def __init__(self, client, user: QuickUser) -> None:
        self.client = client
        self.user = user

    def post(self, message: str, conversation_id: int | str | None = None, **extra: Any):
        body: dict[str, Any] = {"message": message, "conversation_id": conversation_id, **extra}
        return self.client.post(self.user.chat_url, json=body, headers=self.user.headers)

    def say(
        self,
        message: str,
        conversation_id: int | str | None = None,
        timezone: str | None = TZ_NAME,
    ) -> dict[str, Any]:
        """One turn through POST /api/{id}/chat; fails the test unless it answers 200."""
        extra = {"timezone": timezone} if timezone else {}
        response = self.post(message, conversation_id, **extra)
        assert response.status_code == 200, response.text
        return response.json()

    def stream(self, message: str, conversation_id: int | str | None = None):
        body = {"message": message, "conversation_id": conversation_id, "timezone": TZ_NAME}
        headers = self.user.headers | {"Accept": "text/event-stream"}
        return self.client.post(self.user.chat_url, json=body, headers=headers)

    def add_task(self, title: str, **fields: Any) -> int:
        """A task created over the REST API (not through the chat)."""
        if isinstance(fields.get("due_at"), datetime):
            fields["due_at"] = fields["due_at"].isoformat()
        response = self.client.post(
            self.user.tasks_url, json={"title": title, **fields}, headers=self.user.headers
        )
        assert response.status_code == 201, response.text
        return response.json()["id"]

    def seed(self, rows: dict[str, dict[str, Any]]) -> dict[str, int]:
        """Tasks written straight to the database in one transaction: key -> id.

        Setup for tests that are about the chat, not about creating tasks (which
        `add_task` does over HTTP); the rows are what the task service would write.
        """
        from chatapp.db import session_scope
        from chatapp.db.models import Task, utcnow

        with session_scope() as session:
            tasks = {}
            for key, fields in rows.items():
                done = fields.get("completed", False)
                if fields.get("due_at"):  # the service stores UTC; SQLite would drop the offset
                    fields = fields | {"due_at": fields["due_at"].astimezone(UTC)}
                tasks[key] = Task(
                    user_id=self.user.id, completed_at=utcnow() if done else None, **fields
                )
                session.add(tasks[key])
                session.flush()
            return {key: task.id for key, task in tasks.items()}

    def tasks(self) -> list[dict[str, Any]]:
        """Every task row of this user, as GET /api/{id}/tasks returns it."""
        response = self.client.get(
            self.user.tasks_url, params={"limit": 200}, headers=self.user.headers
        )
        assert response.status_code == 200, response.text
        return response.json()

    def chatkit(self, request_type: str, /, **params: Any):
        """One ChatKit protocol request through POST /chatkit."""
        return self.client.post(
            "/chatkit", json=chatkit_body(request_type, **params), headers=self.user.headers
        )

    def chatkit_ok(self, request_type: str, /, **params: Any) -> Any:
        """The decoded answer: JSON for plain requests, the list of event payloads for streams."""
        response = self.chatkit(request_type, **params)
        assert response.status_code == 200, response.text
        if response.headers["content-type"].startswith("text/event-stream"):
            return [data for _, data in parse_sse(response.text)]
        return response.json()

    def items(self, thread_id: str) -> list[dict[str, Any]]:
        """Every visible item of a thread, oldest first, read through items.list paging."""
        items: list[dict[str, Any]] = []
        after = None
        while True:
            page = self.chatkit_ok(
                "items.list", thread_id=thread_id, order="asc", limit=50, after=after
            )
            items.extend(page["data"])
            if not page["has_more"]:
                return items
            after = page["after"]


def due(row: dict[str, Any]) -> datetime | None:
    """A task row's due date as an aware datetime in the test zone."""
    value = row.get("due_at")
    return datetime.fromisoformat(value).astimezone(TZ) if value else None


def local_now() -> datetime:
    return datetime.now(TZ)


def at(day_offset: int, hour: int, minute: int = 0, now: datetime | None = None) -> datetime:
    """`day_offset` days from today at hour:minute, in the test zone."""
    now = now or local_now()
    day = now.date() + timedelta(days=day_offset)
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ)


def text_deltas(events: list[dict[str, Any]]) -> list[str]:
    return [
        event["update"]["delta"]
        for event in events
        if event.get("type") == "thread.item.updated"
        and event["update"].get("type") == "assistant_message.content_part.text_delta"
    ]


def done_items(events: list[dict[str, Any]], item_type: str) -> list[dict[str, Any]]:
    return [
        event["item"]
        for event in events
        if event.get("type") == "thread.item.done" and event["item"]["type"] == item_type
    ]


def item_text(item: dict[str, Any]) -> str:
    return "".join(part.get("text", "") for part in item.get("content", []))
