"""Authenticated origins: change proofs, known replica keys, prunable rate windows

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-09

``change_proof`` keeps each origin's signatures over runs of its changes, so relayed changes
can be verified; ``replica_key`` the signing keys of origins learned by enrollment or
introduction; ``rate_window`` gets an index on its window so old windows are pruned cheaply;
``device.provisional_district_id`` the district a laptop set up offline filed its work under.
Conflict records are now one per change and field (not one per pair of changes); records of
the old kind stay as they are (they name real pairs), new ones are of the new kind.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "change_proof",
        sa.Column("origin", sa.String(length=16), primary_key=True),
        sa.Column("first", sa.Integer(), primary_key=True),
        sa.Column("last", sa.Integer(), nullable=False),
        sa.Column("hashes", sa.Text(), nullable=False),
        sa.Column("signature", sa.String(length=128), nullable=False),
    )
    op.create_table(
        "replica_key",
        sa.Column("replica_id", sa.String(length=16), primary_key=True),
        sa.Column("sign_public", sa.String(length=64), nullable=False),
        sa.Column("district_id", sa.String(length=36), nullable=True),
        sa.Column("source", sa.String(length=64), nullable=False),
        sa.Column("added_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_rate_window_window", "rate_window", ["window"])
    op.add_column(
        "device", sa.Column("provisional_district_id", sa.String(length=36), nullable=True)
    )


def downgrade() -> None:
    op.drop_column("device", "provisional_district_id")
    op.drop_index("ix_rate_window_window", table_name="rate_window")
    op.drop_table("replica_key")
    op.drop_table("change_proof")
