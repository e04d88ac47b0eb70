"""Task input/output shapes and their validation rules (one place for every limit)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Literal, get_args, overload

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, PrivateAttr, field_validator

from chatapp.db.models import DESCRIPTION_MAX, TASK_TITLE_MAX
from chatapp.tasks.recurrence import RULE_MAX, ZONE_MAX, Recurrence, normalise_rule
from chatapp.timezones import DEFAULT_ZONE, valid_zone

TAGS_MAX = 10
TAG_MAX = 32
LIST_LIMIT_DEFAULT = 50
LIST_LIMIT_MAX = 200
SEARCH_MAX = 200  # characters of a task search
LIST_OFFSET_MAX = 2**63 - 1  # the largest OFFSET PostgreSQL and SQLite accept
COMPLETIONS_LIMIT_DEFAULT = 100
COMPLETIONS_LIMIT_MAX = 500

Priority = Literal["low", "medium", "high"]
Status = Literal["all", "pending", "completed"]
SortKey = Literal["created", "due", "priority", "title"]
Order = Literal["asc", "desc"]
PRIORITIES: tuple[Priority, ...] = get_args(Priority)
STATUSES: tuple[Status, ...] = get_args(Status)
SORT_KEYS: tuple[SortKey, ...] = get_args(SortKey)


@overload
def as_utc(value: datetime) -> datetime: ...
@overload
def as_utc(value: None) -> None: ...
@overload
def as_utc(value: datetime | None) -> datetime | None: ...
def as_utc(value: datetime | None) -> datetime | None:
    """Naive datetimes are UTC (SQLite drops offsets); aware ones are converted."""
    if value is None:
        return None
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    try:
        return value.astimezone(UTC)
    except OverflowError as exc:  # 0001-01-01T00:00+00:01 is before the first UTC instant
        raise ValueError("date is out of range") from exc


def _reject_nul(value: object) -> object:
    # PostgreSQL text cannot hold NUL; say so here rather than fail in the database.
    if isinstance(value, str) and "\x00" in value:
        raise ValueError("must not contain NUL characters")
    return value


def _clean_title(value: object) -> object:
    return value.strip() if isinstance(value, str) else value


def _clean_priority(value: object) -> object:
    if isinstance(value, str):
        value = value.strip().lower()
        return value or None
    return value


def clean_tags(value: object) -> object:
    """'#Work', ' home ' → ['work', 'home']; duplicates dropped, order kept."""
    if value is None:
        return []
    if isinstance(value, str):
        value = [t for t in value.replace(",", " ").split()]
    if not isinstance(value, list):
        return value
    tags: list[str] = []
    for tag in value:
        if not isinstance(tag, str):
            return value  # let pydantic report the wrong type
        tag = _clean_tag(tag)
        if tag and tag not in tags:
            tags.append(tag)
    return tags


def _clean_tag(tag: str) -> str:
    return tag.strip().lstrip("#").strip().lower()


def _blank_is_none(value: object) -> object:
    # A blank rule means "does not repeat", as a blank description means "no description".
    if isinstance(value, str):
        return value.strip() or None
    return value


Title = Annotated[str, Field(min_length=1, max_length=TASK_TITLE_MAX)]
Description = Annotated[str | None, Field(max_length=DESCRIPTION_MAX)]
Tags = Annotated[
    list[Annotated[str, Field(min_length=1, max_length=TAG_MAX)]], Field(max_length=TAGS_MAX)
]
Rule = Annotated[str | None, Field(max_length=RULE_MAX)]
Zone = Annotated[str | None, Field(max_length=ZONE_MAX)]
# A date-time; one without an offset is UTC.
Moment = Annotated[datetime, AfterValidator(as_utc)]


class _TaskFields(BaseModel):
    model_config = ConfigDict(extra="forbid")

    @field_validator("title", mode="before", check_fields=False)
    @classmethod
    def _title(cls, v: object) -> object:
        return _clean_title(_reject_nul(v))

    @field_validator("description", "recurrence", "time_zone", mode="before", check_fields=False)
    @classmethod
    def _blank_text(cls, v: object) -> object:
        return _blank_is_none(_reject_nul(v))

    @field_validator("priority", mode="before", check_fields=False)
    @classmethod
    def _priority(cls, v: object) -> object:
        return _clean_priority(v)

    @field_validator("tags", mode="before", check_fields=False)
    @classmethod
    def _tags(cls, v: object) -> object:
        return clean_tags(v)

    @field_validator("recurrence", mode="after", check_fields=False)
    @classmethod
    def _rule(cls, v: str | None) -> str | None:
        # RecurrenceError is a ValueError: its message becomes the field's 422 message.
        return None if v is None else normalise_rule(v)

    @field_validator("time_zone", mode="after", check_fields=False)
    @classmethod
    def _zone(cls, v: str | None) -> str | None:
        return None if v is None else valid_zone(v)


class TaskCreate(_TaskFields):
    title: Title
    description: Description = None
    priority: Priority | None = None
    due_at: Moment | None = None
    tags: Tags = Field(default_factory=list)
    completed: bool = False
    # An RFC 5545 RRULE value; the task repeats from its due_at (required with a rule).
    recurrence: Rule = None
    # The IANA zone the rule is expanded in (wall-clock times kept across DST); None: UTC.
    time_zone: Zone = None
    remind_at: Moment | None = None


class TaskReplace(TaskCreate):
    """PUT: every content field is replaced; omitted ones reset to their defaults."""

    completed: bool | None = None  # omitted keeps the current state  # pyright: ignore[reportIncompatibleVariableOverride]  -- wider than TaskCreate's, and no TaskReplace is used as a TaskCreate


class TaskUpdate(_TaskFields):
    """PATCH: only the fields present change."""

    title: Title | None = None
    description: Description = None
    priority: Priority | None = None
    due_at: Moment | None = None
    tags: Tags | None = None
    completed: bool | None = None
    recurrence: Rule = None  # null stops repeating
    time_zone: Zone = None  # null: UTC
    remind_at: Moment | None = None  # null removes the reminder

    @field_validator("title", mode="after")
    @classmethod
    def _title_not_null(cls, v: str | None) -> str | None:
        if v is None:
            raise ValueError("title cannot be null")
        return v


class CompleteBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    completed: bool = True


class TaskQuery(BaseModel):
    # Unknown query parameters (cache busters, tracking) are ignored, not errors.
    model_config = ConfigDict(extra="ignore")

    status: Status = "all"
    q: str | None = Field(default=None, max_length=SEARCH_MAX)
    priority: Priority | None = None
    tag: str | None = Field(default=None, max_length=TAG_MAX + 1)
    due_before: Moment | None = None
    due_after: Moment | None = None
    sort: SortKey = "created"
    order: Order = "asc"
    limit: int = Field(default=LIST_LIMIT_DEFAULT, ge=1, le=LIST_LIMIT_MAX)
    offset: int = Field(default=0, ge=0, le=LIST_OFFSET_MAX)

    @field_validator("priority", mode="before")
    @classmethod
    def _priority(cls, v: object) -> object:
        return _clean_priority(v)

    @field_validator("tag", mode="before")
    @classmethod
    def _tag(cls, v: object) -> object:
        return (_clean_tag(v) or None) if isinstance(v, str) else v

    @field_validator("q", mode="before")
    @classmethod
    def _q(cls, v: object) -> object:
        return _blank_is_none(_reject_nul(v))

    # Only tasks with a completion recorded at or after this time (recurring ones included).
    completed_since: Moment | None = None


class TaskOut(BaseModel):
    id: int
    title: str
    description: str | None
    completed: bool
    priority: Priority | None
    due_at: datetime | None
    tags: list[str]
    created_at: datetime
    updated_at: datetime
    completed_at: datetime | None
    recurrence: str | None
    recurrence_text: str | None
    time_zone: str
    remind_at: datetime | None
    reminded_at: datetime | None
    # The rule's anchor (its first due time): internal, kept so an undo restores it exactly.
    _recurrence_start: datetime | None = PrivateAttr(default=None)

    @property
    def recurrence_start(self) -> datetime | None:
        return self._recurrence_start

    @classmethod
    def of(cls, task) -> TaskOut:
        zone = task.time_zone or DEFAULT_ZONE
        start = as_utc(task.recurrence_start) or as_utc(task.due_at)
        words = None
        if task.recurrence and start is not None:
            words = Recurrence(task.recurrence, start, zone).describe()
        out = cls(
            id=task.id,
            title=task.title,
            description=task.description,
            completed=task.completed,
            priority=task.priority,
            due_at=as_utc(task.due_at),
            tags=list(task.tags or []),
            created_at=as_utc(task.created_at),
            updated_at=as_utc(task.updated_at),
            completed_at=as_utc(task.completed_at),
            recurrence=task.recurrence,
            recurrence_text=words,
            time_zone=zone,
            remind_at=as_utc(task.remind_at),
            reminded_at=as_utc(task.reminded_at),
        )
        out._recurrence_start = as_utc(task.recurrence_start)
        return out


class CompletionQuery(BaseModel):
    model_config = ConfigDict(extra="ignore")

    since: Moment | None = None
    limit: int = Field(default=COMPLETIONS_LIMIT_DEFAULT, ge=1, le=COMPLETIONS_LIMIT_MAX)


class CompletionOut(BaseModel):
    """One completion: of a plain task, or of one occurrence of a recurring task."""

    task_id: int
    title: str
    completed_at: datetime
    due_at: datetime | None  # the due time of the occurrence that was completed


class ReminderOut(BaseModel):
    """A reminder handed out once; `missed` when it came due well before anyone could see it."""

    task_id: int
    title: str
    remind_at: datetime
    due_at: datetime | None
    missed: bool
