"""task search indexes on PostgreSQL: trigram GIN for `q=` substring search

`GET /api/{id}/tasks?q=word` is a substring match, LIKE '%word%', which no b-tree can serve.
pg_trgm GIN indexes on the exact expressions the task service filters on, led by user_id
(btree_gin), let PostgreSQL read only one user's candidate rows. SQLite has no GIN; the task
service keeps its search in C there instead (see docs/PERFORMANCE.md).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 16:00:00
"""

from collections.abc import Sequence

from alembic import op


revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = {
    "ix_tasks_user_title_trgm": "(user_id, lower(title) gin_trgm_ops)",
    "ix_tasks_user_description_trgm": "(user_id, lower(coalesce(description, '')) gin_trgm_ops)",
}


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    # Both ship with PostgreSQL (contrib) and are trusted extensions since PostgreSQL 13: the
    # database owner may create them without superuser rights.
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.execute("CREATE EXTENSION IF NOT EXISTS btree_gin")
    for name, columns in INDEXES.items():
        op.execute(f"CREATE INDEX {name} ON tasks USING gin {columns}")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for name in INDEXES:
        op.execute(f"DROP INDEX IF EXISTS {name}")
