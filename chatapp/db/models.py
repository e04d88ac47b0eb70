"""SQLModel tables. Alembic owns the schema; these are its source of truth."""

from __future__ import annotations

import warnings
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import JSON, Column, Field, SQLModel

# A task's column widths; the API's limits (tasks/schemas.py) are these, imported from here.
TASK_TITLE_MAX = 200
DESCRIPTION_MAX = 2000

# Stable constraint names, so Alembic autogenerate sees no drift across databases.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class User(SQLModel, table=True):
    __tablename__ = "users"  # pyright: ignore[reportAssignmentType]  -- sqlmodel types it as its own declared_attr
    __table_args__ = ({"sqlite_autoincrement": True},)

    id: int | None = Field(default=None, primary_key=True)
    # Stored lower-cased, so the unique index makes emails unique case-insensitively.
    email: str = Field(max_length=320, unique=True, index=True)
    password_hash: str = Field(max_length=255)
    # Every token carries the version it was issued at; raising it (sign-out) ends them all.
    token_version: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    created_at: datetime = Field(
        default_factory=utcnow, sa_type=sa.DateTime(timezone=True), nullable=False
    )


class Task(SQLModel, table=True):
    __tablename__ = "tasks"  # pyright: ignore[reportAssignmentType]  -- sqlmodel types it as its own declared_attr
    __table_args__ = (
        sa.Index("ix_tasks_user_completed_due", "user_id", "completed", "due_at"),
        sa.Index("ix_tasks_user_created", "user_id", "created_at"),
        # Claiming due reminders reads one user's tasks by remind_at.
        sa.Index("ix_tasks_user_remind", "user_id", "remind_at"),
        sa.CheckConstraint(
            "priority IS NULL OR priority IN ('low', 'medium', 'high')",
            name="priority",
        ),
        # AUTOINCREMENT: SQLite must never hand a deleted task's id to a new task.
        {"sqlite_autoincrement": True},
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True, ondelete="CASCADE")
    title: str = Field(max_length=TASK_TITLE_MAX)
    description: str | None = Field(default=None, max_length=DESCRIPTION_MAX)
    completed: bool = Field(default=False)
    priority: str | None = Field(default=None, max_length=6)
    due_at: datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))
    tags: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(
        default_factory=utcnow, sa_type=sa.DateTime(timezone=True), nullable=False
    )
    updated_at: datetime = Field(
        default_factory=utcnow, sa_type=sa.DateTime(timezone=True), nullable=False
    )
    completed_at: datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))
    # An RFC 5545 RRULE value (normalised, without "RRULE:"), expanded in `time_zone` from
    # `recurrence_start`, the first due time, so COUNT counts from there however often the task
    # advanced. `due_at` is always the occurrence that is open now.
    recurrence: str | None = Field(default=None, max_length=500)
    recurrence_start: datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))
    time_zone: str = Field(default="UTC", max_length=64, sa_column_kwargs={"server_default": "UTC"})
    remind_at: datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))
    # Set once the reminder of the current occurrence was handed out (claim_due_reminders).
    reminded_at: datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))


class TaskCompletion(SQLModel, table=True):
    """Every time a task was completed: a recurring task stays open and moves on, so its
    history lives here ("what did I finish today?"). Only the task service writes it."""

    __tablename__ = "task_completions"  # pyright: ignore[reportAssignmentType]  -- sqlmodel types it as its own declared_attr
    __table_args__ = (
        sa.Index("ix_task_completions_user_completed", "user_id", "completed_at"),
        {"sqlite_autoincrement": True},
    )

    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="tasks.id", index=True, ondelete="CASCADE")
    user_id: int = Field(foreign_key="users.id", ondelete="CASCADE")
    completed_at: datetime = Field(sa_type=sa.DateTime(timezone=True), nullable=False)
    # The due time of the occurrence that was completed (None for an undated task).
    due_at: datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))


class CalendarFeed(SQLModel, table=True):
    """A user's private calendar feed: only the SHA-256 of its URL token is kept, so the
    database never holds a working URL. One per user; a new token replaces the old one."""

    __tablename__ = "calendar_feeds"  # pyright: ignore[reportAssignmentType]  -- sqlmodel types it as its own declared_attr

    user_id: int = Field(
        primary_key=True,
        foreign_key="users.id",
        ondelete="CASCADE",
        sa_column_kwargs={"autoincrement": False},
    )
    token_hash: str = Field(max_length=64, unique=True, index=True)
    created_at: datetime = Field(
        default_factory=utcnow, sa_type=sa.DateTime(timezone=True), nullable=False
    )


# PostgreSQL only (migration 0003, pg_trgm + btree_gin): `q` is a substring search (LIKE
# '%word%'), which no b-tree can serve. Trigram GIN indexes on the exact expressions the task
# service filters on, led by user_id so one index scan finds one user's matches.
# SQLite has no GIN and Alembic cannot reflect expression indexes there, so a schema comparison
# on SQLite (Reflex runs one at every `reflex run`) skips these two. That skip is expected; its
# UserWarning is silenced for these two names only, so any other skipped index still warns.
warnings.filterwarnings(
    "ignore",
    message=r"autogenerate skipping metadata-specified expression-based index "
    r"'ix_tasks_user_(title|description)_trgm'; dialect 'sqlite'",
    category=UserWarning,
)
_tasks = sa.inspect(Task).local_table.c
sa.Index(
    "ix_tasks_user_title_trgm",
    _tasks.user_id,
    sa.func.lower(_tasks.title).label("title_lower"),
    postgresql_using="gin",
    postgresql_ops={"title_lower": "gin_trgm_ops"},
)
sa.Index(
    "ix_tasks_user_description_trgm",
    _tasks.user_id,
    sa.func.lower(sa.func.coalesce(_tasks.description, "")).label("description_lower"),
    postgresql_using="gin",
    postgresql_ops={"description_lower": "gin_trgm_ops"},
)


# ChatKit store tables (the spec's Conversation and Message). Only chatapp.chat.store writes them;
# `payload` holds the ChatKit model exactly as `model_dump(mode="json")` gave it, and the other
# columns are copies kept for ownership, ordering and paging.


class ChatThread(SQLModel, table=True):
    __tablename__ = "chat_threads"  # pyright: ignore[reportAssignmentType]  -- sqlmodel types it as its own declared_attr
    __table_args__ = (
        # threads.list: one user's threads in created_at order, id breaking ties.
        sa.Index("ix_chat_threads_user_created", "user_id", "created_at", "id"),
    )

    id: str = Field(primary_key=True, max_length=255)
    user_id: int = Field(foreign_key="users.id", ondelete="CASCADE")
    title: str | None = Field(default=None)
    created_at: datetime = Field(sa_type=sa.DateTime(timezone=True), nullable=False)
    updated_at: datetime = Field(
        default_factory=utcnow, sa_type=sa.DateTime(timezone=True), nullable=False
    )
    payload: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))


class ChatConversation(SQLModel, table=True):
    """The spec's integer conversation id: one per thread, given when the thread is first stored.

    AUTOINCREMENT (a sequence on PostgreSQL): a deleted conversation's number is never handed
    to a new one, so an old number can only ever be "not found", never someone else's thread.
    """

    __tablename__ = "chat_conversations"  # pyright: ignore[reportAssignmentType]  -- sqlmodel types it as its own declared_attr
    __table_args__ = ({"sqlite_autoincrement": True},)

    id: int | None = Field(default=None, primary_key=True)
    thread_id: str = Field(
        foreign_key="chat_threads.id", unique=True, ondelete="CASCADE", max_length=255
    )
    user_id: int = Field(foreign_key="users.id", index=True, ondelete="CASCADE")


class ChatItem(SQLModel, table=True):
    __tablename__ = "chat_items"  # pyright: ignore[reportAssignmentType]  -- sqlmodel types it as its own declared_attr
    __table_args__ = (
        # Item ids are unique per thread, not globally: ChatKit reuses model-provided ids
        # (Chat Completions models give every message "__fake_id__"), and one user's ids must
        # never collide with, or reveal, another user's.
        sa.Index("ix_chat_items_thread_item", "thread_id", "id", unique=True),
        sa.Index("ix_chat_items_thread_seq", "thread_id", "seq"),
        # AUTOINCREMENT: seq only ever grows, so it records the order items were stored.
        {"sqlite_autoincrement": True},
    )

    seq: int | None = Field(default=None, primary_key=True)
    id: str = Field(max_length=255)
    thread_id: str = Field(foreign_key="chat_threads.id", ondelete="CASCADE", max_length=255)
    user_id: int = Field(foreign_key="users.id", index=True, ondelete="CASCADE")
    type: str = Field(max_length=64)
    created_at: datetime = Field(sa_type=sa.DateTime(timezone=True), nullable=False)
    payload: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))


class ChatAttachment(SQLModel, table=True):
    """A file a user uploaded (chatapp/attachments owns these rows and the files they name).

    `payload` is ChatKit's Attachment; `uploaded_at` is set only once its file is stored, so a
    row without it has no file and can be sent nowhere. `thread_id` is the thread whose message
    carries it: deleting that thread deletes it, unless a task still holds it (and vice versa).
    """

    __tablename__ = "chat_attachments"  # pyright: ignore[reportAssignmentType]  -- sqlmodel types it as its own declared_attr

    id: str = Field(primary_key=True, max_length=255)
    user_id: int = Field(foreign_key="users.id", index=True, ondelete="CASCADE")
    created_at: datetime = Field(
        default_factory=utcnow, sa_type=sa.DateTime(timezone=True), nullable=False
    )
    payload: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    uploaded_at: datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))
    thread_id: str | None = Field(default=None, max_length=255, index=True)


class TaskAttachment(SQLModel, table=True):
    """A task holds an attachment. Only the task service writes these rows."""

    __tablename__ = "task_attachments"  # pyright: ignore[reportAssignmentType]  -- sqlmodel types it as its own declared_attr

    task_id: int = Field(foreign_key="tasks.id", primary_key=True, ondelete="CASCADE")
    attachment_id: str = Field(
        foreign_key="chat_attachments.id",
        primary_key=True,
        ondelete="CASCADE",
        max_length=255,
        index=True,
    )
    user_id: int = Field(foreign_key="users.id", index=True, ondelete="CASCADE")
    created_at: datetime = Field(
        default_factory=utcnow, sa_type=sa.DateTime(timezone=True), nullable=False
    )
