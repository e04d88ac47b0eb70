"""What crosses the task-tool boundary as data, encoded and decoded here and nowhere else.

A failure is `{"error": {"code": "not_found", "message": "Task 7 not found"}}` (the result is
also flagged `isError`). Every reader (the offline model, the chat history's chips, the native
chat and ChatKit's rendering of those chips) asks `failure_of` whether an output is a failure,
instead of guessing from its words. Whether a tool changes tasks comes from its own MCP
annotations (`readOnlyHint`), not from a list of names.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from agents.tool import default_tool_error_function

from chatapp.errors import InvalidInput, NotFound, ServiceUnavailable

# Codes a task tool fails with: a domain error's own (chatapp/errors.py), and the tools' own.
NOT_FOUND = NotFound.code
INVALID_INPUT = InvalidInput.code
UNAVAILABLE = ServiceUnavailable.code
UNKNOWN_TOOL = "unknown_tool"
UNSUPPORTED = "unsupported"
INTERNAL = "internal"
# The code of a failure sent as {"error": "message"} (a browser's client-tool answer).
UNSPECIFIED = "error"
_MESSAGE_MAX = 500
# What the Agents SDK itself answers for a tool that raised without a failure function of its
# own: a fixed sentence, so it is read as the internal failure it is.
SDK_DEFAULT_FAILURE = default_tool_error_function(None, RuntimeError())  # type: ignore[arg-type]
SDK_FAILURE_MESSAGE = "something went wrong on my side, please try again"


@dataclass(frozen=True)
class ToolFailure:
    """A tool's failure: a stable code to act on, and a message to show."""

    code: str
    message: str

    def to_json(self) -> str:
        return failure_json(self.code, self.message)


def failure_json(code: str, message: str) -> str:
    """The text a failed tool call returns."""
    return json.dumps({"error": {"code": code, "message": message}}, ensure_ascii=False)


def failure_of(output: Any) -> ToolFailure | None:
    """The failure a tool output reports, or None when it reports none.

    `output` is the output as stored or handed over: JSON text, its decoded value, or the
    Agents SDK's list of content parts ({"type": "text", "text": ...}).
    """
    if isinstance(output, str) and output.strip() == SDK_DEFAULT_FAILURE:
        return ToolFailure(INTERNAL, SDK_FAILURE_MESSAGE)
    value = _decoded(output)
    if not isinstance(value, Mapping) or "error" not in value:
        return None
    error = value["error"]
    if isinstance(error, Mapping):
        code = error.get("code")
        message = error.get("message")
        return ToolFailure(
            str(code) if code else UNSPECIFIED, _message(message if message else code)
        )
    if error is None or error is False or error == "":
        return None
    return ToolFailure(UNSPECIFIED, _message(error))


def output_text(output: Any) -> str:
    """The text of a tool output as the Agents SDK hands it over: a string, a content part
    ({"type": "text", "text": ...}), a list of parts, or any other JSON value (as JSON)."""
    if output is None:
        return ""
    if isinstance(output, str):
        return output
    if isinstance(output, Mapping):
        return str(output.get("text", "")) if "text" in output else json.dumps(output, default=str)
    if isinstance(output, list | tuple):
        parts = [output_text(part) for part in output]
        return "\n".join(part for part in parts if part)
    return str(output)


def sdk_failure(context: Any, error: Exception) -> str:
    """An Agents SDK `failure_error_function`: a tool that raised fails like any other."""
    return failure_json(INTERNAL, str(error) or type(error).__name__)


def is_read_only(annotations: Any) -> bool:
    """What a tool's MCP annotations say; without a `readOnlyHint` a tool may change things."""
    return bool(getattr(annotations, "read_only_hint", None))


def task_changing(tools: Iterable[Any]) -> frozenset[str]:
    """The names of the MCP tools (`mcp_types.Tool`) that can change the user's tasks."""
    return frozenset(tool.name for tool in tools if not is_read_only(tool.annotations))


def _decoded(output: Any) -> Any:
    if isinstance(output, list | tuple):
        texts = [part.get("text") for part in output if isinstance(part, Mapping)]
        output = "\n".join(text for text in texts if isinstance(text, str))
    elif isinstance(output, Mapping) and output.get("type") == "text" and "error" not in output:
        output = output.get("text")
    if isinstance(output, str | bytes):
        try:
            return json.loads(output)
        except (ValueError, RecursionError):
            return None
    return output


def _message(value: Any) -> str:
    text = " ".join(str(value).split()) if value is not None else ""
    return text[:_MESSAGE_MAX] or "The tool failed without saying why."
