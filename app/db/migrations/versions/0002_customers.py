"""Customer cards: customers, their phone numbers, units and who lives where.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

from app.db.types import UTCDateTime

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

TYPES = ("owner", "tenant", "family", "merchant", "other")


def _enum(values: tuple[str, ...], name: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=20)


def upgrade() -> None:
    op.create_table(
        "units",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=120), nullable=False),
        sa.Column("estate", sa.String(length=40), nullable=False),
        sa.Column("building", sa.String(length=20), nullable=False),
        sa.Column("unit", sa.String(length=10), nullable=False),
        sa.Column("room", sa.String(length=20), nullable=False),
        sa.Column("label", sa.String(length=120), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_units")),
        sa.UniqueConstraint("key", name=op.f("uq_units_key")),
    )
    op.create_index("ix_units_building_unit_room", "units", ["building", "unit", "room"])
    op.create_table(
        "customers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("name_pinyin", sa.String(length=120), nullable=False),
        sa.Column("name_initials", sa.String(length=40), nullable=False),
        sa.Column("title", _enum(("", "mr", "ms"), "customer_title"), nullable=False),
        sa.Column("customer_type", _enum(TYPES, "customer_type"), nullable=False),
        sa.Column("tier", _enum(("vip", "normal", "blacklist"), "customer_tier"), nullable=False),
        sa.Column("do_not_call", sa.Boolean(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("merged_into_id", sa.Integer(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"],
                                name=op.f("fk_customers_created_by_id_users")),
        sa.ForeignKeyConstraint(["merged_into_id"], ["customers.id"],
                                name=op.f("fk_customers_merged_into_id_customers")),
        sa.ForeignKeyConstraint(["updated_by_id"], ["users.id"],
                                name=op.f("fk_customers_updated_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customers")),
    )
    op.create_index("ix_customers_name", "customers", ["name"])
    op.create_index("ix_customers_name_initials", "customers", ["name_initials"])
    op.create_index("ix_customers_name_pinyin", "customers", ["name_pinyin"])
    op.create_index("ix_customers_updated_at", "customers", ["updated_at"])
    op.create_table(
        "customer_phones",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("normalized", sa.String(length=40), nullable=False),
        sa.Column("digits", sa.String(length=24), nullable=False),
        sa.Column("display", sa.String(length=40), nullable=False),
        sa.Column("label", sa.String(length=20), nullable=False),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["customer_id"], ["customers.id"], ondelete="CASCADE",
                                name=op.f("fk_customer_phones_customer_id_customers")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customer_phones")),
        sa.UniqueConstraint("customer_id", "normalized", name="uq_customer_phones_number"),
    )
    op.create_index("ix_customer_phones_digits", "customer_phones", ["digits"])
    op.create_index("ix_customer_phones_normalized", "customer_phones", ["normalized"])
    op.create_table(
        "phone_grams",
        sa.Column("gram", sa.String(length=4), nullable=False),
        sa.Column("phone_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["phone_id"], ["customer_phones.id"], ondelete="CASCADE",
                                name=op.f("fk_phone_grams_phone_id_customer_phones")),
        sa.PrimaryKeyConstraint("gram", "phone_id", name=op.f("pk_phone_grams")),
    )
    op.create_index(op.f("ix_phone_grams_phone_id"), "phone_grams", ["phone_id"])
    op.create_table(
        "customer_units",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("role", _enum(TYPES, "unit_role"), nullable=False),
        sa.ForeignKeyConstraint(["customer_id"], ["customers.id"], ondelete="CASCADE",
                                name=op.f("fk_customer_units_customer_id_customers")),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"],
                                name=op.f("fk_customer_units_unit_id_units")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customer_units")),
        sa.UniqueConstraint("customer_id", "unit_id", name="uq_customer_units_pair"),
    )
    op.create_index("ix_customer_units_unit_id", "customer_units", ["unit_id"])


def downgrade() -> None:
    op.drop_table("customer_units")
    op.drop_table("phone_grams")
    op.drop_table("customer_phones")
    op.drop_table("customers")
    op.drop_table("units")
