"""What the server holds of this device's changes because their clock ran ahead

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04

A laptop counted such changes as delivered and nothing showed them; every pull reply now
says how many the server holds, and the laptop keeps the figure per server to show it.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("sync_state") as batch:
        batch.add_column(sa.Column("server_held", sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("sync_state") as batch:
        batch.drop_column("server_held")
