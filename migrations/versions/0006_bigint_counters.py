"""64-bit counters, sequences and cursors on PostgreSQL

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03

A change's counter may be anything below 2**53 on the wire, and the server's log sequence and
pull cursors grow with a city's work; PostgreSQL's INTEGER stops at 2**31 - 1 (a counter
above it made a whole push fail). SQLite's INTEGER is 64-bit already: nothing changes there.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = [
    ("replica", "counter"),
    ("change_log", "seq"),
    ("change_log", "counter"),
    ("change_proof", "first"),
    ("change_proof", "last"),
    ("sync_state", "pull_cursor"),
    ("sync_rejection", "counter"),
]


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, column in COLUMNS:
        op.alter_column(table, column, type_=sa.BigInteger(), existing_type=sa.Integer())
    op.execute("ALTER SEQUENCE change_log_seq_seq AS BIGINT")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("ALTER SEQUENCE change_log_seq_seq AS INTEGER")
    for table, column in COLUMNS:
        op.alter_column(table, column, type_=sa.Integer(), existing_type=sa.BigInteger())
