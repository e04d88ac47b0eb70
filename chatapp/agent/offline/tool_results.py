"""Reading what the task tools sent back: JSON payloads and task rows; whether it is a failure
is `chatapp.tools.contract.failure_of`'s answer, never a guess from the words."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from chatapp.tools.contract import failure_of

_WRAPPER_KEYS = ("result", "tasks", "items", "results", "data", "task")


@dataclass(frozen=True)
class ToolResult:
    """A tool output: its decoded payload, and the failure it reports (message and code)."""

    data: Any
    error: str | None = None
    code: str | None = None


@dataclass(frozen=True)
class TaskView:
    """One task as a tool described it; fields the tool left out are None."""

    id: int
    title: str
    completed: bool = False
    priority: str | None = None
    due_at: str | None = None
    tags: tuple[str, ...] = ()
    description: str | None = None
    completed_at: str | None = None
    recurrence: str | None = None
    remind_at: str | None = None


def parse_result(text: str) -> ToolResult:
    """Decode a tool output; a failure is what the tool contract says is one."""
    data = _decode(text)
    failure = failure_of(data if isinstance(data, Mapping) else text)
    if failure is not None:
        return ToolResult(data, failure.message, failure.code)
    if isinstance(data, Mapping):
        return ToolResult(data)
    if isinstance(data, list):
        return ToolResult(data)
    rows = _decode_lines(text)
    if rows is not None:
        return ToolResult(rows)
    stripped = (text or "").strip()
    return ToolResult(stripped or None)


def tasks_in(data: Any) -> list[TaskView] | None:
    """The task rows of a list_tasks payload, or None when it is not a task list."""
    if isinstance(data, Mapping):
        for key in _WRAPPER_KEYS:
            if isinstance(data.get(key), list):
                data = data[key]
                break
        else:
            # A one-row list sent as one content part arrives as the bare row.
            single = task_view(data) if "title" in data else None
            return [single] if single is not None else None
    if not isinstance(data, list):
        return None
    tasks = [task for task in (task_view(row) for row in data) if task is not None]
    return tasks if tasks or not data else None


def task_view(row: Any) -> TaskView | None:
    """A TaskView from one task-shaped mapping (`id` or `task_id`, `title`, ...)."""
    if not isinstance(row, Mapping):
        return None
    if isinstance(row.get("task"), Mapping):
        row = {**row, **row["task"]}
    task_id = as_int(row.get("id", row.get("task_id")))
    if task_id is None:
        return None
    completed = row.get("completed")
    if not isinstance(completed, bool):
        completed = str(row.get("status", "")).lower() in ("completed", "done")
    tags = row.get("tags") or ()
    if isinstance(tags, str):
        tags = [tag for tag in re.split(r"[,\s]+", tags) if tag]
    return TaskView(
        id=task_id,
        title=_one_line(row.get("title")) or f"Task {task_id}",
        completed=completed,
        priority=_text_or_none(row.get("priority")),
        due_at=_text_or_none(row.get("due_at", row.get("due", row.get("due_date")))),
        tags=tuple(str(tag) for tag in tags if isinstance(tag, str | int)),
        description=_text_or_none(row.get("description")),
        completed_at=_text_or_none(row.get("completed_at")),
        recurrence=_text_or_none(row.get("recurrence")),
        remind_at=_text_or_none(row.get("remind_at")),
    )


def as_int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None


def _decode(text: str) -> Any:
    data: Any = text
    for _ in range(2):
        if not isinstance(data, str):
            break
        try:
            data = json.loads(data)
        except (ValueError, TypeError, RecursionError):
            break
    if isinstance(data, Mapping) and set(data) == {"result"}:
        inner = data["result"]
        return _decode(inner) if isinstance(inner, str) else inner
    return data if not isinstance(data, str) or data != text else None


def _decode_lines(text: str) -> list[Any] | None:
    """One JSON value per line: MCP servers may send each list element as its own text part."""
    lines = [line for line in (text or "").splitlines() if line.strip()]
    if len(lines) < 2:
        return None
    rows = []
    for line in lines:
        try:
            rows.append(json.loads(line))
        except (ValueError, RecursionError):
            return None
    return rows


def _one_line(value: Any) -> str:
    if value is None:
        return ""
    return " ".join(str(value).split())


def _text_or_none(value: Any) -> str | None:
    text = _one_line(value)
    return text or None
