"""The offline model's test kit: a fixed clock and an in-memory task store behind real tools,
shared by tests/agent, its held-out evaluation and the reliability fuzzing."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal
from zoneinfo import ZoneInfo

from agents import Agent, FunctionTool, Runner, RunResult, function_tool, set_tracing_disabled
from agents.items import ToolCallItem

from chatapp.agent import OfflineModel
from chatapp.tools.contract import NOT_FOUND, failure_json

set_tracing_disabled(True)

NOW = datetime(2026, 11, 23, 14, 5, tzinfo=ZoneInfo("Europe/Paris"))
INSTRUCTIONS = (
    "You manage the signed-in user's to-do list with the task tools.\n"
    "Current date and time: 2026-11-23T14:05:00+01:00 (Europe/Paris)"
)

Priority = Literal["low", "medium", "high"]


@dataclass
class TodoStore:
    """The task tool contract, kept in memory, recording every call it receives."""

    tasks: dict[int, dict[str, Any]] = field(default_factory=dict)
    calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    next_id: int = 1

    def seed(self, title: str, **fields: Any) -> int:
        task_id = self.next_id
        self.next_id += 1
        self.tasks[task_id] = {
            "id": task_id,
            "title": title,
            "completed": fields.get("completed", False),
            "priority": fields.get("priority"),
            "due_at": fields.get("due_at"),
            "tags": fields.get("tags") or [],
            "description": fields.get("description"),
        }
        return task_id

    def names(self) -> list[str]:
        return [name for name, _ in self.calls]

    def tools(self) -> list[FunctionTool]:
        return [
            function_tool(self.add_task),
            function_tool(self.list_tasks),
            function_tool(self.complete_task),
            function_tool(self.delete_task),
            function_tool(self.update_task),
        ]

    def add_task(
        self,
        title: str,
        description: str | None = None,
        priority: Priority | None = None,
        due_at: str | None = None,
        tags: list[str] | None = None,
    ) -> str:
        """Add a task to the user's list."""
        fields = {"description": description, "priority": priority, "due_at": due_at, "tags": tags}
        self.calls.append(("add_task", {"title": title, **fields}))
        task_id = self.seed(title, **fields)
        given = {key: value for key, value in fields.items() if value}
        return json.dumps({"task_id": task_id, "status": "created", "title": title, **given})

    def list_tasks(
        self,
        status: Literal["all", "pending", "completed"] = "all",
        query: str | None = None,
        priority: Priority | None = None,
        tag: str | None = None,
        due_before: str | None = None,
        due_after: str | None = None,
    ) -> str:
        """List the user's tasks, optionally filtered (due_before is exclusive, as in the app)."""
        filters = {"query": query, "priority": priority, "tag": tag}
        filters |= {"due_before": due_before, "due_after": due_after}
        self.calls.append(("list_tasks", {"status": status, **filters}))
        rows = list(self.tasks.values())
        if status != "all":
            rows = [row for row in rows if row["completed"] == (status == "completed")]
        if query:
            rows = [row for row in rows if query.lower() in row["title"].lower()]
        if tag:
            rows = [row for row in rows if tag in row["tags"]]
        if priority:
            rows = [row for row in rows if row["priority"] == priority]
        if due_before:
            rows = [row for row in rows if _due(row) and _due(row) < _parse(due_before)]
        if due_after:
            rows = [row for row in rows if _due(row) and _due(row) >= _parse(due_after)]
        return json.dumps(rows)

    def complete_task(self, task_id: int, completed: bool = True) -> str:
        """Mark a task done, or not done."""
        self.calls.append(("complete_task", {"task_id": task_id, "completed": completed}))
        task = self.tasks.get(task_id)
        if task is None:
            return failure_json(NOT_FOUND, f"Task {task_id} not found")
        task["completed"] = completed
        status = "completed" if completed else "reopened"
        return json.dumps({"task_id": task_id, "status": status, "title": task["title"]})

    def delete_task(self, task_id: int) -> str:
        """Delete a task."""
        self.calls.append(("delete_task", {"task_id": task_id}))
        task = self.tasks.pop(task_id, None)
        if task is None:
            return failure_json(NOT_FOUND, f"Task {task_id} not found")
        return json.dumps({"task_id": task_id, "status": "deleted", "title": task["title"]})

    def update_task(
        self,
        task_id: int,
        title: str | None = None,
        description: str | None = None,
        priority: Priority | None = None,
        due_at: str | None = None,
        tags: list[str] | None = None,
    ) -> str:
        """Change some fields of a task."""
        changes = {"title": title, "description": description, "priority": priority}
        changes |= {"due_at": due_at, "tags": tags}
        self.calls.append(("update_task", {"task_id": task_id, **changes}))
        task = self.tasks.get(task_id)
        if task is None:
            return failure_json(NOT_FOUND, f"Task {task_id} not found")
        task.update({key: value for key, value in changes.items() if value is not None})
        for key in ("due_at", "description"):  # as in the app, an empty string removes it
            task[key] = task[key] or None
        return json.dumps({"task_id": task_id, "status": "updated", "title": task["title"]})


def _parse(value: str) -> datetime:
    return datetime.fromisoformat(value)


def _due(row: dict[str, Any]) -> datetime | None:
    return _parse(row["due_at"]) if row["due_at"] else None


def make_agent(tools: list[Any]) -> Agent:
    return Agent(name="Todo", instructions=INSTRUCTIONS, model=OfflineModel(), tools=tools)


async def run(
    store: TodoStore, message: str | list[Any], tools: list[Any] | None = None
) -> RunResult:
    """One user turn through the real Runner."""
    agent = make_agent(store.tools() if tools is None else tools)
    return await Runner.run(agent, message)


def raw_calls(result: RunResult) -> list[tuple[str, dict[str, Any]]]:
    """The function calls exactly as the model emitted them (name, decoded JSON arguments)."""
    calls = []
    for item in result.new_items:
        if isinstance(item, ToolCallItem):
            raw = item.raw_item
            calls.append((raw.name, json.loads(raw.arguments)))  # type: ignore[union-attr]
    return calls
