"""chat conversation numbers: the spec's integer conversation id for every ChatKit thread

One row per thread, numbered by AUTOINCREMENT (a sequence on PostgreSQL), so a number is never
reused after its thread is deleted. Threads that exist already are numbered 1, 2, … in the order
threads.list shows them (created_at, then id), and the counter continues after the last one.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 22:43:52
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "chat_conversations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("thread_id", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["thread_id"],
            ["chat_threads.id"],
            name=op.f("fk_chat_conversations_thread_id_chat_threads"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_chat_conversations_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_chat_conversations")),
        sa.UniqueConstraint("thread_id", name=op.f("uq_chat_conversations_thread_id")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("chat_conversations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_chat_conversations_user_id"), ["user_id"], unique=False
        )

    # Explicit numbers: INSERT … SELECT … ORDER BY does not promise the order a sequence is drawn.
    op.execute(
        "INSERT INTO chat_conversations (id, thread_id, user_id) "
        "SELECT ROW_NUMBER() OVER (ORDER BY created_at, id), id, user_id FROM chat_threads"
    )
    if op.get_bind().dialect.name == "postgresql":
        # Explicit ids do not advance the sequence; SQLite's AUTOINCREMENT counter follows them.
        op.execute(
            "SELECT setval(pg_get_serial_sequence('chat_conversations', 'id'), "
            "COALESCE(MAX(id), 0) + 1, false) FROM chat_conversations"
        )


def downgrade() -> None:
    with op.batch_alter_table("chat_conversations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_chat_conversations_user_id"))

    op.drop_table("chat_conversations")
