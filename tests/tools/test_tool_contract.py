"""The tool contract's data: failures are JSON with a code, read by one decoder; which tools
change tasks is what their MCP annotations say."""

from __future__ import annotations

import json

import pytest

from chatapp.tools import task_server
from chatapp.tools.contract import (
    INTERNAL,
    SDK_DEFAULT_FAILURE,
    ToolFailure,
    failure_json,
    failure_of,
    output_text,
    task_changing,
)


def test_a_failure_round_trips_through_its_json() -> None:
    text = failure_json("not_found", "Task 7 not found")
    assert json.loads(text) == {"error": {"code": "not_found", "message": "Task 7 not found"}}
    assert failure_of(text) == ToolFailure("not_found", "Task 7 not found")


@pytest.mark.parametrize(
    "output",
    [
        failure_json("invalid_input", "bad"),
        json.loads(failure_json("invalid_input", "bad")),
        [{"type": "text", "text": failure_json("invalid_input", "bad")}],
        {"type": "text", "text": failure_json("invalid_input", "bad")},
    ],
)
def test_every_form_an_output_is_stored_in_decodes_alike(output: object) -> None:
    assert failure_of(output) == ToolFailure("invalid_input", "bad")


def test_a_client_tools_error_string_is_a_failure_without_a_code() -> None:
    assert failure_of({"error": "Task 3 not found"}) == ToolFailure("error", "Task 3 not found")


@pytest.mark.parametrize(
    "output",
    [
        "Task 9 not found",
        "Error: something",
        '{"task_id": 9, "status": "deleted", "title": "Error report"}',
        '[{"id": 1, "title": "Fix the error"}]',
        {"error": None},
        "",
        None,
    ],
)
def test_words_alone_are_never_read_as_a_failure(output: object) -> None:
    assert failure_of(output) is None


def test_the_sdks_fixed_answer_for_a_raising_tool_is_an_internal_failure() -> None:
    found = failure_of(SDK_DEFAULT_FAILURE)
    assert found is not None and found.code == INTERNAL


async def test_only_the_read_only_tool_is_left_out_of_the_changing_ones() -> None:
    tools = await task_server.list_tools()
    assert task_changing(tools) == {
        "add_task",
        "complete_task",
        "delete_task",
        "update_task",
        "attach_files",
    }


def test_output_text_reads_every_shape_the_sdk_hands_over():
    assert output_text('{"task_id": 3}') == '{"task_id": 3}'
    assert output_text({"type": "text", "text": "hi"}) == "hi"
    assert output_text([{"type": "text", "text": "a"}, {"type": "text", "text": ""}, "b"]) == "a\nb"
    assert json.loads(output_text({"task_id": 3})) == {"task_id": 3}  # JSON, not a Python repr
    assert output_text(None) == ""
