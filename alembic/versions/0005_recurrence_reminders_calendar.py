"""recurring tasks, reminders, completions and the calendar feed (issue 11)

Tasks gain a repeat rule (`recurrence`, expanded in `time_zone` from `recurrence_start`) and a
reminder (`remind_at`, `reminded_at`). `task_completions` records every completion, so a
recurring task that stays open still counts as finished; the tasks completed before this
migration are recorded from their `completed_at`. `calendar_feeds` keeps the SHA-256 of each
user's private feed token.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 23:22:15
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Only ADD COLUMN and CREATE INDEX: SQLite alters `tasks` in place (no table copy).
    with op.batch_alter_table("tasks", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("recurrence", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True)
        )
        batch_op.add_column(
            sa.Column("recurrence_start", sa.DateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(
            sa.Column(
                "time_zone",
                sqlmodel.sql.sqltypes.AutoString(length=64),
                server_default="UTC",
                nullable=False,
            )
        )
        batch_op.add_column(sa.Column("remind_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("reminded_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index("ix_tasks_user_remind", ["user_id", "remind_at"], unique=False)

    op.create_table(
        "task_completions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["task_id"],
            ["tasks.id"],
            name=op.f("fk_task_completions_task_id_tasks"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_task_completions_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_task_completions")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("task_completions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_task_completions_task_id"), ["task_id"], unique=False)
        batch_op.create_index(
            "ix_task_completions_user_completed", ["user_id", "completed_at"], unique=False
        )
    # Every completed task has its completion on record, as the task service keeps it.
    op.execute(
        "INSERT INTO task_completions (task_id, user_id, completed_at, due_at) "
        "SELECT id, user_id, COALESCE(completed_at, updated_at), due_at FROM tasks "
        "WHERE completed ORDER BY id"
    )

    op.create_table(
        "calendar_feeds",
        sa.Column("user_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("token_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_calendar_feeds_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_calendar_feeds")),
    )
    with op.batch_alter_table("calendar_feeds", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_calendar_feeds_token_hash"), ["token_hash"], unique=True
        )


def downgrade() -> None:
    with op.batch_alter_table("calendar_feeds", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_calendar_feeds_token_hash"))
    op.drop_table("calendar_feeds")

    with op.batch_alter_table("task_completions", schema=None) as batch_op:
        batch_op.drop_index("ix_task_completions_user_completed")
        batch_op.drop_index(batch_op.f("ix_task_completions_task_id"))
    op.drop_table("task_completions")

    # SQLite ≥ 3.35 drops columns in place; a batch copy of `tasks` would lose its AUTOINCREMENT.
    with op.batch_alter_table("tasks", schema=None, recreate="never") as batch_op:
        batch_op.drop_index("ix_tasks_user_remind")
        batch_op.drop_column("reminded_at")
        batch_op.drop_column("remind_at")
        batch_op.drop_column("time_zone")
        batch_op.drop_column("recurrence_start")
        batch_op.drop_column("recurrence")
