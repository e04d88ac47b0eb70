"""open_task with the offline model: "open task 3" becomes one open_task call that ends the run
(the app does the opening), and the app's answer, replayed as the call's output, becomes a short
confirmation. The client tool here is a stand-in with the real tool's name and schema."""

from __future__ import annotations

import json
from typing import Any

import pytest
from agents import Agent, Runner, StopAtTools, function_tool

from chatapp.agent import OfflineModel
from chatapp.agent.offline.intents import AddTasks, ListTasks, OpenTask, TaskRef
from chatapp.agent.offline.understand import parse_intent
from chatapp.tools.contract import NOT_FOUND, failure_json
from tests.support.agent import INSTRUCTIONS, NOW, TodoStore, raw_calls


def open_task_tool(store: TodoStore):
    @function_tool(name_override="open_task")
    def open_task(task_id: int) -> str:
        """Open one of the user's tasks in the app."""
        store.calls.append(("open_task", {"task_id": task_id}))
        if task_id not in store.tasks:
            return failure_json(NOT_FOUND, f"Task {task_id} not found")
        return json.dumps({"task_id": task_id, "status": "sent_to_app"})

    return open_task


async def run_open(store: TodoStore, message: str | list[Any]):
    """A turn with the task tools and open_task, stopping at open_task as the chat core does."""
    agent = Agent(
        name="Todo",
        instructions=INSTRUCTIONS,
        model=OfflineModel(),
        tools=[*store.tools(), open_task_tool(store)],
        tool_use_behavior=StopAtTools(stop_at_tool_names=["open_task"]),
    )
    return await Runner.run(agent, message)


def answered(message: str, task_id: int, result: dict[str, Any]) -> list[dict[str, Any]]:
    """The input of the run that follows the app's answer (what ChatKit's converter builds)."""
    return [
        {"role": "user", "content": message},
        {
            "type": "function_call",
            "call_id": "call_open",
            "name": "open_task",
            "arguments": json.dumps({"task_id": task_id}),
        },
        {"type": "function_call_output", "call_id": "call_open", "output": json.dumps(result)},
    ]


@pytest.mark.parametrize(
    ("message", "ref"),
    [
        ("open task 3", TaskRef(task_id=3)),
        ("show me task 3", TaskRef(task_id=3)),
        ("Highlight task 2", TaskRef(task_id=2)),
        ("can you open task three please", TaskRef(task_id=3)),
        ("go to task #4", TaskRef(task_id=4)),
        ("open the milk task", TaskRef(words="milk")),
        ("take me to the milk task", TaskRef(words="milk")),
        ("show me the task called buy milk", TaskRef(words="buy milk")),
        ('open "Buy milk"', TaskRef(words="Buy milk")),
        ("open it", TaskRef(pronoun=True)),
        ("I want to see task 3", TaskRef(task_id=3)),
    ],
)
def test_open_phrasings_are_one_task_to_open(message: str, ref: TaskRef) -> None:
    assert parse_intent(message, NOW) == OpenTask(ref)


@pytest.mark.parametrize(
    ("message", "kind"),
    [
        ("show my tasks", ListTasks),
        ("open tasks", ListTasks),
        ("show me the overdue task", ListTasks),
        ("highlight all overdue tasks", ListTasks),
        ("open a new task called water the plants", AddTasks),
        ("I need to open the garage", AddTasks),
    ],
)
def test_lists_and_new_tasks_are_not_opens(message: str, kind: type) -> None:
    assert isinstance(parse_intent(message, NOW), kind)


async def test_open_by_id_is_one_call_that_ends_the_run(seeded: TodoStore) -> None:
    result = await run_open(seeded, "open task 2")
    assert raw_calls(result) == [("open_task", {"task_id": 2})]
    assert seeded.names() == ["open_task"]


async def test_open_by_words_looks_the_task_up_first(seeded: TodoStore) -> None:
    result = await run_open(seeded, "open the milk task")
    assert [name for name, _ in raw_calls(result)] == ["list_tasks", "open_task"]
    assert raw_calls(result)[-1] == ("open_task", {"task_id": 2})


async def test_the_apps_answer_becomes_a_short_confirmation(seeded: TodoStore) -> None:
    opened = {"opened": True, "task_id": 2, "title": "Buy milk"}
    result = await run_open(seeded, answered("open the milk task", 2, opened))
    assert seeded.calls == []
    assert result.final_output == "Opened **Buy milk** (task 2)."


async def test_an_error_from_the_app_is_relayed(seeded: TodoStore) -> None:
    result = await run_open(seeded, answered("open task 9", 9, {"error": "Task 9 not found"}))
    assert str(result.final_output).startswith("Sorry, I couldn't open task 9: Task 9 not found.")


async def test_a_refused_open_goes_back_to_the_model_and_is_explained(seeded: TodoStore) -> None:
    # The real tool makes no client call for a task that is not the user's, and the run goes on.
    agent = Agent(
        name="Todo",
        instructions=INSTRUCTIONS,
        model=OfflineModel(),
        tools=[open_task_tool(seeded)],
    )
    result = await Runner.run(agent, "open task 42")
    assert seeded.calls == [("open_task", {"task_id": 42})]
    assert "Task 42 not found" in str(result.final_output)


async def test_two_matches_ask_which_one_to_open_then_open_it(store: TodoStore) -> None:
    store.seed("Team meeting")
    store.seed("Meeting notes")
    first = await run_open(store, "open the meeting task")
    assert "Which one should I open?" in str(first.final_output)
    store.calls.clear()
    second = await run_open(store, first.to_input_list() + [{"role": "user", "content": "2"}])
    assert raw_calls(second) == [("open_task", {"task_id": 2})]


async def test_it_after_an_open_means_the_opened_task(seeded: TodoStore) -> None:
    opened = {"opened": True, "task_id": 3, "title": "Team meeting"}
    history = answered("open task 3", 3, opened) + [
        {"role": "assistant", "content": "Opened **Team meeting** (task 3)."},
        {"role": "user", "content": "mark it done"},
    ]
    await run_open(seeded, history)
    assert seeded.calls == [("complete_task", {"task_id": 3, "completed": True})]


async def test_without_the_client_tool_open_is_explained(seeded: TodoStore) -> None:
    agent = Agent(
        name="Todo", instructions=INSTRUCTIONS, model=OfflineModel(), tools=seeded.tools()
    )
    bare = await Runner.run(agent, "open task 2")
    assert "the `open_task` tool isn't available" in str(bare.final_output)
    assert raw_calls(bare) == []
