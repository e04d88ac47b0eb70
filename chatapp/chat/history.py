"""How tool calls live in a thread, and how a thread becomes model input again.

A server-side tool call is stored as two items: a visible `TaskItem` (the chip users see) and a
`HiddenContextItem` holding the exact call and output (its record). The converter turns the hidden
item back into a real `function_call` + `function_call_output` pair, so every model (offline or
LLM) sees earlier tool results exactly as it produced them, and skips the chip.

When one run chains calls (no reply between them), the first call's chip becomes a `WorkflowItem`
under the same id (same place in the thread) and each call is one of its tasks: every record names
the workflow as its chip and its task as `step`.

The chip's text is written for ChatKit's renderer and never read back: the record names its chip
(`chip_id`), and the native chat takes a chip's tool, arguments and result from that record.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from agents import TResponseInputItem
from chatkit.agents import ThreadItemConverter
from chatkit.types import (
    AssistantMessageItem,
    Attachment,
    CustomSummary,
    CustomTask,
    HiddenContextItem,
    ImageAttachment,
    TaskItem,
    ThoughtTask,
    ThreadItem,
    ThreadMetadata,
    UserMessageItem,
    UserMessageTagContent,
    UserMessageTextContent,
    Workflow,
    WorkflowItem,
)

from chatapp.attachments import model_input
from chatapp.chat.entities import tag_text
from chatapp.tools import names
from chatapp.tools.contract import ToolFailure, failure_of

TOOL_CALL_KIND = "tool_call"
# Replies that report a failed turn start with this; they are shown, never replayed to the model.
ERROR_REPLY_PREFIX = "⚠️ "
NEW_THREAD_TITLE = "New chat"  # a thread with no title yet
GENERATED_TITLE_MAX = 60  # a title made from the first message
THREAD_TITLE_MAX = 100  # a title a user gives a thread

TOOL_LABELS = {
    names.ADD_TASK: ("Added a task", "plus"),
    names.LIST_TASKS: ("Looked up tasks", "search"),
    names.COMPLETE_TASK: ("Completed a task", "check"),
    names.DELETE_TASK: ("Deleted a task", "lucide:trash-2"),
    names.UPDATE_TASK: ("Updated a task", "write"),
    names.OPEN_TASK: ("Opened a task", "external-link"),
    names.ATTACH_FILES: ("Attached files", "lucide:paperclip"),
}
REOPENED_LABEL = ("Reopened a task", "reload")  # complete_task with completed=false
FAILED_ICON = "lucide:circle-alert"


@dataclass
class ToolCallRecord:
    call_id: str
    name: str
    arguments: dict[str, Any]
    output: str
    chip_id: str = ""  # the TaskItem or WorkflowItem that shows this call ("" when none does)
    step: int = 0  # its task's index when the chip is a workflow

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "arguments": self.arguments, "output": self.output}

    @property
    def failure(self) -> ToolFailure | None:
        return failure_of(self.output)

    @property
    def failed(self) -> bool:
        return self.failure is not None


def error_reply(text: str) -> str | None:
    """What a reply reporting a failed turn says (without its marker); None for any other reply."""
    return text[len(ERROR_REPLY_PREFIX) :] if text.startswith(ERROR_REPLY_PREFIX) else None


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
    if result.get("completed") is True:
        return []  # a finished task neither repeats nor reminds any more
    facts = []
    if isinstance(result.get("recurrence_text"), str) and result["recurrence_text"]:
        facts.append(f"repeats {result['recurrence_text']}")
    if result.get("remind_at") and not result.get("reminded_at"):
        facts.append("reminder set")
    return facts


def step_task(record: ToolCallRecord) -> CustomTask:
    """What a chip (or a workflow's step) shows for one call."""
    label, icon = TOOL_LABELS.get(record.name, (f"Called {record.name}", "bolt"))
    if record.name == names.COMPLETE_TASK and record.arguments.get("completed") is False:
        label, icon = REOPENED_LABEL
    title = " · ".join([f"{label} ({record.name})", *schedule_facts(record.output)])
    failure = record.failure
    if failure is not None:
        # Both renderers show the chip as it is stored: a failure must read as one in it.
        title, icon = f"Failed: {failure.message} ({record.name})", FAILED_ICON
    return CustomTask(
        title=title,
        icon=icon,
        content=chip_content(record),
        status_indicator="none" if failure is not None else "complete",
    )


def _hidden_record(record: ToolCallRecord, thread: ThreadMetadata, new_id, now: datetime):
    content = {"kind": TOOL_CALL_KIND, **record.to_json(), "call_id": record.call_id}
    content["chip_id"] = record.chip_id
    if record.step:
        content["step"] = record.step
    return HiddenContextItem(
        id=new_id("message"), thread_id=thread.id, created_at=now, content=content
    )


def tool_call_items(
    record: ToolCallRecord, thread: ThreadMetadata, new_id, now: datetime
) -> tuple[TaskItem, HiddenContextItem]:
    """The chip and the record of one call; `record.chip_id` is set to the chip's id."""
    chip = TaskItem(id=new_id("task"), thread_id=thread.id, created_at=now, task=step_task(record))
    record.chip_id = chip.id
    return chip, _hidden_record(record, thread, new_id, now)


def steps_summary(count: int) -> CustomSummary:
    return CustomSummary(title=f"{count} steps", icon="bolt")


def chained_call_items(
    shown: TaskItem | WorkflowItem, record: ToolCallRecord, thread: ThreadMetadata, new_id, now
) -> tuple[WorkflowItem, HiddenContextItem]:
    """The next call of a chain: the chip (or workflow) showing the earlier calls becomes, or
    stays, one workflow under its own id with this call as its next task, plus this call's record."""
    if isinstance(shown, TaskItem):
        workflow = WorkflowItem(
            id=shown.id,
            thread_id=shown.thread_id,
            created_at=shown.created_at,
            workflow=Workflow(type="custom", tasks=[shown.task]),
        )
    else:
        workflow = shown.model_copy(deep=True)
    tasks = workflow.workflow.tasks
    record.chip_id, record.step = workflow.id, len(tasks)
    tasks.append(step_task(record))
    workflow.workflow.summary = steps_summary(len(tasks))
    return workflow, _hidden_record(record, thread, new_id, now)


def with_thought(workflow: WorkflowItem, text: str) -> WorkflowItem:
    """The workflow with the model's summary of its reasoning as its last task."""
    changed = workflow.model_copy(deep=True)
    changed.workflow.tasks.append(ThoughtTask(title="Reasoning", content=text))
    return changed


def record_of(item: HiddenContextItem) -> ToolCallRecord | None:
    content = item.content
    if not isinstance(content, dict) or content.get("kind") != TOOL_CALL_KIND:
        return None
    return ToolCallRecord(
        call_id=str(content.get("call_id", "")),
        name=str(content.get("name", "")),
        arguments=dict(content.get("arguments") or {}),
        output=str(content.get("output", "")),
        chip_id=str(content.get("chip_id", "")),
        step=int(content.get("step") or 0),
    )


def by_chip(records: Iterable[ToolCallRecord]) -> dict[str, list[ToolCallRecord]]:
    """Records by the chip or workflow that shows them, each workflow's in step order."""
    grouped: dict[str, list[ToolCallRecord]] = {}
    for record in records:
        if record.chip_id:
            grouped.setdefault(record.chip_id, []).append(record)
    for group in grouped.values():
        group.sort(key=lambda record: record.step)
    return grouped


def chip_records(items: Sequence[ThreadItem]) -> dict[str, list[ToolCallRecord]]:
    """The records of each chip or workflow among a thread's items, by its id. A record stored
    before records named their chip belongs to the chip just before it (the two are always
    stored together)."""
    records: list[ToolCallRecord] = []
    for before, item in zip([None, *items], items, strict=False):
        record = record_of(item) if isinstance(item, HiddenContextItem) else None
        if record is None:
            continue
        if not record.chip_id and isinstance(before, TaskItem):
            record.chip_id = before.id
        records.append(record)
    return by_chip(records)


# The newest user message of the input being converted: only its images are sent as images.
_newest_user_message: ContextVar[str | None] = ContextVar(
    "chatapp_newest_user_message", default=None
)


class TodoItemConverter(ThreadItemConverter):
    async def to_agent_input(
        self, thread_items: Sequence[ThreadItem] | ThreadItem
    ) -> list[TResponseInputItem]:
        items = list(thread_items) if isinstance(thread_items, Sequence) else [thread_items]
        newest = next((i.id for i in reversed(items) if isinstance(i, UserMessageItem)), None)
        token = _newest_user_message.set(newest)
        try:
            return await super().to_agent_input(items)
        finally:
            _newest_user_message.reset(token)

    async def attachment_to_message_content(self, attachment: Attachment):
        return await asyncio.to_thread(model_input.content_part, attachment)

    async def user_message_to_input(
        self, item: UserMessageItem, is_last_message: bool = True
    ) -> TResponseInputItem | list[TResponseInputItem] | None:
        source = item
        if any(isinstance(part, UserMessageTagContent) for part in item.content):
            # A tag the user picked from ChatKit's "@" list names its task or tag plainly.
            content = [
                UserMessageTextContent(text=tag_text(part))
                if isinstance(part, UserMessageTagContent)
                else part
                for part in item.content
            ]
            source = item.model_copy(update={"content": content})
        if item.attachments and item.id != _newest_user_message.get():
            # An earlier message's images are not sent again every turn (they are the costly
            # part); the manifest still names them, so the model can attach them by id.
            kept = [a for a in item.attachments if not isinstance(a, ImageAttachment)]
            source = source.model_copy(update={"attachments": kept})
        converted = await super().user_message_to_input(source, is_last_message)
        if item.attachments and isinstance(converted, list) and converted:
            # Right after the user's words: which files these are, with the ids tools take.
            content = converted[0].get("content")
            if isinstance(content, list):
                content.insert(1, model_input.manifest(item.attachments))  # pyright: ignore[reportArgumentType]  -- content is the user message's input parts; pyright sees every message kind's
        return converted

    async def assistant_message_to_input(
        self, item: AssistantMessageItem
    ) -> TResponseInputItem | list[TResponseInputItem] | None:
        # Plain-text content: Chat Completions models reject Responses-style output_text parts.
        text = "".join(c.text for c in item.content)
        if not text or error_reply(text) is not None:
            return None
        return {"role": "assistant", "content": text}

    async def task_to_input(self, item: TaskItem):
        return None  # the chip's facts come from its hidden twin

    async def workflow_to_input(self, item: WorkflowItem):
        return None  # each step's facts come from its hidden record

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
    if len(words) <= GENERATED_TITLE_MAX:
        title = words
    else:
        cut = words[:GENERATED_TITLE_MAX].rsplit(" ", 1)[0] or words[:GENERATED_TITLE_MAX]
        title = cut + "…"
    return (title[:1].upper() + title[1:]) if title else NEW_THREAD_TITLE
