"""The task tools the model was given, and arguments shaped to their JSON schemas."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, get_args

from agents.tool import FunctionTool, Tool

ToolKind = Literal[
    "add_task",
    "list_tasks",
    "complete_task",
    "delete_task",
    "update_task",
    "open_task",
    "attach_files",
]
# open_task is a client tool: the app shows the task (see chatapp/chat/client_tools.py).
TOOL_KINDS: tuple[ToolKind, ...] = get_args(ToolKind)
# The calls that change one existing task, which a turn's reply confirms one by one.
EDIT_KINDS: tuple[ToolKind, ...] = ("complete_task", "delete_task", "update_task")
_SEPARATORS = ("__", "_", ".", "-", "/", ":")
_INVALID = object()
# An argument sent as JSON null on purpose ("recurrence": null stops a task repeating), where
# None means "not given".
NULL: Any = object()


@dataclass(frozen=True)
class PlannedCall:
    """A function call ready to emit: the tool's real name and JSON-ready arguments."""

    name: str
    kind: ToolKind
    arguments: dict[str, Any]

    @property
    def arguments_json(self) -> str:
        return json.dumps(self.arguments, ensure_ascii=False)


@dataclass(frozen=True)
class Step:
    """What the model outputs this step: function calls, or (when there are none) text."""

    calls: tuple[PlannedCall, ...] = ()
    text: str = ""


class Toolbox:
    """Finds the contract's tools among those offered (also when a server prefixes their names)."""

    def __init__(self, tools: Sequence[Tool]) -> None:
        self._by_kind: dict[ToolKind, FunctionTool] = {}
        # Each tool's kind once (not once per kind asked about): a step builds its own Toolbox.
        named = [(t, kind_of_name(t.name)) for t in tools if isinstance(t, FunctionTool)]
        for kind in TOOL_KINDS:
            exact = [tool for tool, _ in named if tool.name == kind]
            prefixed = [tool for tool, of_kind in named if of_kind == kind]
            if exact or prefixed:
                self._by_kind[kind] = (exact or prefixed)[0]

    def has(self, kind: ToolKind) -> bool:
        return kind in self._by_kind

    @property
    def kinds(self) -> tuple[ToolKind, ...]:
        return tuple(kind for kind in TOOL_KINDS if kind in self._by_kind)

    def accepts(self, kind: ToolKind, parameter: str) -> bool:
        tool = self._by_kind.get(kind)
        return tool is not None and parameter in _properties(tool.params_json_schema)

    def call(self, kind: ToolKind, **wanted: Any) -> PlannedCall | None:
        """A call of `kind` with the wanted arguments its schema has; None if it cannot be made."""
        tool = self._by_kind.get(kind)
        if tool is None:
            return None
        schema = tool.params_json_schema if isinstance(tool.params_json_schema, Mapping) else {}
        properties = _properties(schema)
        required = [name for name in schema.get("required", ()) if isinstance(name, str)]
        arguments: dict[str, Any] = {}
        for name, value in wanted.items():
            if value is None or name not in properties:
                continue
            if value is NULL:
                if _allows_null(properties[name]):
                    arguments[name] = None
                continue
            coerced = _coerce(value, properties[name])
            if coerced is not _INVALID:
                arguments[name] = coerced
        for name in required:
            if name in arguments:
                continue
            spec = properties.get(name, {})
            if isinstance(spec, Mapping) and "default" in spec:
                arguments[name] = spec["default"]
            elif _allows_null(spec):
                # Strict schemas list every parameter as required; null means "not given".
                arguments[name] = None
            else:
                return None
        return PlannedCall(tool.name, kind, arguments)


def kind_of_name(name: str) -> ToolKind | None:
    """The contract tool a (possibly server-prefixed) tool name stands for."""
    for kind in TOOL_KINDS:
        if name == kind or any(name.endswith(sep + kind) for sep in _SEPARATORS):
            return kind
    return None


def _properties(schema: Any) -> Mapping[str, Any]:
    properties = schema.get("properties") if isinstance(schema, Mapping) else None
    return properties if isinstance(properties, Mapping) else {}


def _branches(spec: Any) -> list[Mapping[str, Any]]:
    if not isinstance(spec, Mapping):
        return []
    for key in ("anyOf", "oneOf"):
        if isinstance(spec.get(key), list):
            return [branch for branch in spec[key] if isinstance(branch, Mapping)]
    return [spec]


def _types(spec: Mapping[str, Any]) -> set[str]:
    declared = spec.get("type")
    if isinstance(declared, str):
        return {declared}
    if isinstance(declared, list):
        return {item for item in declared if isinstance(item, str)}
    return set()


def _allows_null(spec: Any) -> bool:
    return any("null" in _types(branch) for branch in _branches(spec))


def _coerce(value: Any, spec: Any) -> Any:
    branches = [branch for branch in _branches(spec) if _types(branch) != {"null"}]
    if not branches:
        return value
    for branch in branches:
        coerced = _coerce_one(value, branch)
        if coerced is not _INVALID:
            return coerced
    return _INVALID


def _coerce_one(value: Any, spec: Mapping[str, Any]) -> Any:
    types = _types(spec) - {"null"}
    enum = spec.get("enum")
    if isinstance(enum, list):
        for option in enum:
            if option == value or (
                isinstance(option, str)
                and isinstance(value, str)
                and option.lower() == value.lower()
            ):
                return option
        return _INVALID
    if not types:
        return value
    if "integer" in types and isinstance(value, int) and not isinstance(value, bool):
        return value
    if "integer" in types and isinstance(value, str) and value.strip().isdigit():
        return int(value)
    if "number" in types and isinstance(value, int | float) and not isinstance(value, bool):
        return value
    if "boolean" in types and isinstance(value, bool):
        return value
    if "array" in types and isinstance(value, list | tuple):
        items = spec.get("items", {})
        coerced = [_coerce(item, items) for item in value]
        return [item for item in coerced if item is not _INVALID]
    if "string" in types and isinstance(value, str):
        return value
    if "string" in types and isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    if "array" in types and isinstance(value, str):
        return [value]
    return _INVALID
