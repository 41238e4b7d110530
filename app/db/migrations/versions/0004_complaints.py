"""Complaint forms: numbering, deadline rules, the working calendar, the timeline.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22
"""

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from app.db.types import UTCDateTime

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# Working minutes with the default 9-hour day (08:30–17:30): urgent 30 min / 4 h, serious 2 h / 1 day,
# normal 4 h / 3 days. Administrators change them in the deadline rules dialog.
DEFAULT_RULES = [
    ("urgent", 30, 240),
    ("serious", 120, 540),
    ("normal", 240, 1620),
]


def _enum(values: tuple[str, ...], name: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=20)


def upgrade() -> None:
    op.create_table(
        "calendar_days",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("workday", sa.Boolean(), nullable=False),
        sa.Column("note", sa.String(length=60), nullable=False),
        sa.PrimaryKeyConstraint("day", name=op.f("pk_calendar_days")),
    )
    op.create_table(
        "deadline_rules",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("form_kind", sa.String(length=20), nullable=False),
        sa.Column("category", sa.String(length=20), nullable=True),
        sa.Column(
            "severity",
            _enum(
                (
                    "normal",
                    "serious",
                    "urgent",
                ),
                "severity",
            ),
            nullable=False,
        ),
        sa.Column("response_minutes", sa.Integer(), nullable=False),
        sa.Column("resolve_minutes", sa.Integer(), nullable=False),
        sa.Column("around_the_clock", sa.Boolean(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deadline_rules")),
        sa.UniqueConstraint("form_kind", "category", "severity", name="uq_deadline_rules_key"),
    )
    op.create_table(
        "form_sequences",
        sa.Column("key", sa.String(length=20), nullable=False),
        sa.Column("last", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_form_sequences")),
    )
    op.create_table(
        "complaints",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=20), nullable=False),
        sa.Column(
            "source",
            _enum(
                (
                    "phone",
                    "walk_in",
                    "letter",
                    "online",
                ),
                "complaint_source",
            ),
            nullable=False,
        ),
        sa.Column(
            "status",
            _enum(
                (
                    "registered",
                    "dispatched",
                    "in_progress",
                    "awaiting_callback",
                    "reopened",
                    "closed",
                    "cancelled",
                    "archived",
                ),
                "complaint_status",
            ),
            nullable=False,
        ),
        sa.Column("call_id", sa.Integer(), nullable=True),
        sa.Column("customer_id", sa.Integer(), nullable=True),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("phone", sa.String(length=40), nullable=False),
        sa.Column(
            "category",
            _enum(
                (
                    "cleaning",
                    "security",
                    "landscaping",
                    "repairs",
                    "parking",
                    "noise",
                    "fees",
                    "attitude",
                    "renovation",
                    "other",
                ),
                "complaint_category",
            ),
            nullable=False,
        ),
        sa.Column(
            "severity",
            _enum(
                (
                    "normal",
                    "serious",
                    "urgent",
                ),
                "severity",
            ),
            nullable=False,
        ),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("demand", sa.Text(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=True),
        sa.Column("assignee_id", sa.Integer(), nullable=True),
        sa.Column("assignee_name", sa.String(length=40), nullable=False),
        sa.Column("company_at_fault", sa.Boolean(), nullable=True),
        sa.Column("resolution", sa.Text(), nullable=False),
        sa.Column("measures", sa.Text(), nullable=False),
        sa.Column("clock_started_at", UTCDateTime(), nullable=False),
        sa.Column("around_the_clock", sa.Boolean(), nullable=False),
        sa.Column("response_due_at", UTCDateTime(), nullable=True),
        sa.Column("response_soon_at", UTCDateTime(), nullable=True),
        sa.Column("responded_at", UTCDateTime(), nullable=True),
        sa.Column("resolve_due_at", UTCDateTime(), nullable=True),
        sa.Column("resolve_soon_at", UTCDateTime(), nullable=True),
        sa.Column("resolved_at", UTCDateTime(), nullable=True),
        sa.Column("next_due_at", UTCDateTime(), nullable=True),
        sa.Column("next_soon_at", UTCDateTime(), nullable=True),
        sa.Column("dispatched_at", UTCDateTime(), nullable=True),
        sa.Column("dispatched_by_id", sa.Integer(), nullable=True),
        sa.Column("closed_at", UTCDateTime(), nullable=True),
        sa.Column("reopen_count", sa.Integer(), nullable=False),
        sa.Column("slip_printed_at", UTCDateTime(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["assignee_id"], ["users.id"], name=op.f("fk_complaints_assignee_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["call_id"], ["calls.id"], name=op.f("fk_complaints_call_id_calls")
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_complaints_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name=op.f("fk_complaints_customer_id_customers")
        ),
        sa.ForeignKeyConstraint(
            ["department_id"],
            ["departments.id"],
            name=op.f("fk_complaints_department_id_departments"),
        ),
        sa.ForeignKeyConstraint(
            ["dispatched_by_id"], ["users.id"], name=op.f("fk_complaints_dispatched_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_complaints_unit_id_units")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complaints")),
        sa.UniqueConstraint("number", name=op.f("uq_complaints_number")),
    )
    op.create_index("ix_complaints_created_at", "complaints", ["created_at"], unique=False)
    op.create_index("ix_complaints_customer_id", "complaints", ["customer_id"], unique=False)
    op.create_index(
        "ix_complaints_department_status", "complaints", ["department_id", "status"], unique=False
    )
    op.create_index(
        "ix_complaints_status_next_due", "complaints", ["status", "next_due_at"], unique=False
    )
    op.create_index(
        "ix_complaints_unit_category", "complaints", ["unit_id", "category"], unique=False
    )
    op.create_table(
        "complaint_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("complaint_id", sa.Integer(), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("user_name", sa.String(length=40), nullable=False),
        sa.Column("action", sa.String(length=30), nullable=False),
        sa.Column("from_status", sa.String(length=20), nullable=True),
        sa.Column("to_status", sa.String(length=20), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["complaint_id"],
            ["complaints.id"],
            name=op.f("fk_complaint_events_complaint_id_complaints"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_complaint_events_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complaint_events")),
    )
    op.create_index(
        "ix_complaint_events_complaint_id", "complaint_events", ["complaint_id"], unique=False
    )

    rules = sa.table(
        "deadline_rules",
        sa.column("form_kind", sa.String),
        sa.column("category", sa.String),
        sa.column("severity", sa.String),
        sa.column("response_minutes", sa.Integer),
        sa.column("resolve_minutes", sa.Integer),
        sa.column("around_the_clock", sa.Boolean),
        sa.column("updated_at", UTCDateTime()),
    )
    now = datetime.now(UTC)
    op.bulk_insert(
        rules,
        [
            {
                "form_kind": "complaint",
                "category": None,
                "severity": severity,
                "response_minutes": response,
                "resolve_minutes": resolve,
                "around_the_clock": False,
                "updated_at": now,
            }
            for severity, response, resolve in DEFAULT_RULES
        ],
    )


def downgrade() -> None:
    op.drop_table("complaint_events")
    op.drop_table("complaints")
    op.drop_table("form_sequences")
    op.drop_table("deadline_rules")
    op.drop_table("calendar_days")
