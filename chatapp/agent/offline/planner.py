"""One model step: from the conversation so far to tool calls to make, or words to say.

A turn can take several steps. The planner is stateless: each step re-reads the user's message
and the calls already made after it, and decides what is still missing. "Delete the meeting
task" is a list_tasks lookup, then (with its output in the input) a delete_task call or a
question, then a confirmation built from the delete output.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from chatapp.agent.offline import dates, replies
from chatapp.agent.offline.conversation import Conversation, Exchange
from chatapp.agent.offline.intents import (
    AddTasks,
    Chat,
    DeleteTask,
    Intent,
    ListTasks,
    OpenTask,
    RefIntent,
    Select,
    SetCompleted,
    TaskFilter,
    TaskRef,
    UpdateTask,
)
from chatapp.agent.offline.matching import match_tasks
from chatapp.agent.offline.mutations import mutation, needs_current
from chatapp.agent.offline.summaries import list_text, mutation_text, open_text, summarise
from chatapp.agent.offline.tool_results import TaskView, as_int, parse_result, tasks_in
from chatapp.agent.offline.toolbox import PlannedCall, Step, Toolbox, ToolKind, kind_of_name
from chatapp.agent.offline.understand import parse_intent
from chatapp.tasks.schemas import LIST_LIMIT_MAX

MAX_EXCHANGES_PER_TURN = 24

_MUTATIONS: tuple[ToolKind, ...] = ("complete_task", "delete_task", "update_task")
_OFFERED = re.compile(r"(?:\*\*(?P<bold>.+?)\*\*|~~(?P<struck>.+?)~~) \(task (?P<id>[0-9]+)\)")


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
    if intent.ref.more_ids and not needs_current(intent):
        return _several(intent, (), toolbox, now, parallel)
    if intent.ref.task_id is not None and not needs_current(intent):
        return mutation(intent, intent.ref.task_id, None, toolbox, now)
    return _lookup(intent, toolbox, filtered=True)


def _continue(
    intent: Intent,
    exchanges: Sequence[Exchange],
    toolbox: Toolbox,
    now: datetime,
    parallel: bool,
) -> Step:
    if len(exchanges) > MAX_EXCHANGES_PER_TURN or isinstance(intent, Chat | Select):
        return Step(text=summarise(exchanges, now))
    if isinstance(intent, AddTasks):
        made = [e for e in exchanges if kind_of_name(e.name) == "add_task"]
        if len(made) < len(intent.drafts) and made == list(exchanges):
            return _add_calls(intent, len(made), toolbox, parallel)
        return Step(text=summarise(exchanges, now))
    if isinstance(intent, ListTasks):
        lookups = [e for e in exchanges if kind_of_name(e.name) == "list_tasks"]
        if not lookups:
            return Step(text=summarise(exchanges, now))
        return Step(text=list_text(lookups[-1], intent.filter, now))

    if intent.ref.more_ids:
        return _several(intent, exchanges, toolbox, now, parallel)
    if isinstance(intent, OpenTask):
        # The app answered the open_task client call (or the tool refused): say how it went.
        opened = [e for e in exchanges if kind_of_name(e.name) == "open_task"]
        if opened:
            return Step(text=open_text(opened[-1]))
    mutations = [e for e in exchanges if kind_of_name(e.name) in _MUTATIONS]
    if mutations:
        return Step(text=summarise(mutations, now))
    lookups = [e for e in exchanges if kind_of_name(e.name) == "list_tasks"]
    if not lookups:
        return Step(text=summarise(exchanges, now))
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
        return mutation(intent, current.id, current, toolbox, now)

    words = intent.ref.words or ""
    matches = _prefer(intent, match_tasks(words, tasks))
    if not matches and last.arguments.get("query") and len(lookups) == 1:
        return _lookup(intent, toolbox, filtered=False)
    if len(matches) == 1:
        return mutation(intent, matches[0].id, matches[0], toolbox, now)
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
    if needs_current(intent):
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
        step = mutation(intent, task_id, task, toolbox, now)
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
            notes[task_id] = mutation_text(exchange, kind, now)
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
