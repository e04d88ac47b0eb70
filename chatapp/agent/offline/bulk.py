"""Bulk changes ("delete everything that's done"): proposed with the tasks they would touch,
carried out only when the next message confirms, after checking those tasks again.

Nothing is kept between turns but the conversation: the proposal is rebuilt from the previous
user message and its look-up (`context.previous_offer`), so a "yes" works after a restart.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from chatapp.agent.offline.calls import list_call, several
from chatapp.agent.offline.context import bulk_targets, previous_offer
from chatapp.agent.offline.conversation import Conversation
from chatapp.agent.offline.intents import (
    BulkChange,
    Chat,
    ConfirmBulk,
    DeleteTask,
    Intent,
    RefIntent,
    SetCompleted,
    TaskFilter,
    TaskRef,
)
from chatapp.agent.offline.replies import MAX_LISTED, describe_filter, md, task_line
from chatapp.agent.offline.summaries import filter_locally, summarise
from chatapp.agent.offline.tool_results import TaskView, parse_result, tasks_in
from chatapp.agent.offline.toolbox import Step, Toolbox, kind_of_name

_BULK_VERBS = {
    "delete": ("delete", "deleted"),
    "complete": ("mark done", "marked"),
    "reopen": ("reopen", "reopened"),
}


def propose(
    intent: Intent, conversation: Conversation, toolbox: Toolbox, now: datetime, parallel: bool
) -> Step:
    """The tasks a bulk change would touch, and the question; nothing is changed yet."""
    assert isinstance(intent, BulkChange)
    if not conversation.exchanges:
        return list_call(intent.filter, toolbox, everything=True)
    tasks = _listed(conversation)
    if tasks is None:
        return Step(text=summarise(conversation.exchanges, now))
    if isinstance(tasks, str):
        return Step(text=tasks)
    shown = filter_locally(tasks, intent.filter, set(), now)
    return Step(text=proposal_reply(intent, bulk_targets(shown, intent), now))


def answer(answer: Chat, conversation: Conversation, now: datetime) -> Intent | Step:
    """ "yes" confirms the bulk change proposed just before; "no" drops it."""
    offer = previous_offer(conversation, now)
    if offer is None or offer.kind != "proposed" or not isinstance(offer.intent, BulkChange):
        return Chat("ack")
    if answer.kind == "decline":
        return Step(text="Okay, I've left your tasks as they are.")
    proposed = tuple((task.id, task.title) for task in offer.tasks)
    return ConfirmBulk(offer.intent, proposed)


def confirmed(
    intent: Intent, conversation: Conversation, toolbox: Toolbox, now: datetime, parallel: bool
) -> Step:
    """Look again, change the proposed tasks that still qualify, and say which did not."""
    assert isinstance(intent, ConfirmBulk)
    if not conversation.exchanges:
        return list_call(TaskFilter(), toolbox, everything=True)
    tasks = _listed(conversation)
    if tasks is None or isinstance(tasks, str):
        return Step(text=tasks or summarise(conversation.exchanges, now))
    present = {task.id for task in tasks}
    still = {
        task.id
        for task in bulk_targets(filter_locally(tasks, intent.bulk.filter, set(), now), intent.bulk)
    }
    ids = [task_id for task_id, _ in intent.proposed if task_id in still]
    gone = [(i, title) for i, title in intent.proposed if i not in present]
    changed = [(i, title) for i, title in intent.proposed if i in present and i not in still]
    note = _changed_note(gone, changed)
    if not ids:
        return Step(text=f"{note}\n\nSo there was nothing left to change.".strip())
    step = several(_change(intent.bulk, ids), conversation.exchanges, toolbox, now, parallel)
    if step.calls:
        return step
    return Step(text=f"{step.text}\n\n{note}".strip())


def proposal_reply(bulk: BulkChange, tasks: Sequence[TaskView], now: datetime) -> str:
    """What a bulk change would touch, and the question that makes the next "yes" do it."""
    verb = _BULK_VERBS[bulk.action][0]
    described = describe_filter(bulk.filter)
    if not tasks:
        return f"There's nothing to {verb}: you have no {described} that it would change."
    noun = "this task" if len(tasks) == 1 else f"these {len(tasks)} tasks"
    lines = [f"I'd {verb} {noun}:"]
    lines.extend(task_line(task, now) for task in tasks[:MAX_LISTED])
    if len(tasks) > MAX_LISTED:
        lines.append(f"\u2026and {len(tasks) - MAX_LISTED} more.")
    them = "it" if len(tasks) == 1 else "them"
    lines.append("")
    lines.append(
        f"Shall I go ahead? Say \u201cyes\u201d to {verb} {them}; anything else leaves "
        "your list as it is."
    )
    return "\n".join(lines)


def _listed(conversation: Conversation) -> list[TaskView] | str | None:
    """The tasks the turn's look-up returned; what went wrong, in words; None if none ran."""
    lookups = [e for e in conversation.exchanges if kind_of_name(e.name) == "list_tasks"]
    if not lookups:
        return None
    result = parse_result(lookups[0].output or "")
    if result.error is not None:
        return f"Sorry, I couldn't look up your tasks: {result.error.rstrip('.')}."
    tasks = tasks_in(result.data)
    return tasks if tasks is not None else "Sorry, I couldn't read your task list just now."


def _change(bulk: BulkChange, ids: list[int]) -> RefIntent:
    ref = TaskRef(task_id=ids[0], more_ids=tuple(ids[1:]))
    if bulk.action == "delete":
        return DeleteTask(ref)
    return SetCompleted(ref, bulk.action == "complete")


def _changed_note(gone: list[tuple[int, str]], changed: list[tuple[int, str]]) -> str:
    lines = [f"- **{md(title)}** (task {task_id}) was already gone." for task_id, title in gone]
    lines += [
        f"- **{md(title)}** (task {task_id}) changed since I listed it, so I left it alone."
        for task_id, title in changed
    ]
    if not lines:
        return ""
    return "Since I asked, some tasks changed:\n" + "\n".join(lines)
