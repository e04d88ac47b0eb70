"""What the native chat shows for each ChatKit thread item: plain rows the components render.

Data only (no components, no state), so ChatState can hold lists of these and the components in
components/chat/ render them.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping, Sequence

from chatkit.types import (
    AssistantMessageItem,
    ClientToolCallItem,
    ErrorEvent,
    ImageAttachment,
    TaskItem,
    ThoughtTask,
    ThreadCreatedEvent,
    ThreadItem,
    ThreadItemAddedEvent,
    ThreadItemDoneEvent,
    ThreadItemReplacedEvent,
    ThreadUpdatedEvent,
    UserMessageItem,
    UserMessageTextContent,
    WorkflowItem,
)

from chatapp.chat.entities import ranked_tags
from chatapp.chat.history import (
    FAILED_ICON,
    ToolCallRecord,
    chip_records,
    error_reply,
)
from chatapp.chat.turns import is_text_delta
from chatapp.state.attachments import AttachmentView
from chatapp.tasks.schemas import TaskOut
from chatapp.tools.contract import failure_of
from chatapp.tools.names import OPEN_TASK

CLIENT_TOOL_LABELS = {OPEN_TASK: "Opened a task in the app"}
WAITING_FOR_APP = "Waiting for the app…"


@dataclasses.dataclass
class ToolStep:
    """One call of a workflow: what its chip would show."""

    title: str = ""
    tool_name: str = ""
    tool_args: str = ""
    tool_result: str = ""
    failed: bool = False


@dataclasses.dataclass
class ChatMessage:
    """One rendered thread item. `role` is user, assistant, tool, workflow or error.

    A workflow shows `tool_title` (its summary, "3 steps") and `text` (the model's reasoning
    summary, if it gave one) collapsed, its `steps` expanded."""

    id: str = ""
    role: str = "assistant"
    text: str = ""
    tool_title: str = ""
    tool_name: str = ""
    tool_args: str = ""
    tool_result: str = ""
    failed: bool = False
    attachments: list[AttachmentView] = dataclasses.field(default_factory=list)
    steps: list[ToolStep] = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class ThreadRow:
    id: str = ""
    title: str = ""


@dataclasses.dataclass
class TaskHint:
    """A task the composer can suggest after a verb ("done buy m…" → "Buy milk")."""

    id: int = 0
    title: str = ""
    completed: bool = False


def composer_hints(tasks: Sequence[TaskOut]) -> tuple[list[str], list[TaskHint]]:
    """The composer's suggestions from the user's tasks: tags, most used first (then by name),
    and the tasks themselves, pending first."""
    tags = ranked_tags(tasks)
    hints = [TaskHint(id=t.id, title=t.title, completed=t.completed) for t in tasks]
    return tags, sorted(hints, key=lambda hint: hint.completed)


def _json(value: object) -> str:
    """A call's arguments or result as the chip shows them: indented JSON."""
    return json.dumps(value, ensure_ascii=False, indent=2)


def _pretty(text: str) -> str:
    try:
        return _json(json.loads(text))
    except (json.JSONDecodeError, TypeError):
        return text


def tool_message(item: TaskItem, record: ToolCallRecord | None = None) -> ChatMessage:
    """A tool chip: its stored title, and the call's tool, arguments and result from its record.
    A chip without a record shows its stored text."""
    call = _call(item.task, record)
    return ChatMessage(
        id=item.id,
        role="tool",
        tool_title=call.title,
        tool_name=call.tool_name,
        tool_args=call.tool_args,
        tool_result=call.tool_result,
        failed=call.failed,
    )


def _call(task, record: ToolCallRecord | None) -> ToolStep:
    """What a chip or a workflow step shows of one call: from its record, else its stored text."""
    title = getattr(task, "title", None) or "Tool call"
    if record is None:
        content = getattr(task, "content", None) or ""
        failed = getattr(task, "icon", None) == FAILED_ICON
        return ToolStep(title=title, tool_result=content, failed=failed)
    return ToolStep(
        title=title,
        tool_name=record.name,
        tool_args=_json(record.arguments),
        tool_result=_pretty(record.output.strip()),
        failed=record.failed,
    )


def workflow_message(item: WorkflowItem, records: Sequence[ToolCallRecord] = ()) -> ChatMessage:
    """A chain of calls: one step per call (from its record), the model's thoughts as text."""
    by_step = {record.step: record for record in records}
    workflow = item.workflow
    steps = [
        _call(task, by_step.get(index))
        for index, task in enumerate(workflow.tasks)
        if not isinstance(task, ThoughtTask)
    ]
    thoughts = [task.content for task in workflow.tasks if isinstance(task, ThoughtTask)]
    summary = getattr(workflow.summary, "title", None) or f"{len(steps)} steps"
    return ChatMessage(
        id=item.id,
        role="workflow",
        text=" ".join(thoughts),
        tool_title=summary,
        failed=any(step.failed for step in steps),
        steps=steps,
    )


def client_tool_message(item: ClientToolCallItem) -> ChatMessage:
    """A chip for a call the agent asked the browser to make, with the browser's answer."""
    label = CLIENT_TOOL_LABELS.get(item.name, f"Asked the app to run {item.name}")
    done = item.status == "completed"
    output = item.output
    return ChatMessage(
        id=item.id,
        role="tool",
        tool_title=f"{label} ({item.name})",
        tool_name=item.name,
        tool_args=_json(item.arguments),
        tool_result=_json(output) if done else WAITING_FOR_APP,
        failed=done and failure_of(output) is not None,
    )


def assistant_message(item: AssistantMessageItem) -> ChatMessage:
    text = "".join(part.text for part in item.content)
    failure = error_reply(text)
    if failure is not None:
        return ChatMessage(id=item.id, role="error", text=failure)
    return ChatMessage(id=item.id, role="assistant", text=text)


def user_message(item: UserMessageItem) -> ChatMessage:
    text = "".join(
        part.text if isinstance(part, UserMessageTextContent) else f"@{part.text}"
        for part in item.content
    )
    attachments = [
        AttachmentView(id=a.id, name=a.name, image=isinstance(a, ImageAttachment))
        for a in item.attachments
    ]
    return ChatMessage(id=item.id, role="user", text=text, attachments=attachments)


def to_message(
    item: ThreadItem, records: Mapping[str, Sequence[ToolCallRecord]] | None = None
) -> ChatMessage | None:
    """What the chat shows for an item (`records`: tool call records by chip id); hidden context
    and unknown kinds show nothing."""
    if isinstance(item, UserMessageItem):
        return user_message(item)
    if isinstance(item, AssistantMessageItem):
        return assistant_message(item)
    if isinstance(item, TaskItem):
        return tool_message(item, next(iter((records or {}).get(item.id, ())), None))
    if isinstance(item, WorkflowItem):
        return workflow_message(item, (records or {}).get(item.id, ()))
    if isinstance(item, ClientToolCallItem):
        return client_tool_message(item)
    return None


def to_messages(items: Sequence[ThreadItem]) -> list[ChatMessage]:
    """What the chat shows for a thread's stored items, oldest first, hidden records included."""
    records = chip_records(items)
    shown = (to_message(item, records) for item in items)
    return [message for message in shown if message is not None]


def changes_view(event: object) -> bool:
    """Whether a turn's event changes what the chat shows (the others pass it by)."""
    if isinstance(event, ThreadItemAddedEvent):
        return isinstance(event.item, AssistantMessageItem)
    return is_text_delta(event) or isinstance(
        event,
        ThreadCreatedEvent
        | ThreadUpdatedEvent
        | ThreadItemDoneEvent
        | ThreadItemReplacedEvent
        | ErrorEvent,
    )


def _can_wait(event: object) -> bool:
    if isinstance(event, ThreadItemDoneEvent):
        return isinstance(event.item, UserMessageItem)
    return isinstance(event, ThreadUpdatedEvent)


def split_frame(frame: Sequence[object]) -> tuple[list, list]:
    """A frame's events that change the view: those to show now, and those that can wait for
    the next change to the list (or the turn's end): the saved user message, which only gives
    the one shown its id, and a thread's new title. Held, they do not make the reply's first
    words wait for a redraw of the whole thread and its list."""
    shown = [event for event in frame if changes_view(event)]
    return [e for e in shown if not _can_wait(e)], [e for e in shown if _can_wait(e)]


def last_user_index(messages: Sequence[ChatMessage]) -> int:
    """Where the last user message is (-1 when there is none)."""
    return next((i for i in range(len(messages) - 1, -1, -1) if messages[i].role == "user"), -1)


def add_item(
    messages: list[ChatMessage], item: ThreadItem, records: Mapping[str, Sequence[ToolCallRecord]]
) -> None:
    """Show a finished item; a saved user message gives the one already shown its id, and an
    item already shown (a chip that became a workflow, a workflow that grew) is replaced."""
    index = last_user_index(messages)
    if isinstance(item, UserMessageItem) and index >= 0 and not messages[index].id:
        messages[index] = dataclasses.replace(messages[index], id=item.id)
        return
    message = to_message(item, records)
    if message is None:
        return
    shown = next((i for i, m in enumerate(messages) if m.id and m.id == message.id), None)
    if shown is None:
        messages.append(message)
    else:
        messages[shown] = message


def with_client_answer(
    messages: Sequence[ChatMessage], call: ClientToolCallItem, result: dict
) -> list[ChatMessage]:
    """The messages, with the call's chip showing the browser's answer."""
    done = client_tool_message(call.model_copy(update={"status": "completed", "output": result}))
    return [done if message.id == call.id else message for message in messages]


def retitled(rows: Sequence[ThreadRow], thread_id: str, title: str) -> list[ThreadRow]:
    return [ThreadRow(id=row.id, title=title) if row.id == thread_id else row for row in rows]
