"""Incidents (突发事件) many callers report, and the calls linked to one.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

from app.db.types import UTCDateTime

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

KINDS = ("water", "power", "lift", "gas", "other")


def upgrade() -> None:
    op.create_table(
        "incidents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.Enum(*KINDS, name="incident_kind", native_enum=False,
                                  create_constraint=True, length=20), nullable=False),
        sa.Column("title", sa.String(length=60), nullable=False),
        sa.Column("estate", sa.String(length=40), nullable=False),
        sa.Column("buildings", sa.String(length=120), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("started_at", UTCDateTime(), nullable=False),
        sa.Column("expected_end_at", UTCDateTime(), nullable=True),
        sa.Column("ended_at", UTCDateTime(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("ended_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"],
                                name=op.f("fk_incidents_created_by_id_users")),
        sa.ForeignKeyConstraint(["ended_by_id"], ["users.id"],
                                name=op.f("fk_incidents_ended_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incidents")),
    )
    with op.batch_alter_table("calls") as batch:
        batch.add_column(sa.Column("incident_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(op.f("fk_calls_incident_id_incidents"), "incidents",
                                 ["incident_id"], ["id"])
        batch.create_index("ix_calls_incident_id", ["incident_id"])


def downgrade() -> None:
    with op.batch_alter_table("calls") as batch:
        batch.drop_index("ix_calls_incident_id")
        batch.drop_constraint(op.f("fk_calls_incident_id_incidents"), type_="foreignkey")
        batch.drop_column("incident_id")
    op.drop_table("incidents")
