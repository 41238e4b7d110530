"""Complaint callbacks (回访): the complaint, attempts, satisfaction, the supervisor's review.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

from app.db.types import UTCDateTime

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def _enum(values: tuple[str, ...], name: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=20)


OLD_REASONS = ("missed_call", "requested")
NEW_REASONS = ("missed_call", "requested", "complaint")


def upgrade() -> None:
    # Batch mode rebuilds the table on SQLite (which cannot alter a CHECK constraint) and
    # alters it in place on PostgreSQL; every row is copied.
    with op.batch_alter_table("callbacks", recreate="always") as batch:
        batch.alter_column("reason", existing_type=_enum(OLD_REASONS, "callback_reason"),
                           type_=_enum(NEW_REASONS, "callback_reason"), existing_nullable=False)
        batch.add_column(sa.Column("complaint_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("first_due_at", UTCDateTime(), nullable=True))
        batch.add_column(sa.Column("operator_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("attempts", sa.Integer(), nullable=False,
                                   server_default="0"))
        batch.add_column(sa.Column("last_attempt_at", UTCDateTime(), nullable=True))
        batch.add_column(sa.Column(
            "satisfaction", _enum(("satisfied", "fairly", "unsatisfied"), "satisfaction"),
            nullable=True))
        batch.add_column(sa.Column("comment", sa.Text(), nullable=False, server_default=""))
        batch.add_column(sa.Column("result_call_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("reviewed_at", UTCDateTime(), nullable=True))
        batch.add_column(sa.Column("reviewed_by_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("review_comment", sa.Text(), nullable=False,
                                   server_default=""))
        batch.create_foreign_key("fk_callbacks_complaint_id_complaints", "complaints",
                                 ["complaint_id"], ["id"])
        batch.create_foreign_key("fk_callbacks_operator_id_users", "users",
                                 ["operator_id"], ["id"])
        batch.create_foreign_key("fk_callbacks_result_call_id_calls", "calls",
                                 ["result_call_id"], ["id"])
        batch.create_foreign_key("fk_callbacks_reviewed_by_id_users", "users",
                                 ["reviewed_by_id"], ["id"])
        batch.create_index("ix_callbacks_complaint_id", ["complaint_id"])
        batch.create_index("ix_callbacks_customer_id", ["customer_id"])
    # Tasks so far were never moved by a retry: their due time is the first one.
    op.execute("UPDATE callbacks SET first_due_at = due_at")
    op.create_table(
        "callback_attempts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("callback_id", sa.Integer(), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("reached", sa.Boolean(), nullable=False),
        sa.Column("call_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["call_id"], ["calls.id"],
                                name=op.f("fk_callback_attempts_call_id_calls")),
        sa.ForeignKeyConstraint(["callback_id"], ["callbacks.id"],
                                name=op.f("fk_callback_attempts_callback_id_callbacks")),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"],
                                name=op.f("fk_callback_attempts_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_callback_attempts")),
    )
    op.create_index("ix_callback_attempts_callback_id", "callback_attempts", ["callback_id"])


def downgrade() -> None:
    op.drop_table("callback_attempts")
    with op.batch_alter_table("callbacks", recreate="always") as batch:
        batch.drop_index("ix_callbacks_customer_id")
        batch.drop_index("ix_callbacks_complaint_id")
        for name in ("fk_callbacks_reviewed_by_id_users", "fk_callbacks_result_call_id_calls",
                     "fk_callbacks_operator_id_users", "fk_callbacks_complaint_id_complaints"):
            batch.drop_constraint(name, type_="foreignkey")
        for column in ("review_comment", "reviewed_by_id", "reviewed_at", "result_call_id",
                       "comment", "satisfaction", "last_attempt_at", "attempts", "operator_id",
                       "first_due_at", "complaint_id"):
            batch.drop_column(column)
