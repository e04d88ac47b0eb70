"""What a turn's tool results come to, in words: lists filtered as asked, and confirmations."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from chatapp.agent.offline import answers, dates, replies
from chatapp.agent.offline.conversation import Exchange
from chatapp.agent.offline.intents import TaskFilter
from chatapp.agent.offline.matching import match_tasks
from chatapp.agent.offline.tool_results import TaskView, parse_result, tasks_in
from chatapp.agent.offline.toolbox import ToolKind, kind_of_name


def shown_tasks(exchange: Exchange, task_filter: TaskFilter, now: datetime) -> list[TaskView] | str:
    """The tasks a list_tasks result shows for `task_filter`, in the order shown; or what went
    wrong, in words. The next turn reads "the second one" against this same list."""
    result = parse_result(exchange.output or "")
    if result.error is not None:
        return replies.error_reply("look up your tasks", result.error, result.code)
    tasks = tasks_in(result.data)
    if tasks is None:
        return replies.error_reply(
            "read your task list", "it came back in a form I don't understand"
        )
    sent = {name for name, value in exchange.arguments.items() if value is not None}
    shown = filter_locally(tasks, task_filter, sent, now)
    if task_filter.about:
        about = task_filter.about
        found = match_tasks(about, shown)
        if not found and task_filter.question == "done" and len(about.split()) > 1:
            # "did I send the invoice?" of "Email the invoice": the thing, whatever the verb.
            found = match_tasks(about.split(maxsplit=1)[1], shown)
        shown = found
    return answers.ordered(shown, task_filter, now)


def list_text(exchange: Exchange, task_filter: TaskFilter, now: datetime) -> str:
    shown = shown_tasks(exchange, task_filter, now)
    if isinstance(shown, str):
        return shown
    if task_filter.task_id is not None:
        return replies.status_reply(task_filter.task_id, shown[0] if shown else None, now)
    if task_filter.question is not None:
        return answers.answer(shown, task_filter, now)
    return replies.list_reply(shown, task_filter, now)


def filter_locally(
    tasks: list[TaskView], task_filter: TaskFilter, sent: set[str], now: datetime
) -> list[TaskView]:
    """Apply the filters the tool could not take, so a minimal list_tasks still answers right."""
    return [task for task in tasks if _passes(task, task_filter, sent, now)]


def _passes(task: TaskView, task_filter: TaskFilter, sent: set[str], now: datetime) -> bool:
    due = dates.parse_iso(task.due_at, now)
    topic = task_filter.topic
    checks = (
        task_filter.task_id is None or task.id == task_filter.task_id,
        topic is None
        or topic in (tag.lower() for tag in task.tags)
        or bool(match_tasks(topic, [task])),
        "status" in sent
        or task_filter.status == "all"
        or task.completed == (task_filter.status == "completed"),
        "query" in sent or not task_filter.query or bool(match_tasks(task_filter.query, [task])),
        "priority" in sent or not task_filter.priority or task.priority == task_filter.priority,
        "tag" in sent
        or not task_filter.tag
        or task_filter.tag.lower() in (tag.lower() for tag in task.tags),
        _done_in_window(task, task_filter, now),
        task_filter.question == "finished"
        or "due_before" in sent
        or task_filter.due_before is None
        or (due is not None and due < task_filter.due_before),
        task_filter.question == "finished"
        or "due_after" in sent
        or task_filter.due_after is None
        or (due is not None and due >= task_filter.due_after),
    )
    return all(checks)


def _done_in_window(task: TaskView, task_filter: TaskFilter, now: datetime) -> bool:
    # Tools that do not say when a task was done leave every done task in the answer.
    done = dates.parse_iso(task.completed_at, now)
    if done is None:
        return True
    after, before = task_filter.done_after, task_filter.done_before
    return (after is None or done >= after) and (before is None or done < before)


def summarise(exchanges: Sequence[Exchange], now: datetime) -> str:
    """A confirmation for every tool result of the turn, in order."""
    parts: list[str] = []
    adds = [e for e in exchanges if kind_of_name(e.name) == "add_task"]
    if adds:
        results = []
        for exchange in adds:
            result = parse_result(exchange.output or "")
            results.append((exchange.arguments, result.data, result.error))
        parts.append(replies.added_reply(results, now))
    for exchange in exchanges:
        kind = kind_of_name(exchange.name)
        if kind in (None, "add_task"):
            continue
        if kind == "list_tasks":
            if exchange is exchanges[-1]:
                parts.append(list_text(exchange, TaskFilter(), now))
            continue
        if kind == "open_task":
            parts.append(open_text(exchange))
            continue
        parts.append(mutation_text(exchange, kind, now))
    return "\n\n".join(part for part in parts if part) or replies.FALLBACK


def open_text(exchange: Exchange) -> str:
    result = parse_result(exchange.output or "")
    if result.error is not None:
        task_id = exchange.arguments.get("task_id", "?")
        return replies.error_reply(f"open task {task_id}", result.error, result.code)
    return replies.opened_reply(exchange.arguments, result.data)


def mutation_text(exchange: Exchange, kind: ToolKind, now: datetime) -> str:
    result = parse_result(exchange.output or "")
    arguments = exchange.arguments
    task_id = arguments.get("task_id", "?")
    data = result.data
    status = str(data.get("status", "")).lower() if isinstance(data, dict) else ""
    completed = arguments.get("completed", True) is not False and status != "reopened"
    doing = {
        "complete_task": f"mark task {task_id} as done" if completed else f"reopen task {task_id}",
        "delete_task": f"delete task {task_id}",
    }.get(kind, f"update task {task_id}")
    if result.error is not None:
        return replies.error_reply(doing, result.error, result.code)
    if isinstance(data, str):
        # Words the contract does not define: neither a result nor a failure.
        return replies.unclear_result_reply(doing, data)
    if kind == "complete_task":
        return replies.completed_reply(arguments, data, completed, now)
    if kind == "delete_task":
        return replies.deleted_reply(arguments, data)
    # null is a change for the fields it clears ("recurrence": null stops repeating).
    clearable = ("recurrence", "remind_at")
    given = {
        name for name, value in arguments.items() if value is not None or name in clearable
    } - {"task_id"}
    if given <= {"completed"} or status == "reopened":
        return replies.completed_reply(
            arguments, data, arguments.get("completed") is not False, now
        )
    return replies.updated_reply(arguments, data, now)
