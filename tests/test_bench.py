"""The benchmark's data and baselines are right (its timings are never asserted)."""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.db import Database, default_sqlite_url
from app.db.models import phone_grams
from app.domain.phones import parse_phone
from app.services import Services

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "build_scripts"))
import bench  # noqa: E402

CUSTOMERS = 300


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> bench.Generated:
    path = tmp_path_factory.mktemp("bench") / "bench.db"
    return bench.generate(path, CUSTOMERS, seed=7)


@pytest.fixture
def opened(generated: bench.Generated) -> Iterator[tuple[Services, sqlite3.Connection]]:
    db = Database(default_sqlite_url(Path(generated.path)))
    connection = sqlite3.connect(generated.path)
    yield Services.open(db), connection
    connection.close()
    db.dispose()


def test_counts_match_what_was_generated(generated: bench.Generated,
                                         opened: tuple[Services, sqlite3.Connection]) -> None:
    _, connection = opened

    def count(sql: str) -> int:
        return connection.execute(sql).fetchone()[0]

    assert count("SELECT count(*) FROM customers") == generated.customers == CUSTOMERS
    assert count("SELECT count(*) FROM customers WHERE merged_into_id IS NOT NULL") \
        == generated.merged
    assert count("SELECT count(*) FROM customer_phones") == generated.phones > CUSTOMERS
    assert count("SELECT count(*) FROM phone_grams") == generated.grams
    assert count("SELECT count(*) FROM units") == generated.units
    assert count("SELECT count(*) FROM customer_units") == generated.links
    # every live card can be found again; merged cards gave theirs away, as merge does
    assert count("SELECT count(*) FROM customers c WHERE merged_into_id IS NULL AND NOT EXISTS "
                 "(SELECT 1 FROM customer_phones p WHERE p.customer_id = c.id)") == 0
    assert count("SELECT count(*) FROM customer_phones p JOIN customers c "
                 "ON c.id = p.customer_id WHERE c.merged_into_id IS NOT NULL") == 0
    assert generated.landlines > 0 and generated.shared_numbers > 0
    assert {row[0] for row in connection.execute("SELECT customer_type FROM customers")} \
        == {"owner", "family", "tenant", "merchant"}


def test_every_number_is_stored_as_the_service_stores_it(
        opened: tuple[Services, sqlite3.Connection]) -> None:
    _, connection = opened
    grams: dict[int, set[str]] = {}
    for gram, phone_id in connection.execute("SELECT gram, phone_id FROM phone_grams"):
        grams.setdefault(phone_id, set()).add(gram)
    phones = connection.execute(
        "SELECT id, normalized, digits, display FROM customer_phones").fetchall()
    for phone_id, normalized, digits, display in phones:
        assert grams.get(phone_id) == set(phone_grams(digits)), display
        parsed = parse_phone(display)
        assert (parsed.normalized, parsed.digits, parsed.display) == \
            (normalized, digits, display)


def test_the_admin_signs_in(opened: tuple[Services, sqlite3.Connection]) -> None:
    services, _ = opened
    actor = services.users.authenticate(bench.ADMIN_LOGIN, bench.ADMIN_PASSWORD)
    assert actor.role.value == "admin"


def test_same_seed_same_data(generated: bench.Generated, tmp_path: Path) -> None:
    again = bench.generate(tmp_path / "again.db", CUSTOMERS, seed=7)
    assert (again.phones, again.grams, again.units) == \
        (generated.phones, generated.grams, generated.units)
    query = "SELECT name, customer_type, updated_at FROM customers ORDER BY id"
    with sqlite3.connect(generated.path) as one, sqlite3.connect(again.path) as two:
        assert one.execute(query).fetchall() == two.execute(query).fetchall()


def test_the_service_finds_the_generated_card_by_every_key(
        opened: tuple[Services, sqlite3.Connection]) -> None:
    services, connection = opened
    keys = bench.search_keys(connection, seed=7)
    assert [k.kind for k in keys] == ["full name", "name fragment", "pinyin initials",
                                      "full pinyin", "4-digit fragment", "phone prefix", "unit"]
    for key in keys:
        page = services.customers.search(key.query, 0, 1000)
        assert key.customer_id in [row.id for row in page.rows], key


@pytest.mark.parametrize("kind", ["full name", "name fragment", "pinyin initials",
                                  "full pinyin", "4-digit fragment", "phone prefix", "unit"])
def test_the_naive_baseline_returns_what_the_service_returns(
        opened: tuple[Services, sqlite3.Connection], kind: str) -> None:
    services, connection = opened
    key = next(k for k in bench.search_keys(connection, seed=7) if k.kind == kind)
    page = services.customers.search(key.query, 0, bench.PAGE)
    total, rows = bench.naive_search(connection, key.query, 0, bench.PAGE)
    assert total == page.total > 0
    assert [r[0] for r in rows] == [r.id for r in page.rows]
    assert [(r[1], r[6], r[7]) for r in rows] == [(r.name, r.phones, r.units)
                                                  for r in page.rows]


@pytest.mark.parametrize("query", ["", "zh", "138", "1380", "3-2-301", "1-1-101", "S1-101", "王"])
def test_the_naive_baseline_counts_like_the_service(
        opened: tuple[Services, sqlite3.Connection], query: str) -> None:
    services, connection = opened
    assert bench.naive_search(connection, query)[0] == services.customers.search(query).total


def test_the_raw_lookup_returns_the_cards_the_service_returns(
        opened: tuple[Services, sqlite3.Connection]) -> None:
    services, connection = opened
    numbers = bench.lookup_numbers(connection, 40, seed=7)
    shared = connection.execute(
        "SELECT p.digits, p.normalized FROM customer_phones p GROUP BY p.normalized "
        "HAVING count(*) > 1 LIMIT 1").fetchall()
    assert shared, "the generated data has no number shared by two cards"
    for digits, normalized in numbers + shared:
        cards = services.customers.lookup_phone(digits)
        rows = bench.raw_lookup(connection, normalized)
        assert [c.id for c in cards] == [r[0] for r in rows] != []
        assert [("、".join(p.display for p in c.phones), "、".join(u.label for u in c.units))
                for c in cards] == [(r[6], r[7]) for r in rows]


@pytest.fixture(scope="module")
def active(tmp_path_factory: pytest.TempPathFactory) -> bench.Generated:
    """Cards with two months of calls, complaints and callbacks up to the bench's "now"."""
    path = tmp_path_factory.mktemp("bench-active") / "bench.db"
    return bench.generate(path, 1_500, months=2, seed=5)


def test_the_call_list_baseline_reads_the_calls_the_service_lists(
        active: bench.Generated) -> None:
    from app.services.calls import CallFilter

    db = Database(default_sqlite_url(Path(active.path)))
    try:
        first, last, _start, _end = bench._call_days()
        page = Services.open(db).calls.list(CallFilter(start=first, end=last), 0, 100)
        with sqlite3.connect(active.path) as connection:
            rows = bench.raw_month_calls(connection)
    finally:
        db.dispose()
    assert len(rows) == page.total > 100
    assert [r[0] for r in rows[:100]] == [r.id for r in page.rows]


def test_the_workbook_baselines_write_the_report_s_detail_rows(
        active: bench.Generated, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from app.reports.monthly import monthly_report

    db = Database(default_sqlite_url(Path(active.path)))
    try:
        actor = Services.open(db).users.authenticate(bench.ADMIN_LOGIN, bench.ADMIN_PASSWORD)
        report = monthly_report(db, actor, bench.report_month(), "bench")
    finally:
        db.dispose()
    frames = bench._detail_frames(report)
    assert [len(rows) for _name, _headers, rows in frames] == \
        [len(report.complaints), len(report.callbacks)]
    assert len(report.complaints) > 20 and len(report.callbacks) > 20
    assert all(len(headers) == len(rows[0]) for _name, headers, rows in frames)
    bench._openpyxl_export(frames, tmp_path / "raw.xlsx")
    book = load_workbook(tmp_path / "raw.xlsx")
    assert [book[name].max_row for name, _h, _r in frames] == \
        [len(rows) + 1 for _n, _h, rows in frames]
    pytest.importorskip("pandas")  # a bench-only dependency (pyproject's "bench" extra)
    bench._pandas_export(frames, tmp_path / "pandas.xlsx")
    book = load_workbook(tmp_path / "pandas.xlsx")
    assert [book[name].max_row for name, _h, _r in frames] == \
        [len(rows) + 1 for _n, _h, rows in frames]


def test_a_run_compares_with_an_earlier_one() -> None:
    now = bench.Result("1", "caller lookup", "ms", bench.Stats.of([1.5, 1.5, 1.6]),
                       bench.Stats.of([0.5]), target="≤3×", met=True)
    earlier = {"commit": "abc123", "at": "2026-11-01", "size": "L",
               "results": [{"id": "1", "ours": {"median": 3.0}}]}
    assert "3.00 →     1.50 ms  (-50 %)" in bench.comparison([now], earlier)
    row = bench.markdown([now]).splitlines()[-1]
    assert row == "| 1 | caller lookup | 1.50 ms | 1.60 ms | 0.50 ms | 3.0× | ≤3× | yes |"


@pytest.mark.gui
def test_the_minimal_client_hands_over_what_the_hook_hands_over(qtbot: QtBot,
                                                               tmp_path: Path) -> None:
    """Scenario 8's baseline reaches the app's socket with the hook's message."""
    import json
    import subprocess

    from app.paths import resolve_paths
    from ui.single_instance import InstanceServer

    server = InstanceServer(resolve_paths(tmp_path))
    assert server.listen()
    message = json.dumps({"incoming_call": "13800138000", "missed": False})
    try:
        with qtbot.waitSignal(server.incoming_call, timeout=15_000) as arrived:
            process = subprocess.Popen([sys.executable, "-c", bench.MINIMAL_CLIENT,
                                        server.server.fullServerName(), message])
        assert process.wait(timeout=15) == 0
        qtbot.waitUntil(lambda: not server._buffers)  # the connection is done with
    finally:
        server.close()
    assert arrived.args == ["13800138000", False]


def test_the_pop_up_scenario_sees_each_number_s_cards(generated: bench.Generated,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """One window process, the real hook and the minimal client for two numbers (the first
    a warm-up): the pop-up showed the cards the number belongs to, and the frozen figure is
    skipped without a build."""
    monkeypatch.setattr(bench, "frozen_app", None)
    hook, frozen = bench.scenario_popup(Path(generated.path), "tiny", 1, 7)
    assert hook.id == "8a" and hook.ours is not None and hook.baseline is not None
    assert hook.ours.n == hook.baseline.n == 1
    assert hook.details["wrong_cards"] == 0
    assert hook.met == (hook.ours.p95 <= 300 and hook.ours.median <= 2 * hook.baseline.median)
    assert frozen.id == "8b" and frozen.skipped


def test_the_sign_in_window_is_timed_by_the_app_s_own_log(generated: bench.Generated) -> None:
    """4c's measurement: the real program on the database logs that the sign-in window is up
    (the bench waits for that line), and the bare window reports itself shown."""
    took = bench._sign_in_ms([sys.executable, "-m", "app"], Path(generated.path), timeout=60)
    bare = bench._bare_ms([sys.executable, str(ROOT / "build_scripts" / "bare_window.py")])
    assert took > 0 and bare > 0
