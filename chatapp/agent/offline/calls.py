"""The tool calls the planner makes: look-ups, new tasks, and one call per task of several."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from chatapp.agent.offline import dates, replies
from chatapp.agent.offline.conversation import Exchange
from chatapp.agent.offline.intents import AddTasks, RefIntent, TaskFilter
from chatapp.agent.offline.mutations import mutation, needs_current
from chatapp.agent.offline.summaries import mutation_text
from chatapp.agent.offline.tool_results import TaskView, as_int, parse_result, tasks_in
from chatapp.agent.offline.toolbox import EDIT_KINDS, PlannedCall, Step, Toolbox, kind_of_name
from chatapp.tasks.schemas import LIST_LIMIT_MAX


def several(
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
            return lookup(intent, toolbox, filtered=True)
        result = parse_result(lookups[-1].output or "")
        tasks = tasks_in(result.data) if result.error is None else None
        if tasks is None:
            problem = result.error or "the task list came back empty-handed"
            return Step(text=replies.error_reply("look up your tasks", problem, result.code))
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
    made = [e for e in exchanges if kind_of_name(e.name) in EDIT_KINDS]
    if len(made) < len(planned):
        waiting = planned[len(made) :]
        return Step(calls=tuple(waiting if parallel else waiting[:1]))
    for exchange in made:
        task_id = as_int(exchange.arguments.get("task_id"))
        kind = kind_of_name(exchange.name)
        if task_id is not None and kind is not None:
            notes[task_id] = mutation_text(exchange, kind, now)
    return Step(text=replies.several_reply([notes[i] for i in intent.ref.ids if i in notes]))


def add_calls(
    intent: AddTasks,
    start: int,
    toolbox: Toolbox,
    now: datetime,
    parallel: bool,
    attachment_ids: Sequence[str] = (),
) -> Step:
    if not toolbox.has("add_task"):
        return Step(text=replies.missing_tool_reply("add_task"))
    drafts = intent.drafts[start:]
    if not parallel:
        drafts = drafts[:1]
    calls = []
    for draft in drafts:
        repeats = draft.recurrence is not None or draft.remind_at is not None
        call = toolbox.call(
            "add_task",
            title=draft.title,
            description=draft.description,
            priority=draft.priority,
            due_at=dates.to_iso(draft.due_at) if draft.due_at else None,
            tags=list(draft.tags) or None,
            recurrence=draft.recurrence,
            time_zone=dates.zone_name(now) if repeats else None,
            remind_at=dates.to_iso(draft.remind_at) if draft.remind_at else None,
            attachment_ids=list(attachment_ids) or None,
        )
        if call is None:
            return Step(text=replies.missing_tool_reply("add_task"))
        calls.append(call)
    return Step(calls=tuple(calls))


def list_call(task_filter: TaskFilter, toolbox: Toolbox, *, everything: bool = False) -> Step:
    # The tool filters by due date; "finished today" is about completed_at, checked here.
    by_due = task_filter.question != "finished"
    # A repeating task done today is open again (it moved on): only the tool's completions
    # log knows it was finished, so ask for tasks with a completion since then, open or not.
    since = task_filter.done_after if task_filter.question == "finished" else None
    by_completion = since is not None and toolbox.accepts("list_tasks", "completed_since")
    call = toolbox.call(
        "list_tasks",
        status="all" if by_completion else task_filter.status,
        completed_since=dates.to_iso(since) if by_completion and since is not None else None,
        # A bulk change reads every task and matches its words here, typos and stems included.
        query=None if everything else task_filter.query,
        priority=task_filter.priority,
        tag=task_filter.tag,
        due_before=dates.to_iso(task_filter.due_before)
        if task_filter.due_before and by_due
        else None,
        due_after=dates.to_iso(task_filter.due_after) if task_filter.due_after and by_due else None,
        # list_tasks cannot filter by id, nor by "tag or title": those are found in its
        # largest page, as is every task a bulk change or a ranking question must see.
        limit=LIST_LIMIT_MAX
        if everything
        or task_filter.task_id is not None
        or task_filter.topic
        or task_filter.question in ("urgent", "finished", "count")
        else None,
    )
    if call is None:
        return Step(text=replies.missing_tool_reply("list_tasks"))
    return Step(calls=(call,))


def lookup(intent: RefIntent, toolbox: Toolbox, *, filtered: bool) -> Step:
    """list_tasks to find a task by words, or its current fields; the largest page, since the
    default one could leave the task out."""
    # Several tasks named at once are found in one unfiltered lookup.
    words = intent.ref.words if filtered and not intent.ref.parts else None
    call = toolbox.call("list_tasks", status="all", query=words, limit=LIST_LIMIT_MAX)
    if call is None:
        return Step(text="I can't look tasks up by name right now. Which task number do you mean?")
    return Step(calls=(call,))
