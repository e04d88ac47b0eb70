"""How tool calls live in a thread, and how a thread becomes model input again.

A server-side tool call is stored as two items: a visible `TaskItem` (the chip users see) and a
`HiddenContextItem` holding the exact call and output. The converter turns the hidden item back
into a real `function_call` + `function_call_output` pair, so every model (offline or LLM) sees
earlier tool results exactly as it produced them, and skips the chip.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from agents import TResponseInputItem
from chatkit.agents import ThreadItemConverter
from chatkit.types import (
    AssistantMessageItem,
    CustomTask,
    HiddenContextItem,
    TaskItem,
    ThreadMetadata,
)

from chatapp.tools.contract import ToolFailure, failure_of

TOOL_CALL_KIND = "tool_call"
# Replies that report a failed turn start with this; they are shown, never replayed to the model.
ERROR_REPLY_PREFIX = "⚠️ "
TITLE_MAX = 60

TOOL_LABELS = {
    "add_task": ("Added a task", "plus"),
    "list_tasks": ("Looked up tasks", "search"),
    "complete_task": ("Updated completion", "check"),
    "delete_task": ("Deleted a task", "lucide:trash-2"),
    "update_task": ("Updated a task", "write"),
    "open_task": ("Opened a task", "external-link"),
}
FAILED_ICON = "lucide:circle-alert"
_CHIP = re.compile(
    r"^\*\*(?P<name>[^*\n]+)\*\*\n```json\n(?P<args>.*?)\n```\n→ ?(?P<result>.*)$", re.S
)


@dataclass
class ToolCallRecord:
    call_id: str
    name: str
    arguments: dict[str, Any]
    output: str

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "arguments": self.arguments, "output": self.output}

    @property
    def failure(self) -> ToolFailure | None:
        return failure_of(self.output)

    @property
    def failed(self) -> bool:
        return self.failure is not None


def parse_arguments(raw: str | None) -> dict[str, Any]:
    try:
        value = json.loads(raw or "{}")
    except json.JSONDecodeError:
        return {"_raw": raw}
    return value if isinstance(value, dict) else {"_value": value}


def chip_content(record: ToolCallRecord) -> str:
    args = json.dumps(record.arguments, ensure_ascii=False, indent=2)
    return f"**{record.name}**\n```json\n{args}\n```\n→ {record.output}"


def schedule_facts(output: str) -> list[str]:
    """What a task tool's result says about repeating and reminding, for the chip's title."""
    try:
        result = json.loads(output)
    except (json.JSONDecodeError, TypeError):
        return []
    if not isinstance(result, dict) or result.get("status") == "deleted":
        return []
    facts = []
    if isinstance(result.get("recurrence_text"), str) and result["recurrence_text"]:
        facts.append(f"repeats {result['recurrence_text']}")
    if result.get("remind_at") and not result.get("reminded_at"):
        facts.append("reminder set")
    return facts


def chip_parts(content: str) -> tuple[str, str, str] | None:
    """(tool name, arguments JSON, output) of a chip's content, as `chip_content` wrote them."""
    match = _CHIP.match(content.strip())
    if match is None:
        return None
    return match["name"], match["args"], match["result"].strip()


def tool_call_items(
    record: ToolCallRecord, thread: ThreadMetadata, new_id, now: datetime
) -> tuple[TaskItem, HiddenContextItem]:
    label, icon = TOOL_LABELS.get(record.name, (f"Called {record.name}", "bolt"))
    title = " · ".join([f"{label} ({record.name})", *schedule_facts(record.output)])
    failure = record.failure
    if failure is not None:
        # Both renderers show the chip as it is stored: a failure must read as one in it.
        title, icon = f"Failed: {failure.message} ({record.name})", FAILED_ICON
    chip = TaskItem(
        id=new_id("task"),
        thread_id=thread.id,
        created_at=now,
        task=CustomTask(
            title=title,
            icon=icon,
            content=chip_content(record),
            status_indicator="none" if failure is not None else "complete",
        ),
    )
    hidden = HiddenContextItem(
        id=new_id("message"),
        thread_id=thread.id,
        created_at=now,
        content={"kind": TOOL_CALL_KIND, **record.to_json(), "call_id": record.call_id},
    )
    return chip, hidden


def record_of(item: HiddenContextItem) -> ToolCallRecord | None:
    content = item.content
    if not isinstance(content, dict) or content.get("kind") != TOOL_CALL_KIND:
        return None
    return ToolCallRecord(
        call_id=str(content.get("call_id", "")),
        name=str(content.get("name", "")),
        arguments=dict(content.get("arguments") or {}),
        output=str(content.get("output", "")),
    )


class TodoItemConverter(ThreadItemConverter):
    async def assistant_message_to_input(
        self, item: AssistantMessageItem
    ) -> TResponseInputItem | list[TResponseInputItem] | None:
        # Plain-text content: Chat Completions models reject Responses-style output_text parts.
        text = "".join(c.text for c in item.content)
        if not text or text.startswith(ERROR_REPLY_PREFIX):
            return None
        return {"role": "assistant", "content": text}

    async def task_to_input(self, item: TaskItem):
        return None  # the chip's facts come from its hidden twin

    async def hidden_context_to_input(
        self, item: HiddenContextItem
    ) -> TResponseInputItem | list[TResponseInputItem] | None:
        record = record_of(item)
        if record is None:
            return None
        return [
            {
                "type": "function_call",
                "call_id": record.call_id,
                "name": record.name,
                "arguments": json.dumps(record.arguments),
            },
            {"type": "function_call_output", "call_id": record.call_id, "output": record.output},
        ]


def thread_title(text: str) -> str:
    """A short title from the first message, made locally (no model call)."""
    words = " ".join(text.split())
    if len(words) <= TITLE_MAX:
        title = words
    else:
        cut = words[:TITLE_MAX].rsplit(" ", 1)[0] or words[:TITLE_MAX]
        title = cut + "…"
    return (title[:1].upper() + title[1:]) if title else "New chat"
