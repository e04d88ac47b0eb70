"""The offline model's smaller pieces: tool schemas, tool outputs, reading the input."""

from __future__ import annotations

import json
from typing import Any

from agents import FunctionTool

from chatapp.agent.offline.conversation import read_conversation
from chatapp.agent.offline.matching import match_tasks
from chatapp.agent.offline.tool_results import TaskView, parse_result, tasks_in
from chatapp.agent.offline.toolbox import Toolbox, kind_of_name
from chatapp.tools.contract import output_text


def tool(name: str, schema: dict[str, Any]) -> FunctionTool:
    async def invoke(context: Any, arguments: str) -> str:
        return arguments

    return FunctionTool(
        name=name,
        description=name,
        params_json_schema=schema,
        on_invoke_tool=invoke,
        strict_json_schema=False,
    )


MCP_ADD = {
    "type": "object",
    "properties": {
        "title": {"type": "string"},
        "priority": {
            "anyOf": [{"type": "string", "enum": ["low", "medium", "high"]}, {"type": "null"}]
        },
        "tags": {"type": "array", "items": {"type": "string"}},
    },
    "required": ["title"],
}
STRICT_COMPLETE = {
    "type": "object",
    "properties": {
        "task_id": {"type": "integer"},
        "completed": {"type": "boolean", "default": True},
        "note": {"anyOf": [{"type": "string"}, {"type": "null"}]},
    },
    "required": ["task_id", "completed", "note"],
    "additionalProperties": False,
}


def test_non_strict_schema_gets_only_the_given_optional_arguments() -> None:
    call = Toolbox([tool("add_task", MCP_ADD)]).call(
        "add_task", title="Milk", priority=None, due_at="x"
    )
    assert call is not None and call.arguments == {"title": "Milk"}


def test_strict_schema_gets_defaults_and_nulls_for_the_rest() -> None:
    call = Toolbox([tool("complete_task", STRICT_COMPLETE)]).call("complete_task", task_id=3)
    assert call is not None and call.arguments == {"task_id": 3, "completed": True, "note": None}


def test_values_are_coerced_to_the_schema_or_dropped() -> None:
    toolbox = Toolbox([tool("add_task", MCP_ADD), tool("complete_task", STRICT_COMPLETE)])
    add = toolbox.call("add_task", title="Milk", priority="HIGH", tags=("a", "b"))
    assert add is not None and add.arguments == {
        "title": "Milk",
        "priority": "high",
        "tags": ["a", "b"],
    }
    bad = toolbox.call("add_task", title="Milk", priority="critical")
    assert bad is not None and bad.arguments == {"title": "Milk"}
    complete = toolbox.call("complete_task", task_id="7")
    assert complete is not None and complete.arguments["task_id"] == 7


def test_a_required_argument_that_cannot_be_filled_means_no_call() -> None:
    assert Toolbox([tool("add_task", MCP_ADD)]).call("add_task", priority="high") is None


def test_prefixed_names_are_recognised_and_exact_names_win() -> None:
    assert kind_of_name("todo__list_tasks") == "list_tasks"
    assert kind_of_name("tasks.add_task") == "add_task"
    assert kind_of_name("add_taskforce") is None
    toolbox = Toolbox([tool("mcp_add_task", MCP_ADD), tool("add_task", MCP_ADD)])
    call = toolbox.call("add_task", title="x")
    assert call is not None and call.name == "add_task"


def test_mcp_text_parts_and_structured_content_decode_to_tasks() -> None:
    rows = [{"id": 1, "title": "Milk", "completed": False, "tags": ["shopping"]}]
    text_parts = [{"type": "input_text", "text": json.dumps(rows)}]
    structured = json.dumps({"result": rows})
    for output in (output_text(text_parts), structured, json.dumps({"tasks": rows})):
        tasks = tasks_in(parse_result(output).data)
        assert tasks == [TaskView(id=1, title="Milk", tags=("shopping",))]


def test_list_elements_sent_as_separate_text_parts_decode_to_tasks() -> None:
    parts = [
        {"type": "input_text", "text": json.dumps({"id": 1, "title": "Milk"})},
        {"type": "input_text", "text": json.dumps({"id": 2, "title": "Eggs"})},
    ]
    tasks = tasks_in(parse_result(output_text(parts)).data)
    assert [task.title for task in tasks or []] == ["Milk", "Eggs"]
    single = tasks_in(parse_result(json.dumps({"id": 3, "title": "Bread"})).data)
    assert single == [TaskView(id=3, title="Bread")]


def test_errors_are_the_contracts_json_and_never_guessed_from_prose() -> None:
    structured = parse_result('{"error": {"code": "not_found", "message": "Task 9 not found"}}')
    assert (structured.error, structured.code) == ("Task 9 not found", "not_found")
    assert parse_result('{"error": "Task 9 not found"}').error == "Task 9 not found"
    assert parse_result("Task 9 not found").error is None
    assert parse_result('{"detail": "Task 9 not found"}').error is None
    assert parse_result('{"task_id": 9, "status": "deleted", "title": "x"}').error is None


def test_matching_prefers_exact_then_phrase_then_all_words() -> None:
    tasks = [
        TaskView(1, "Team meeting"),
        TaskView(2, "Meeting notes"),
        TaskView(3, "Appointment with the dentist"),
        TaskView(4, "Pay bills"),
        TaskView(5, "Call", description="About the meeting"),
    ]
    assert [t.id for t in match_tasks("team meeting", tasks)] == [1]
    assert [t.id for t in match_tasks("meeting", tasks)] == [1, 2]
    assert [t.id for t in match_tasks("dentist appointment", tasks)] == [3]
    assert [t.id for t in match_tasks("bill", tasks)] == [4]
    assert match_tasks("yoga", tasks) == []


def test_reading_input_splits_at_the_last_user_message() -> None:
    conversation = read_conversation(
        [
            {"role": "system", "content": "Current date and time: 2026-11-23T14:05:00+01:00"},
            {"role": "user", "content": "add milk"},
            {
                "type": "function_call",
                "call_id": "c1",
                "name": "add_task",
                "arguments": '{"title": "Milk"}',
            },
            {"type": "function_call_output", "call_id": "c1", "output": '{"task_id": 4}'},
            {"role": "assistant", "content": [{"type": "output_text", "text": "Added (task 4)."}]},
            {"role": "user", "content": [{"type": "input_text", "text": "delete it"}]},
            {
                "type": "function_call",
                "call_id": "c2",
                "name": "delete_task",
                "arguments": '{"task_id": 4}',
            },
        ]
    )
    assert conversation.user_text == "delete it"
    assert [e.name for e in conversation.exchanges] == ["delete_task"]
    assert conversation.exchanges[0].output is None
    assert conversation.last_task_id() == 4
    assert conversation.last_assistant_text == "Added (task 4)."
    assert "2026-11-23" in conversation.system_text


def test_a_listing_of_several_tasks_makes_it_ambiguous() -> None:
    conversation = read_conversation(
        [
            {"role": "user", "content": "show my tasks"},
            {"role": "assistant", "content": "- **A** (task 1)\n- **B** (task 2)"},
            {"role": "user", "content": "delete it"},
        ]
    )
    assert conversation.last_task_id() is None


def test_garbage_items_are_skipped() -> None:
    conversation = read_conversation(
        [None, 3, {"type": "reasoning"}, {"role": "user", "content": "hi"}]
    )  # type: ignore[list-item]
    assert conversation.user_text == "hi"
    assert read_conversation("plain text").user_text == "plain text"


def test_every_tool_the_offline_model_knows_is_a_tool_the_app_serves():
    """The offline model names tools by its own ToolKind literal (so pyright checks each use);
    each must be a name from chatapp/tools/names.py, or a renamed tool would go unnoticed."""
    from chatapp.agent.offline.toolbox import TOOL_KINDS
    from chatapp.tools.names import CLIENT_TOOL_NAMES, TOOL_NAMES

    assert set(TOOL_KINDS) <= set(TOOL_NAMES) | CLIENT_TOOL_NAMES
