"""The words the offline model says: confirmations built from tool outputs, lists, questions."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, Literal

from chatapp.agent.offline import dates
from chatapp.agent.offline.intents import ChatKind, TaskChanges, TaskFilter
from chatapp.agent.offline.tool_results import TaskView, as_int, task_view
from chatapp.agent.offline.toolbox import ToolKind
from chatapp.tasks.recurrence import Recurrence, RecurrenceError
from chatapp.tools.contract import NOT_FOUND

Action = Literal["complete", "reopen", "delete", "update", "open"]

MAX_LISTED = 50
ASK_WHICH = "Which one should I {action}?"
ASK_WHICH_PATTERN = re.compile(r"Which one should I (complete|reopen|delete|update|open)\?")

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]~<>|])")
_TOOL_PURPOSE: dict[ToolKind, str] = {
    "add_task": "add tasks",
    "list_tasks": "look up your tasks",
    "complete_task": "mark tasks done",
    "delete_task": "delete tasks",
    "update_task": "change tasks",
    "open_task": "open tasks in the app",
}
_CAPABILITIES: tuple[tuple[ToolKind, str], ...] = (
    ("add_task", "**add** tasks: \u201cadd buy milk tomorrow at 5pm #errands\u201d"),
    (
        "list_tasks",
        "**show** them: \u201cwhat's pending?\u201d, \u201cwhat's due this week?\u201d, "
        "\u201cfind tasks about taxes\u201d",
    ),
    (
        "complete_task",
        "**complete** or **reopen** them: \u201cmark task 3 done\u201d, \u201creopen task 4\u201d",
    ),
    (
        "update_task",
        "**change** them: \u201crename task 2 to Call the bank\u201d, \u201cmove task 2 to next "
        "friday\u201d, \u201cmake task 3 high priority\u201d",
    ),
    (
        "delete_task",
        "**delete** them: \u201cdelete task 5\u201d or \u201cdelete the meeting task\u201d",
    ),
    (
        "open_task",
        "**open** one in your task panel: \u201copen task 3\u201d, \u201cshow me the milk "
        "task\u201d",
    ),
)
_DOT = " \u00b7 "
FALLBACK = (
    "Sorry, I couldn't make sense of that. Try rephrasing, or say \u201chelp\u201d to see what I "
    "can do."
)


NO_FILE = (
    "I don't see a file on your message. Attach one (the paperclip, or drop it in the chat), "
    "then ask me again."
)
NO_FILE_KEPT = "I don't see a file on your message, so no file is attached to it."
CANT_KEEP_FILES = "I can't keep files with tasks with the tools I have, so none is attached."


def names_text(files: Sequence[Mapping[str, Any]]) -> str:
    """ "“a.pdf”", "“a.pdf” and “b.png”": the files by name."""
    names = [f"\u201c{f.get('name') or 'file'}\u201d" for f in files]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def md(text: str) -> str:
    """`text` safe inside markdown emphasis."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def chat_reply(kind: ChatKind, now: datetime, available: Sequence[ToolKind]) -> str:
    if kind == "greeting":
        return (
            "Hi! I'm your to-do assistant. Tell me what to add, or ask what's on your list "
            "\u2014 say \u201chelp\u201d to see everything I can do."
        )
    if kind == "thanks":
        return "You're welcome! Anything else for your list?"
    if kind == "ack":
        return "Okay! Just tell me whenever you want to add, check or change a task."
    if kind == "help":
        return help_reply(available)
    if kind == "date":
        zone = getattr(now.tzinfo, "key", None) or now.strftime("UTC%z")
        return f"It's {dates.short_day(now, now)} {now.year}, {now.strftime('%H:%M')} ({zone})."
    if kind == "empty":
        return "I'm here! Say something like \u201cadd buy milk\u201d or \u201cshow my tasks\u201d."
    if kind == "missing_title":
        return "What should the new task say? For example: \u201cadd buy milk tomorrow\u201d."
    if kind == "missing_change":
        return (
            "What should I change? You can give a new title (\u201crename task 2 to ...\u201d), "
            "a due date (\u201cmove task 2 to friday\u201d), a priority or tags."
        )
    if kind == "bulk":
        return (
            "To keep your list safe I only change tasks you name. Tell me which ones "
            "\u2014 by number (\u201cdelete tasks 2 and 5\u201d, \u201cmark tasks 1-3 "
            "done\u201d) or by a word from the title."
        )
    if kind == "files":
        return NO_FILE
    if kind == "cant_clear":
        return (
            "A task always keeps its title, and its priority can be changed but not removed "
            "(\u201cmake task 3 low priority\u201d). I can remove a due date, a description or "
            "tags: \u201cclear the due date of task 2\u201d."
        )
    return (
        "I'm not sure what you'd like me to do with that. I look after your to-do list: try "
        "\u201cadd <task>\u201d, \u201cshow my tasks\u201d or \u201cmark task 3 done\u201d, or "
        "say \u201chelp\u201d."
    )


def help_reply(available: Sequence[ToolKind]) -> str:
    lines = [f"- {text}" for kind, text in _CAPABILITIES if kind in available]
    if not lines:
        return (
            "I'm your to-do assistant, but my task tools aren't connected right now, so I can "
            "only chat. Please try again later."
        )
    return (
        "I manage your to-do list. I can:\n"
        + "\n".join(lines)
        + (
            "\n\nDates like \u201ctomorrow at 5pm\u201d, \u201cnext friday\u201d or \u201cin 3 days\u201d "
            "work too."
        )
    )


def missing_tool_reply(kind: ToolKind) -> str:
    return (
        f"Sorry, I can't {_TOOL_PURPOSE[kind]} right now: the `{kind}` tool isn't available to me."
    )


def which_task_reply() -> str:
    return (
        "Which task do you mean? Tell me its number or a word from its title "
        "\u2014 say \u201cshow my tasks\u201d to see them."
    )


def which_position_reply(ordinal: int) -> str:
    place = "last" if ordinal < 0 else f"number {ordinal}"
    return (
        f"I don't have a list in front of us to count {place} in. Say \u201cshow my tasks\u201d "
        "first, or tell me the task's number or a word from its title."
    )


def what_to_do_reply(task_id: int) -> str:
    return (
        f"What should I do with task {task_id}? For example \u201cmark task {task_id} done\u201d, "
        f"\u201cmove task {task_id} to friday\u201d or \u201cdelete task {task_id}\u201d."
    )


def error_reply(doing: str, message: str, code: str | None = None) -> str:
    message = message.strip().rstrip(".")
    hint = ""
    if code == NOT_FOUND:
        hint = " It may have been deleted already \u2014 say \u201cshow my tasks\u201d to check the numbers."
    return f"Sorry, I couldn't {doing}: {message}.{hint}"


def unclear_result_reply(doing: str, said: str) -> str:
    """A tool answered in words the contract does not define: repeat them, claim nothing."""
    return f"I asked to {doing}; the tool answered \u201c{md(said[:200])}\u201d."


def task_line(task: TaskView, now: datetime) -> str:
    """One markdown bullet for a task."""
    if task.completed:
        return f"- \u2713 ~~{md(task.title)}~~ (task {task.id})"
    details = []
    due = dates.parse_iso(task.due_at, now)
    if due is not None:
        overdue = " **overdue**" if due < now else ""
        details.append(f"due {dates.describe(due, now)}{overdue}")
    if task.priority:
        details.append(f"{task.priority} priority")
    if task.tags:
        details.append(" ".join(f"#{md(tag)}" for tag in task.tags))
    suffix = "".join(f"{_DOT}{detail}" for detail in details)
    return f"- **{md(task.title)}** (task {task.id}){suffix}"


def status_reply(task_id: int, task: TaskView | None, now: datetime) -> str:
    """Where one task stands: done or not, then its due date, priority and tags."""
    if task is None:
        return no_such_task_reply(task_id)
    details = []
    due = dates.parse_iso(task.due_at, now)
    if due is not None:
        late = " (overdue)" if due < now and not task.completed else ""
        details.append(f"due {dates.describe(due, now)}{late}")
    if task.priority:
        details.append(f"{task.priority} priority")
    if task.tags:
        details.append("tagged " + " ".join(f"#{md(tag)}" for tag in task.tags))
    state = "done \u2713" if task.completed else "not done yet"
    sentence = f"**{md(task.title)}** (task {task.id}) is {state}."
    return f"{sentence} It's {', '.join(details)}." if details else sentence


def describe_filter(task_filter: TaskFilter) -> str:
    """ "pending tasks due today tagged #work", for headings and empty results."""
    words = {"pending": "pending tasks", "completed": "completed tasks"}.get(
        task_filter.status, "tasks"
    )
    if task_filter.overdue:
        words = "overdue tasks"
    if task_filter.topic:
        words = words.replace("tasks", f"{md(task_filter.topic)} tasks")
    if task_filter.priority:
        words = f"{task_filter.priority}-priority {words}"
    if task_filter.period and not task_filter.overdue:
        words += f" {task_filter.period}"
    if task_filter.tag:
        words += f" tagged #{md(task_filter.tag)}"
    if task_filter.query:
        words += f" matching \u201c{md(task_filter.query)}\u201d"
    return words


def list_reply(tasks: Sequence[TaskView], task_filter: TaskFilter, now: datetime) -> str:
    described = describe_filter(task_filter)
    if not tasks:
        if described == "tasks":
            return "Your list is empty. Add something with \u201cadd buy milk\u201d."
        if task_filter.query:
            # Nothing found: the two nearest things to do with those words.
            words = md(task_filter.query)
            return (
                f"You have no {described}. Say \u201cadd {words}\u201d to add it, or \u201cshow my "
                "tasks\u201d to see them all."
            )
        return f"You have no {described}."
    shown = tasks[:MAX_LISTED]
    count = len(tasks)
    noun = described if count != 1 else re.sub(r"\btasks\b", "task", described, count=1)
    lines = [f"You have {count} {noun}:"]
    lines.extend(task_line(task, now) for task in shown)
    if count > len(shown):
        lines.append(f"\u2026and {count - len(shown)} more.")
    return "\n".join(lines)


def added_reply(results: Sequence[tuple[Mapping[str, Any], Any, str | None]], now: datetime) -> str:
    """Confirm add_task results: (arguments sent, decoded payload, error) per call."""
    added = []
    failures = []
    for arguments, data, error in results:
        if error is not None:
            title = md(str(arguments.get("title") or "that task"))
            failures.append(f"Sorry, I couldn't add **{title}**: {error.rstrip('.')}.")
            continue
        added.append(_added_phrase(arguments, data, now))
    lines = []
    if len(added) == 1:
        lines.append(f"Added {added[0]}.")
    elif added:
        lines.append(f"Added {len(added)} tasks:")
        lines.extend(f"- {phrase}" for phrase in added)
    lines.extend(failures)
    return "\n".join(lines) if lines else "I didn't add anything."


def _added_phrase(arguments: Mapping[str, Any], data: Any, now: datetime) -> str:
    payload = data if isinstance(data, Mapping) else {}
    title = str(payload.get("title") or arguments.get("title") or "your task")
    task_id = as_int(payload.get("task_id", payload.get("id")))
    phrase = f"**{md(title)}**" + (f" (task {task_id})" if task_id is not None else "")
    due = dates.parse_iso(payload.get("due_at") or arguments.get("due_at"), now)
    if due is not None:
        phrase += f", due {dates.describe(due, now)}"
    priority = payload.get("priority") or arguments.get("priority")
    if isinstance(priority, str) and priority:
        phrase += f", {priority} priority"
    tags = payload.get("tags") or arguments.get("tags")
    if isinstance(tags, list) and tags:
        phrase += ", tagged " + " ".join(f"#{md(str(tag))}" for tag in tags)
    rule = payload.get("recurrence") or arguments.get("recurrence")
    if isinstance(rule, str) and rule:
        phrase += ", " + repeat_phrase(rule, due, now)
    remind = dates.parse_iso(payload.get("remind_at") or arguments.get("remind_at"), now)
    if remind is not None:
        phrase += f", reminder {dates.describe(remind, now)}"
    files = payload.get("attachments")
    if isinstance(files, list) and files and all(isinstance(f, Mapping) for f in files):
        phrase += f", with {md(names_text(files))} attached"
    return phrase


def completed_reply(
    arguments: Mapping[str, Any], data: Any, completed: bool, now: datetime | None = None
) -> str:
    title, task_id = _title_and_id(arguments, data)
    payload = data if isinstance(data, Mapping) else {}
    if completed and payload.get("recurrence") and payload.get("completed") is False:
        # A repeating task is done for this time and stays on the list at its next occurrence.
        upcoming = dates.parse_iso(payload.get("due_at"), now) if now else None
        when = f": the next one is due {dates.describe(upcoming, now)}" if upcoming and now else ""
        return f"Done with {title} (task {task_id}) for this time \u2713{when}."
    if completed:
        return f"Marked {title} (task {task_id}) as done. \u2713"
    return f"Reopened {title} (task {task_id}); it's back on your pending list."


def opened_reply(arguments: Mapping[str, Any], data: Any) -> str:
    title, task_id = _title_and_id(arguments, data)
    return f"Opened {title} (task {task_id})."


def deleted_reply(arguments: Mapping[str, Any], data: Any) -> str:
    title, task_id = _title_and_id(arguments, data)
    return f"Deleted {title} (task {task_id})."


def updated_reply(arguments: Mapping[str, Any], data: Any, now: datetime) -> str:
    title, task_id = _title_and_id(arguments, data)
    changes = []
    due = dates.parse_iso(arguments.get("due_at"), now)
    if due is not None:
        changes.append(f"due {dates.describe(due, now)}")
    elif arguments.get("due_at") == "":
        changes.append("without a due date")
    if arguments.get("priority"):
        changes.append(f"{arguments['priority']} priority")
    if arguments.get("tags"):
        changes.append("tagged " + " ".join(f"#{md(str(tag))}" for tag in arguments["tags"]))
    elif arguments.get("tags") == []:
        changes.append("without tags")
    if arguments.get("description"):
        changes.append("with the new description")
    elif arguments.get("description") == "":
        changes.append("without a description")
    if arguments.get("recurrence"):
        changes.append(repeat_phrase(str(arguments["recurrence"]), due, now) or "repeating")
    elif (
        "recurrence" in arguments
        and arguments["recurrence"] is None
        and not any(value is None for name, value in arguments.items() if name != "recurrence")
    ):
        # A strict schema sends every argument, null when not given: only a null alone says stop.
        changes.append("no longer repeating")
    remind = dates.parse_iso(arguments.get("remind_at"), now)
    if remind is not None:
        changes.append(f"with a reminder {dates.describe(remind, now)}")
    if arguments.get("title"):
        sentence = f"Renamed task {task_id} to {title}."
        return sentence + (f" It's now {', '.join(changes)}." if changes else "")
    summary = f": now {', '.join(changes)}" if changes else ""
    return f"Updated {title} (task {task_id}){summary}."


def priority_unchanged_reply(task_id: int, task: TaskView | None, priority: str) -> str:
    name = f"**{md(task.title)}** (task {task_id})" if task is not None else f"Task {task_id}"
    edge = "highest" if priority == "high" else "lowest"
    return f"{name} is already {priority} priority, the {edge} there is."


def tags_unchanged_reply(task_id: int, task: TaskView | None, changes: TaskChanges) -> str:
    """Nothing to send: the tags to add are there already, or the ones to remove are not."""
    name = f"**{md(task.title)}** (task {task_id})" if task is not None else f"Task {task_id}"
    if changes.remove_tags:
        tags = " ".join(f"#{md(tag)}" for tag in changes.remove_tags)
        return f"{name} isn't tagged {tags}, so there was nothing to remove."
    tags = " ".join(f"#{md(tag)}" for tag in changes.add_tags)
    return f"{name} is already tagged {tags}."


def _title_and_id(arguments: Mapping[str, Any], data: Any) -> tuple[str, str]:
    payload = data if isinstance(data, Mapping) else {}
    view = task_view(payload)
    task_id = view.id if view is not None else as_int(arguments.get("task_id"))
    title = payload.get("title") or arguments.get("title")
    shown_id = str(task_id) if task_id is not None else "?"
    return (f"**{md(str(title))}**" if title else "the task"), shown_id


def ambiguous_reply(words: str, tasks: Sequence[TaskView], action: Action, now: datetime) -> str:
    lines = [f"I found {len(tasks)} tasks matching \u201c{md(words)}\u201d:"]
    lines.extend(task_line(task, now) for task in tasks[:MAX_LISTED])
    lines.append("")
    lines.append(f"{ASK_WHICH.format(action=action)} Reply with its task number.")
    return "\n".join(lines)


def no_match_reply(words: str, action: Action) -> str:
    return (
        f"I couldn't find a task matching \u201c{md(words)}\u201d to {action}. Say \u201cshow my "
        f"tasks\u201d to see what's on your list, or \u201cadd {md(words)}\u201d to add it."
    )


def no_such_task_reply(task_id: int) -> str:
    return f"{not_on_list(task_id)} Say \u201cshow my tasks\u201d to check the numbers."


def not_on_list(task_id: int) -> str:
    return f"I couldn't find task {task_id} on your list."


def several_reply(parts: Sequence[str]) -> str:
    """What happened to each of several tasks, one bullet each, in the order they were named."""
    if len(parts) == 1:
        return parts[0]
    return "\n".join(f"- {part}" for part in parts) or FALLBACK


def no_due_to_remind_reply(task_id: int, task: TaskView | None) -> str:
    name = f"**{md(task.title)}** (task {task_id})" if task is not None else f"Task {task_id}"
    return (
        f"{name} has no due date, so there's nothing to remind you before. Give it one first "
        "(\u201cmove it to friday at 3pm\u201d), or say when: \u201cremind me at 2pm\u201d."
    )


def repeat_phrase(rule: str | None, due: datetime | None, now: datetime) -> str:
    """ "repeats every week on Monday at 19:00", in the task service's own words."""
    if not rule or due is None:
        return ""
    try:
        return "repeats " + Recurrence(rule, due, dates.zone_name(now)).describe()
    except (ValueError, RecurrenceError):
        return f"repeats ({md(rule)})"
