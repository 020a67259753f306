"""Stored values their field's rules refuse, set aside by the ledger check

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07

Before received changes were checked against each field's vocabulary and bounds, a
district-mate's device could deliver a value (a case status "bogus") that every screen,
report and export then failed on. The ledger check (app.services.stored_check) runs when a
data folder is opened under new rules: it records each such value here and puts a stand-in
the screens can show in its place.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "isolated_value",
        sa.Column("entity", sa.String(32), primary_key=True),
        sa.Column("row_id", sa.String(36), primary_key=True),
        sa.Column("field", sa.String(64), primary_key=True),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("stand_in", sa.Text(), nullable=False),
        sa.Column("reason", sa.String(32), nullable=False),
        sa.Column("found_at", sa.DateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("isolated_value")
