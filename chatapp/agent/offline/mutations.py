"""The one tool call that makes an intent's change to one task, from what the task is now."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, time, timedelta

from chatapp.agent.offline import dates, replies
from chatapp.agent.offline.intents import (
    DeleteTask,
    OpenTask,
    Priority,
    RefIntent,
    SetCompleted,
    TaskChanges,
    UpdateTask,
)
from chatapp.agent.offline.titles import clean_title
from chatapp.agent.offline.tool_results import TaskView
from chatapp.agent.offline.toolbox import NULL, PlannedCall, Step, Toolbox, ToolKind


def needs_current(intent: RefIntent) -> bool:
    # Moving a due date "by 2 days" needs the date it has now, "lower the priority" the priority;
    # adding or removing one tag needs the tags it has, since update_task replaces the list.
    if not isinstance(intent, UpdateTask):
        return False
    changes = intent.changes
    return (
        changes.shift is not None
        or changes.keep_day
        or changes.remind_before is not None
        or bool(changes.add_tags or changes.remove_tags or changes.priority_step)
    )


def mutation(
    intent: RefIntent,
    task_id: int,
    current: TaskView | None,
    toolbox: Toolbox,
    now: datetime,
) -> Step:
    if isinstance(intent, OpenTask):
        return single(toolbox.call("open_task", task_id=task_id), "open_task")
    if isinstance(intent, DeleteTask):
        call = toolbox.call("delete_task", task_id=task_id)
        return single(call, "delete_task")
    if isinstance(intent, SetCompleted):
        if intent.completed:
            return single(
                toolbox.call("complete_task", task_id=task_id, completed=True), "complete_task"
            )
        if toolbox.accepts("complete_task", "completed"):
            return single(
                toolbox.call("complete_task", task_id=task_id, completed=False), "complete_task"
            )
        if toolbox.accepts("update_task", "completed"):
            return single(
                toolbox.call("update_task", task_id=task_id, completed=False), "update_task"
            )
        return Step(text="Sorry, I can't reopen tasks with the tools I have right now.")

    changes = intent.changes
    due_at = changes.due_at
    if changes.shift is not None:
        base = dates.parse_iso(current.due_at if current else None, now)
        if base is None:
            base = datetime.combine(now.date(), time(9, 0), tzinfo=now.tzinfo)
        due_at = (
            base + changes.shift
            if changes.shift < timedelta(days=1)
            else _shift_days(base, changes.shift)
        )
    if changes.keep_day and due_at is not None:
        # "move it to 3pm": that time, on the day it is due (today's date if it has none).
        have = dates.parse_iso(current.due_at if current else None, now)
        if have is not None:
            local = have.astimezone(due_at.tzinfo) if due_at.tzinfo else have
            due_at = datetime.combine(local.date(), due_at.timetz())
    if changes.keep_time and due_at is not None:
        # "move it to friday": that day, at the time it is due now (09:00 if it has none). Known
        # when the task was looked up by name; "task 3" by number is not looked up for this.
        have = dates.parse_iso(current.due_at if current else None, now)
        if have is not None:
            local = have.astimezone(due_at.tzinfo) if due_at.tzinfo else have
            due_at = datetime.combine(due_at.date(), local.timetz())
    priority = changes.priority
    if changes.priority_step:
        have = current.priority if current is not None else None
        priority = _stepped(have, changes.priority_step)
        if priority == have and replace(changes, priority_step=0).is_empty():
            return Step(text=replies.priority_unchanged_reply(task_id, current, priority))
    tags = changes.tags
    if changes.add_tags or changes.remove_tags:
        have = current.tags if current is not None else ()
        tags = _retagged(have, changes)
        if _same_tags(tags, have) and replace(changes, add_tags=(), remove_tags=()).is_empty():
            return Step(text=replies.tags_unchanged_reply(task_id, current, changes))
    remind_at = changes.remind_at
    if changes.remind_before is not None:
        due = dates.parse_iso(current.due_at if current else None, now)
        if due is None:
            return Step(text=replies.no_due_to_remind_reply(task_id, current))
        remind_at = due - changes.remind_before
    repeats = changes.recurrence is not None or remind_at is not None
    # update_task removes a due date or a description given as an empty string, and stops a
    # task repeating given recurrence: null.
    wanted = {
        "title": clean_title(changes.title) if changes.title else None,
        "description": "" if "description" in changes.clear else changes.description,
        "priority": priority,
        "due_at": "" if "due_at" in changes.clear else dates.to_iso(due_at) if due_at else None,
        "tags": list(tags) if tags is not None else None,
        "recurrence": NULL if "recurrence" in changes.clear else changes.recurrence,
        "time_zone": dates.zone_name(now) if repeats else None,
        "remind_at": dates.to_iso(remind_at) if remind_at else None,
    }
    if not toolbox.has("update_task"):
        return Step(text=replies.missing_tool_reply("update_task"))
    given = [name for name, value in wanted.items() if value is not None and name != "time_zone"]
    unsupported = [name for name in given if not toolbox.accepts("update_task", name)]
    if unsupported and len(unsupported) == len(given):
        fields = ", ".join(name.replace("_", " ") for name in unsupported)
        return Step(text=f"Sorry, I can't change a task's {fields} with the tools I have.")
    return single(toolbox.call("update_task", task_id=task_id, **wanted), "update_task")


def _stepped(priority: str | None, step: int) -> Priority:
    """One level up or down from `priority`; a task without one counts as medium."""
    levels: tuple[Priority, ...] = ("low", "medium", "high")
    index = levels.index(priority) if priority in levels else 1
    return levels[min(max(index + step, 0), len(levels) - 1)]


def _retagged(have: Sequence[str], changes: TaskChanges) -> tuple[str, ...]:
    """The task's tags with `remove_tags` taken out and `add_tags` added at the end."""
    removed = {_tag_key(tag) for tag in changes.remove_tags}
    kept = [tag for tag in have if _tag_key(tag) not in removed]
    for tag in changes.add_tags:
        if _tag_key(tag) not in {_tag_key(old) for old in kept}:
            kept.append(tag)
    return tuple(kept)


def _same_tags(one: Sequence[str], other: Sequence[str]) -> bool:
    return [_tag_key(tag) for tag in one] == [_tag_key(tag) for tag in other]


def _tag_key(tag: str) -> str:
    return tag.strip().lstrip("#").lower()


def _shift_days(base: datetime, shift: timedelta) -> datetime:
    # Keep the wall-clock time across DST changes: shift the date, not a number of hours.
    return datetime.combine(base.date() + timedelta(days=shift.days), base.timetz())


def single(call: PlannedCall | None, kind: ToolKind) -> Step:
    if call is None:
        return Step(text=replies.missing_tool_reply(kind))
    return Step(calls=(call,))
