"""What earlier turns left to refer to: the list last shown, a "which one?" asked, a bulk change
proposed. All of it is rebuilt from the previous user message and the tool calls that answered
it (both are in the conversation the model receives), never read back from the reply text."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from chatapp.agent.offline.conversation import Conversation, Exchange, Message
from chatapp.agent.offline.intents import (
    BulkChange,
    Compound,
    Intent,
    ListTasks,
    RefIntent,
    SetCompleted,
    TaskFilter,
)
from chatapp.agent.offline.matching import match_tasks
from chatapp.agent.offline.summaries import shown_tasks
from chatapp.agent.offline.tool_results import TaskView
from chatapp.agent.offline.toolbox import EDIT_KINDS, kind_of_name
from chatapp.agent.offline.understand import read_message

OfferKind = Literal["listed", "asked", "proposed"]


@dataclass(frozen=True)
class Offer:
    """Tasks the previous reply put in front of the user, and why."""

    kind: OfferKind
    tasks: tuple[TaskView, ...]
    intent: Intent  # what the user asked for in that turn


def previous_offer(conversation: Conversation, now: datetime) -> Offer | None:
    """The list, question or proposal the previous turn ended with, if any."""
    turn = _last_turn(conversation)
    if turn is None:
        return None
    user_text, exchanges = turn
    intent = read_message(user_text, now).intent
    if isinstance(intent, Compound):
        intent = intent.parts[-1]
    lookups = [e for e in exchanges if kind_of_name(e.name) == "list_tasks"]
    changed = any(kind_of_name(e.name) in EDIT_KINDS for e in exchanges)
    if not lookups:
        return None
    if isinstance(intent, ListTasks):
        shown = shown_tasks(lookups[-1], intent.filter, now)
        return None if isinstance(shown, str) else Offer("listed", tuple(shown), intent)
    if isinstance(intent, BulkChange) and not changed:
        targets = shown_tasks(lookups[-1], intent.filter, now)
        if isinstance(targets, str) or not targets:
            return None
        return Offer("proposed", tuple(bulk_targets(targets, intent)), intent)
    is_ref = isinstance(intent, RefIntent)
    if is_ref and intent.ref.words and not changed:
        shown = shown_tasks(lookups[-1], TaskFilter(), now)
        if isinstance(shown, str):
            return None
        matches = prefer(intent, match_tasks(intent.ref.words, shown))
        if len(matches) > 1:
            return Offer("asked", tuple(matches), intent)
    return None


def bulk_targets(tasks: list[TaskView], bulk: BulkChange) -> list[TaskView]:
    """The tasks a bulk change would touch: those it would actually change."""
    if bulk.action == "complete":
        return [task for task in tasks if not task.completed]
    if bulk.action == "reopen":
        return [task for task in tasks if task.completed]
    return list(tasks)


def prefer(intent: Intent, matches: list[TaskView]) -> list[TaskView]:
    """Of several matches, the ones the change would actually change (done ones to reopen)."""
    if isinstance(intent, SetCompleted) and len(matches) > 1:
        preferred = [task for task in matches if task.completed != intent.completed]
        return preferred or matches
    return matches


def at_position(tasks: tuple[TaskView, ...], ordinal: int) -> TaskView | None:
    """The task at `ordinal` (1-based; -1 is the last) of a list shown."""
    if not tasks or not -len(tasks) <= ordinal <= len(tasks) or ordinal == 0:
        return None
    return tasks[ordinal - 1 if ordinal > 0 else ordinal]


def _last_turn(conversation: Conversation) -> tuple[str, tuple[Exchange, ...]] | None:
    """The user's previous message and the tool calls that answered it."""
    entries = conversation.earlier
    for index in range(len(entries) - 1, -1, -1):
        entry = entries[index]
        if isinstance(entry, Message) and entry.role == "user" and not entry.synthetic:
            calls = tuple(e for e in entries[index + 1 :] if isinstance(e, Exchange))
            return entry.text, calls
    return None
