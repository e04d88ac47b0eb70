"""attachments: uploaded files on messages and tasks (issue 13)

`chat_attachments` rows gain `uploaded_at` (set only once the file is stored: a row without it
has no file) and `thread_id` (the thread whose message carries it, so deleting the thread
deletes its files). `task_attachments` links tasks to attachments; both sides cascade.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 06:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("chat_attachments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(
            sa.Column("thread_id", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True)
        )
        batch_op.create_index(
            batch_op.f("ix_chat_attachments_thread_id"), ["thread_id"], unique=False
        )

    op.create_table(
        "task_attachments",
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("attachment_id", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["attachment_id"],
            ["chat_attachments.id"],
            name=op.f("fk_task_attachments_attachment_id_chat_attachments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["task_id"],
            ["tasks.id"],
            name=op.f("fk_task_attachments_task_id_tasks"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_task_attachments_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("task_id", "attachment_id", name=op.f("pk_task_attachments")),
    )
    with op.batch_alter_table("task_attachments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_task_attachments_attachment_id"), ["attachment_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_task_attachments_user_id"), ["user_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("task_attachments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_task_attachments_user_id"))
        batch_op.drop_index(batch_op.f("ix_task_attachments_attachment_id"))
    op.drop_table("task_attachments")

    with op.batch_alter_table("chat_attachments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_chat_attachments_thread_id"))
        batch_op.drop_column("thread_id")
        batch_op.drop_column("uploaded_at")
