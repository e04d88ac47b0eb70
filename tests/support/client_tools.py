"""Client tools without a browser: a real user (row + token) talking to the real chat core
in-process, and what one ChatKit request streamed back."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from chatkit.types import (
    AssistantMessageItem,
    ClientToolCallItem,
    ThreadCreatedEvent,
    ThreadItem,
    ThreadItemDoneEvent,
    ThreadStreamEvent,
)
from pydantic import TypeAdapter

from chatapp.chat.server import TodoChatServer
from chatapp.chat.store import RequestContext
from chatapp.chat.turns import stream_turn
from tests.support.auth import insert_user

_EVENT = TypeAdapter(ThreadStreamEvent)


@dataclass
class Turn:
    """One ChatKit request's events, and what its run context collected."""

    events: list[ThreadStreamEvent]
    ctx: RequestContext

    @property
    def thread_id(self) -> str | None:
        return next((e.thread.id for e in self.events if isinstance(e, ThreadCreatedEvent)), None)

    @property
    def replies(self) -> list[str]:
        return [
            "".join(part.text for part in e.item.content)
            for e in self.events
            if isinstance(e, ThreadItemDoneEvent) and isinstance(e.item, AssistantMessageItem)
        ]

    @property
    def client_calls(self) -> list[ClientToolCallItem]:
        return [
            e.item
            for e in self.events
            if isinstance(e, ThreadItemDoneEvent) and isinstance(e.item, ClientToolCallItem)
        ]

    @property
    def tool_names(self) -> list[str]:
        return [call.name for call in self.ctx.tool_calls]


@dataclass
class Person:
    """A signed-up user talking to the chat core in-process."""

    id: int
    token: str
    server: TodoChatServer
    thread_id: str | None = None
    turns: list[Turn] = field(default_factory=list)

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def add_task(self, title: str):
        from chatapp.tasks import service
        from chatapp.tasks.schemas import TaskCreate

        return service.create_task(self.id, TaskCreate(title=title))

    async def say(self, message: str) -> Turn:
        ctx = RequestContext(user_id=self.id)
        events = [e async for e in stream_turn(self.server, ctx, message, self.thread_id)]
        turn = Turn(events, ctx)
        self.thread_id = self.thread_id or turn.thread_id
        return turn

    async def answer(self, result: Any, thread_id: str | None = None) -> Turn:
        """What the browser sends once it ran the pending client tool."""
        ctx = RequestContext(user_id=self.id)
        params = {"thread_id": thread_id or self.thread_id, "result": result}
        request = json.dumps({"type": "threads.add_client_tool_output", "params": params})
        streamed = await self.server.process(request, ctx)
        events = []
        async for chunk in streamed:
            for line in chunk.split(b"\n"):
                if line.startswith(b"data: "):
                    events.append(_event(line[6:]))
        return Turn(events, ctx)

    async def items(self, thread_id: str | None = None) -> list[ThreadItem]:
        page = await self.server.store.load_thread_items(
            thread_id or self.thread_id, None, 100, "asc", RequestContext(user_id=self.id)
        )
        return page.data


def _event(raw: bytes) -> ThreadStreamEvent:
    return _EVENT.validate_json(raw)


def make_person(email: str) -> Person:
    user = insert_user(email)
    return Person(id=user.id, token=user.token, server=TodoChatServer())
