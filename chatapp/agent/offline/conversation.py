"""Reading the model input: the user's last message, this turn's tool calls, and what came before."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from chatapp.agent.offline.pattern import nocase
from chatapp.agent.offline.tool_results import as_int, parse_result, task_view, tasks_in
from chatapp.agent.offline.toolbox import kind_of_name
from chatapp.attachments.model_input import ATTACHMENT_MARK, read_manifest
from chatapp.tools.contract import output_text

# ChatKit's converter adds these as user messages; the user never typed them.
_SYNTHETIC_PREFIXES = (
    "hidden context for the agent",
    "a message was displayed to the user",
    "the following graphical ui widget",
    "the user is referring to this in particular",
    "# user-provided context for @-mentions",
    "the following image was generated",
    "a structured input request was displayed",
)
_TASK_MENTION = nocase(r"\btask\s*#?\s*([0-9]{1,9})\b")
_LOOKBACK = 60


@dataclass(frozen=True)
class Exchange:
    """One function call and, once the tool has run, its output."""

    call_id: str
    name: str
    arguments: Mapping[str, Any]
    output: str | None


@dataclass(frozen=True)
class Message:
    role: str
    text: str
    synthetic: bool = False
    # Files sent with a user message: [{"id", "name", "kind", "mime_type"}] (model_input).
    attachments: tuple[dict[str, str], ...] = ()


Entry = Message | Exchange


@dataclass(frozen=True)
class Conversation:
    """The model input, split at the user's last message."""

    user_text: str
    exchanges: tuple[Exchange, ...]
    earlier: tuple[Entry, ...]
    system_text: str
    attachments: tuple[dict[str, str], ...] = ()

    @property
    def recent_attachments(self) -> tuple[dict[str, str], ...]:
        """The files "this" or "these" means: this message's, else the latest sent before."""
        if self.attachments:
            return self.attachments
        for entry in list(reversed(self.earlier))[:_LOOKBACK]:
            if isinstance(entry, Message) and entry.attachments:
                return entry.attachments
        return ()

    @property
    def last_assistant_text(self) -> str | None:
        for entry in reversed(self.earlier):
            if isinstance(entry, Message) and entry.role == "assistant":
                return entry.text
            if isinstance(entry, Message) and entry.role == "user" and not entry.synthetic:
                return None
        return None

    @property
    def previous_user_text(self) -> str | None:
        for entry in reversed(self.earlier):
            if isinstance(entry, Message) and entry.role == "user" and not entry.synthetic:
                return entry.text
        return None

    def last_task_id(self) -> int | None:
        """The task most recently talked about before this message, if that is unambiguous."""
        for entry in list(reversed(self.earlier))[:_LOOKBACK]:
            found = _task_ids(entry)
            if found is None:
                continue
            return found[0] if len(set(found)) == 1 else None
        return None


def read_conversation(input: str | list[Any]) -> Conversation:
    """Split the SDK input into the last user message, the calls after it, and the history."""
    if isinstance(input, str):
        return Conversation(input, (), (), "")
    entries: list[Entry] = []
    outputs: dict[str, str] = {}
    system_parts: list[str] = []
    for raw in input if isinstance(input, list) else []:
        item = _as_mapping(raw)
        kind = item.get("type")
        if kind == "function_call_output":
            outputs[str(item.get("call_id", ""))] = output_text(item.get("output"))
        elif kind == "function_call":
            entries.append(
                Exchange(
                    call_id=str(item.get("call_id", "")),
                    name=str(item.get("name", "")),
                    arguments=_arguments(item.get("arguments")),
                    output=None,
                )
            )
        elif item.get("role") in ("user", "assistant", "system", "developer") and kind in (
            None,
            "message",
        ):
            role = str(item["role"])
            text = _content_text(item.get("content"))
            if role in ("system", "developer"):
                system_parts.append(text)
            else:
                synthetic = role == "user" and text.strip().lower().startswith(_SYNTHETIC_PREFIXES)
                files = _attachments(item.get("content")) if role == "user" else ()
                entries.append(Message(role, text, synthetic, files))
    entries = [
        Exchange(e.call_id, e.name, e.arguments, outputs.get(e.call_id))
        if isinstance(e, Exchange)
        else e
        for e in entries
    ]
    last_user = max(
        (
            index
            for index, entry in enumerate(entries)
            if isinstance(entry, Message) and entry.role == "user" and not entry.synthetic
        ),
        default=None,
    )
    if last_user is None:
        return Conversation("", (), tuple(entries), "\n".join(system_parts))
    user = entries[last_user]
    assert isinstance(user, Message)
    exchanges = tuple(e for e in entries[last_user + 1 :] if isinstance(e, Exchange))
    earlier = tuple(entries[:last_user])
    return Conversation(user.text, exchanges, earlier, "\n".join(system_parts), user.attachments)


def _as_mapping(item: Any) -> Mapping[str, Any]:
    if isinstance(item, Mapping):
        return item
    dump = getattr(item, "model_dump", None)
    if callable(dump):
        try:
            dumped = dump(exclude_none=True)
        except Exception:
            return {}
        return dumped if isinstance(dumped, Mapping) else {}
    return {}


def _attachments(content: Any) -> tuple[dict[str, str], ...]:
    for part in content if isinstance(content, list) else ():
        text = _as_mapping(part).get("text")
        listed = read_manifest(text) if isinstance(text, str) else None
        if listed:
            return tuple(listed)
    return ()


def _content_text(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        parts = []
        for part in content:
            part = _as_mapping(part)
            if part.get("type") in ("input_text", "output_text", "text", None) and isinstance(
                part.get("text"), str
            ):
                if not part["text"].startswith(ATTACHMENT_MARK):  # a file, not the user's words
                    parts.append(part["text"])
            elif isinstance(part.get("refusal"), str):
                parts.append(part["refusal"])
        return "\n".join(parts)
    return ""


def _arguments(raw: Any) -> Mapping[str, Any]:
    if isinstance(raw, Mapping):
        return raw
    if isinstance(raw, str):
        try:
            decoded = json.loads(raw)
        except (ValueError, RecursionError):
            return {}
        return decoded if isinstance(decoded, Mapping) else {}
    return {}


def _task_ids(entry: Entry) -> list[int] | None:
    """Task ids an entry mentions, most relevant first; None when it mentions none."""
    if isinstance(entry, Exchange):
        if entry.output is not None:
            result = parse_result(entry.output)
            tasks = tasks_in(result.data)
            if tasks is not None and kind_of_name(entry.name) == "list_tasks":
                return [task.id for task in tasks] or None
            single = task_view(result.data) if result.error is None else None
            if single is not None:
                return [single.id]
        task_id = as_int(entry.arguments.get("task_id"))
        return [task_id] if task_id is not None else None
    if (
        entry.role == "user"
        and entry.synthetic
        and not entry.text.lower().startswith(("a message was displayed", "the user is referring"))
    ):
        return None
    ids = [int(found) for found in _TASK_MENTION.findall(entry.text)]
    if not ids:
        return None
    return [ids[-1]] if entry.role == "user" else ids
