"""What a message asks for, as typed values: the intents the rules build and the planner acts on."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

Priority = Literal["low", "medium", "high"]
Clearable = Literal["due_at", "description", "recurrence"]
Status = Literal["all", "pending", "completed"]
BulkAction = Literal["delete", "complete", "reopen"]
# What a question about tasks wants back, beyond the list itself.
Question = Literal["when", "done", "count", "urgent", "finished"]


ChatKind = Literal[
    "greeting",
    "thanks",
    "ack",
    "help",
    "date",
    "empty",
    "unknown",
    "missing_title",
    "missing_change",
    "bulk",
    "cant_clear",
    "confirm",
    "decline",
    "files",  # "see attached" and nothing else asked
]


MAX_TEXT = 4000
MAX_TITLE = 200
MAX_DESCRIPTION = 2000
MAX_NEW_TASKS = 20
MAX_TASKS_AT_ONCE = 20


@dataclass(frozen=True)
class TaskRef:
    """Which task a message means: by id, by words from its title, or by "it".

    `more_ids` are further tasks named by id in the same breath ("delete tasks 2 and 5").
    `ordinal` is a position in the list the assistant showed last ("complete the third one").
    """

    task_id: int | None = None
    words: str | None = None
    pronoun: bool = False
    more_ids: tuple[int, ...] = ()
    ordinal: int | None = None  # "the second task": a place in the list last shown (-1: last)
    # "the team meeting and the dentist": the words of each task named, when several may be.
    parts: tuple[str, ...] = ()

    @property
    def ids(self) -> tuple[int, ...]:
        return () if self.task_id is None else (self.task_id, *self.more_ids)


@dataclass(frozen=True)
class TaskDraft:
    title: str
    description: str | None = None
    priority: Priority | None = None
    due_at: datetime | None = None
    tags: tuple[str, ...] = ()
    recurrence: str | None = None  # an RFC 5545 RRULE value, "FREQ=WEEKLY;BYDAY=MO"
    remind_at: datetime | None = None


@dataclass(frozen=True)
class TaskChanges:
    """Fields to change; None means leave as is. `shift` moves the current due date.

    `tags` replaces every tag (() removes them all); `add_tags` and `remove_tags` edit the tags
    the task has, which is what "tag task 3 with work" and "remove the work tag" mean. `clear`
    names the fields to empty ("clear the due date of task 2"). `priority_step` moves the
    priority it has one level up (1) or down (-1): "lower the priority of task 3".
    """

    title: str | None = None
    description: str | None = None
    priority: Priority | None = None
    due_at: datetime | None = None
    tags: tuple[str, ...] | None = None
    shift: timedelta | None = None
    add_tags: tuple[str, ...] = ()
    remove_tags: tuple[str, ...] = ()
    clear: frozenset[Clearable] = frozenset()
    priority_step: int = 0
    recurrence: str | None = None
    remind_at: datetime | None = None
    remind_before: timedelta | None = None  # "remind me 30 minutes before": from the due date
    keep_day: bool = False  # "move it to 3pm": `due_at`'s time on the day it is due already
    keep_time: bool = False  # "move it to friday": `due_at`'s day at the time it is due already

    def is_empty(self) -> bool:
        edits = self.add_tags or self.remove_tags or self.clear or self.priority_step
        return not edits and all(
            value is None
            for value in (
                self.title,
                self.description,
                self.priority,
                self.due_at,
                self.tags,
                self.shift,
                self.recurrence,
                self.remind_at,
                self.remind_before,
            )
        )


@dataclass(frozen=True)
class TaskFilter:
    status: Status = "all"
    query: str | None = None
    priority: Priority | None = None
    tag: str | None = None
    due_after: datetime | None = None
    due_before: datetime | None = None
    period: str | None = None
    overdue: bool = False
    task_id: int | None = None  # one task asked about: "is task 3 done?"
    topic: str | None = None  # "my work tasks": tagged so, or with the word in the title
    question: Question | None = None  # "when's my haircut?": answered, not only listed
    about: str | None = None  # words the task is known by, matched here, typos and all
    done_after: datetime | None = None  # "what did I finish today?": by completed_at
    done_before: datetime | None = None


@dataclass(frozen=True)
class AddTasks:
    drafts: tuple[TaskDraft, ...]
    with_files: bool = False  # "..., pdf attached": the new tasks keep the files sent


@dataclass(frozen=True)
class ListTasks:
    filter: TaskFilter


@dataclass(frozen=True)
class OnTask:
    """A request about tasks the user names: by number, by words, or as "it"."""

    ref: TaskRef


@dataclass(frozen=True)
class SetCompleted(OnTask):
    completed: bool


@dataclass(frozen=True)
class DeleteTask(OnTask):
    """Delete the task named ("delete the meeting task")."""


@dataclass(frozen=True)
class UpdateTask(OnTask):
    changes: TaskChanges
    add_if_missing: bool = False  # "remind me about the report at 3pm": a new task if none


@dataclass(frozen=True)
class OpenTask(OnTask):
    """Show one task in the app's task panel ("open task 3", "show me the milk task")."""


@dataclass(frozen=True)
class Select:
    """A bare answer to "which one?": a task id, a position in the offered list, or words."""

    number: int | None = None
    ordinal: int | None = None
    words: str | None = None


@dataclass(frozen=True)
class BulkChange:
    """One change to every task a filter finds ("delete everything that's done"): proposed
    first, made only when the user confirms in their next message."""

    action: BulkAction
    filter: TaskFilter


@dataclass(frozen=True)
class ConfirmBulk:
    """The user's "yes" to a bulk change: the tasks proposed (id, title), checked again first."""

    bulk: BulkChange
    proposed: tuple[tuple[int, str], ...]


@dataclass(frozen=True)
class Chat:
    kind: ChatKind


@dataclass(frozen=True)
class Compound:
    """Several requests in one message, each planned and confirmed in order."""

    parts: tuple[Intent, ...]


Intent = (
    AddTasks
    | ListTasks
    | SetCompleted
    | DeleteTask
    | UpdateTask
    | OpenTask
    | Select
    | Chat
    | BulkChange
    | ConfirmBulk
    | Compound
)


RefIntent = SetCompleted | DeleteTask | UpdateTask | OpenTask
