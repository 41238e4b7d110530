"""Alembic environment. CallDesk runs migrations itself (``app.db.migrate``) on a connection
it hands over in ``config.attributes["connection"]``; there is no alembic.ini to edit."""

from alembic import context

from app.db.models import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    # SQLite cannot ALTER most things; batch mode copies the table instead.
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
