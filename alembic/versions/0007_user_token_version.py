"""users.token_version: sign-out ends every token issued before it (issue 14)

Each session or chat token carries the account's `token_version` (claim `ver`, absent = 0 in
tokens issued before this revision); signing out raises it, so every earlier token is refused.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 06:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # ADD COLUMN with a constant default: SQLite and PostgreSQL both alter `users` in place.
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("token_version", sa.Integer(), server_default="0", nullable=False)
        )


def downgrade() -> None:
    # Not batch mode: on SQLite that copies `users`, and dropping the old table would cascade
    # to every row that references it. SQLite ≥ 3.35 and PostgreSQL drop a column in place.
    op.execute("ALTER TABLE users DROP COLUMN token_version")
