"""The MCP task tools: thin wrappers over chatapp.tasks.service on one MCPServer instance.

Each tool finds its user (`identity.acting_user`), calls the task service, and returns a JSON
string. Every failure (unknown task, invalid field, forged user_id, database down) comes back as
an `isError` result whose text is JSON with a code and a message (`contract.failure_json`), e.g.
{"error": {"code": "not_found", "message": "Task 7 not found"}}. Which tools change tasks is
said by their annotations (`readOnlyHint`).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Annotated, Any

import anyio.to_thread
from mcp.server.mcpserver import Context, MCPServer
from mcp.server.mcpserver.exceptions import ToolError, UnexpectedToolError
from mcp_types import CallToolResult, InputRequiredResult, TextContent, ToolAnnotations
from pydantic import Field, ValidationError
from sqlalchemy.exc import OperationalError

from chatapp.errors import DB_UNAVAILABLE, AppError, InvalidInput
from chatapp.tasks import service
from chatapp.tasks.schemas import (
    COMPLETIONS_LIMIT_DEFAULT,
    LIST_LIMIT_DEFAULT,
    CompletionOut,
    CompletionQuery,
    Priority,
    Status,
    TaskCreate,
    TaskOut,
    TaskQuery,
    TaskUpdate,
)
from chatapp.tools.contract import INTERNAL, INVALID_INPUT, UNAVAILABLE, UNKNOWN_TOOL, failure_json
from chatapp.tools.identity import acting_user, acting_zone
from chatapp.tools.names import (
    ADD_TASK,
    ATTACH_FILES,
    COMPLETE_TASK,
    DELETE_TASK,
    LIST_COMPLETIONS,
    LIST_TASKS,
    UPDATE_TASK,
)

logger = logging.getLogger("chatapp.tools")

SERVER_NAME = "chatapp-tasks"
INSTRUCTIONS = (
    "Tools for the signed-in user's to-do list. Every tool acts for the authenticated user; "
    "task ids come from add_task or list_tasks. Dates are ISO 8601."
)
NOTHING_TO_UPDATE = (
    "Nothing to update: give at least one of title, description, priority, due_at, tags, "
    "recurrence, time_zone or remind_at."
)
USER_ID_HELP = (
    "Optional, for compatibility with clients that send it. The tools always act for the "
    "signed-in user; a different user_id makes the call fail."
)
DUE_HELP = "ISO 8601 date or date-time, e.g. 2026-03-01T17:00:00+01:00 (no offset means UTC)."
RECURRENCE_HELP = (
    "How the task repeats: an RFC 5545 RRULE value such as FREQ=WEEKLY;BYDAY=MO, "
    "FREQ=MONTHLY;BYMONTHDAY=1 or FREQ=DAILY;INTERVAL=2;COUNT=10 (HOURLY at most). Needs a "
    "due_at, the first occurrence; completing the task then moves it to the next one."
)
ZONE_HELP = (
    "IANA time zone the repeat rule keeps its clock time in, e.g. Europe/Paris "
    "(default: the user's zone, else UTC)."
)
REMIND_HELP = f"When to remind the user. {DUE_HELP}"

TaskId = Annotated[int, Field(description="The task's id, as add_task or list_tasks gave it.")]
ATTACHMENT_IDS_HELP = (
    "Ids of files the user attached to their messages (each message lists its attachments "
    "with their ids), for the task to keep."
)
AttachmentIds = Annotated[list[str] | None, Field(description=ATTACHMENT_IDS_HELP)]
UserId = Annotated[int | str | None, Field(description=USER_ID_HELP)]
Tags = Annotated[list[str] | None, Field(description="Short labels, e.g. ['work', 'home'].")]

# The argument names a call actually carried: update_task tells "recurrence": null (stop
# repeating) from no "recurrence" at all (leave it), which the function's defaults cannot.
_given_arguments: ContextVar[frozenset[str]] = ContextVar(
    "chatapp_tool_arguments", default=frozenset()
)


def tool_error(code: str, message: str) -> CallToolResult:
    """An `isError` tool result whose only content is the failure as JSON."""
    text = failure_json(code, message)
    return CallToolResult(content=[TextContent(type="text", text=text)], is_error=True)


def describe_invalid(exc: ValidationError, renames: Mapping[str, str] | None = None) -> str:
    """'due_at: Input should be a valid datetime; tags: ...' — one clause per bad field."""
    clauses = []
    for err in exc.errors():
        field = ".".join(str(part) for part in err.get("loc", ())) or "arguments"
        field = (renames or {}).get(field, field)
        kind = err.get("type")
        if kind == "missing":
            message = "field required"
        elif kind in ("extra_forbidden", "unexpected_keyword_argument"):
            message = "unknown argument"
        else:
            message = str(err.get("msg", "is invalid")).removeprefix("Value error, ")
        clauses.append(f"{field}: {message}")
    return "Invalid arguments — " + "; ".join(clauses) if clauses else "Invalid arguments."


@contextmanager
def _logging_left_alone() -> Iterator[None]:
    # MCPServer() calls logging.basicConfig(); logging setup belongs to the host app.
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    try:
        yield
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)


class TaskToolServer(MCPServer):
    """MCPServer whose tool failures read as plain, actionable messages on every path.

    The SDK prefixes failures with "Error executing tool <name>: " and shows pydantic's raw
    report for bad arguments; both the HTTP transport and the in-process adapter call
    `call_tool`, so shaping errors here makes them identical everywhere.
    """

    async def call_tool(
        self, name: str, arguments: dict[str, Any], context: Context | None = None
    ) -> CallToolResult | InputRequiredResult:
        tools = {tool.name: tool for tool in await self.list_tools()}
        tool = tools.get(name)
        if tool is None:
            known_tools = ", ".join(sorted(tools))
            return tool_error(UNKNOWN_TOOL, f"Unknown tool: {name}. Available: {known_tools}.")
        known = tool.input_schema.get("properties", {})
        unknown = sorted(set(arguments or {}) - set(known))
        if unknown:
            return tool_error(
                INVALID_INPUT,
                f"Unknown argument(s) for {name}: {', '.join(unknown)}. "
                f"Accepted: {', '.join(known)}.",
            )
        given = _given_arguments.set(frozenset(arguments or {}))
        try:
            return await super().call_tool(name, arguments, context)
        except UnexpectedToolError as exc:
            if isinstance(exc.__cause__, OperationalError):
                logger.warning("task tool %s: database unavailable", name)
                return tool_error(UNAVAILABLE, DB_UNAVAILABLE)
            logger.exception("task tool %s crashed", name)
            return tool_error(INTERNAL, f"The {name} tool failed unexpectedly. Please try again.")
        except ToolError as exc:
            if isinstance(exc.__cause__, ValidationError):
                return tool_error(INVALID_INPUT, describe_invalid(exc.__cause__))
            return tool_error(INVALID_INPUT, str(exc))
        finally:
            _given_arguments.reset(given)


with _logging_left_alone():
    task_server = TaskToolServer(
        SERVER_NAME,
        title="chatapp tasks",
        instructions=INSTRUCTIONS,
        version="1.0.0",
        subscriptions=False,
    )


def _due(value: str | None) -> str | None:
    # An empty string means "no date" (and clears it in update_task).
    return (value.strip() or None) if isinstance(value, str) else value


def _iso(moment: Any) -> str | None:
    return moment.isoformat() if moment else None


def task_row(task: TaskOut) -> dict[str, Any]:
    """One task as the tools describe it."""
    return {
        "id": task.id,
        "title": task.title,
        "completed": task.completed,
        "priority": task.priority,
        "due_at": _iso(task.due_at),
        "tags": list(task.tags),
        "description": task.description,
        "completed_at": _iso(task.completed_at),
        "recurrence": task.recurrence,
        "recurrence_text": task.recurrence_text,
        "time_zone": task.time_zone,
        "remind_at": _iso(task.remind_at),
        "reminded_at": _iso(task.reminded_at),
    }


def completion_row(done: CompletionOut) -> dict[str, Any]:
    return {
        "task_id": done.task_id,
        "title": done.title,
        "completed_at": _iso(done.completed_at),
        "due_at": _iso(done.due_at),
    }


def outcome(task: TaskOut, status: str, attachments: list | None = None) -> str:
    """The JSON a mutating tool returns: what happened to which task (and the files it holds,
    when it holds any)."""
    row = task_row(task)
    task_id = row.pop("id")
    if attachments:
        row["attachments"] = attachments
    return json.dumps(
        {"task_id": task_id, "status": status, "title": row.pop("title"), **row},
        ensure_ascii=False,
    )


def _named(user: int, tasks: list[TaskOut]) -> dict[int, list[dict[str, str]]]:
    return service.attachment_names(user, [task.id for task in tasks])


async def _run(
    ctx: Context,
    claimed_user: int | str | None,
    action: Callable[[int], str],
    renames: Mapping[str, str] | None = None,
) -> str | CallToolResult:
    """Resolve the user, run the service call off the event loop, map domain errors."""
    try:
        user_id = acting_user(ctx, claimed_user)
        return await anyio.to_thread.run_sync(action, user_id)
    except AppError as exc:
        return tool_error(exc.code, exc.message)
    except ValidationError as exc:
        return tool_error(INVALID_INPUT, describe_invalid(exc, renames))


def _task_tool(
    name: str,
    title: str,
    *,
    read_only: bool = False,
    destructive: bool = False,
    idempotent: bool = False,
) -> Callable:
    """Register a task tool: its title, and hints that say whether and how it changes tasks."""
    hints = {"read_only_hint": read_only}
    if not read_only:
        hints |= {"destructive_hint": destructive, "idempotent_hint": idempotent}
    return task_server.tool(
        name=name,
        title=title,
        annotations=ToolAnnotations(title=title, open_world_hint=False, **hints),
        structured_output=False,
    )


@_task_tool(ADD_TASK, "Add task")
async def add_task(
    ctx: Context,
    title: Annotated[str, Field(description="What to do, in a few words.")],
    description: Annotated[str | None, Field(description="Optional details.")] = None,
    priority: Priority | None = None,
    due_at: Annotated[str | None, Field(description=f"When it is due. {DUE_HELP}")] = None,
    tags: Tags = None,
    recurrence: Annotated[str | None, Field(description=RECURRENCE_HELP)] = None,
    time_zone: Annotated[str | None, Field(description=ZONE_HELP)] = None,
    remind_at: Annotated[str | None, Field(description=REMIND_HELP)] = None,
    attachment_ids: AttachmentIds = None,
    user_id: UserId = None,
) -> str | CallToolResult:
    """Add a task to the signed-in user's to-do list, optionally repeating, with a reminder,
    or keeping files the user attached.

    Returns {"task_id", "status": "created", "title", ..., "attachments"?}.
    """
    fields = {"title": title, "description": description, "priority": priority, "tags": tags}
    fields |= {"due_at": _due(due_at), "recurrence": recurrence, "remind_at": _due(remind_at)}
    fields["time_zone"] = time_zone or acting_zone(ctx)
    data = {name: value for name, value in fields.items() if value is not None}

    def create(user: int) -> str:
        task = service.create_task(user, TaskCreate.model_validate(data), attachment_ids or ())
        # A new task holds only the files it was given: without any, there is nothing to name.
        named = _named(user, [task]).get(task.id) if attachment_ids else None
        return outcome(task, "created", named)

    return await _run(ctx, user_id, create)


@_task_tool(LIST_TASKS, "List tasks", read_only=True)
async def list_tasks(
    ctx: Context,
    status: Status = "all",
    query: Annotated[
        str | None, Field(description="Words to find in the title or description.")
    ] = None,
    priority: Priority | None = None,
    tag: Annotated[str | None, Field(description="Only tasks with this tag.")] = None,
    due_before: Annotated[
        str | None, Field(description=f"Only tasks due before this. {DUE_HELP}")
    ] = None,
    due_after: Annotated[
        str | None, Field(description=f"Only tasks due at or after this. {DUE_HELP}")
    ] = None,
    limit: Annotated[int, Field(description="At most this many tasks.")] = LIST_LIMIT_DEFAULT,
    completed_since: Annotated[
        str | None,
        Field(
            description="Only tasks completed at or after this (a repeating task counts when "
            f"one of its occurrences was). {DUE_HELP}"
        ),
    ] = None,
    user_id: UserId = None,
) -> str | CallToolResult:
    """List the signed-in user's tasks, oldest first, optionally filtered.

    Returns a JSON list of {"id", "title", "completed", "priority", "due_at", "tags",
    "description", "completed_at", "recurrence", "recurrence_text", "time_zone", "remind_at",
    "reminded_at", "attachments"?}. A repeating task stays open: its due_at is the next
    occurrence. "attachments" ([{"id", "name", "kind"}]) is there when the task holds files.
    """
    filters = {"status": status, "q": query, "priority": priority, "tag": tag, "limit": limit}
    filters |= {"due_before": _due(due_before), "due_after": _due(due_after)}
    filters["completed_since"] = _due(completed_since)
    data = {name: value for name, value in filters.items() if value is not None}

    def find(user: int) -> str:
        tasks, _total = service.list_tasks(user, TaskQuery.model_validate(data))
        files = _named(user, tasks)
        rows = [task_row(task) | ({"attachments": files[task.id]} if task.id in files else {})
                for task in tasks]  # fmt: skip
        return json.dumps(rows, ensure_ascii=False)

    return await _run(ctx, user_id, find, renames={"q": "query"})


# Not idempotent: completing a repeating task twice completes two occurrences.
@_task_tool(COMPLETE_TASK, "Complete task")
async def complete_task(
    ctx: Context,
    task_id: TaskId,
    completed: Annotated[bool, Field(description="true marks it done; false reopens it.")] = True,
    user_id: UserId = None,
) -> str | CallToolResult:
    """Mark a task as done (or, with completed=false, as not done).

    A repeating task records the occurrence as done and stays open, due at its next
    occurrence (completed is false, due_at the new date); after its last one it is done.
    Returns {"task_id", "status": "completed" or "reopened", "title", ...}.
    """

    def mark(user: int) -> str:
        task = service.set_completed(user, task_id, completed)
        return outcome(task, "completed" if completed else "reopened")

    return await _run(ctx, user_id, mark)


@_task_tool(DELETE_TASK, "Delete task", destructive=True, idempotent=True)
async def delete_task(
    ctx: Context, task_id: TaskId, user_id: UserId = None
) -> str | CallToolResult:
    """Delete a task for good.

    Returns {"task_id", "status": "deleted", "title", ...} describing the removed task.
    """

    def delete(user: int) -> str:
        return outcome(service.delete_task(user, task_id), "deleted")

    return await _run(ctx, user_id, delete)


@_task_tool(UPDATE_TASK, "Update task", idempotent=True)
async def update_task(
    ctx: Context,
    task_id: TaskId,
    title: Annotated[str | None, Field(description="New title.")] = None,
    description: Annotated[
        str | None, Field(description="New details; an empty string removes them.")
    ] = None,
    priority: Priority | None = None,
    due_at: Annotated[
        str | None, Field(description=f"New due date; an empty string removes it. {DUE_HELP}")
    ] = None,
    tags: Annotated[
        list[str] | None, Field(description="The new full list of tags; [] removes them all.")
    ] = None,
    recurrence: Annotated[
        str | None,
        Field(
            description=f"{RECURRENCE_HELP} null or an empty string stops it repeating; "
            "leave it out to keep the rule."
        ),
    ] = None,
    time_zone: Annotated[str | None, Field(description=ZONE_HELP)] = None,
    remind_at: Annotated[
        str | None,
        Field(description=f"{REMIND_HELP} null or an empty string removes the reminder."),
    ] = None,
    user_id: UserId = None,
) -> str | CallToolResult:
    """Change some fields of a task; the fields left out stay as they are.

    Returns {"task_id", "status": "updated", "title", ...} with the task as it is now.
    """
    given = {"title": title, "description": description, "priority": priority, "tags": tags}
    changes = {name: value for name, value in given.items() if value is not None}
    if due_at is not None:
        changes["due_at"] = _due(due_at)
    named = _given_arguments.get()
    # For these, an explicit null clears the value; only a missing argument leaves it alone.
    if "recurrence" in named:
        changes["recurrence"] = recurrence
    if "remind_at" in named:
        changes["remind_at"] = _due(remind_at)
    if time_zone is not None:
        changes["time_zone"] = time_zone
    elif recurrence and (zone := acting_zone(ctx)):
        changes["time_zone"] = zone  # a new rule keeps the user's clock

    def update(user: int) -> str:
        if not changes:
            raise InvalidInput(NOTHING_TO_UPDATE)
        task = service.update_task(user, task_id, TaskUpdate.model_validate(changes))
        return outcome(task, "updated")

    return await _run(ctx, user_id, update)


@_task_tool(LIST_COMPLETIONS, "List completions", read_only=True)
async def list_completions(
    ctx: Context,
    since: Annotated[
        str | None, Field(description=f"Only completions at or after this. {DUE_HELP}")
    ] = None,
    limit: Annotated[
        int, Field(description="At most this many, newest first.")
    ] = COMPLETIONS_LIMIT_DEFAULT,
    user_id: UserId = None,
) -> str | CallToolResult:
    """What the signed-in user finished, newest first: each completed task, and each
    occurrence of a repeating task (which stays open), so "what did I finish today?" counts
    them all.

    Returns a JSON list of {"task_id", "title", "completed_at", "due_at"} (due_at: the due
    time of the occurrence that was completed).
    """
    data = {"since": _due(since), "limit": limit}

    def find(user: int) -> str:
        done = service.list_completions(user, CompletionQuery.model_validate(data))
        return json.dumps([completion_row(row) for row in done], ensure_ascii=False)

    return await _run(ctx, user_id, find)


@_task_tool(ATTACH_FILES, "Attach files", idempotent=True)
async def attach_files(
    ctx: Context,
    task_id: TaskId,
    attachment_ids: Annotated[list[str], Field(description=ATTACHMENT_IDS_HELP, min_length=1)],
    user_id: UserId = None,
) -> str | CallToolResult:
    """Keep files the user attached to their messages with a task (e.g. receipts on an
    expenses task). Attaching a file the task already holds changes nothing.

    Returns {"task_id", "status": "attached", "title", ..., "attachments": [{"id", "name",
    "kind"}]} with every file the task now holds.
    """

    def attach(user: int) -> str:
        service.attach(user, task_id, attachment_ids)
        task = service.get_task(user, task_id)
        return outcome(task, "attached", _named(user, [task]).get(task_id))

    return await _run(ctx, user_id, attach)
