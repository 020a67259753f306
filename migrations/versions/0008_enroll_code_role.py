"""The role an enrollment code gives the device that redeems it

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07

A device's role (cadre or district office) decides what the server trusts it with — a
district office's device may introduce the keys of the cadres whose bundles it relays. It
was what the device declared at enrollment; now the administrator chooses it when making
the code (``jiceng server admin enroll-code --role``), and an enrollment that declares
another role is refused (issue 21).

Codes made before this revision become cadre codes: the role that trusts a device with
nothing more than its own changes, so an old code cannot make a district office's device.
A district office that still holds an unused old code gets a new one with
``--role district``. Devices already enrolled keep the role they have.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("enroll_code") as batch:
        batch.add_column(
            sa.Column("role", sa.String(length=16), nullable=False, server_default="cadre")
        )


def downgrade() -> None:
    with op.batch_alter_table("enroll_code") as batch:
        batch.drop_column("role")
