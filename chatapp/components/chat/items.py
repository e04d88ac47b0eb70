"""What the native chat shows for each ChatKit thread item: plain rows the components render.

Data only (no components, no state), so ChatState can hold lists of these and the components in
this package render them.
"""

from __future__ import annotations

import dataclasses
import json

from chatkit.types import (
    AssistantMessageItem,
    ClientToolCallItem,
    TaskItem,
    ThreadItem,
    UserMessageItem,
    UserMessageTextContent,
)

from chatapp.chat.client_tools import OPEN_TASK
from chatapp.chat.history import ERROR_REPLY_PREFIX, chip_parts
from chatapp.tools.contract import failure_of

CLIENT_TOOL_LABELS = {OPEN_TASK: "Opened a task in the app"}
WAITING_FOR_APP = "Waiting for the app…"


@dataclasses.dataclass
class ChatMessage:
    """One rendered thread item. `role` is user, assistant, tool or error."""

    id: str = ""
    role: str = "assistant"
    text: str = ""
    tool_title: str = ""
    tool_name: str = ""
    tool_args: str = ""
    tool_result: str = ""
    failed: bool = False


@dataclasses.dataclass
class ThreadRow:
    id: str = ""
    title: str = ""


def _pretty(text: str) -> str:
    try:
        return json.dumps(json.loads(text), ensure_ascii=False, indent=2)
    except (json.JSONDecodeError, TypeError):
        return text


def tool_message(item: TaskItem) -> ChatMessage:
    """A tool chip from its TaskItem (its parts as `chat.history` wrote them)."""
    task = item.task
    title = getattr(task, "title", None) or "Tool call"
    content = getattr(task, "content", None) or ""
    parts = chip_parts(content)
    if parts is None:
        return ChatMessage(id=item.id, role="tool", tool_title=title, tool_result=content)
    name, args, result = parts
    return ChatMessage(
        id=item.id,
        role="tool",
        tool_title=title,
        tool_name=name,
        tool_args=args,
        tool_result=_pretty(result),
        failed=failure_of(result) is not None,
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
        tool_args=json.dumps(item.arguments, ensure_ascii=False, indent=2),
        tool_result=_pretty(json.dumps(output, ensure_ascii=False)) if done else WAITING_FOR_APP,
        failed=done and failure_of(output) is not None,
    )


def assistant_message(item: AssistantMessageItem) -> ChatMessage:
    text = "".join(part.text for part in item.content)
    if text.startswith(ERROR_REPLY_PREFIX):
        return ChatMessage(id=item.id, role="error", text=text[len(ERROR_REPLY_PREFIX) :])
    return ChatMessage(id=item.id, role="assistant", text=text)


def user_message(item: UserMessageItem) -> ChatMessage:
    text = "".join(part.text for part in item.content if isinstance(part, UserMessageTextContent))
    return ChatMessage(id=item.id, role="user", text=text)


def to_message(item: ThreadItem) -> ChatMessage | None:
    """What the chat shows for a stored item; hidden context and unknown kinds show nothing."""
    if isinstance(item, UserMessageItem):
        return user_message(item)
    if isinstance(item, AssistantMessageItem):
        return assistant_message(item)
    if isinstance(item, TaskItem):
        return tool_message(item)
    if isinstance(item, ClientToolCallItem):
        return client_tool_message(item)
    return None
