"""One model step: from the conversation so far to tool calls to make, or words to say.

A turn can take several steps. The planner is stateless: each step re-reads the user's message
and the calls already made after it, and decides what is still missing. "Delete the meeting
task" is a list_tasks lookup, then (with its output in the input) a delete_task call or a
question, then a confirmation built from the delete output.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, time, timedelta

from chatapp.agent import dates, replies
from chatapp.agent.conversation import Conversation, Exchange
from chatapp.agent.intents import (
    AddTasks,
    Chat,
    DeleteTask,
    Intent,
    ListTasks,
    OpenTask,
    Priority,
    RefIntent,
    Select,
    SetCompleted,
    TaskChanges,
    TaskFilter,
    TaskRef,
    UpdateTask,
    clean_title,
    parse_intent,
)
from chatapp.agent.tool_results import TaskView, as_int, parse_result, tasks_in
from chatapp.agent.toolbox import PlannedCall, Toolbox, ToolKind, kind_of_name
from chatapp.tasks.schemas import LIST_LIMIT_MAX

MAX_EXCHANGES_PER_TURN = 24

_MUTATIONS: tuple[ToolKind, ...] = ("complete_task", "delete_task", "update_task")
_OFFERED = re.compile(r"(?:\*\*(?P<bold>.+?)\*\*|~~(?P<struck>.+?)~~) \(task (?P<id>[0-9]+)\)")
_SUFFIXES = ("ings", "ing", "ies", "ed", "es", "s")


@dataclass(frozen=True)
class Step:
    """What the model outputs this step: function calls, or (when there are none) text."""

    calls: tuple[PlannedCall, ...] = ()
    text: str = ""


def plan_step(
    conversation: Conversation, toolbox: Toolbox, now: datetime, *, parallel: bool = True
) -> Step:
    """The next step of the turn that `conversation` ends with."""
    intent = parse_intent(conversation.user_text, now)
    resolved = _in_context(intent, conversation, toolbox, now)
    if isinstance(resolved, Step):
        return resolved
    if conversation.exchanges:
        return _continue(resolved, conversation.exchanges, toolbox, now, parallel)
    return _begin(resolved, toolbox, now, parallel)


def match_tasks(words: str, tasks: Sequence[TaskView]) -> list[TaskView]:
    """Tasks whose title (or failing that, description) contains every word of `words`."""
    wanted = _normal(words)
    if not wanted:
        return []
    exact = [task for task in tasks if _normal(task.title) == wanted]
    if exact:
        return exact
    phrase = [task for task in tasks if wanted in _normal(task.title)]
    if phrase:
        return phrase
    stems = _stems(wanted)
    in_title = [task for task in tasks if _covers(_stems(task.title), stems)]
    if in_title:
        return in_title
    return [
        task for task in tasks if _covers(_stems(f"{task.title} {task.description or ''}"), stems)
    ]


def _in_context(
    intent: Intent, conversation: Conversation, toolbox: Toolbox, now: datetime
) -> Intent | Step:
    if isinstance(intent, Select):
        return _resolve_selection(intent, conversation, toolbox, now)
    if not isinstance(intent, SetCompleted | DeleteTask | UpdateTask | OpenTask):
        return intent
    ref = intent.ref
    if not (ref.pronoun or ref.ordinal):
        return intent
    task_id = _at_position(conversation.last_assistant_text, ref.ordinal) if ref.ordinal else None
    if task_id is None and ref.pronoun:
        task_id = conversation.last_task_id()
    if task_id is not None:
        return replace(intent, ref=TaskRef(task_id=task_id))
    if ref.pronoun:
        return Step(text=replies.which_task_reply())
    return Step(text=replies.which_position_reply(ref.ordinal or 1))


def _offered(text: str | None) -> list[tuple[int, str]]:
    """The (id, title) of every task an assistant message listed, in order."""
    return [
        (
            int(match.group("id")),
            (match.group("bold") or match.group("struck") or "").replace("\\", ""),
        )
        for match in _OFFERED.finditer(text or "")
    ]


def _at_position(text: str | None, ordinal: int) -> int | None:
    """The id of the task at `ordinal` (1-based; -1 is the last) in a list the assistant showed."""
    ids = [task_id for task_id, _ in _offered(text)]
    if not ids or not -len(ids) <= ordinal <= len(ids):
        return None
    return ids[ordinal - 1 if ordinal > 0 else ordinal]


def _resolve_selection(
    select: Select, conversation: Conversation, toolbox: Toolbox, now: datetime
) -> Intent | Step:
    question = conversation.last_assistant_text or ""
    original_text = conversation.previous_user_text
    if not replies.ASK_WHICH_PATTERN.search(question) or original_text is None:
        listed = _at_position(question, select.ordinal) if select.ordinal else None
        number = select.number if select.number is not None else listed
        if number is not None:
            return Step(text=replies.what_to_do_reply(number))
        return Step(text=replies.chat_reply("unknown", now, toolbox.kinds))
    offered = _offered(question)
    ids = [task_id for task_id, _ in offered]
    chosen = None
    if select.number is not None and select.number in ids:
        chosen = select.number
    elif select.ordinal is not None:
        chosen = _at_position(question, select.ordinal)
    elif select.words:
        views = [TaskView(id=task_id, title=title) for task_id, title in offered]
        matches = match_tasks(select.words, views)
        chosen = matches[0].id if len(matches) == 1 else None
    elif select.number is not None:
        chosen = select.number
    original = parse_intent(original_text, now)
    if chosen is None or not isinstance(
        original, SetCompleted | DeleteTask | UpdateTask | OpenTask
    ):
        return Step(text=replies.which_task_reply())
    return replace(original, ref=TaskRef(task_id=chosen))


def _begin(intent: Intent, toolbox: Toolbox, now: datetime, parallel: bool) -> Step:
    if isinstance(intent, Chat | Select):
        kind = intent.kind if isinstance(intent, Chat) else "unknown"
        return Step(text=replies.chat_reply(kind, now, toolbox.kinds))
    if isinstance(intent, AddTasks):
        return _add_calls(intent, 0, toolbox, parallel)
    if isinstance(intent, ListTasks):
        return _list_call(intent.filter, toolbox)
    if isinstance(intent, OpenTask) and not toolbox.has("open_task"):
        return Step(text=replies.missing_tool_reply("open_task"))
    if intent.ref.more_ids and not _needs_current(intent):
        return _several(intent, (), toolbox, now, parallel)
    if intent.ref.task_id is not None and not _needs_current(intent):
        return _mutation(intent, intent.ref.task_id, None, toolbox, now)
    return _lookup(intent, toolbox, filtered=True)


def _continue(
    intent: Intent,
    exchanges: Sequence[Exchange],
    toolbox: Toolbox,
    now: datetime,
    parallel: bool,
) -> Step:
    if len(exchanges) > MAX_EXCHANGES_PER_TURN or isinstance(intent, Chat | Select):
        return Step(text=_summarise(exchanges, now))
    if isinstance(intent, AddTasks):
        made = [e for e in exchanges if kind_of_name(e.name) == "add_task"]
        if len(made) < len(intent.drafts) and made == list(exchanges):
            return _add_calls(intent, len(made), toolbox, parallel)
        return Step(text=_summarise(exchanges, now))
    if isinstance(intent, ListTasks):
        lookups = [e for e in exchanges if kind_of_name(e.name) == "list_tasks"]
        if not lookups:
            return Step(text=_summarise(exchanges, now))
        return Step(text=_list_text(lookups[-1], intent.filter, now))

    if intent.ref.more_ids:
        return _several(intent, exchanges, toolbox, now, parallel)
    if isinstance(intent, OpenTask):
        # The app answered the open_task client call (or the tool refused): say how it went.
        opened = [e for e in exchanges if kind_of_name(e.name) == "open_task"]
        if opened:
            return Step(text=_open_text(opened[-1]))
    mutations = [e for e in exchanges if kind_of_name(e.name) in _MUTATIONS]
    if mutations:
        return Step(text=_summarise(mutations, now))
    lookups = [e for e in exchanges if kind_of_name(e.name) == "list_tasks"]
    if not lookups:
        return Step(text=_summarise(exchanges, now))
    last = lookups[-1]
    result = parse_result(last.output or "")
    if result.error is not None:
        return Step(text=replies.error_reply("look up your tasks", result.error))
    tasks = tasks_in(result.data)
    if tasks is None:
        return Step(
            text=replies.error_reply("look up your tasks", "the task list came back empty-handed")
        )

    if intent.ref.task_id is not None:
        current = next((task for task in tasks if task.id == intent.ref.task_id), None)
        if current is None:
            return Step(text=replies.no_such_task_reply(intent.ref.task_id))
        return _mutation(intent, current.id, current, toolbox, now)

    words = intent.ref.words or ""
    matches = _prefer(intent, match_tasks(words, tasks))
    if not matches and last.arguments.get("query") and len(lookups) == 1:
        return _lookup(intent, toolbox, filtered=False)
    if len(matches) == 1:
        return _mutation(intent, matches[0].id, matches[0], toolbox, now)
    action = _action(intent)
    if matches:
        return Step(text=replies.ambiguous_reply(words, matches, action, now))
    return Step(text=replies.no_match_reply(words, action))


def _several(
    intent: RefIntent,
    exchanges: Sequence[Exchange],
    toolbox: Toolbox,
    now: datetime,
    parallel: bool,
) -> Step:
    """One call per task id ("delete tasks 2 and 5"), then one reply covering every result.

    The calls are recomputed each step from the message (and the lookup, when the change needs
    the tasks as they are), so the ones already made are simply skipped.
    """
    current: dict[int, TaskView] | None = None
    if _needs_current(intent):
        lookups = [e for e in exchanges if kind_of_name(e.name) == "list_tasks"]
        if not lookups:
            return _lookup(intent, toolbox, filtered=True)
        result = parse_result(lookups[-1].output or "")
        tasks = tasks_in(result.data) if result.error is None else None
        if tasks is None:
            problem = result.error or "the task list came back empty-handed"
            return Step(text=replies.error_reply("look up your tasks", problem))
        current = {task.id: task for task in tasks}
    notes: dict[int, str] = {}
    planned: list[PlannedCall] = []
    for task_id in intent.ref.ids:
        if current is not None and task_id not in current:
            notes[task_id] = replies.not_on_list(task_id)
            continue
        task = current.get(task_id) if current is not None else None
        step = _mutation(intent, task_id, task, toolbox, now)
        planned.extend(step.calls)
        if not step.calls:
            notes[task_id] = step.text
    made = [e for e in exchanges if kind_of_name(e.name) in _MUTATIONS]
    if len(made) < len(planned):
        waiting = planned[len(made) :]
        return Step(calls=tuple(waiting if parallel else waiting[:1]))
    for exchange in made:
        task_id = as_int(exchange.arguments.get("task_id"))
        kind = kind_of_name(exchange.name)
        if task_id is not None and kind is not None:
            notes[task_id] = _mutation_text(exchange, kind, now)
    return Step(text=replies.several_reply([notes[i] for i in intent.ref.ids if i in notes]))


def _add_calls(intent: AddTasks, start: int, toolbox: Toolbox, parallel: bool) -> Step:
    if not toolbox.has("add_task"):
        return Step(text=replies.missing_tool_reply("add_task"))
    drafts = intent.drafts[start:]
    if not parallel:
        drafts = drafts[:1]
    calls = []
    for draft in drafts:
        call = toolbox.call(
            "add_task",
            title=draft.title,
            description=draft.description,
            priority=draft.priority,
            due_at=dates.to_iso(draft.due_at) if draft.due_at else None,
            tags=list(draft.tags) or None,
        )
        if call is None:
            return Step(text=replies.missing_tool_reply("add_task"))
        calls.append(call)
    return Step(calls=tuple(calls))


def _list_call(task_filter: TaskFilter, toolbox: Toolbox) -> Step:
    call = toolbox.call(
        "list_tasks",
        status=task_filter.status,
        query=task_filter.query,
        priority=task_filter.priority,
        tag=task_filter.tag,
        due_before=dates.to_iso(task_filter.due_before) if task_filter.due_before else None,
        due_after=dates.to_iso(task_filter.due_after) if task_filter.due_after else None,
        # list_tasks cannot filter by id, nor by "tag or title": those are found in its
        # largest page.
        limit=LIST_LIMIT_MAX if task_filter.task_id is not None or task_filter.topic else None,
    )
    if call is None:
        return Step(text=replies.missing_tool_reply("list_tasks"))
    return Step(calls=(call,))


def _lookup(intent: RefIntent, toolbox: Toolbox, *, filtered: bool) -> Step:
    """list_tasks to find a task by words, or its current fields; the largest page, since the
    default one could leave the task out."""
    words = intent.ref.words if filtered else None
    call = toolbox.call("list_tasks", status="all", query=words, limit=LIST_LIMIT_MAX)
    if call is None:
        return Step(text="I can't look tasks up by name right now. Which task number do you mean?")
    return Step(calls=(call,))


def _needs_current(intent: RefIntent) -> bool:
    # Moving a due date "by 2 days" needs the date it has now, "lower the priority" the priority;
    # adding or removing one tag needs the tags it has, since update_task replaces the list.
    if not isinstance(intent, UpdateTask):
        return False
    changes = intent.changes
    return changes.shift is not None or bool(
        changes.add_tags or changes.remove_tags or changes.priority_step
    )


def _mutation(
    intent: RefIntent,
    task_id: int,
    current: TaskView | None,
    toolbox: Toolbox,
    now: datetime,
) -> Step:
    if isinstance(intent, OpenTask):
        return _single(toolbox.call("open_task", task_id=task_id), "open_task")
    if isinstance(intent, DeleteTask):
        call = toolbox.call("delete_task", task_id=task_id)
        return _single(call, "delete_task")
    if isinstance(intent, SetCompleted):
        if intent.completed:
            return _single(
                toolbox.call("complete_task", task_id=task_id, completed=True), "complete_task"
            )
        if toolbox.accepts("complete_task", "completed"):
            return _single(
                toolbox.call("complete_task", task_id=task_id, completed=False), "complete_task"
            )
        if toolbox.accepts("update_task", "completed"):
            return _single(
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
    # update_task removes a due date or a description given as an empty string.
    wanted = {
        "title": clean_title(changes.title) if changes.title else None,
        "description": "" if "description" in changes.clear else changes.description,
        "priority": priority,
        "due_at": "" if "due_at" in changes.clear else dates.to_iso(due_at) if due_at else None,
        "tags": list(tags) if tags is not None else None,
    }
    if not toolbox.has("update_task"):
        return Step(text=replies.missing_tool_reply("update_task"))
    given = [name for name, value in wanted.items() if value is not None]
    unsupported = [name for name in given if not toolbox.accepts("update_task", name)]
    if unsupported and len(unsupported) == len(given):
        fields = ", ".join(name.replace("_", " ") for name in unsupported)
        return Step(text=f"Sorry, I can't change a task's {fields} with the tools I have.")
    return _single(toolbox.call("update_task", task_id=task_id, **wanted), "update_task")


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


def _single(call: PlannedCall | None, kind: ToolKind) -> Step:
    if call is None:
        return Step(text=replies.missing_tool_reply(kind))
    return Step(calls=(call,))


def _action(intent: RefIntent) -> replies.Action:
    if isinstance(intent, OpenTask):
        return "open"
    if isinstance(intent, DeleteTask):
        return "delete"
    if isinstance(intent, SetCompleted):
        return "complete" if intent.completed else "reopen"
    return "update"


def _prefer(intent: RefIntent, matches: list[TaskView]) -> list[TaskView]:
    if isinstance(intent, SetCompleted) and len(matches) > 1:
        preferred = [task for task in matches if task.completed != intent.completed]
        return preferred or matches
    return matches


def _list_text(exchange: Exchange, task_filter: TaskFilter, now: datetime) -> str:
    result = parse_result(exchange.output or "")
    if result.error is not None:
        return replies.error_reply("look up your tasks", result.error)
    tasks = tasks_in(result.data)
    if tasks is None:
        return replies.error_reply(
            "read your task list", "it came back in a form I don't understand"
        )
    sent = {name for name, value in exchange.arguments.items() if value is not None}
    shown = _filter_locally(tasks, task_filter, sent, now)
    if task_filter.task_id is not None:
        return replies.status_reply(task_filter.task_id, shown[0] if shown else None, now)
    return replies.list_reply(shown, task_filter, now)


def _filter_locally(
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
        "due_before" in sent
        or task_filter.due_before is None
        or (due is not None and due < task_filter.due_before),
        "due_after" in sent
        or task_filter.due_after is None
        or (due is not None and due >= task_filter.due_after),
    )
    return all(checks)


def _summarise(exchanges: Sequence[Exchange], now: datetime) -> str:
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
                parts.append(_list_text(exchange, TaskFilter(), now))
            continue
        if kind == "open_task":
            parts.append(_open_text(exchange))
            continue
        parts.append(_mutation_text(exchange, kind, now))
    return "\n\n".join(part for part in parts if part) or replies.FALLBACK


def _open_text(exchange: Exchange) -> str:
    result = parse_result(exchange.output or "")
    if result.error is not None:
        task_id = exchange.arguments.get("task_id", "?")
        return replies.error_reply(f"open task {task_id}", result.error)
    return replies.opened_reply(exchange.arguments, result.data)


def _mutation_text(exchange: Exchange, kind: ToolKind, now: datetime) -> str:
    result = parse_result(exchange.output or "")
    arguments = exchange.arguments
    task_id = arguments.get("task_id", "?")
    data = result.data
    status = str(data.get("status", "")).lower() if isinstance(data, dict) else ""
    if kind == "complete_task":
        completed = arguments.get("completed", True) is not False and status != "reopened"
        if result.error is not None:
            doing = f"mark task {task_id} as done" if completed else f"reopen task {task_id}"
            return replies.error_reply(doing, result.error)
        return replies.completed_reply(arguments, data, completed)
    if kind == "delete_task":
        if result.error is not None:
            return replies.error_reply(f"delete task {task_id}", result.error)
        return replies.deleted_reply(arguments, data)
    if result.error is not None:
        return replies.error_reply(f"update task {task_id}", result.error)
    given = {name for name, value in arguments.items() if value is not None} - {"task_id"}
    if given <= {"completed"} or status == "reopened":
        return replies.completed_reply(arguments, data, arguments.get("completed") is not False)
    return replies.updated_reply(arguments, data, now)


def _normal(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())


def _stem(word: str) -> str:
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def _stems(text: str) -> set[str]:
    return {_stem(word) for word in _normal(text).split()}


def _covers(have: set[str], wanted: set[str]) -> bool:
    return bool(wanted) and all(
        any(word.startswith(stem) or stem.startswith(word) for word in have if len(word) >= 3)
        or stem in have
        for stem in wanted
    )
