"""A callback's call says what happened: 已回访 (reached) or 未接通 (not reached), instead of
当场解决, so the daily figures count only what inbound calls did. Past callback calls are
relabelled from their attempt's result.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

OLD = ("solved", "complaint", "dispatched", "other")
NEW = (*OLD, "called_back", "not_reached")


def _enum(values: tuple[str, ...]) -> sa.Enum:
    return sa.Enum(*values, name="call_outcome", native_enum=False, create_constraint=True,
                   length=20)


def _relabel(reached: str, not_reached: str) -> None:
    for value, was_reached in ((reached, True), (not_reached, False)):
        op.execute(sa.text(
            "UPDATE calls SET outcome = :value WHERE id IN (SELECT call_id FROM "
            "callback_attempts WHERE call_id IS NOT NULL AND reached = :reached)")
            .bindparams(value=value, reached=was_reached))


def upgrade() -> None:
    with op.batch_alter_table("calls") as batch:
        batch.alter_column("outcome", existing_type=_enum(OLD), type_=_enum(NEW),
                           existing_nullable=True)
    _relabel("called_back", "not_reached")


def downgrade() -> None:
    _relabel("solved", "solved")
    with op.batch_alter_table("calls") as batch:
        batch.alter_column("outcome", existing_type=_enum(NEW), type_=_enum(OLD),
                           existing_nullable=True)
