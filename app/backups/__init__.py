"""Backups of the embedded SQLite database: taken with SQLite's online backup API while
CallDesk runs, verified after writing, rotated (7 daily, 4 weekly, 12 monthly), copied to a
second location when one is set, and restored only over a safety copy of the current
database. Copies taken before a schema upgrade or a restore are kept apart and never rotated.
On PostgreSQL the backups are the server's (pg_dump)."""
