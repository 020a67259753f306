"""issue.follow_up_method: how a follow-up (回访) reached the worker

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02

Hardship levels keep their codes (ordinary is now worded 相对困难, extreme 深度困难; accident,
意外致困, is new), so stored values need no mapping.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A plain ADD COLUMN: SQLite does it in place (a batch copy of the table would trip the
    # foreign keys of issue_event and issue_link, and drop the search triggers).
    op.add_column("issue", sa.Column("follow_up_method", sa.String(length=16), nullable=True))


def downgrade() -> None:
    op.drop_column("issue", "follow_up_method")
