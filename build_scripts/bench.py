"""Benchmark at realistic scale, each figure against a baseline measured in the same run.

    python run.py bench [--size S|M|L] [--json FILE] [--repeat N] [--process-repeat N]
                        [--only 1,2,4,5,7] [--seed N] [--regenerate]

The size's database (S = 2,000 customers, M = 20,000, L = 100,000) is generated once into
``.bench/`` (keyed by size, seed, schema and generator version) and reused. Generation
bulk-inserts with SQLAlchemy Core, with the same phone grams, pinyin keys, number formats
and unit labels the services write, so the services read it as their own.

Scenarios (numbered as in issue 8); those whose feature does not exist yet are listed as
skipped, never estimated:

1. caller lookup: ``CustomerService.lookup_phone`` vs one raw sqlite3 indexed SELECT;
2. card-file search: ``CustomerService.search`` vs a naive ``LIKE '%…%'`` scan, per key;
3. callback workbook export (skipped: callbacks do not exist yet);
4. cold start to the main window vs a bare PySide6 window with five tabs (processes);
5. the customer list (calls do not exist yet): first page and scrolling to the end with
   ``CustomerTableModel`` vs a ``QTableWidget`` filled with every row (processes);
6. logging a call end to end (skipped: calls do not exist yet);
7. peak memory of the app with the database open, on the customers tab (processes).

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
ADMIN_PASSWORD = "bench-pass-1"
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
    marks: dict[str, float] = {}
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow, QTabWidget, QWidget

    marks["imports"] = _since_start_ms()
    app = QApplication([sys.argv[0]])
    window = QMainWindow()
    tabs = QTabWidget()
    for number in range(1, 6):
        tabs.addTab(QWidget(), f"Tab {number}")
    window.setCentralWidget(tabs)
    window.resize(1200, 760)
    window.show()
    marks["window_built"] = _since_start_ms()

    def shown() -> None:
        marks["shown"] = _since_start_ms()
        _report({"shown_ms": marks["shown"], "marks": marks})

    QTimer.singleShot(0, shown)
    app.exec()


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
    """The app as ``ui.application`` starts it, signing the generated admin in at once."""
    marks: dict[str, float] = {}
    from PySide6.QtCore import QTimer

    from app.bootstrap import open_database
    from app.db import default_sqlite_url
    from app.logging_setup import configure_logging
    from app.paths import resolve_paths
    from app.services import Services
    from app.settings import LANGUAGE, LocalSettings
    from ui import translations
    from ui.application import create_application
    from ui.context import UiContext
    from ui.main_window import MainWindow

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
    result: dict[str, Any] = {}

    def shown() -> None:
        marks["shown"] = _since_start_ms()
        result.update(shown_ms=marks["shown"], marks=marks,
                      rows=window.customers.model.rowCount(),
                      total=window.customers.model.total)
        if mode == "app-start":
            _report(result)
        QTimer.singleShot(300, on_customers_tab)  # memory: settle on the home tab first

    def on_customers_tab() -> None:
        result["home_peak_rss_mb"] = _peak_rss_mb()
        window.tabs.setCurrentWidget(window.customers)
        QTimer.singleShot(300, lambda: _report(result))  # painted and settled

    window.customers.model.loaded.connect(lambda _total: QTimer.singleShot(0, shown))
    app.exec()


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


def _child_list_model(home: Path, db_path: Path) -> None:
    from PySide6.QtWidgets import QApplication, QTableView

    from app.db import Database, default_sqlite_url
    from app.services.customers import CustomerService
    from ui.customer_model import CustomerTableModel

    app = QApplication([sys.argv[0]])
    db = Database(default_sqlite_url(db_path))
    service = CustomerService(db)
    view = QTableView()
    view.resize(1200, 760)
    view.show()
    app.processEvents()
    rss_before = _rss_mb()
    started = time.perf_counter_ns()
    model = CustomerTableModel(service.search)
    view.setModel(model)
    model.search("")
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


CHILDREN: dict[str, Callable[..., None]] = {
    "app-start": lambda home, db: _child_app("app-start", home, db),
    "app-memory": lambda home, db: _child_app("app-memory", home, db),
    "bare-window": _child_bare, "list-model": _child_list_model,
    "table-widget": _child_table_widget,
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


from sqlalchemy import insert  # noqa: E402

from app.db import Database, default_sqlite_url, migrate  # noqa: E402
from app.db.models import (  # noqa: E402
    GRAM,
    Customer,
    CustomerPhone,
    CustomerUnit,
    PhoneGram,
    Unit,
    phone_grams,
)
from app.domain.customers import (  # noqa: E402
    CustomerType,
    Tier,
    Title,
    looks_like_pinyin,
    name_keys,
)
from app.domain.phones import Phone, PhoneError, parse_phone, search_digits  # noqa: E402
from app.domain.units import UnitAddress, unit_search_key  # noqa: E402

SIZES = {"S": 2_000, "M": 20_000, "L": 100_000}
DEFAULT_SEED = 20261122
GENERATOR_VERSION = 2  # bump when the generated data changes, so caches are rebuilt
CACHE_DIR = ROOT / ".bench"
PAGE = 100  # CustomerService.search's page, as the customers tab asks for it
NAME_POOL = 5_000
MAX_OCCUPANTS = 3  # family members and tenants linked to one owner's home
FLUSH_EVERY = 10_000  # customers per batch of inserts
BASE_TIME = datetime(2026, 1, 1, tzinfo=UTC)  # "now" of the generated data: same seed, same data

# Operator prefixes in use (all accepted by app.domain.phones), the common ones listed twice.
MOBILE_PREFIXES = (
    "130", "131", "132", "133", "135", "136", "137", "138", "138", "139", "139", "150",
    "151", "152", "153", "155", "156", "157", "158", "159", "166", "173", "175", "176",
    "177", "178", "180", "181", "182", "183", "185", "186", "186", "187", "188", "189",
    "191", "198", "199",
)
AREA = "0571"
PHASES = ("", "二期", "三期", "四期", "五期")
NOTES = ("", "", "", "", "", "老人独居，来电请耐心", "常年出差，优先联系家属",
         "对噪音问题较敏感", "装修中", "有宠物，上门前先电话")


# -- generating the data ----------------------------------------------------------------------
@dataclass
class Generated:
    path: str
    seed: int
    customers: int = 0
    merged: int = 0
    phones: int = 0
    landlines: int = 0
    shared_numbers: int = 0
    grams: int = 0
    units: int = 0
    links: int = 0
    estates: int = 0
    seconds: float = 0.0


class _Rows:
    """Rows waiting to be inserted, flushed table by table in dependency order."""

    TABLES = (Unit.__table__, Customer.__table__, CustomerPhone.__table__,
              PhoneGram.__table__, CustomerUnit.__table__)

    def __init__(self) -> None:
        self.pending: dict[Any, list[dict[str, Any]]] = {t: [] for t in self.TABLES}

    def add(self, table: Any, row: dict[str, Any]) -> None:
        self.pending[table].append(row)

    def flush(self, connection: Any) -> None:
        for table in self.TABLES:
            rows = self.pending[table]
            for start in range(0, len(rows), 50_000):
                connection.execute(insert(table), rows[start:start + 50_000])
            rows.clear()


def _plan_homes(rng: random.Random, needed: int) -> tuple[list[UnitAddress],
                                                         dict[str, list[UnitAddress]]]:
    """Estates with buildings, units, floors and rooms until there are ``needed`` homes
    (shuffled, so owners fill every estate a little), plus each estate's shops."""
    from app.demo import ESTATE_PREFIXES, ESTATE_SUFFIXES

    names = [p + s for p in ESTATE_PREFIXES for s in ESTATE_SUFFIXES]
    rng.shuffle(names)
    homes: list[UnitAddress] = []
    shops: dict[str, list[UnitAddress]] = {}
    index = 0
    while len(homes) < needed:
        estate = names[index % len(names)] + PHASES[min(index // len(names), len(PHASES) - 1)]
        if index // len(names) >= len(PHASES):
            estate += str(index)
        index += 1
        buildings, units = rng.randint(8, 20), rng.randint(2, 4)
        floors, rooms = rng.randint(11, 32), rng.choice((2, 2, 4))
        homes.extend(UnitAddress(estate, str(b), str(u), f"{f}{r:02d}")
                     for b in range(1, buildings + 1) for u in range(1, units + 1)
                     for f in range(1, floors + 1) for r in range(1, rooms + 1))
        shops[estate] = [UnitAddress(estate, "S1", "", str(100 + k)) for k in range(1, 41)]
    rng.shuffle(homes)
    return homes, shops


def _mobile(rng: random.Random) -> Phone:
    while True:
        try:
            return parse_phone(f"{rng.choice(MOBILE_PREFIXES)}{rng.randint(0, 99_999_999):08d}")
        except PhoneError:
            continue


def _landline(rng: random.Random) -> Phone:
    while True:
        try:
            return parse_phone(f"{AREA}-8{rng.randint(0, 9_999_999):07d}")
        except PhoneError:
            continue


def generate(path: Path, customers: int, seed: int = DEFAULT_SEED,
             progress: Callable[[str], None] | None = None) -> Generated:
    """A new database at ``path`` with an administrator (``admin`` / ``bench-pass-1``) and
    ``customers`` cards: owners, their families and tenants, merchants, a few merged cards.
    The same seed gives the same cards."""
    from faker import Faker

    from app.services.users import UserService

    started = time.perf_counter()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    info = Generated(path=str(path), seed=seed)
    fake = Faker("zh_CN")
    fake.seed_instance(seed)
    rng = random.Random(seed)
    db = Database(default_sqlite_url(path))
    try:
        migrate.upgrade(db)
        homes, shops = _plan_homes(rng, int(customers * 0.8) + 20)
        estates = sorted(shops)
        info.estates = len(estates)
        centre = f"{estates[0]}物业服务中心"
        admin = UserService(db).complete_setup(centre, ADMIN_LOGIN, fake.name(), ADMIN_PASSWORD)
        males = [fake.name_male() for _ in range(NAME_POOL // 2)]
        females = [fake.name_female() for _ in range(NAME_POOL - NAME_POOL // 2)]
        keys: dict[str, tuple[str, str]] = {}
        unit_ids: dict[str, int] = {}
        rows = _Rows()
        live: list[int] = []
        names: dict[int, tuple[str, bool]] = {}
        owners: list[int] = []
        owner_home: dict[int, int] = {}
        owner_landline: dict[int, Phone] = {}
        with_landline: list[int] = []
        occupants: dict[int, int] = {}  # family members and tenants at an owner's home
        next_home = phone_id = link_id = 0
        three_years = 3 * 365 * 86_400

        def unit_id(address: UnitAddress, at: datetime) -> int:
            key = address.key()
            if key not in unit_ids:
                unit_ids[key] = len(unit_ids) + 1
                rows.add(Unit.__table__, {
                    "id": unit_ids[key], "key": key, "estate": address.estate,
                    "building": address.building, "unit": address.unit, "room": address.room,
                    "label": address.label(), "created_at": at})
            return unit_ids[key]

        def link(customer: int, unit: int, role: CustomerType) -> None:
            nonlocal link_id
            link_id += 1
            rows.add(CustomerUnit.__table__, {"id": link_id, "customer_id": customer,
                                              "unit_id": unit, "role": role})

        def add_phone(customer: int, phone: Phone, label: str, order: int) -> None:
            nonlocal phone_id
            phone_id += 1
            rows.add(CustomerPhone.__table__, {
                "id": phone_id, "customer_id": customer, "normalized": phone.normalized,
                "digits": phone.digits, "display": phone.display, "label": label,
                "sort_order": order})
            for gram in phone_grams(phone.digits):
                rows.add(PhoneGram.__table__, {"gram": gram, "phone_id": phone_id})
            info.grams += len(phone_grams(phone.digits))
            info.phones += 1
            info.landlines += phone.kind == "landline"

        with db.engine.begin() as connection:
            for cid in range(1, customers + 1):
                male = rng.random() < 0.5
                name = rng.choice(males if male else females)
                created = BASE_TIME - timedelta(seconds=rng.randint(0, three_years))
                updated = created + timedelta(
                    seconds=rng.randint(0, int((BASE_TIME - created).total_seconds())))
                roll = rng.random()
                merged_into = None
                if live and roll < 0.005:  # a duplicate card that was merged away
                    merged_into = rng.choice(live)
                    name, male = names[merged_into]
                    kind = CustomerType.OWNER
                elif owners and roll < 0.125:
                    kind = CustomerType.FAMILY
                elif owners and roll < 0.305:
                    kind = CustomerType.TENANT
                elif roll < 0.325:
                    kind = CustomerType.MERCHANT
                else:
                    kind = CustomerType.OWNER
                owner = 0
                if kind in (CustomerType.FAMILY, CustomerType.TENANT):
                    # a family at home is often known by the home's landline
                    pool = with_landline if kind == CustomerType.FAMILY and with_landline \
                        and rng.random() < 0.3 else owners
                    owner = rng.choice(pool)
                    for _ in range(3):  # a home holds a few people, not a dozen
                        if occupants[owner] < MAX_OCCUPANTS:
                            break
                        owner = rng.choice(owners)
                    if occupants[owner] >= MAX_OCCUPANTS:
                        kind = CustomerType.OWNER
                    else:
                        occupants[owner] += 1
                if name not in keys:
                    keys[name] = name_keys(name)
                pinyin, initials = keys[name]
                tier = Tier.VIP if rng.random() < 0.05 else \
                    Tier.BLACKLIST if rng.random() < 0.01 else Tier.NORMAL
                rows.add(Customer.__table__, {
                    "id": cid, "name": name, "name_pinyin": pinyin, "name_initials": initials,
                    "title": Title.MR if male else Title.MS, "customer_type": kind,
                    "tier": tier, "do_not_call": rng.random() < 0.03,
                    "notes": rng.choice(NOTES), "merged_into_id": merged_into,
                    "created_at": created, "updated_at": updated,
                    "created_by_id": admin.user_id, "updated_by_id": admin.user_id})
                info.customers += 1
                if merged_into is not None:  # merging moved its numbers and units away
                    info.merged += 1
                else:
                    live.append(cid)
                    names[cid] = (name, male)
                    phones: list[tuple[Phone, str]] = []
                    if kind in (CustomerType.FAMILY, CustomerType.TENANT):
                        link(cid, owner_home[owner], kind)
                        if kind == CustomerType.TENANT or rng.random() < 0.85:
                            phones.append((_mobile(rng), "手机"))
                        shared = owner_landline.get(owner)
                        if kind == CustomerType.FAMILY and shared is not None \
                                and (not phones or rng.random() < 0.6):
                            phones.append((shared, "家庭"))
                            info.shared_numbers += 1
                        if not phones:
                            phones.append((_mobile(rng), "手机"))
                    elif kind == CustomerType.MERCHANT:
                        link(cid, unit_id(rng.choice(shops[rng.choice(estates)]), created), kind)
                        phones.append((_mobile(rng), "手机"))
                        if rng.random() < 0.3:
                            phones.append((_landline(rng), "店铺"))
                    else:
                        home = unit_id(homes[next_home % len(homes)], created)
                        next_home += 1
                        link(cid, home, kind)
                        owners.append(cid)
                        occupants[cid] = 0
                        owner_home[cid] = home
                        if rng.random() < 0.06:  # owns a second flat
                            link(cid, unit_id(homes[next_home % len(homes)], created), kind)
                            next_home += 1
                        phones.append((_mobile(rng), "手机"))
                        if rng.random() < 0.12:
                            landline = _landline(rng)
                            owner_landline[cid] = landline
                            with_landline.append(cid)
                            phones.append((landline, "家庭"))
                        if rng.random() < 0.05:
                            second = _mobile(rng)
                            if second.normalized != phones[0][0].normalized:
                                phones.append((second, "工作"))
                    for order, (phone, label) in enumerate(phones):
                        add_phone(cid, phone, label, order)
                if cid % FLUSH_EVERY == 0:
                    rows.flush(connection)
                    if progress is not None:
                        progress(f"  generated {cid:,} of {customers:,} customers "
                                 f"({time.perf_counter() - started:.1f} s)")
            rows.flush(connection)
        info.units = len(unit_ids)
        info.links = link_id
        with db.engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        db.dispose()
    info.seconds = round(time.perf_counter() - started, 2)
    return info


def cached_database(size: str, seed: int, cache_dir: Path = CACHE_DIR, *,
                    regenerate: bool = False,
                    progress: Callable[[str], None] = print) -> tuple[Path, Generated, bool]:
    """The size's database, generated on first use. Returns (path, info, was cached)."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    ignore = cache_dir / ".gitignore"
    if not ignore.exists():
        ignore.write_text("# generated benchmark databases; never committed\n*\n")
    stem = (f"calldesk-{size}-{SIZES[size]}-seed{seed}-schema{migrate.head_revision()}"
            f"-gen{GENERATOR_VERSION}")
    path, meta = cache_dir / f"{stem}.db", cache_dir / f"{stem}.json"
    if path.exists() and meta.exists() and not regenerate:
        return path, Generated(**json.loads(meta.read_text())), True
    progress(f"Generating the {size} database ({SIZES[size]:,} customers) into {path} …")
    partial = cache_dir / f"{stem}.partial.db"
    info = generate(partial, SIZES[size], seed, progress)
    for suffix in ("-wal", "-shm"):
        Path(f"{partial}{suffix}").unlink(missing_ok=True)
    os.replace(partial, path)
    info.path = str(path)
    meta.write_text(json.dumps(asdict(info), ensure_ascii=False, indent=1))
    progress(f"  done in {info.seconds:.1f} s: {info.customers:,} customers, "
             f"{info.phones:,} numbers, {info.grams:,} grams, {info.units:,} units")
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


# -- child processes ----------------------------------------------------------------------------
def run_child(mode: str, db_path: Path | None = None,
              timeout: float = 1800) -> dict[str, Any]:
    """Runs this file as ``_child MODE`` in a fresh process with its own data folder."""
    home = Path(tempfile.mkdtemp(prefix="calldesk-bench-"))
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", CALLDESK_HOME=str(home))
    env.pop("CALLDESK_DATABASE_URL", None)
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
    result = Result("4", "cold start to main window + first page vs bare 5-tab window",
                    "ms",
                    Stats.of([r["shown_ms"] for r in app]),
                    Stats.of([r["shown_ms"] for r in bare]), target="≤3×")
    assert result.ratio is not None
    result.met = result.ratio <= 3
    phases = {key: round(_median([r["marks"][key] for r in app]), 1)
              for key in app[0]["marks"]}
    result.details = {"app_phases_ms": phases,
                      "bare_phases_ms": {key: round(_median([r["marks"][key] for r in bare]), 1)
                                         for key in bare[0]["marks"]},
                      "app_peak_rss_mb": _median([r["peak_rss_mb"] for r in app]),
                      "bare_peak_rss_mb": _median([r["peak_rss_mb"] for r in bare])}
    result.note = "app phases (ms from process start, median): " + ", ".join(
        f"{k} {v:.0f}" for k, v in phases.items())
    return [result]


def scenario_list(db_path: Path, size: str, runs: int, seed: int) -> list[Result]:
    model, widget = _repeat_children(runs, ("list-model", db_path), ("table-widget", db_path))
    fill = Stats.of([r["fill_ms"] for r in widget])
    rows = model[0]["rows"]
    first = Result("5a", "customer list: first page (model) vs QTableWidget, all rows",
                   "ms", Stats.of([r["first_page_ms"] for r in model]), fill, target="—")
    to_end = Result("5b", f"customer list: scroll to end, {rows:,} rows, vs QTableWidget", "ms",
                    Stats.of([r["to_end_ms"] for r in model]), fill, target="—",
                    note=f"{model[0]['pages']} pages of {PAGE}, "
                         f"{_median([r['per_page_ms'] for r in model]):.0f} ms a page after "
                         "the first")
    memory = Result("5c", "customer list: peak RSS at the end vs QTableWidget",
                    "MB", Stats.of([r["peak_rss_mb"] for r in model]),
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


def scenario_memory(db_path: Path, size: str, runs: int, seed: int) -> list[Result]:
    app, bare = _repeat_children(max(1, min(runs, 3)), ("app-memory", db_path),
                                 ("bare-window", None))
    result = Result("7", "app peak RSS on the customers tab vs bare window", "MB",
                    Stats.of([r["peak_rss_mb"] for r in app]),
                    Stats.of([r["peak_rss_mb"] for r in bare]), target="≤250 MB")
    assert result.ours is not None
    result.met = result.ours.max <= 250
    current = _median([r["rss_mb"] for r in app])
    home = _median([r["home_peak_rss_mb"] for r in app])
    result.note = (f"baseline = bare 5-tab window; peak on the home tab {home:.0f} MB; "
                   f"resident at the end {current:.0f} MB (peak includes argon2's 64 MiB "
                   "sign-in hash)")
    result.details = {"home_peak_rss_mb": home, "rss_at_end_mb": current}
    return [result]


SKIPPED = [
    Result("3", "callback workbook export vs pandas / openpyxl", "ms",
           None, None, skipped="not measured: the monthly callback workbook does not exist "
                               "yet, and the generated database has no calls or callbacks"),
    Result("5 calls", "call list: first page and scroll vs QTableWidget", "ms", None, None,
           skipped="not measured: the generated database has no calls yet (calls are still "
                   "being built); the customer list stands in (5a-5c)"),
    Result("6", "logging a call end to end", "ms", None, None,
           skipped="not measured: calls are still being built; no call is generated or "
                   "logged by this bench yet"),
]


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
    "1": scenario_lookup, "2": scenario_search, "4": scenario_start, "5": scenario_list,
    "7": scenario_memory,
}
IN_PROCESS = {"1", "2"}


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
                        help="scenarios to run, e.g. 1,2 (default all that exist: 1,2,4,5,7)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--cache-dir", type=Path, default=CACHE_DIR)
    parser.add_argument("--regenerate", action="store_true",
                        help="generate the database again even if it is cached")
    args = parser.parse_args(argv)
    wanted = [s.strip() for s in args.only.split(",") if s.strip()]
    unknown = [s for s in wanted if s not in SCENARIOS]
    if unknown:
        parser.error(f"unknown scenario(s) {', '.join(unknown)}; choose from "
                     f"{', '.join(SCENARIOS)} (3 and 6 need calls and callbacks)")
    repeat = args.repeat or 20
    process_repeat = args.process_repeat or args.repeat or 5
    if repeat < 1 or process_repeat < 1:
        parser.error("--repeat and --process-repeat need at least 1")

    started = time.perf_counter()
    print(f"CallDesk bench, size {args.size} ({SIZES[args.size]:,} customers), "
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
    results.extend(SKIPPED)
    results.sort(key=lambda r: r.id)
    elapsed = time.perf_counter() - started
    print()
    print(table(results))
    print(f"\ntotal {elapsed:.1f} s ({'cached database' if cached else 'including generation'}"
          f"); targets are set for size L, checked here at every size")
    if args.json:
        report = {
            "commit": _git_commit(), "size": args.size, "customers": SIZES[args.size],
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
