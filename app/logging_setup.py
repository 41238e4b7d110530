"""Everything goes to a rotating log file in the user's log folder."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

LOG_FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"


class _FolderMadeOnFirstRecord(logging.handlers.RotatingFileHandler):
    """Opens (and makes the folder of) the log file only when there is something to write,
    so a command that only looks leaves no file behind."""

    def _open(self):  # noqa: ANN202 - as the base class
        Path(self.baseFilename).parent.mkdir(parents=True, exist_ok=True)
        return super()._open()


def configure_logging(log_file: Path, *, console_level: int | None = None) -> None:
    root = logging.getLogger()
    root.setLevel(logging.INFO)
    for handler in list(root.handlers):
        if getattr(handler, "_calldesk", False):
            root.removeHandler(handler)
            handler.close()
    file_handler = _FolderMadeOnFirstRecord(log_file, maxBytes=2_000_000, backupCount=5,
                                            encoding="utf-8", delay=True)
    file_handler.setFormatter(logging.Formatter(LOG_FORMAT))
    file_handler._calldesk = True  # type: ignore[attr-defined]
    root.addHandler(file_handler)
    if console_level is not None:
        console = logging.StreamHandler()
        console.setLevel(console_level)
        console.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
        console._calldesk = True  # type: ignore[attr-defined]
        root.addHandler(console)
    # SQLAlchemy and alembic are chatty at INFO.
    logging.getLogger("alembic").setLevel(logging.WARNING)
    logging.getLogger("sqlalchemy").setLevel(logging.WARNING)
