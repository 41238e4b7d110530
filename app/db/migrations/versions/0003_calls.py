"""The call log and callback tasks.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

from app.db.types import UTCDateTime

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def _enum(values: tuple[str, ...], name: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=20)


def upgrade() -> None:
    op.create_table(
        "calls",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("received_at", UTCDateTime(), nullable=False),
        sa.Column("duration_seconds", sa.Integer(), nullable=False),
        sa.Column("direction", _enum(("inbound", "outbound"), "call_direction"), nullable=False),
        sa.Column("phone_raw", sa.String(length=40), nullable=False),
        sa.Column("phone_normalized", sa.String(length=40), nullable=True),
        sa.Column("customer_id", sa.Integer(), nullable=True),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("missed", sa.Boolean(), nullable=False),
        sa.Column("call_type", _enum(("inquiry", "repair", "complaint", "suggestion", "praise",
                                      "other"), "call_type"), nullable=True),
        sa.Column("outcome", _enum(("solved", "complaint", "dispatched", "other"),
                                   "call_outcome"), nullable=True),
        sa.Column("department_id", sa.Integer(), nullable=True),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("operator_id", sa.Integer(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["customer_id"], ["customers.id"],
                                name=op.f("fk_calls_customer_id_customers")),
        sa.ForeignKeyConstraint(["department_id"], ["departments.id"],
                                name=op.f("fk_calls_department_id_departments")),
        sa.ForeignKeyConstraint(["operator_id"], ["users.id"],
                                name=op.f("fk_calls_operator_id_users")),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], name=op.f("fk_calls_unit_id_units")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calls")),
    )
    op.create_index("ix_calls_customer_id", "calls", ["customer_id"])
    op.create_index("ix_calls_operator_received", "calls", ["operator_id", "received_at"])
    op.create_index("ix_calls_phone_normalized", "calls", ["phone_normalized"])
    op.create_index("ix_calls_received_at", "calls", ["received_at"])
    op.create_table(
        "callbacks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reason", _enum(("missed_call", "requested"), "callback_reason"),
                  nullable=False),
        sa.Column("status", _enum(("pending", "done", "failed", "skipped"), "callback_status"),
                  nullable=False),
        sa.Column("call_id", sa.Integer(), nullable=True),
        sa.Column("customer_id", sa.Integer(), nullable=True),
        sa.Column("phone", sa.String(length=40), nullable=False),
        sa.Column("due_at", UTCDateTime(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("done_at", UTCDateTime(), nullable=True),
        sa.Column("done_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["call_id"], ["calls.id"], name=op.f("fk_callbacks_call_id_calls")),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"],
                                name=op.f("fk_callbacks_created_by_id_users")),
        sa.ForeignKeyConstraint(["done_by_id"], ["users.id"],
                                name=op.f("fk_callbacks_done_by_id_users")),
        sa.ForeignKeyConstraint(["customer_id"], ["customers.id"],
                                name=op.f("fk_callbacks_customer_id_customers")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_callbacks")),
    )
    op.create_index("ix_callbacks_status_due", "callbacks", ["status", "due_at"])


def downgrade() -> None:
    op.drop_table("callbacks")
    op.drop_table("calls")
