"""Cold start (issue 8): signing in and showing the main window loads only what the first
screen needs. The modules below were made lazy on purpose; importing one of them at start
again costs every desk a noticeable part of a second."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from app.db import Database, migrate
from app.services import Services

ROOT = Path(__file__).resolve().parent.parent

LAZY = (
    "alembic",  # only when a migration runs (app.db.migrate)
    "mako",  # Alembic's templates
    "sqlalchemy.dialects.postgresql",  # only on PostgreSQL (app.services.numbering)
    "PySide6.QtCharts",  # when the reports tab is first shown
    "app.reports.monthly",  # likewise
    "phonenumbers",  # with the first number parsed (app.domain.phones)
    "chinese_calendar",  # with the first deadline computed (app.domain.working_time)
    "holidays",  # likewise, for a year chinese_calendar does not know
)

# The start as ui.application makes it, after the sign-in dialog: the database opened (and
# found current), the user signed in, the main window shown with the customers' first page.
CHILD = """
import json, os, sys
from pathlib import Path
from PySide6.QtCore import QTimer
from app.bootstrap import open_database
from app.db import default_sqlite_url
from app.paths import resolve_paths
from app.services import Services
from app.settings import LocalSettings
from ui.application import create_application
from ui.context import UiContext
from ui.main_window import MainWindow

paths = resolve_paths().ensure()
app = create_application()
opened = open_database(default_sqlite_url(Path(sys.argv[1])), paths)
services = Services.open(opened.db)
actor = services.users.authenticate("admin", sys.argv[2])
window = MainWindow(UiContext(paths, LocalSettings(paths.settings_file), services), actor)
window.show()

def done():
    print(json.dumps({"rows": window.customers.model.rowCount(),
                      "loaded": sorted(m for m in json.loads(sys.argv[3]) if m in sys.modules)}))
    sys.stdout.flush()
    os._exit(0)

window.customers.model.loaded.connect(lambda _total: QTimer.singleShot(0, done))
QTimer.singleShot(30_000, lambda: os._exit(3))
app.exec()
"""


def test_the_main_window_opens_without_the_lazy_modules(sqlite_db: Database,
                                                        tmp_path: Path) -> None:
    services = Services.open(sqlite_db)
    services.users.complete_setup("阳光花园物业服务中心", "admin", "李主任", "admin-pass-1")
    assert migrate.schema_state(sqlite_db).status == migrate.CURRENT
    assert sqlite_db.sqlite_file is not None
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(sqlite_db.sqlite_file), "admin-pass-1",
         json.dumps(LAZY)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["loaded"] == [], f"imported at start again: {result['loaded']}"


def test_the_schema_check_reads_the_same_revisions_as_alembic() -> None:
    # The start reads the migration files' revision ids itself, without importing Alembic.
    assert migrate.revisions() == migrate._from_alembic()
