"""Database: models, the engine factory, migrations and the environment-error translation."""

from app.db.engine import Database, default_sqlite_url

__all__ = ["Database", "default_sqlite_url"]
