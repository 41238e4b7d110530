"""Name search by index: every 1- and 2-character run of each name, and units by estate.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

from app.db.models import name_grams

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

BATCH = 5_000  # customers per round of inserts: 100,000 cards are ~500,000 grams


def upgrade() -> None:
    grams = op.create_table(
        "customer_name_grams",
        sa.Column("gram", sa.String(length=2), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["customer_id"], ["customers.id"], ondelete="CASCADE",
                                name=op.f("fk_customer_name_grams_customer_id_customers")),
        sa.PrimaryKeyConstraint("gram", "customer_id", name=op.f("pk_customer_name_grams")),
    )
    op.create_index(op.f("ix_customer_name_grams_customer_id"), "customer_name_grams",
                    ["customer_id"])
    op.create_index("ix_units_estate", "units", ["estate"])
    # Every card, merged ones too: a merged card is filtered out by search, not by its grams.
    customers = sa.table("customers", sa.column("id", sa.Integer), sa.column("name", sa.String))
    connection = op.get_bind()
    last_id = 0
    while True:
        cards = connection.execute(
            sa.select(customers.c.id, customers.c.name).where(customers.c.id > last_id)
            .order_by(customers.c.id).limit(BATCH)).all()
        if not cards:
            break
        rows = [{"gram": gram, "customer_id": card_id}
                for card_id, name in cards for gram in name_grams(name)]
        if rows:
            connection.execute(grams.insert(), rows)
        last_id = cards[-1][0]


def downgrade() -> None:
    op.drop_index("ix_units_estate", table_name="units")
    op.drop_table("customer_name_grams")
