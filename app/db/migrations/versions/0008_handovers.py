"""Shift handovers (交接班记录): one row per shift handed over, with its draft and notes.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

from app.db.types import UTCDateTime

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "handovers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("shift_start", UTCDateTime(), nullable=False),
        sa.Column("shift_end", UTCDateTime(), nullable=False),
        sa.Column("from_user_id", sa.Integer(), nullable=True),
        sa.Column("handed_over_at", UTCDateTime(), nullable=False),
        sa.Column("lines", sa.JSON(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("acknowledged_by_id", sa.Integer(), nullable=True),
        sa.Column("acknowledged_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["from_user_id"], ["users.id"],
                                name=op.f("fk_handovers_from_user_id_users")),
        sa.ForeignKeyConstraint(["acknowledged_by_id"], ["users.id"],
                                name=op.f("fk_handovers_acknowledged_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_handovers")),
    )
    op.create_index("ix_handovers_handed_over_at", "handovers", ["handed_over_at"])


def downgrade() -> None:
    op.drop_index("ix_handovers_handed_over_at", table_name="handovers")
    op.drop_table("handovers")
