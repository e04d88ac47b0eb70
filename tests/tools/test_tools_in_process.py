"""The task tool contract, through the in-process adapter the app's own agent uses."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest

from chatapp.tools import TOOL_NAMES, InProcessTaskMCP, task_server
from tests.support.auth import QuickUser, insert_user
from tests.support.tools import error_code, error_text, payload, seed, stored, stored_ids

ROW_KEYS = {"id", "title", "completed", "priority", "due_at", "tags", "description"}
# What issue 11 added to every row: repeat rule, zone, reminder, completion time.
NEW_ROW_KEYS = {
    "completed_at",
    "recurrence",
    "recurrence_text",
    "time_zone",
    "remind_at",
    "reminded_at",
}
NO_REPEAT = {
    "completed_at": None,
    "recurrence": None,
    "recurrence_text": None,
    "time_zone": "UTC",
    "remind_at": None,
    "reminded_at": None,
}


def tools_for(user: QuickUser) -> InProcessTaskMCP:
    return InProcessTaskMCP(user.id)


def as_utc(value: datetime | None) -> datetime | None:
    # SQLite hands datetimes back naive (they are stored in UTC).
    return value.replace(tzinfo=UTC) if value and value.tzinfo is None else value


async def test_add_task_creates_the_row_and_reports_it(ann):
    result = await tools_for(ann).call_tool(
        "add_task",
        {
            "title": "  Buy milk ",
            "description": "2 litres",
            "priority": "high",
            "due_at": "2026-03-01T17:00:00+01:00",
            "tags": ["#Shopping", "home", "home"],
        },
    )

    body = payload(result)
    assert body["status"] == "created" and body["title"] == "Buy milk"
    assert body["due_at"] == "2026-03-01T16:00:00+00:00"
    row = stored(body["task_id"])
    assert row.user_id == ann.id and row.title == "Buy milk" and row.description == "2 litres"
    assert row.priority == "high" and row.tags == ["shopping", "home"] and not row.completed
    assert as_utc(row.due_at) == datetime(2026, 3, 1, 16, tzinfo=UTC)


async def test_add_task_with_only_a_title(ann):
    body = payload(await tools_for(ann).call_tool("add_task", {"title": "Stretch"}))

    assert body == {
        "task_id": body["task_id"],
        "status": "created",
        "title": "Stretch",
        "completed": False,
        "priority": None,
        "due_at": None,
        "tags": [],
        "description": None,
        **NO_REPEAT,
    }
    assert stored_ids(ann) == [body["task_id"]]


async def test_list_tasks_returns_rows_and_applies_every_filter(ann):
    milk = seed(ann, "Buy milk", tags=["shopping"], due_at=datetime(2026, 3, 1, tzinfo=UTC))
    report = seed(ann, "Write report", priority="high", description="quarterly numbers")
    done = seed(ann, "Book dentist", completed=True, due_at=datetime(2026, 5, 1, tzinfo=UTC))
    tools = tools_for(ann)

    async def ids(**arguments) -> list[int]:
        rows = payload(await tools.call_tool("list_tasks", arguments))
        assert all(set(row) == ROW_KEYS | NEW_ROW_KEYS for row in rows)
        return [row["id"] for row in rows]

    everything = payload(await tools.call_tool("list_tasks", {}))
    assert [row["id"] for row in everything] == [milk, report, done]
    assert everything[0] == {
        "id": milk,
        "title": "Buy milk",
        "completed": False,
        "priority": None,
        "due_at": "2026-03-01T00:00:00+00:00",
        "tags": ["shopping"],
        "description": None,
        **NO_REPEAT,
    }
    assert await ids(status="pending") == [milk, report]
    assert await ids(status="completed") == [done]
    assert await ids(query="QUARTERLY") == [report]
    assert await ids(priority="high") == [report]
    assert await ids(tag="#Shopping") == [milk]
    assert await ids(due_before="2026-04-01") == [milk]
    assert await ids(due_after="2026-04-01T00:00:00Z") == [done]
    assert await ids(limit=2) == [milk, report]


async def test_list_tasks_of_an_empty_list_is_an_empty_json_list(ann):
    assert payload(await tools_for(ann).call_tool("list_tasks", {"status": "pending"})) == []


async def test_complete_task_marks_done_and_completed_false_reopens(ann):
    task_id = seed(ann, "Call mom")
    tools = tools_for(ann)

    done = payload(await tools.call_tool("complete_task", {"task_id": task_id}))
    assert (done["task_id"], done["status"], done["title"]) == (task_id, "completed", "Call mom")
    assert stored(task_id).completed and stored(task_id).completed_at is not None

    reopened = payload(
        await tools.call_tool("complete_task", {"task_id": task_id, "completed": False})
    )
    assert reopened["status"] == "reopened" and reopened["completed"] is False
    assert not stored(task_id).completed and stored(task_id).completed_at is None


async def test_delete_task_removes_the_row_and_names_it(ann):
    keep = seed(ann, "Keep me")
    task_id = seed(ann, "Old chore")

    body = payload(await tools_for(ann).call_tool("delete_task", {"task_id": task_id}))

    assert (body["task_id"], body["status"], body["title"]) == (task_id, "deleted", "Old chore")
    assert stored(task_id) is None and stored_ids(ann) == [keep]


async def test_update_task_changes_only_the_given_fields(ann):
    task_id = seed(
        ann,
        "Report",
        description="draft",
        priority="low",
        tags=["work"],
        due_at=datetime(2026, 3, 1, tzinfo=UTC),
    )

    body = payload(
        await tools_for(ann).call_tool(
            "update_task", {"task_id": task_id, "title": "Final report", "priority": "high"}
        )
    )

    assert (body["task_id"], body["status"], body["title"]) == (task_id, "updated", "Final report")
    row = stored(task_id)
    assert (row.title, row.priority, row.description, row.tags) == (
        "Final report",
        "high",
        "draft",
        ["work"],
    )
    assert as_utc(row.due_at) == datetime(2026, 3, 1, tzinfo=UTC)


async def test_update_task_clears_with_empty_values(ann):
    task_id = seed(
        ann, "Report", description="draft", tags=["work"], due_at=datetime(2026, 3, 1, tzinfo=UTC)
    )

    body = payload(
        await tools_for(ann).call_tool(
            "update_task", {"task_id": task_id, "description": "", "due_at": "", "tags": []}
        )
    )

    assert body["due_at"] is None and body["tags"] == [] and body["description"] is None
    row = stored(task_id)
    assert (row.title, row.description, row.due_at, row.tags) == ("Report", None, None, [])


async def test_update_task_with_nothing_to_change_is_an_error(ann):
    task_id = seed(ann, "Report")

    text = error_text(await tools_for(ann).call_tool("update_task", {"task_id": task_id}))

    assert text.startswith("Nothing to update")


@pytest.mark.parametrize(
    ("tool", "extra"),
    [("complete_task", {}), ("delete_task", {}), ("update_task", {"title": "New"})],
)
async def test_missing_task_is_task_not_found(ann, tool, extra):
    result = await tools_for(ann).call_tool(tool, {"task_id": 424242, **extra})

    assert error_text(result) == "Task 424242 not found"
    assert error_code(result) == "not_found"


@pytest.mark.parametrize(
    ("tool", "extra"),
    [
        ("complete_task", {}),
        ("complete_task", {"completed": False}),
        ("delete_task", {}),
        ("update_task", {"title": "Hijacked", "tags": []}),
    ],
)
async def test_another_users_task_is_not_found_and_left_alone(ann, ben, tool, extra):
    task_id = seed(ann, "Ann's secret", tags=["private"], completed=extra.get("completed") is False)
    before = stored(task_id)

    result = await tools_for(ben).call_tool(tool, {"task_id": task_id, **extra})

    assert error_text(result) == f"Task {task_id} not found"
    after = stored(task_id)
    assert (after.title, after.completed, after.tags, after.updated_at) == (
        before.title,
        before.completed,
        before.tags,
        before.updated_at,
    )
    assert payload(await tools_for(ben).call_tool("list_tasks", {})) == []


@pytest.mark.parametrize(
    ("tool", "arguments", "field"),
    [
        ("add_task", {"title": "   "}, "title"),
        ("add_task", {"title": "x" * 201}, "title"),
        ("add_task", {"title": "Pay", "due_at": "next-ish"}, "due_at"),
        ("add_task", {"title": "Pay", "priority": "urgent"}, "priority"),
        ("add_task", {"title": "Pay", "tags": ["x" * 40]}, "tags"),
        ("add_task", {}, "title"),
        ("list_tasks", {"limit": 0}, "limit"),
        ("list_tasks", {"status": "someday"}, "status"),
        ("list_tasks", {"due_before": "soon"}, "due_before"),
        ("complete_task", {"task_id": "seven"}, "task_id"),
        ("update_task", {"task_id": 1, "title": ""}, "title"),
    ],
)
async def test_invalid_arguments_are_clear_tool_errors(ann, tool, arguments, field):
    result = await tools_for(ann).call_tool(tool, arguments)
    text = error_text(result)

    assert error_code(result) == "invalid_input"
    assert text.startswith("Invalid arguments — ") and field in text
    assert "pydantic" not in text and "Error executing tool" not in text
    assert stored_ids(ann) == []


async def test_unknown_argument_is_rejected_by_name(ann):
    text = error_text(await tools_for(ann).call_tool("add_task", {"title": "x", "due": "today"}))

    assert "due" in text and "due_at" in text
    assert stored_ids(ann) == []


@pytest.mark.parametrize("claimed", [999_999, "999999", "1 OR 1=1"])
async def test_forged_user_id_is_refused(ann, ben, claimed):
    task_id = seed(ben, "Ben's task")

    for tool, arguments in [
        ("add_task", {"title": "Sneaky"}),
        ("list_tasks", {}),
        ("delete_task", {"task_id": task_id}),
    ]:
        result = await tools_for(ann).call_tool(tool, {**arguments, "user_id": claimed})
        assert "is not the signed-in user" in error_text(result)
        assert error_code(result) == "forbidden"
    assert stored_ids(ann) == [] and stored_ids(ben) == [task_id]


async def test_forging_the_other_users_real_id_is_refused(ann, ben):
    result = await tools_for(ann).call_tool("list_tasks", {"user_id": ben.id})

    assert "is not the signed-in user" in error_text(result)


@pytest.mark.parametrize("own", ["int", "str"])
async def test_the_callers_own_user_id_is_accepted(ann, own):
    claimed = ann.id if own == "int" else f" {ann.id} "

    body = payload(
        await tools_for(ann).call_tool("add_task", {"title": "Spec client", "user_id": claimed})
    )

    assert stored(body["task_id"]).user_id == ann.id


async def test_without_a_bound_user_the_tools_refuse(ann):
    seed(ann, "Private")

    for tool, arguments in [("list_tasks", {}), ("add_task", {"title": "Orphan"})]:
        result = await task_server.call_tool(tool, arguments)
        assert error_text(result).startswith("Not signed in")
        assert error_code(result) == "unauthorized"
    assert len(stored_ids(ann)) == 1


async def test_concurrent_adapters_each_act_for_their_own_user(db):
    users = [insert_user() for _ in range(4)]

    async def add(user: QuickUser, n: int) -> int:
        await asyncio.sleep(0)
        return payload(await tools_for(user).call_tool("add_task", {"title": f"t{n}"}))["task_id"]

    created = await asyncio.gather(*(add(user, n) for n in range(3) for user in users))

    for task_id in created:
        row = stored(task_id)
        assert row.title in {"t0", "t1", "t2"}
    for user in users:
        assert len(stored_ids(user)) == 3


async def test_adapter_caches_the_tool_list_and_can_invalidate_it(ann):
    tools = tools_for(ann)
    assert tools.name == "chatapp-tasks" and tools.cached_tools is None

    first = await tools.list_tools()
    assert [tool.name for tool in first] == [
        "add_task",
        "list_tasks",
        "complete_task",
        "delete_task",
        "update_task",
        "list_completions",
        "attach_files",
    ]
    first[0].name = "mutated by caller"
    assert [tool.name for tool in tools.cached_tools][0] == "add_task"
    assert (await tools.list_tools())[0].name == "add_task"

    tools.invalidate_tools_cache()
    assert tools.cached_tools is None
    async with tools:
        assert len(await tools.list_tools()) == len(TOOL_NAMES)


@pytest.mark.parametrize("bad", [0, -3, True, "7", None])
def test_adapter_needs_a_real_user_id(bad):
    with pytest.raises(ValueError, match="user_id"):
        InProcessTaskMCP(bad)


async def test_agent_with_offline_model_manages_tasks_through_the_adapter(ann, ben):
    from agents import Agent, Runner, set_tracing_disabled

    from chatapp.agent import OfflineModel

    set_tracing_disabled(True)
    bens_task = seed(ben, "Ben's plan")
    agent = Agent(
        name="Todo",
        instructions="You manage the signed-in user's to-do list with the task tools.",
        model=OfflineModel(),
        mcp_servers=[InProcessTaskMCP(ann.id)],
    )

    added = await Runner.run(agent, "add buy milk")
    [task_id] = stored_ids(ann)
    assert stored(task_id).title == "Buy milk" and "Buy milk" in added.final_output

    await Runner.run(agent, f"complete task {task_id}")
    assert stored(task_id).completed

    refused = await Runner.run(agent, f"delete task {bens_task}")
    assert f"Task {bens_task} not found" in refused.final_output
    assert stored(bens_task) is not None


async def test_the_agent_converts_its_mcp_tools_once_per_run(ann):
    """An add-task turn is two model steps; the SDK would list and convert the tools for each."""
    from agents import RunConfig, Runner

    from chatapp.agent.agent import build_agent
    from chatapp.agent.offline.model import OfflineModelProvider

    class CountingTools(InProcessTaskMCP):
        listed = 0

        async def list_tools(self, run_context=None, agent=None):
            CountingTools.listed += 1
            return await super().list_tools(run_context, agent)

    async with CountingTools(ann.id) as tools:
        agent = build_agent(now=datetime.now(UTC), timezone="UTC", mcp_servers=[tools])
        result = await Runner.run(
            agent,
            "add buy milk",
            run_config=RunConfig(model_provider=OfflineModelProvider(), tracing_disabled=True),
        )

    assert [stored(task_id).title for task_id in stored_ids(ann)] == ["Buy milk"]
    assert "Buy milk" in result.final_output
    assert CountingTools.listed == 1


async def test_tools_converted_once_act_for_the_user_of_each_run(ann, ben):
    """The agent's task tools are converted once per process; each call still goes to the
    adapter of the run making it, so each user's request changes only their own tasks."""
    from agents import RunConfig, RunContextWrapper, Runner

    from chatapp.agent.agent import build_agent
    from chatapp.agent.offline.model import OfflineModelProvider

    config = RunConfig(model_provider=OfflineModelProvider(), tracing_disabled=True)
    converted = []
    for user, title in ((ann, "buy milk"), (ben, "walk the dog")):
        agent = build_agent(
            now=datetime.now(UTC), timezone="UTC", mcp_servers=[InProcessTaskMCP(user.id)]
        )
        await Runner.run(agent, f"add {title}", run_config=config)
        converted.append(await agent.get_mcp_tools(RunContextWrapper(None)))

    assert [stored(task_id).title for task_id in stored_ids(ann)] == ["Buy milk"]
    assert [stored(task_id).title for task_id in stored_ids(ben)] == ["Walk the dog"]
    assert [id(tool) for tool in converted[0]] == [id(tool) for tool in converted[1]]


async def test_a_converted_tool_called_without_its_runs_adapter_acts_for_nobody(ann):
    from agents import Agent, FunctionTool, RunContextWrapper
    from agents.tool_context import ToolContext

    from chatapp.agent.agent import build_agent
    from chatapp.tools.contract import failure_of

    agent = build_agent(now=datetime.now(UTC), timezone="UTC", mcp_servers=[tools_for(ann)])
    [add] = [t for t in await agent.get_mcp_tools(RunContextWrapper(None)) if t.name == "add_task"]
    stranger = Agent(name="stranger")  # no task adapter: no signed-in user
    arguments = '{"title": "Sneaky"}'
    context = ToolContext(
        None, tool_name="add_task", tool_call_id="c1", tool_arguments=arguments, agent=stranger
    )

    assert isinstance(add, FunctionTool)
    output = await add.on_invoke_tool(context, arguments)
    failure = failure_of(output)
    assert failure is not None and failure.code == "unauthorized"
    assert stored_ids(ann) == []
