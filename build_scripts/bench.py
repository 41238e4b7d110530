"""Benchmark at realistic scale, each figure against a baseline measured in the same run.

    python run.py bench [--size S|M|L] [--json FILE] [--repeat N] [--process-repeat N]
                        [--only 1,2,3,4,5,5c,6,7,8] [--seed N] [--regenerate] [--frozen]

The size's database (S = 2,000 customers and 3 months, M = 20,000 and 12, L = 100,000 and
36, about a million calls) is generated once by ``app.demo_bulk`` into ``.bench/`` (keyed by
size, seed, schema and generator version) and reused: cards, calls, complaint forms through
their life and callbacks, dated up to BASE_TIME, as the services would have written them.

Scenarios (numbered as in issue 8):

1. caller lookup: ``CustomerService.lookup_phone`` vs one raw sqlite3 indexed SELECT;
2. card-file search: ``CustomerService.search`` vs a naive ``LIKE '%…%'`` scan, per key;
3. the monthly callback workbook (the last full month) vs ``pandas.DataFrame.to_excel`` of
   the same detail rows, and vs raw openpyxl write-only of them;
4. cold start vs a bare PySide6 window with five tabs (processes): to the main window with
   its first page (4a, 4b), and to the sign-in window of the real program (4c from source,
   4d frozen, each against the bare window started the same way: bare_window.py, frozen by
   bare_window.spec);
5. the customer list (5) and the call list over the last month (5c): first page and
   scrolling to the end with the app's paged models vs a ``QTableWidget`` filled with every
   row (processes);
6. logging a call end to end (service save + the list's refresh) vs raw sqlite3;
7. peak memory of the app with the database open, after visiting each tab (processes);
8. the softphone hook (issue 19): ``python -m app incoming-call NUMBER`` (8a; the frozen
   executable, 8b) to the pop-up with the caller's cards painted in a signed-in window that
   listens like the real app, vs a minimal stdlib client writing the same line to the same
   socket (``--repeat`` numbers, one process for the window).

The frozen figures (4d, 8b) are measured when dist/CallDesk exists; ``--frozen`` builds it
(and the frozen bare window, into ``.bench/frozen``) first when missing; both need
PyInstaller (``python run.py build`` installs it).

In-process scenarios run ``--repeat`` times (default 20) after a warm-up; process scenarios
``--process-repeat`` times (default 5, or ``--repeat`` when only that is given) after a
warm-up run. The parent imports no Qt widgets; every Qt scenario runs in a child process
(this file with ``_child MODE``) on the offscreen platform. Nothing here is asserted:
``tests/test_bench.py`` checks only that the data and the baselines are right.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


# -- the child processes: nothing of CallDesk imported before the app would import it ---------
RESULT_MARK = "BENCH-RESULT "
ADMIN_LOGIN = "admin"
ADMIN_PASSWORD = "demo1234"  # app.demo.DEMO_PASSWORD, imported late (see below)
# "Now" of the generated data: the same seed gives the same rows. A Monday afternoon in
# Shanghai; October 2026, with its National Day week, is the last full month.
BASE_TIME = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)
CALL_LIST_DAYS = 31  # scenario 5: the call list widened to the last month
_PHONES_TEXT = ("(SELECT group_concat(display, '、') FROM (SELECT display FROM customer_phones "
                "WHERE customer_id = c.id ORDER BY sort_order))")
_UNITS_TEXT = ("(SELECT group_concat(label, '、') FROM (SELECT u.label FROM customer_units cu "
               "JOIN units u ON u.id = cu.unit_id WHERE cu.customer_id = c.id ORDER BY cu.id))")
# A card as a list row: what CustomerService.search returns, in plain SQL.
ROW_COLUMNS = (f"c.id, c.name, c.title, c.customer_type, c.tier, c.do_not_call, "
               f"{_PHONES_TEXT}, {_UNITS_TEXT}, c.updated_at")
# The stored values as the list shows them (zh_CN), without importing the app's enums.
LABELS = {"": "", "mr": "先生", "ms": "女士", "owner": "业主", "tenant": "租户",
          "family": "家属", "merchant": "商户", "other": "其他", "vip": "VIP/重点",
          "normal": "一般", "blacklist": "黑名单"}

def _peak_rss_mb() -> float:
    """The process's peak resident set. Linux: VmHWM, because getrusage's ru_maxrss keeps
    the parent's peak across fork and exec, so a child would report the bench's own peak."""
    if sys.platform == "win32":
        return _windows_memory()[1]
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 2**10
    except OSError:
        pass
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 2**10


def _rss_mb() -> float:
    if sys.platform == "win32":
        return _windows_memory()[0]
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:
        return float("nan")


def _windows_memory() -> tuple[float, float]:
    import ctypes
    from ctypes import wintypes

    class Counters(ctypes.Structure):
        _fields_ = [("cb", wintypes.DWORD), ("PageFaultCount", wintypes.DWORD),
                    ("PeakWorkingSetSize", ctypes.c_size_t), ("WorkingSetSize", ctypes.c_size_t),
                    ("QuotaPeakPagedPoolUsage", ctypes.c_size_t),
                    ("QuotaPagedPoolUsage", ctypes.c_size_t),
                    ("QuotaPeakNonPagedPoolUsage", ctypes.c_size_t),
                    ("QuotaNonPagedPoolUsage", ctypes.c_size_t),
                    ("PagefileUsage", ctypes.c_size_t), ("PeakPagefileUsage", ctypes.c_size_t)]

    counters = Counters()
    counters.cb = ctypes.sizeof(counters)
    process = ctypes.windll.kernel32.GetCurrentProcess()  # type: ignore[attr-defined]
    ctypes.windll.psapi.GetProcessMemoryInfo(  # type: ignore[attr-defined]
        process, ctypes.byref(counters), counters.cb)
    return counters.WorkingSetSize / 2**20, counters.PeakWorkingSetSize / 2**20


def _since_start_ms() -> float:
    return (time.time_ns() - int(os.environ["BENCH_T0_NS"])) / 1e6


def _report(result: dict[str, Any]) -> None:
    result.setdefault("peak_rss_mb", _peak_rss_mb())
    result.setdefault("rss_mb", _rss_mb())
    sys.stdout.write(RESULT_MARK + json.dumps(result) + "\n")
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)  # the figures are out; Qt's and Python's teardown are not what we measure


def _ms(start_ns: int) -> float:
    return (time.perf_counter_ns() - start_ns) / 1e6


def _child_bare(home: Path) -> None:
    import bare_window  # beside this file: the same window frozen is 4d's baseline

    bare_window.run(_report)


def _child_table_widget(home: Path, db_path: Path) -> None:
    from PySide6.QtWidgets import QApplication, QTableWidget, QTableWidgetItem

    app = QApplication([sys.argv[0]])
    table = QTableWidget(0, 7)
    table.setHorizontalHeaderLabels(["Name", "Title", "Type", "Tier", "Phones", "Units",
                                     "Updated"])
    table.resize(1200, 760)
    table.show()
    app.processEvents()
    rss_before = _rss_mb()
    started = time.perf_counter_ns()
    connection = sqlite3.connect(db_path)
    rows = connection.execute(
        f"SELECT {ROW_COLUMNS} FROM customers c WHERE c.merged_into_id IS NULL "
        "ORDER BY c.updated_at DESC, c.id DESC").fetchall()
    table.setRowCount(len(rows))
    for number, (_id, name, title, kind, tier, _dnc, phones, units, updated) in enumerate(rows):
        for column, text in enumerate((name, LABELS.get(title, ""), LABELS.get(kind, ""),
                                       LABELS.get(tier, ""), phones or "", units or "",
                                       str(updated)[:16])):
            table.setItem(number, column, QTableWidgetItem(text))
    app.processEvents()
    _report({"fill_ms": _ms(started), "rows": len(rows), "rss_before_mb": rss_before})


def _child_app(mode: str, home: Path, db_path: Path) -> None:
    """The app as ``ui.application`` starts it, signing the generated admin in at once.
    Imported in the real entry's order: ``app.cli`` loads the app's own modules (and
    SQLAlchemy) before ``ui.application`` loads Qt."""
    marks: dict[str, float] = {}
    from app.bootstrap import open_database  # noqa: I001 (the app's order, not isort's)
    from app.db import default_sqlite_url
    from app.logging_setup import configure_logging
    from app.paths import resolve_paths
    from app.services import Services
    from app.settings import LANGUAGE, LocalSettings
    from ui import translations
    from ui.application import create_application
    from ui.context import UiContext
    from ui.main_window import MainWindow

    from PySide6.QtCore import QTimer

    marks["imports"] = _since_start_ms()
    paths = resolve_paths(home).ensure()
    configure_logging(paths.log_file)
    local = LocalSettings(paths.settings_file)
    app = create_application()
    translations.install(app, local.get(LANGUAGE))
    app.setQuitOnLastWindowClosed(False)
    marks["qt_app"] = _since_start_ms()
    opened = open_database(default_sqlite_url(db_path), paths)
    services = Services.open(opened.db)
    marks["db_open"] = _since_start_ms()
    actor = services.users.authenticate(ADMIN_LOGIN, ADMIN_PASSWORD)
    marks["signed_in"] = _since_start_ms()
    window = MainWindow(UiContext(paths, local, services), actor)
    window.show()
    marks["window_built"] = _since_start_ms()
    if mode == "popup":
        _popup_runs(app, window, paths)
        return
    result: dict[str, Any] = {}

    def shown() -> None:
        marks["shown"] = _since_start_ms()
        result.update(shown_ms=marks["shown"], marks=marks,
                      rows=window.customers.model.rowCount(),
                      total=window.customers.model.total)
        if mode == "app-start":
            _report(result)
        QTimer.singleShot(300, on_customers_tab)  # memory: settle on the home tab first

    tabs = ["home", "calls", "complaints", "callbacks", "customers", "reports"]
    per_tab: dict[str, dict[str, float]] = {}

    def on_customers_tab() -> None:
        visit(0)

    def visit(index: int) -> None:
        from ui import operations

        if operations.pending():  # the tab is still loading: measure once it has
            QTimer.singleShot(50, lambda: visit(index))
            return
        if index:
            per_tab[tabs[index - 1]] = {"peak_rss_mb": _peak_rss_mb(), "rss_mb": _rss_mb()}
        if index == len(tabs):
            result["tabs"] = per_tab
            result["home_peak_rss_mb"] = per_tab["home"]["peak_rss_mb"]
            _report(result)
            return
        window.tabs.setCurrentWidget(getattr(window, tabs[index]))
        QTimer.singleShot(400, lambda: visit(index + 1))  # painted, its first load started

    window.customers.model.loaded.connect(lambda _total: QTimer.singleShot(0, shown))
    app.exec()


# The baseline of scenario 8: the least a program can do to hand a number over, with the
# standard library alone — connect to the app's local socket (a Unix socket, a named pipe on
# Windows: QLocalServer's full name), write the hook's one JSON line, close.
MINIMAL_CLIENT = """import sys
data = sys.argv[2].encode("utf-8") + b"\\n"
if sys.platform == "win32":
    with open(sys.argv[1], "wb", buffering=0) as pipe:
        pipe.write(data)
else:
    import socket
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.connect(sys.argv[1])
        s.sendall(data)
"""
POPUP_PLAN_ENV = "BENCH_POPUP_PLAN"
POPUP_TIMEOUT_MS = 30_000


def _popup_runs(app: Any, window: Any, paths: Any) -> None:
    """Scenario 8 in the signed-in window: it listens like the real app; each round starts
    the hook (and the baselines) as a softphone would and times spawn → the pop-up with the
    expected card shown and its heading painted."""
    import threading

    from PySide6.QtCore import QEvent, QEventLoop, QObject, QTimer

    from ui import operations
    from ui.caller_popup import CallerPopup
    from ui.single_instance import InstanceServer

    plan = json.loads(Path(os.environ[POPUP_PLAN_ENV]).read_text())
    server = InstanceServer(paths)
    if not server.listen():
        raise RuntimeError(f"cannot listen on {server.name}")
    server.incoming_call.connect(window.show_incoming)  # what AppController.incoming_call does
    address = server.server.fullServerName()

    def command(kind: str, phone: str) -> list[str]:
        if kind == "minimal":
            message = json.dumps({"incoming_call": phone, "missed": False}, ensure_ascii=False)
            return [sys.executable, "-c", MINIMAL_CLIENT, address, message]
        program = [plan["frozen"]] if kind == "frozen" else [sys.executable, "-m", "app"]
        return [*program, "incoming-call", phone, "--data-dir", str(paths.data_dir)]

    class Watch(QObject):
        """The pop-up's Show and its heading's first Paint, as they reach the widgets."""

        def __init__(self) -> None:
            super().__init__()
            self.loop: QEventLoop | None = None
            self.shown_ns = self.painted_ns = 0
            self.popup: Any = None

        def eventFilter(self, watched: Any, event: Any) -> bool:  # noqa: N802 (Qt's name)
            kind = event.type()
            if self.loop is None or kind not in (QEvent.Type.Show, QEvent.Type.Paint):
                return False
            if kind == QEvent.Type.Show and isinstance(watched, CallerPopup):
                self.shown_ns, self.popup = time.perf_counter_ns(), watched
            elif kind == QEvent.Type.Paint and self.popup is not None \
                    and watched is self.popup.heading:
                self.painted_ns = time.perf_counter_ns()
                self.loop.quit()
            return False

    watch = Watch()
    app.installEventFilter(watch)

    def settle(ms: int) -> None:
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()
        while operations.pending():
            QTimer.singleShot(20, loop.quit)
            loop.exec()

    def one(kind: str, phone: str, cards: list[int]) -> dict[str, Any]:
        watch.shown_ns = watch.painted_ns = 0
        watch.popup = None
        watch.loop = loop = QEventLoop()
        timeout = QTimer()
        timeout.setSingleShot(True)
        timeout.timeout.connect(loop.quit)
        timeout.start(POPUP_TIMEOUT_MS)
        exited: list[int] = []
        started = time.perf_counter_ns()
        process = subprocess.Popen(command(kind, phone), cwd=ROOT, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.PIPE)
        waiter = threading.Thread(
            target=lambda: (process.wait(), exited.append(time.perf_counter_ns())))
        waiter.start()
        loop.exec()
        watch.loop = None
        timeout.stop()
        if not watch.painted_ns:
            process.kill()
            waiter.join(10)
            said = process.stderr.read().decode(errors="replace") if process.stderr else ""
            raise RuntimeError(f"{kind}: no pop-up for {phone} within {POPUP_TIMEOUT_MS} ms "
                               f"(exit {process.returncode}): {said[-2000:]}")
        waiter.join(60)
        error = process.stderr.read().decode(errors="replace") if process.stderr else ""
        if process.returncode != 0:
            raise RuntimeError(f"{kind} exited {process.returncode}: {error[-2000:]}")
        shown_cards = [card.id for card in watch.popup.view.cards]
        outcome = {"kind": kind, "phone": phone, "painted_ms": (watch.painted_ns - started) / 1e6,
                   "shown_ms": (watch.shown_ns - started) / 1e6,
                   "exited_ms": (exited[0] - started) / 1e6 if exited else None,
                   "right_card": shown_cards == cards}
        watch.popup.close()
        settle(150)
        return outcome

    settle(500)  # the first page and the home tab's board are in
    runs = []
    kinds = ["hook", "minimal"] + (["frozen"] if plan["frozen"] else [])
    for index, (phone, cards) in enumerate(plan["numbers"]):
        turn = index % len(kinds)  # who goes first rotates: the lookup's cache is shared
        for kind in kinds[turn:] + kinds[:turn]:
            runs.append({**one(kind, phone, cards), "warm_up": index == 0})
    server.close()
    _report({"runs": runs, "rows": window.customers.model.rowCount()})


def _wait(app: Any, done: Callable[[], bool], signals: list[Any]) -> None:
    """Runs the event loop until ``done()``: woken by ``signals``, checked every 5 ms too."""
    from PySide6.QtCore import QEventLoop, QTimer

    if done():
        return
    loop = QEventLoop()

    def check(*_args: Any) -> None:
        if done():
            loop.quit()

    for signal in signals:
        signal.connect(check)
    timer = QTimer()
    timer.timeout.connect(check)
    timer.start(5)
    loop.exec()
    timer.stop()
    for signal in signals:
        signal.disconnect(check)


def _call_days() -> tuple[Any, Any, datetime, datetime]:
    """Scenario 5's dates: the last month up to the data's "now", as local dates and the
    UTC instants that bound them (how CallService reads a date filter)."""
    last = BASE_TIME.astimezone().date()
    first = last - timedelta(days=CALL_LIST_DAYS - 1)
    start = datetime.combine(first, datetime.min.time()).astimezone().astimezone(UTC)
    end = datetime.combine(last + timedelta(days=1), datetime.min.time()).astimezone() \
        .astimezone(UTC)
    return first, last, start, end


def _child_list_model(home: Path, db_path: Path, kind: str = "customers") -> None:
    from PySide6.QtWidgets import QApplication, QTableView

    from app.db import Database, default_sqlite_url

    app = QApplication([sys.argv[0]])
    db = Database(default_sqlite_url(db_path))
    view = QTableView()
    view.resize(1200, 760)
    view.show()
    app.processEvents()
    rss_before = _rss_mb()
    started = time.perf_counter_ns()
    model: Any
    if kind == "calls":
        from app.services.calls import CallFilter, CallService
        from ui.call_model import CallTableModel

        first, last, _start, _end = _call_days()
        model = CallTableModel(CallService(db).list)
        query: Any = CallFilter(start=first, end=last)
    else:
        from app.services.customers import CustomerService
        from ui.customer_model import CustomerTableModel

        model = CustomerTableModel(CustomerService(db).search)
        query = ""
    view.setModel(model)
    model.search(query)
    _wait(app, lambda: not model.is_loading() and model.rowCount() > 0, [model.loaded])
    app.processEvents()
    first_page = _ms(started)
    first_page_rss = _peak_rss_mb()
    pages = 1
    while model.canFetchMore() or model.is_loading():
        view.scrollToBottom()  # the view asks for the next page, as when the user scrolls
        if model.canFetchMore():
            model.fetchMore()
        _wait(app, lambda: not model.is_loading(), [model.rowsInserted])
        pages += 1
    view.scrollToBottom()
    app.processEvents()
    to_end = _ms(started)
    _report({"first_page_ms": first_page, "to_end_ms": to_end, "pages": pages,
             "per_page_ms": (to_end - first_page) / max(1, pages - 1),
             "rows": model.rowCount(), "rss_before_mb": rss_before,
             "first_page_rss_mb": first_page_rss})


def raw_month_calls(connection: sqlite3.Connection) -> list[tuple[Any, ...]]:
    """Scenario 5c's calls with sqlite3: id and the call list's ten columns, newest first."""
    _first, _last, start, end = _call_days()
    return connection.execute(
        "SELECT k.id, k.received_at, k.direction, k.phone_raw, c.name, u.label, k.call_type, "
        "k.summary, k.outcome, k.duration_seconds, o.display_name FROM calls k "
        "LEFT JOIN customers c ON c.id = k.customer_id LEFT JOIN units u ON u.id = k.unit_id "
        "LEFT JOIN users o ON o.id = k.operator_id "
        "WHERE k.received_at >= ? AND k.received_at < ? ORDER BY k.received_at DESC, k.id DESC",
        (start.strftime("%Y-%m-%d %H:%M:%S"), end.strftime("%Y-%m-%d %H:%M:%S"))).fetchall()


def _child_call_widget(home: Path, db_path: Path) -> None:
    """The baseline of scenario 5 for calls: every call of the month read with sqlite3 and
    put into a QTableWidget, the same ten columns as the call list."""
    from PySide6.QtWidgets import QApplication, QTableWidget, QTableWidgetItem

    app = QApplication([sys.argv[0]])
    table = QTableWidget(0, 10)
    table.resize(1200, 760)
    table.show()
    app.processEvents()
    rss_before = _rss_mb()
    started = time.perf_counter_ns()
    rows = raw_month_calls(sqlite3.connect(db_path))
    table.setRowCount(len(rows))
    for number, (_id, *row) in enumerate(rows):
        for column, value in enumerate(row):
            table.setItem(number, column, QTableWidgetItem("" if value is None else str(value)))
    app.processEvents()
    _report({"fill_ms": _ms(started), "rows": len(rows), "rss_before_mb": rss_before})


CHILDREN: dict[str, Callable[..., None]] = {
    "app-start": lambda home, db: _child_app("app-start", home, db),
    "app-memory": lambda home, db: _child_app("app-memory", home, db),
    "popup": lambda home, db: _child_app("popup", home, db),
    "bare-window": _child_bare, "list-model": _child_list_model,
    "table-widget": _child_table_widget,
    "call-model": lambda home, db: _child_list_model(home, db, "calls"),
    "call-widget": _child_call_widget,
}


def child_main(argv: list[str]) -> int:
    """``_child MODE HOME [DATABASE]``: one measurement, printed as a RESULT_MARK line."""
    if not argv or argv[0] not in CHILDREN:
        print(f"bench: unknown child mode {argv[:1]}", file=sys.stderr)
        return 2
    CHILDREN[argv[0]](*map(Path, argv[1:]))
    print(f"bench: child {argv[0]} ended without a result", file=sys.stderr)
    return 1


# Children start here, before the imports below: they load only what the app (or, for the
# baselines, plain PySide6 and sqlite3) loads, so their time and memory are the app's own.
if __name__ == "__main__" and sys.argv[1:2] == ["_child"]:
    sys.exit(child_main(sys.argv[2:]))


from app import demo_bulk  # noqa: E402
from app.db import Database, default_sqlite_url, migrate  # noqa: E402
from app.db.models import GRAM  # noqa: E402
from app.demo import DEMO_PASSWORD  # noqa: E402
from app.domain.customers import looks_like_pinyin  # noqa: E402
from app.domain.phones import search_digits  # noqa: E402
from app.domain.units import UnitAddress, unit_search_key  # noqa: E402

assert ADMIN_PASSWORD == DEMO_PASSWORD
SIZES = demo_bulk.SIZES  # customers, months
DEFAULT_SEED = 20261122
GENERATOR_VERSION = 4  # bump when the generated data changes, so caches are rebuilt
CACHE_DIR = ROOT / ".bench"
PAGE = 100  # CustomerService.search's page, as the customers tab asks for it


# -- generating the data ----------------------------------------------------------------------
@dataclass
class Generated(demo_bulk.BulkSummary):
    path: str = ""


def generate(path: Path, customers: int, months: int = 0, seed: int = DEFAULT_SEED,
             progress: Callable[[str], None] | None = None) -> Generated:
    """A new database at ``path`` filled by ``app.demo_bulk`` up to BASE_TIME; the
    administrator signs in as ``admin`` / ADMIN_PASSWORD."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    db = Database(default_sqlite_url(path))
    try:
        migrate.upgrade(db)
        summary = demo_bulk.fill(db, seed=seed, customers=customers, months=months,
                                 now=BASE_TIME, progress=progress)
    finally:
        db.dispose()
    return Generated(**asdict(summary), path=str(path))


def cached_database(size: str, seed: int, cache_dir: Path = CACHE_DIR, *,
                    regenerate: bool = False,
                    progress: Callable[[str], None] = print) -> tuple[Path, Generated, bool]:
    """The size's database, generated on first use. Returns (path, info, was cached)."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    ignore = cache_dir / ".gitignore"
    if not ignore.exists():
        ignore.write_text("# generated benchmark databases; never committed\n*\n")
    customers, months = SIZES[size]
    stem = (f"calldesk-{size}-{customers}x{months}-seed{seed}-schema"
            f"{migrate.head_revision()}-gen{GENERATOR_VERSION}")
    path, meta = cache_dir / f"{stem}.db", cache_dir / f"{stem}.json"
    if path.exists() and meta.exists() and not regenerate:
        return path, Generated(**json.loads(meta.read_text())), True
    progress(f"Generating the {size} database ({customers:,} customers, {months} months) "
             f"into {path} …")
    partial = cache_dir / f"{stem}.partial.db"
    info = generate(partial, customers, months, seed, progress)
    for suffix in ("-wal", "-shm"):
        Path(f"{partial}{suffix}").unlink(missing_ok=True)
    os.replace(partial, path)
    info.path = str(path)
    meta.write_text(json.dumps(asdict(info), ensure_ascii=False, indent=1))
    progress(f"  done in {info.seconds:.1f} s: {info.customers:,} customers, "
             f"{info.calls:,} calls, {info.complaints:,} complaints, "
             f"{info.callbacks:,} callbacks")
    return path, info, False


# -- the baselines: plain sqlite3, no SQLAlchemy ----------------------------------------------

def raw_connection(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(path)


def raw_lookup(connection: sqlite3.Connection, normalized: str) -> list[tuple[Any, ...]]:
    """The cards with this (already normalised) number: one indexed SELECT on
    customer_phones.normalized joined to customers, with the card's numbers and units."""
    return connection.execute(
        f"SELECT {ROW_COLUMNS}, c.notes FROM customer_phones p "
        "JOIN customers c ON c.id = p.customer_id "
        "WHERE p.normalized = ? AND c.merged_into_id IS NULL ORDER BY c.id",
        (normalized,)).fetchall()


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def naive_condition(query: str) -> tuple[str, list[str]]:
    """The same reading of the search box as the service (unit, digits, pinyin, name),
    answered with LIKE scans: no gram table, no index ranges."""
    text = query.strip()
    if not text:
        return "1", []
    unit_key = unit_search_key(text)
    if unit_key is not None:
        building, unit, room = unit_key
        label = UnitAddress("", building, unit, room).label()  # 12栋3单元801
        # spaces around it, so 2栋3单元801 does not match 12栋3单元801 or 2栋3单元8011
        return ("c.id IN (SELECT cu.customer_id FROM customer_units cu JOIN units u "
                "ON u.id = cu.unit_id WHERE ' ' || u.label || ' ' LIKE ? ESCAPE '\\')",
                [f"% {_like(label)} %"])
    digits = search_digits(text)
    if digits and len(digits) >= GRAM and digits == "".join(text.split()).replace("-", ""):
        return ("c.id IN (SELECT customer_id FROM customer_phones "
                "WHERE digits LIKE ? ESCAPE '\\')", [f"%{_like(digits)}%"])
    if looks_like_pinyin(text):
        key = _like(text.replace(" ", "").lower())
        return ("(c.name_initials LIKE ? ESCAPE '\\' OR c.name_pinyin LIKE ? ESCAPE '\\')",
                [f"{key}%", f"{key}%"])
    return "c.name LIKE ? ESCAPE '\\'", [f"%{_like(text)}%"]


def naive_search(connection: sqlite3.Connection, query: str, offset: int = 0,
                 limit: int = PAGE) -> tuple[int, list[tuple[Any, ...]]]:
    """(count, page) the way a first version would: LIKE '%…%' over the same tables."""
    condition, args = naive_condition(query)
    where = f"c.merged_into_id IS NULL AND {condition}"
    total = connection.execute(f"SELECT count(*) FROM customers c WHERE {where}",
                               args).fetchone()[0]
    order = "length(c.name), c.name_pinyin, c.id" if query.strip() \
        else "c.updated_at DESC, c.id DESC"
    rows = connection.execute(
        f"SELECT {ROW_COLUMNS} FROM customers c WHERE {where} ORDER BY {order} "
        "LIMIT ? OFFSET ?", [*args, limit, offset]).fetchall()
    return total, rows


@dataclass(frozen=True)
class SearchKey:
    kind: str
    query: str
    customer_id: int  # the card the key was taken from: every key must find it


def search_keys(connection: sqlite3.Connection, seed: int) -> list[SearchKey]:
    """The keys of scenario 2, taken from one generated owner with a three-character name,
    a mobile and a unit with a unit number (the same database gives the same keys)."""
    candidates = connection.execute(
        "SELECT c.id, c.name, c.name_pinyin, c.name_initials, p.digits, "
        "u.building, u.unit, u.room FROM customers c "
        "JOIN customer_phones p ON p.customer_id = c.id AND p.sort_order = 0 "
        "JOIN customer_units cu ON cu.customer_id = c.id JOIN units u ON u.id = cu.unit_id "
        "WHERE c.merged_into_id IS NULL AND c.customer_type = 'owner' "
        "AND length(c.name) = 3 AND u.unit != '' AND p.digits LIKE '1%' "
        "ORDER BY c.id LIMIT 500").fetchall()
    cid, name, pinyin, initials, digits, building, unit, room = \
        random.Random(seed).choice(candidates)
    return [
        SearchKey("full name", name, cid),
        SearchKey("name fragment", name[1:], cid),
        SearchKey("pinyin initials", initials, cid),
        SearchKey("full pinyin", pinyin, cid),
        SearchKey("4-digit fragment", digits[4:4 + GRAM], cid),
        SearchKey("phone prefix", digits[:7], cid),
        SearchKey("unit", f"{building}-{unit}-{room}", cid),
    ]


def lookup_numbers(connection: sqlite3.Connection, count: int,
                   seed: int) -> list[tuple[str, str]]:
    """(digits as caller ID shows them, normalised) of ``count`` live cards' numbers."""
    numbers = connection.execute(
        "SELECT DISTINCT p.digits, p.normalized FROM customer_phones p "
        "JOIN customers c ON c.id = p.customer_id WHERE c.merged_into_id IS NULL "
        "ORDER BY p.normalized").fetchall()
    return random.Random(seed).sample(numbers, min(count, len(numbers)))


# -- statistics and results -------------------------------------------------------------------
@dataclass
class Stats:
    median: float
    p95: float
    min: float
    max: float
    n: int
    samples: list[float] = field(repr=False)

    @classmethod
    def of(cls, samples: list[float]) -> Stats:
        ordered = sorted(samples)
        rank = max(0, math.ceil(0.95 * len(ordered)) - 1)  # nearest-rank p95
        middle = len(ordered) // 2
        median = ordered[middle] if len(ordered) % 2 else \
            (ordered[middle - 1] + ordered[middle]) / 2
        return cls(median=median, p95=ordered[rank], min=ordered[0], max=ordered[-1],
                   n=len(ordered), samples=[round(s, 4) for s in samples])


@dataclass
class Result:
    id: str
    scenario: str
    unit: str  # "ms" or "MB"
    ours: Stats | None
    baseline: Stats | None
    target: str = ""
    met: bool | None = None
    note: str = ""
    skipped: str = ""
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def ratio(self) -> float | None:
        if self.ours is None or self.baseline is None or not self.baseline.median:
            return None
        return self.ours.median / self.baseline.median


def _time(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter_ns()
    result = fn()
    return _ms(start), result


# -- scenario 1: caller lookup ---------------------------------------------------------------
def scenario_lookup(db_path: Path, size: str, repeat: int, seed: int) -> list[Result]:
    from app.services.customers import CustomerService

    db = Database(default_sqlite_url(db_path))
    service = CustomerService(db)
    connection = raw_connection(db_path)
    try:
        numbers = lookup_numbers(connection, repeat + 1, seed)
        mismatched = multi = 0
        for digits, normalized in numbers:  # the check doubles as the warm-up
            ours = [card.id for card in service.lookup_phone(digits)]
            raw = [row[0] for row in raw_lookup(connection, normalized)]
            mismatched += ours != raw
            multi += len(raw) > 1
        ours_ms, base_ms = [], []
        for digits, normalized in numbers[1:]:
            ours_ms.append(_time(lambda d=digits: service.lookup_phone(d))[0])
            base_ms.append(_time(lambda n=normalized: raw_lookup(connection, n))[0])
    finally:
        connection.close()
        db.dispose()
    result = Result("1", "caller lookup: lookup_phone vs raw indexed SELECT", "ms",
                    Stats.of(ours_ms), Stats.of(base_ms), target="≤3×; p95 ≤2 ms at L")
    assert result.ratio is not None and result.ours is not None
    result.met = result.ratio <= 3 and result.ours.p95 <= 2
    result.note = (f"{len(ours_ms)} different numbers (caller-ID digits to the service, the "
                   f"normalised number to the baseline); {multi} shared by 2+ cards; "
                   + ("same cards from both" if not mismatched
                      else f"{mismatched} numbers gave DIFFERENT cards"))
    result.details = {"numbers": len(ours_ms), "mismatched": mismatched}
    return [result]


# -- scenario 2: card-file search ------------------------------------------------------------
def scenario_search(db_path: Path, size: str, repeat: int, seed: int) -> list[Result]:
    from app.services.customers import CustomerService

    db = Database(default_sqlite_url(db_path))
    service = CustomerService(db)
    connection = raw_connection(db_path)
    results = []
    try:
        for letter, key in zip("abcdefg", search_keys(connection, seed), strict=True):
            page = service.search(key.query, 0, PAGE)  # warm-up and check
            total, rows = naive_search(connection, key.query, 0, PAGE)
            same = page.total == total and [r.id for r in page.rows] == [r[0] for r in rows]
            ours_ms, base_ms = [], []
            for _ in range(repeat):
                ours_ms.append(_time(lambda q=key.query: service.search(q, 0, PAGE))[0])
                base_ms.append(_time(lambda q=key.query: naive_search(connection, q))[0])
            result = Result(f"2{letter}", f"search: {key.kind} “{key.query}”, {page.total:,} found",
                            "ms", Stats.of(ours_ms), Stats.of(base_ms),
                            target="≥20× faster; p95 ≤30 ms")
            assert result.ratio is not None and result.ours is not None
            result.met = result.ratio <= 1 / 20 and result.ours.p95 <= 30
            result.note = "same count and first page" if same else (
                f"DIFFERENT results: service {page.total}, naive {total}")
            result.details = {"query": key.query, "service_total": page.total,
                              "naive_total": total, "same_first_page": same}
            results.append(result)
    finally:
        connection.close()
        db.dispose()
    return results


# -- scenario 3: the monthly callback workbook ---------------------------------------------
def report_month() -> Any:
    from app.reports.monthly import Month

    local = BASE_TIME.astimezone()
    return Month(local.year - (local.month == 1), 12 if local.month == 1 else local.month - 1)


def _detail_frames(report: Any) -> list[tuple[str, list[str], list[tuple[Any, ...]]]]:
    """The workbook's two detail sheets as plain rows (sheet, headers, rows): what a
    pandas or bare openpyxl export of the same data would write."""
    def label(value: Any) -> Any:
        return value.label if hasattr(value, "label") else value

    def local(value: datetime | None) -> Any:
        return value.astimezone().replace(tzinfo=None) if value else None

    complaints = [(c.number, local(c.registered_at), c.source, c.customer, c.unit, c.phone,
                   label(c.category), label(c.severity), c.description, c.department,
                   label(c.status), local(c.resolve_due_at), local(c.resolved_at), c.on_time,
                   c.resolve_hours, c.reopened, label(c.satisfaction))
                  for c in report.complaints]
    callbacks = [(c.complaint_number, c.customer, c.phone, label(c.category), local(c.due_at),
                  local(c.done_at), c.operator, c.attempts, c.status, c.reached, c.failed,
                  label(c.satisfaction), c.comment, c.reviewed_by, c.review_comment)
                 for c in report.callbacks]
    return [("投诉明细", ["编号", "登记时间", "来源", "客户", "房屋", "电话", "类别", "严重程度",
                      "描述", "部门", "状态", "解决时限", "解决时间", "按时", "用时", "返工",
                      "满意度"], complaints),
            ("回访明细", ["投诉编号", "客户", "电话", "类别", "应回访", "回访时间", "客服",
                      "次数", "状态", "接通", "失败", "满意度", "客户意见", "审阅人", "审阅意见"],
             callbacks)]


def _pandas_export(frames: list[tuple[str, list[str], list[tuple[Any, ...]]]],
                   path: Path) -> None:
    import pandas

    with pandas.ExcelWriter(path, engine="openpyxl") as writer:
        for sheet, headers, rows in frames:
            pandas.DataFrame(rows, columns=headers).to_excel(writer, sheet_name=sheet,
                                                            index=False)


def _openpyxl_export(frames: list[tuple[str, list[str], list[tuple[Any, ...]]]],
                     path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    for sheet_name, headers, rows in frames:
        sheet = book.create_sheet(sheet_name)
        sheet.append(headers)
        for row in rows:
            sheet.append(row)
    book.save(path)


def scenario_workbook(db_path: Path, size: str, repeat: int, seed: int) -> list[Result]:
    from app.exporters.monthly_callbacks import export_monthly_callbacks
    from app.reports.monthly import monthly_report
    from app.services.users import UserService

    runs = max(3, min(repeat, 7))  # seconds each at L
    db = Database(default_sqlite_url(db_path))
    out = Path(tempfile.mkdtemp(prefix="calldesk-bench-xlsx-"))
    try:
        actor = UserService(db).authenticate(ADMIN_LOGIN, ADMIN_PASSWORD)
        month = report_month()
        report_ms, report = [], None
        for _ in range(runs + 1):
            took, report = _time(lambda: monthly_report(db, actor, month, "bench"))
            report_ms.append(took)
        assert report is not None
        ours, pandas_ms, raw_ms, peaks = [], [], [], {}
        import tracemalloc

        # Each starts from the report: the baselines' times include turning its lines into
        # rows (enum labels, local times), as ours includes writing its cells.
        # The first round warms up; the last, untimed, traces the Python heap's peak.
        for round_ in range(runs + 2):
            for name, write, samples in (
                    ("ours", lambda p: export_monthly_callbacks(report, p), ours),
                    ("pandas", lambda p: _pandas_export(_detail_frames(report), p), pandas_ms),
                    ("openpyxl", lambda p: _openpyxl_export(_detail_frames(report), p),
                     raw_ms)):
                target = out / f"{name}-{round_}.xlsx"
                traced = round_ == runs + 1
                if traced:
                    tracemalloc.start()
                took, _ = _time(lambda w=write, t=target: w(t))
                if traced:
                    peaks[name] = tracemalloc.get_traced_memory()[1] / 2**20
                    tracemalloc.stop()
                elif round_:
                    samples.append(took)
                target.unlink()
    finally:
        shutil.rmtree(out, ignore_errors=True)
        db.dispose()
    rows = len(report.complaints) + len(report.callbacks)
    vs_pandas = Result("3a", f"monthly workbook {month}: ours (8 sheets, styles, charts) vs "
                             f"pandas.to_excel, {rows:,} detail rows", "ms",
                       Stats.of(ours), Stats.of(pandas_ms), target="≥1.5× faster")
    assert vs_pandas.ratio is not None
    vs_pandas.met = vs_pandas.ratio <= 1 / 1.5
    vs_pandas.note = (f"{len(report.complaints):,} complaints + {len(report.callbacks):,} "
                      f"callbacks; the report's queries (not in these times) "
                      f"{Stats.of(report_ms[1:]).median:.0f} ms; Python heap peak "
                      f"ours {peaks['ours']:.0f} MB, pandas {peaks['pandas']:.0f} MB, "
                      f"openpyxl {peaks['openpyxl']:.0f} MB")
    vs_raw = Result("3b", "monthly workbook: ours vs raw openpyxl write-only of the detail rows",
                    "ms", Stats.of(ours), Stats.of(raw_ms), target="—")
    vs_raw.note = "the floor: the same rows with no styles, summary sheets or charts"
    vs_pandas.details = {"rows": rows, "report_ms": Stats.of(report_ms[1:]).median,
                         "heap_peak_mb": peaks}
    return [vs_pandas, vs_raw]


# -- scenario 6: logging a call ----------------------------------------------------------------
def scenario_log_call(db_path: Path, size: str, repeat: int, seed: int) -> list[Result]:
    """A call saved through CallService.log (validation, caller match, audit entry) and the
    call list's refresh (its first page, today's calls) vs a raw INSERT and the same SELECT
    with sqlite3, on a copy of the database."""
    from app.domain.calls import CallType, Outcome
    from app.services.calls import CallFilter, CallInput, CallService
    from app.services.users import UserService

    work = Path(tempfile.mkdtemp(prefix="calldesk-bench-log-"))
    copy = work / "calls.db"
    shutil.copyfile(db_path, copy)
    db = Database(default_sqlite_url(copy))
    connection = raw_connection(copy)
    try:
        actor = UserService(db).authenticate("kf01", ADMIN_PASSWORD)
        service = CallService(db)
        numbers = lookup_numbers(connection, repeat + 1, seed)
        today = datetime.now().astimezone().date()
        ours_ms, base_ms, save_ms = [], [], []
        for index, (digits, normalized) in enumerate(numbers):
            data = CallInput(phone=digits, summary="咨询物业费缴纳方式", duration_seconds=95,
                             call_type=CallType.INQUIRY, outcome=Outcome.SOLVED)
            started = time.perf_counter_ns()
            service.log(actor, data)
            saved = _ms(started)
            service.list(CallFilter(start=today, end=today), 0, 100)
            ours = _ms(started)

            def raw(n: str = normalized, d: str = digits) -> None:
                now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
                customer = connection.execute(
                    "SELECT p.customer_id FROM customer_phones p JOIN customers c ON "
                    "c.id = p.customer_id WHERE p.normalized = ? AND c.merged_into_id IS NULL",
                    (n,)).fetchall()
                connection.execute(
                    "INSERT INTO calls (received_at, duration_seconds, direction, phone_raw, "
                    "phone_normalized, customer_id, missed, call_type, outcome, summary, "
                    "operator_id, created_at, updated_at) VALUES (?, 95, 'inbound', ?, ?, ?, 0, "
                    "'inquiry', 'solved', '咨询物业费缴纳方式', ?, ?, ?)",
                    (now, d, n, customer[0][0] if len(customer) == 1 else None, actor.user_id,
                     now, now))
                connection.commit()
                start = datetime.combine(today, datetime.min.time()).astimezone() \
                    .astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")
                connection.execute(
                    "SELECT k.*, c.name, u.label, o.display_name FROM calls k "
                    "LEFT JOIN customers c ON c.id = k.customer_id "
                    "LEFT JOIN units u ON u.id = k.unit_id "
                    "LEFT JOIN users o ON o.id = k.operator_id WHERE k.received_at >= ? "
                    "ORDER BY k.received_at DESC, k.id DESC LIMIT 100", (start,)).fetchall()

            base = _time(raw)[0]
            if index:  # the first of each is the warm-up
                ours_ms.append(ours)
                save_ms.append(saved)
                base_ms.append(base)
    finally:
        connection.close()
        db.dispose()
        shutil.rmtree(work, ignore_errors=True)
    result = Result("6", "logging a call: CallService.log + list refresh vs raw INSERT + "
                         "SELECT", "ms", Stats.of(ours_ms), Stats.of(base_ms), target="—")
    result.note = (f"of ours, the save alone {Stats.of(save_ms).median:.1f} ms (validation, "
                   "caller match, audit entry, one transaction); on a copy of the database")
    return [result]


# -- child processes ----------------------------------------------------------------------------
def run_child(mode: str, db_path: Path | None = None, timeout: float = 1800,
              extra_env: dict[str, str] | None = None) -> dict[str, Any]:
    """Runs this file as ``_child MODE`` in a fresh process with its own data folder."""
    home = Path(tempfile.mkdtemp(prefix="calldesk-bench-"))
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", CALLDESK_HOME=str(home),
               **(extra_env or {}))
    env.pop("CALLDESK_DATABASE_URL", None)
    # An installed CallDesk starts from compiled bytecode (pip and PyInstaller write it);
    # the warm-up run writes the project's, should the shell forbid it.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    command = [sys.executable, str(Path(__file__).resolve()), "_child", mode, str(home)]
    if db_path is not None:
        command.append(str(db_path))
    try:
        env["BENCH_T0_NS"] = str(time.time_ns())
        started = time.perf_counter_ns()
        done = subprocess.run(command, env=env, capture_output=True, text=True,
                              timeout=timeout, cwd=ROOT)
        wall = _ms(started)
    finally:
        shutil.rmtree(home, ignore_errors=True)
    lines = [line for line in done.stdout.splitlines() if line.startswith(RESULT_MARK)]
    if done.returncode != 0 or not lines:
        raise RuntimeError(f"child {mode} failed (exit {done.returncode}):\n"
                           f"{done.stderr[-3000:]}")
    result = json.loads(lines[-1][len(RESULT_MARK):])
    result["wall_ms"] = wall
    return result


def _repeat_children(runs: int, *modes: tuple[str, Path | None]) -> list[list[dict[str, Any]]]:
    """A warm-up round, then ``runs`` rounds; the modes alternate within each round."""
    collected: list[list[dict[str, Any]]] = [[] for _ in modes]
    for round_ in range(runs + 1):
        for index, (mode, db_path) in enumerate(modes):
            outcome = run_child(mode, db_path)
            if round_:
                collected[index].append(outcome)
    return collected


def _median(values: list[float]) -> float:
    return Stats.of(values).median


def scenario_start(db_path: Path, size: str, runs: int, seed: int) -> list[Result]:
    app, bare = _repeat_children(runs, ("app-start", db_path), ("bare-window", None))
    bare_shown = Stats.of([r["shown_ms"] for r in bare])
    result = Result("4a", "cold start to main window + first page vs bare 5-tab window",
                    "ms", Stats.of([r["shown_ms"] for r in app]), bare_shown, target="≤3×")
    assert result.ratio is not None
    result.met = result.ratio <= 3
    # The password check is argon2 at its recommended cost, waited for after the user
    # types the password into the sign-in dialog; a bare window has nothing like it.
    unhashed = Result(
        "4b", "cold start without the sign-in's password hash vs bare window", "ms",
        Stats.of([r["shown_ms"] - (r["marks"]["signed_in"] - r["marks"]["db_open"])
                  for r in app]), bare_shown, target="≤3×")
    assert unhashed.ratio is not None
    unhashed.met = unhashed.ratio <= 3
    unhashed.note = "the sign-in (argon2 verify, 64 MiB) took " + \
        f"{_median([r['marks']['signed_in'] - r['marks']['db_open'] for r in app]):.0f} ms"
    phases = {key: round(_median([r["marks"][key] for r in app]), 1)
              for key in app[0]["marks"]}
    result.details = {"app_phases_ms": phases,
                      "bare_phases_ms": {key: round(_median([r["marks"][key] for r in bare]), 1)
                                         for key in bare[0]["marks"]},
                      "app_peak_rss_mb": _median([r["peak_rss_mb"] for r in app]),
                      "bare_peak_rss_mb": _median([r["peak_rss_mb"] for r in bare])}
    result.note = "app phases (ms from process start, median): " + ", ".join(
        f"{k} {v:.0f}" for k, v in phases.items())
    return [result, unhashed, *_sign_in_start(runs, db_path)]


def _list_results(ids: str, what: str, first_title: str, model: list[dict[str, Any]],
                  widget: list[dict[str, Any]]) -> list[Result]:
    """Scenario 5's three figures for one list: first page, scrolling to the end, memory."""
    fill = Stats.of([r["fill_ms"] for r in widget])
    rows = model[0]["rows"]
    first = Result(ids[0], f"{first_title}: first page (model) vs QTableWidget, all rows",
                   "ms", Stats.of([r["first_page_ms"] for r in model]), fill, target="—")
    to_end = Result(ids[1], f"{what} list: scroll to end, {rows:,} rows, vs QTableWidget",
                    "ms", Stats.of([r["to_end_ms"] for r in model]), fill, target="—",
                    note=f"{model[0]['pages']} pages of {PAGE}, "
                         f"{_median([r['per_page_ms'] for r in model]):.0f} ms a page after "
                         "the first")
    memory = Result(ids[2], f"{what} list: peak RSS at the end vs QTableWidget", "MB",
                    Stats.of([r["peak_rss_mb"] for r in model]),
                    Stats.of([r["peak_rss_mb"] for r in widget]), target="—")
    growth_ours = _median([r["peak_rss_mb"] - r["rss_before_mb"] for r in model])
    growth_first = _median([r["first_page_rss_mb"] - r["rss_before_mb"] for r in model])
    growth_base = _median([r["peak_rss_mb"] - r["rss_before_mb"] for r in widget])
    memory.note = (f"growth over the process before loading: {growth_ours:.0f} MB (model; "
                   f"{growth_first:.0f} MB at the first page) vs {growth_base:.0f} MB "
                   "(QTableWidget)")
    memory.details = {"growth_ours_mb": growth_ours, "growth_first_page_mb": growth_first,
                      "growth_baseline_mb": growth_base}
    if rows != widget[0]["rows"]:
        to_end.note += f"; ROW COUNTS DIFFER: model {rows}, widget {widget[0]['rows']}"
    return [first, to_end, memory]


def scenario_list(db_path: Path, size: str, runs: int, seed: int) -> list[Result]:
    model, widget = _repeat_children(runs, ("list-model", db_path), ("table-widget", db_path))
    return _list_results(["5a", "5b", "5c"], "customer", "customer list", model, widget)


def scenario_call_list(db_path: Path, size: str, runs: int, seed: int) -> list[Result]:
    model, widget = _repeat_children(max(1, min(runs, 3)), ("call-model", db_path),
                                     ("call-widget", db_path))
    return _list_results(["5d", "5e", "5f"], "call",
                         f"call list, last {CALL_LIST_DAYS} days", model, widget)


def scenario_memory(db_path: Path, size: str, runs: int, seed: int) -> list[Result]:
    app, bare = _repeat_children(max(1, min(runs, 3)), ("app-memory", db_path),
                                 ("bare-window", None))
    result = Result("7", "app peak RSS after visiting every tab vs bare window", "MB",
                    Stats.of([r["peak_rss_mb"] for r in app]),
                    Stats.of([r["peak_rss_mb"] for r in bare]), target="≤250 MB")
    assert result.ours is not None
    result.met = result.ours.max <= 250
    tabs = {tab: round(_median([r["tabs"][tab]["peak_rss_mb"] for r in app]))
            for tab in app[0]["tabs"]}
    resident = {tab: round(_median([r["tabs"][tab]["rss_mb"] for r in app]))
                for tab in app[0]["tabs"]}
    result.note = ("baseline = bare 5-tab window; resident after each tab (visited in this "
                   "order): " + ", ".join(f"{tab} {mb} MB" for tab, mb in resident.items())
                   + "; peak after each: " + ", ".join(f"{mb}" for mb in tabs.values())
                   + " MB (the peak includes argon2's 64 MiB sign-in hash)")
    result.details = {"peak_after_tab_mb": tabs, "resident_after_tab_mb": resident}
    return [result]


# -- scenario 4d: the frozen start ---------------------------------------------------------------
FROZEN_BARE = CACHE_DIR / "frozen" / "bare-window" / (
    "bare-window.exe" if os.name == "nt" else "bare-window")
SIGN_IN_SHOWN = "sign-in window shown"  # what ui.application logs when the dialog is up
FROZEN_TIMEOUT_S = 120.0  # a start, sign-in or bare window, from source or frozen


def _remove_stale_socket(home: Path) -> None:
    """A process ended by os._exit or kill leaves its local socket's file (Unix)."""
    from PySide6.QtNetwork import QLocalServer

    from app.paths import resolve_paths
    from ui.single_instance import server_name

    QLocalServer.removeServer(server_name(resolve_paths(home)))


def _sign_in_ms(program: list[str], db_path: Path, timeout: float = FROZEN_TIMEOUT_S) -> float:
    """ms from spawning ``program`` (CallDesk from source or frozen, on the database, its own
    data folder) to its log saying the sign-in window is shown; the log is read every 2 ms."""
    home = Path(tempfile.mkdtemp(prefix="calldesk-bench-sign-in-"))
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", CALLDESK_HOME=str(home))
    env.pop("CALLDESK_DATABASE_URL", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    log_file = home / "logs" / "calldesk.log"
    process = None
    try:
        started = time.perf_counter_ns()
        process = subprocess.Popen([*program, "--database", f"sqlite:///{db_path}"], cwd=ROOT,
                                   env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        while _ms(started) < timeout * 1000:
            try:
                if SIGN_IN_SHOWN in log_file.read_text(encoding="utf-8", errors="replace"):
                    return _ms(started)
            except OSError:
                pass
            if process.poll() is not None:
                break
            time.sleep(0.002)
        said = process.stderr.read().decode(errors="replace") \
            if process.poll() is not None and process.stderr else ""
        raise RuntimeError(f"{program[0]} did not log “{SIGN_IN_SHOWN}” "
                           f"(exit {process.poll()}): {said[-2000:]}")
    finally:
        if process is not None:
            process.kill()
            process.wait()
        _remove_stale_socket(home)
        shutil.rmtree(home, ignore_errors=True)


def _bare_ms(program: list[str]) -> float:
    """ms from spawning the bare window (bare_window.py, or frozen) to it shown, by its clock."""
    out = Path(tempfile.mkdtemp(prefix="calldesk-bench-bare-"))
    try:
        result = out / "result.json"
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen", BENCH_RESULT_FILE=str(result),
                   BENCH_T0_NS=str(time.time_ns()))
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        done = subprocess.run(program, env=env, capture_output=True, text=True, cwd=ROOT,
                              timeout=FROZEN_TIMEOUT_S)
        if done.returncode != 0 or not result.exists():
            raise RuntimeError(f"the bare window failed (exit {done.returncode}): "
                               f"{done.stderr[-2000:]}")
        return float(json.loads(result.read_text())["shown_ms"])
    finally:
        shutil.rmtree(out, ignore_errors=True)


def _sign_in_start(runs: int, db_path: Path) -> list[Result]:
    """4c (from source) and 4d (frozen): the real program on the database to the sign-in
    window, against the bare window started and timed the same way; a warm-up round, then
    the programs take turns."""
    source_bare = [sys.executable, str(ROOT / "build_scripts" / "bare_window.py")]
    frozen_bare = [str(FROZEN_BARE)] if FROZEN_BARE.exists() else None
    programs: dict[str, list[str]] = {"source": [sys.executable, "-m", "app"],
                                      "source bare": source_bare}
    if frozen_app is not None:
        programs["frozen"] = [str(frozen_app)]
        if frozen_bare:
            programs["frozen bare"] = frozen_bare
    times: dict[str, list[float]] = {name: [] for name in programs}
    for round_ in range(runs + 1):
        for name, program in programs.items():
            took = _bare_ms(program) if name.endswith("bare") else _sign_in_ms(program, db_path)
            if round_:
                times[name].append(took)
    how = (f"from spawning to its log's “{SIGN_IN_SHOWN}” (written once the event loop has "
           "turned after show, read every 2 ms) vs build_scripts/bare_window.py to shown and "
           "the loop turned once")
    source = Result("4c", "cold start to the sign-in window (python -m app) vs bare 5-tab "
                          "window", "ms", Stats.of(times["source"]),
                    Stats.of(times["source bare"]), target="≤3×")
    assert source.ratio is not None
    source.met = source.ratio <= 3
    source.note = (f"the real entry on the database (it opens and checks it first; a fresh "
                   f"data folder, so the day's first backup starts on the worker meanwhile), "
                   f"{how}")
    if frozen_app is None:
        return [source, Result("4d", "frozen cold start to the sign-in window", "ms", None,
                               None, skipped=no_frozen)]
    baseline = "frozen bare" if frozen_bare else "source bare"
    frozen = Result("4d", f"frozen cold start to the sign-in window vs {baseline} 5-tab window",
                    "ms", Stats.of(times["frozen"]), Stats.of(times[baseline]),
                    target="≤3×; ≤600 ms")
    assert frozen.ratio is not None and frozen.ours is not None
    frozen.met = frozen.ratio <= 3 and frozen.ours.median <= 600
    which = ("bare_window.py frozen by bare_window.spec" if frozen_bare else
             f"bare_window.py from source (no frozen one at {FROZEN_BARE}; bench --frozen "
             "builds it)")
    frozen.note = f"{frozen_app} {how.replace('bare_window.py', which)}"
    return [source, frozen]


def build_frozen() -> str | None:
    """``--frozen``: builds what is missing of dist/CallDesk and the frozen bare window;
    None when done, else why not."""
    import importlib.util

    if importlib.util.find_spec("PyInstaller") is None:
        return "PyInstaller is not installed (python run.py build installs it into .venv)"
    if not FROZEN_APP.exists():
        print("Building dist/CallDesk (build_scripts/build.py) …", flush=True)
        done = subprocess.run([sys.executable, str(ROOT / "build_scripts" / "build.py"),
                               "--no-smoke-test"], cwd=ROOT)
        if done.returncode != 0:
            return f"build_scripts/build.py failed (exit {done.returncode})"
    spec = ROOT / "build_scripts" / "bare_window.spec"
    sources = [spec, ROOT / "build_scripts" / "bare_window.py"]
    if not FROZEN_BARE.exists() or any(
            path.stat().st_mtime > FROZEN_BARE.stat().st_mtime for path in sources):
        print("Building the frozen bare window (build_scripts/bare_window.spec) …", flush=True)
        done = subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm",
                               "--log-level", "ERROR", "--distpath", str(CACHE_DIR / "frozen"),
                               "--workpath", str(CACHE_DIR / "frozen-work"), str(spec)],
                              cwd=ROOT)
        if done.returncode != 0:
            return f"PyInstaller failed on {spec.name} (exit {done.returncode})"
    return None


# -- scenario 8: the softphone hook to the pop-up ----------------------------------------------
FROZEN_APP = ROOT / "dist" / "CallDesk" / ("CallDesk.exe" if os.name == "nt" else "CallDesk")
frozen_app: Path | None = None  # set by main: the frozen build to measure too, if any
no_frozen = f"no frozen build at {FROZEN_APP} (python run.py build, or bench --frozen builds it)"


def _popup_result(id_: str, title: str, runs: list[dict[str, Any]], kind: str,
                  baseline: Stats) -> Result:
    mine = [r for r in runs if r["kind"] == kind]
    result = Result(id_, title, "ms", Stats.of([r["painted_ms"] for r in mine]), baseline,
                    target="p95 ≤300 ms; ≤2×")
    assert result.ours is not None and result.ratio is not None
    result.met = result.ours.p95 <= 300 and result.ratio <= 2
    wrong = sum(not r["right_card"] for r in mine)
    result.note = (f"{len(mine)} numbers; the hook process itself ended after "
                   f"{_median([r['exited_ms'] for r in mine]):.0f} ms (median); shown → "
                   f"painted {_median([r['painted_ms'] - r['shown_ms'] for r in mine]):.1f} ms"
                   + (f"; {wrong} pop-ups showed the WRONG cards" if wrong else
                      "; every pop-up showed the number's cards"))
    result.details = {"exited_ms": Stats.of([r["exited_ms"] for r in mine]).median,
                      "wrong_cards": wrong}
    return result


def scenario_popup(db_path: Path, size: str, runs: int, seed: int) -> list[Result]:
    """Issue 19, item 1: the signed-in window on the size's database listens as the real app
    does; ``python -m app incoming-call NUMBER`` (the real entry) and a minimal stdlib client
    that only writes the same line to the same socket take turns, each timed from spawning
    it to the pop-up with the caller's cards painted (a different number each round)."""
    connection = raw_connection(db_path)
    try:
        numbers = [(digits, [row[0] for row in raw_lookup(connection, normalized)])
                   for digits, normalized in lookup_numbers(connection, runs + 1, seed)]
    finally:
        connection.close()
    plan = Path(tempfile.mkstemp(prefix="calldesk-bench-popup-", suffix=".json")[1])
    try:
        plan.write_text(json.dumps({"numbers": numbers,
                                    "frozen": str(frozen_app) if frozen_app else None}))
        outcome = run_child("popup", db_path, extra_env={POPUP_PLAN_ENV: str(plan)})
    finally:
        plan.unlink(missing_ok=True)
    timed = [r for r in outcome["runs"] if not r["warm_up"]]
    minimal = [r for r in timed if r["kind"] == "minimal"]
    baseline = Stats.of([r["painted_ms"] for r in minimal])
    results = [_popup_result("8a", "softphone hook (python -m app incoming-call) → pop-up "
                                   "painted vs minimal socket client", timed, "hook", baseline)]
    results[0].details["minimal_exited_ms"] = _median([r["exited_ms"] for r in minimal])
    results[0].note += (f"; the minimal client (stdlib socket, the same JSON line) ended "
                        f"after {results[0].details['minimal_exited_ms']:.0f} ms")
    if frozen_app:
        results.append(_popup_result(
            "8b", "frozen hook (dist/CallDesk incoming-call) → pop-up painted vs minimal "
                  "socket client", timed, "frozen", baseline))
        results[1].note += "; the window is the app from source (the same code frozen)"
    else:
        results.append(Result("8b", "frozen hook → pop-up painted", "ms", None, None,
                              skipped=no_frozen))
    return results


# -- output -----------------------------------------------------------------------------------
def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int, right: bool = False) -> str:
    fill = " " * max(0, width - _width(text))
    return fill + text if right else text + fill


def _number(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:,.0f}" if value >= 100 else f"{value:.2f}" if value < 10 else f"{value:.1f}"


def _ratio(result: Result) -> str:
    ratio = result.ratio
    if ratio is None:
        return "—"
    if result.unit == "ms" and ratio < 1:
        faster = 1 / ratio
        return f"{ratio:.3f}× ({faster:.1f}× faster)" if faster < 10 else \
            f"{ratio:.3f}× ({faster:.0f}× faster)"
    return f"{ratio:.1f}×"


def table(results: list[Result]) -> str:
    header = ("#", "scenario", "unit", "ours med", "ours p95", "base med", "ours/base",
              "target", "met?")
    lines: list[tuple[str, ...]] = [header]
    notes = []
    for r in results:
        if r.skipped:
            lines.append((r.id, r.scenario, "", "skipped", "", "", "", "", ""))
            notes.append(f"  {r.id}: skipped — {r.skipped}")
            continue
        met = "—" if r.met is None else ("yes" if r.met else "NO")
        lines.append((r.id, r.scenario, r.unit, _number(r.ours.median if r.ours else None),
                       _number(r.ours.p95 if r.ours else None),
                       _number(r.baseline.median if r.baseline else None), _ratio(r),
                       r.target or "—", met))
        if r.note:
            notes.append(f"  {r.id}: {r.note}")
    widths = [max(_width(line[i]) for line in lines) for i in range(len(header))]
    numeric = {3, 4, 5}
    out = []
    for index, line in enumerate(lines):
        out.append("  ".join(_pad(cell, widths[i], i in numeric) for i, cell in enumerate(line)))
        if index == 0:
            out.append("  ".join("-" * w for w in widths))
    return "\n".join(out + ["", "notes:", *notes])


def markdown(results: list[Result]) -> str:
    """The table as the README shows it."""
    lines = ["| # | scenario | ours median | ours p95 | baseline median | ours / baseline | "
             "target | met |", "| --- | --- | ---: | ---: | ---: | --- | --- | --- |"]
    for r in results:
        if r.skipped:
            continue
        unit = f" {r.unit}"
        lines.append(
            f"| {r.id} | {r.scenario} | {_number(r.ours.median if r.ours else None)}{unit} | "
            f"{_number(r.ours.p95 if r.ours else None)}{unit} | "
            f"{_number(r.baseline.median if r.baseline else None)}{unit} | {_ratio(r)} | "
            f"{r.target or '—'} | {'—' if r.met is None else 'yes' if r.met else 'no'} |")
    return "\n".join(lines)


def comparison(results: list[Result], previous: dict[str, Any]) -> str:
    """Each median against the same scenario's in an earlier run's JSON."""
    before = {r["id"]: r for r in previous.get("results", [])}
    lines = [f"against {previous.get('commit', '?')[:10]} ({previous.get('at', '?')}, size "
             f"{previous.get('size', '?')}):"]
    for r in results:
        old = before.get(r.id)
        if r.ours is None or not old or not old.get("ours"):
            continue
        then, now = old["ours"]["median"], r.ours.median
        change = (now - then) / then * 100 if then else 0.0
        lines.append(f"  {r.id:<4} {_number(then):>8} → {_number(now):>8} {r.unit}  "
                     f"({change:+.0f} %)")
    return "\n".join(lines)


def _git_commit() -> str | None:
    try:
        done = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True,
                              text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.strip() or None


def machine() -> dict[str, Any]:
    info: dict[str, Any] = {"platform": platform.platform(), "machine": platform.machine(),
                            "processor": platform.processor(), "cpu_count": os.cpu_count()}
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                info["memory_gb"] = round(int(line.split()[1]) / 2**20, 1)
                break
    except OSError:
        pass
    return info


def versions() -> dict[str, str]:
    import PySide6
    import sqlalchemy
    from PySide6.QtCore import qVersion

    return {"python": platform.python_version(), "pyside6": PySide6.__version__,
            "qt": qVersion(), "sqlalchemy": sqlalchemy.__version__,
            "sqlite": sqlite3.sqlite_version}


SCENARIOS: dict[str, Callable[[Path, str, int, int], list[Result]]] = {
    "1": scenario_lookup, "2": scenario_search, "3": scenario_workbook, "4": scenario_start,
    "5": scenario_list, "5c": scenario_call_list, "6": scenario_log_call, "7": scenario_memory,
    "8": scenario_popup,
}
IN_PROCESS = {"1", "2", "3", "6", "8"}  # 8 runs in one process: --repeat numbers


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["_child"]:
        return child_main(argv[1:])
    parser = argparse.ArgumentParser(prog="run.py bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", choices=sorted(SIZES), default="S", type=str.upper)
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    parser.add_argument("--repeat", type=int,
                        help="timed runs per scenario (default 20 in-process, 5 per process "
                             "scenario)")
    parser.add_argument("--process-repeat", type=int,
                        help="timed runs of the process scenarios (default 5, or --repeat)")
    parser.add_argument("--only", default=",".join(SCENARIOS),
                        help="scenarios to run, e.g. 1,2 (default all: 1,2,3,4,5,5c,6,7,8; "
                             "5 is the customer list, 5c the call list, 8 the softphone hook)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--cache-dir", type=Path, default=CACHE_DIR)
    parser.add_argument("--regenerate", action="store_true",
                        help="generate the database again even if it is cached")
    parser.add_argument("--compare", type=Path, metavar="JSON",
                        help="also show each median's change against an earlier --json file")
    parser.add_argument("--markdown", action="store_true",
                        help="also print the table as the README shows it")
    parser.add_argument("--frozen", action="store_true",
                        help="also measure the frozen build (4d, 8b), building dist/CallDesk "
                             "and the frozen bare window first if missing; without it they "
                             "are measured when dist/CallDesk exists")
    args = parser.parse_args(argv)
    previous = json.loads(args.compare.read_text()) if args.compare else None
    wanted = [s.strip() for s in args.only.split(",") if s.strip()]
    unknown = [s for s in wanted if s not in SCENARIOS]
    if unknown:
        parser.error(f"unknown scenario(s) {', '.join(unknown)}; choose from "
                     f"{', '.join(SCENARIOS)}")
    repeat = args.repeat or 20
    process_repeat = args.process_repeat or args.repeat or 5
    if repeat < 1 or process_repeat < 1:
        parser.error("--repeat and --process-repeat need at least 1")

    global frozen_app, no_frozen
    frozen_app = FROZEN_APP if FROZEN_APP.exists() else None
    if args.frozen and {"4", "8"} & set(wanted):
        problem = build_frozen()
        if problem is not None:
            print(f"bench: no frozen figures: {problem}", file=sys.stderr)
            no_frozen = f"--frozen, but {problem}"
        frozen_app = FROZEN_APP if FROZEN_APP.exists() else None
    started = time.perf_counter()
    print(f"CallDesk bench, size {args.size} ({SIZES[args.size][0]:,} customers, "
          f"{SIZES[args.size][1]} months), "
          f"repeat {repeat} in-process / {process_repeat} per process scenario", flush=True)
    db_path, generated, cached = cached_database(args.size, args.seed, args.cache_dir,
                                                 regenerate=args.regenerate,
                                                 progress=lambda m: print(m, flush=True))
    if cached:
        print(f"Using the cached database {db_path} (generated in {generated.seconds:.1f} s)",
              flush=True)
    results: list[Result] = []
    for number in SCENARIOS:
        if number not in wanted:
            continue
        runs = repeat if number in IN_PROCESS else process_repeat
        begun = time.perf_counter()
        print(f"scenario {number} …", end=" ", flush=True)
        results.extend(SCENARIOS[number](db_path, args.size, runs, args.seed))
        print(f"{time.perf_counter() - begun:.1f} s", flush=True)
    results.sort(key=lambda r: r.id)
    elapsed = time.perf_counter() - started
    print()
    print(table(results))
    print(f"\ntotal {elapsed:.1f} s ({'cached database' if cached else 'including generation'}"
          f"); targets are set for size L, checked here at every size")
    if previous is not None:
        print()
        print(comparison(results, previous))
    if args.markdown:
        print()
        print(markdown(results))
    if args.json:
        report = {
            "commit": _git_commit(), "size": args.size, "customers": SIZES[args.size][0],
            "months": SIZES[args.size][1],
            "seed": args.seed, "repeat": repeat, "process_repeat": process_repeat,
            "at": datetime.now(UTC).isoformat(timespec="seconds"),
            "duration_s": round(elapsed, 1), "database": asdict(generated),
            "database_was_cached": cached, "versions": versions(), "machine": machine(),
            "results": [{**asdict(r), "ratio": r.ratio} for r in results],
        }
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=1))
        print(f"results written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
