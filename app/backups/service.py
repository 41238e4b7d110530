"""Taking the regular backups: when they are due, where they go, which are kept."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from app import clock
from app.backups import copies, rotation
from app.backups.copies import Backup
from app.backups.restore import Restored, restore
from app.db import Database
from app.domain.roles import Actor, Permission, require
from app.errors import CallDeskError
from app.i18n import translate

log = logging.getLogger(__name__)

# A desk that never quits is backed up this often (and at the first start of each day, and
# on quit).
EVERY = timedelta(hours=4)

START, QUIT, PERIODIC, MANUAL, COMMAND_LINE = "start", "quit", "periodic", "manual", "command line"


def is_due(last: datetime | None, now: datetime, every: timedelta = EVERY) -> bool:
    """A backup is due when there is none yet today (local time) or the last is ``every`` old."""
    if last is None:
        return True
    return last.astimezone(now.tzinfo).date() != now.date() or now - last >= every


@dataclass(frozen=True)
class Taken:
    backup: Backup
    removed: list[Path] = field(default_factory=list)  # rotated away
    copied_to: Path | None = None
    copy_problem: str | None = None  # the second location could not be written


class BackupService:
    """Regular backups of an embedded database, in ``folder`` and, when set, copied to
    ``second_location``."""

    def __init__(self, db: Database, folder: Path, second_location: Path | None = None,
                 policy: rotation.Policy = rotation.DEFAULT) -> None:
        self.db = db
        self.folder = folder
        self.second_location = second_location
        self.policy = policy

    @property
    def database_file(self) -> Path:
        if self.db.sqlite_file is None:
            raise CallDeskError(translate(
                "Backups", "This database is on a server; its backups are the server's "
                           "(pg_dump), not CallDesk's."))
        return self.db.sqlite_file

    def list(self) -> list[Backup]:
        """Every backup in the backups folder, newest first."""
        return copies.in_folder(self.folder)

    def last_regular(self) -> Backup | None:
        return next((backup for backup in self.list() if backup.regular), None)

    def take(self, reason: str = MANUAL) -> Taken:
        now = clock.utcnow().astimezone()
        path, _verified = copies.take(self.database_file, self.folder, now, reason)
        backup = copies.read(path)
        assert backup is not None
        removed = rotate(self.folder, now, self.policy)
        copied_to, problem = None, None
        if self.second_location is not None:
            try:
                copied_to = copies.copy_to(path, self.second_location)
                rotate(self.second_location, now, self.policy)
            except OSError as error:
                log.warning("could not copy the backup to %s: %s", self.second_location, error)
                problem = translate(
                    "Backups", "The backup could not be copied to the second location {folder} "
                               "({error}). Check that the drive or share is there; the backup "
                               "in the backups folder is fine.").format(
                    folder=self.second_location, error=error.strerror or error)
        return Taken(backup=backup, removed=removed, copied_to=copied_to, copy_problem=problem)

    def restore(self, actor: Actor, backup: Path) -> Restored:
        """Puts ``backup`` in place of the database, over a safety copy (administrators)."""
        require(actor, Permission.MANAGE_BACKUPS)
        return restore(backup, self.database_file, self.folder)

    def take_if_due(self, reason: str, every: timedelta = EVERY) -> Taken | None:
        last = self.last_regular()
        if not is_due(last.taken_at if last else None, clock.utcnow().astimezone(), every):
            return None
        return self.take(reason)


def rotate(folder: Path, now: datetime, policy: rotation.Policy = rotation.DEFAULT) -> list[Path]:
    """Deletes the regular backups in ``folder`` the policy does not keep; those kept apart
    (before an upgrade or a restore) are never touched."""
    regular = [backup for backup in copies.in_folder(folder) if backup.regular]
    keep = rotation.to_keep((backup.taken_at for backup in regular), now, policy)
    removed = [backup.path for backup in regular if backup.taken_at not in keep]
    for path in removed:
        copies.remove(path)
    if removed:
        log.info("rotated away %d backup(s) in %s", len(removed), folder)
    return removed
