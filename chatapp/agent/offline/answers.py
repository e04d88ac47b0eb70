"""Answers to questions about tasks ("when's my haircut?", "what's most urgent?"), from the list
the tool returned: the question decides the order and the sentence, the list stays the facts."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from chatapp.agent.offline import dates, replies
from chatapp.agent.offline.intents import TaskFilter
from chatapp.agent.offline.tool_results import TaskView

_PRIORITY_RANK = {"high": 0, "medium": 1, "low": 2}


def ordered(tasks: Sequence[TaskView], task_filter: TaskFilter, now: datetime) -> list[TaskView]:
    """Tasks in the order an answer shows them: by urgency when that is the question."""
    if task_filter.question != "urgent":
        return list(tasks)
    return sorted(tasks, key=lambda task: _urgency(task, now))


def _urgency(task: TaskView, now: datetime) -> tuple[int, float, int]:
    # Overdue first, then the soonest due, then priority; undated tasks after dated ones.
    due = dates.parse_iso(task.due_at, now)
    rank = _PRIORITY_RANK.get(task.priority or "", 3)
    if due is None:
        return (2, 0.0, rank)
    return (0 if due < now else 1, due.timestamp(), rank)


def answer(tasks: Sequence[TaskView], task_filter: TaskFilter, now: datetime) -> str:
    question = task_filter.question
    if question in _PER_TASK:
        line, missing = _PER_TASK[question]
        return _line_each(
            tasks, lambda task: line(task, now), missing.format(about=_about(task_filter))
        )
    if question == "urgent":
        return _most_urgent(tasks, now)
    if question == "finished":
        return _finished(tasks, task_filter, now)
    return _count(tasks, task_filter, now)


def _name(task: TaskView) -> str:
    return f"**{replies.md(task.title)}** (task {task.id})"


def _about(task_filter: TaskFilter) -> str:
    words = task_filter.query or task_filter.topic or task_filter.about or ""
    return f"\u201c{replies.md(words)}\u201d"


def _when_line(task: TaskView, now: datetime) -> str:
    if task.completed:
        return f"{_name(task)} is already done \u2713."
    due = dates.parse_iso(task.due_at, now)
    if due is None:
        return f"{_name(task)} has no due date yet."
    late = " \u2014 that's overdue" if due < now else ""
    day = dates.relative_day(due, now)
    when = f"{day}, {dates.describe(due, now)}" if day else dates.describe(due, now)
    return f"{_name(task)} is due {when}{late}."


def _done_line(task: TaskView, now: datetime) -> str:
    if task.completed:
        return f"Yes \u2014 {_name(task)} is done \u2713."
    due = dates.parse_iso(task.due_at, now)
    when = f" It's due {dates.describe(due, now)}." if due is not None else ""
    return f"No, not yet: {_name(task)} is still open.{when}"


# The questions answered a line a task: the line, and what to say when no task matches.
_PER_TASK: dict[str, tuple[Callable[[TaskView, datetime], str], str]] = {
    "when": (
        _when_line,
        "I couldn't find a task matching {about}. Say \u201cshow my tasks\u201d to see your list, "
        "or \u201cadd\u201d it as a new task.",
    ),
    "done": (
        _done_line,
        "I couldn't find a task matching {about}, done or not. Say \u201cshow my tasks\u201d to "
        "see your list.",
    ),
}


def _line_each(tasks: Sequence[TaskView], line: Callable[[TaskView], str], missing: str) -> str:
    """A line a task (the first MAX_LISTED), as a bulleted list when there is more than one;
    `missing` when there is none."""
    if not tasks:
        return missing
    lines = [line(task) for task in tasks[: replies.MAX_LISTED]]
    return lines[0] if len(lines) == 1 else "\n".join(f"- {text}" for text in lines)


def _count(tasks: Sequence[TaskView], task_filter: TaskFilter, now: datetime) -> str:
    return replies.list_reply(tasks, task_filter, now)


def _most_urgent(tasks: Sequence[TaskView], now: datetime) -> str:
    if not tasks:
        return "Nothing is open \u2014 your list is clear. Add something with \u201cadd ...\u201d."
    first = tasks[0]
    due = dates.parse_iso(first.due_at, now)
    if due is not None and due < now:
        why = f"it's overdue (it was due {dates.describe(due, now)})"
    elif due is not None:
        why = f"it's the next one due, {dates.describe(due, now)}"
    elif first.priority:
        why = f"nothing open has a due date, and it's {first.priority} priority"
    else:
        why = "nothing open has a due date or a priority, and it's the oldest"
    lines = [f"Most urgent: {_name(first)}, because {why}."]
    if len(tasks) > 1:
        lines.append("After that:")
        lines.extend(replies.task_line(task, now) for task in tasks[1:4])
    return "\n".join(lines)


def _finished(tasks: Sequence[TaskView], task_filter: TaskFilter, now: datetime) -> str:
    if not tasks:
        return f"You haven't finished anything {task_filter.period or 'yet'}."
    noun = "task" if len(tasks) == 1 else "tasks"
    lines = [f"You finished {len(tasks)} {noun} {task_filter.period or ''}:".replace(" :", ":")]
    lines.extend(f"- \u2713 {_name(task)}" for task in tasks[: replies.MAX_LISTED])
    return "\n".join(lines)
