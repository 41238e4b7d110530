"""每日工作报表 on a known day: every figure checked against a count made here, by hand."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook

from app import cli
from app.domain.calls import CallType, Direction, Outcome
from app.domain.roles import Actor, Role
from app.errors import PermissionDenied
from app.exporters.daily_report import export_daily_report
from app.paths import AppPaths
from app.reports.daily import daily_report
from app.services import Services
from app.services.calls import CallInput
from tests.workbook_layout import assert_fits_and_prints

DAY = date(2026, 11, 20)


def at(hour: int, minute: int = 0, day: date = DAY) -> datetime:
    return datetime.combine(day, time(hour, minute)).astimezone()  # the PC's local time


@pytest.fixture
def day_of_calls(services: Services, admin: Actor) -> tuple[Actor, Actor]:
    services.users.add_user(admin, "kf01", "王芳", Role.OPERATOR, "secret1")
    services.users.add_user(admin, "kf02", "李娜", Role.OPERATOR, "secret1")
    a = services.users.authenticate("kf01", "secret1")
    b = services.users.authenticate("kf02", "secret1")
    log = services.calls.log

    def call(actor: Actor, when: datetime, kind: CallType | None, outcome: Outcome | None,
             seconds: int, direction: Direction = Direction.INBOUND,
             missed: bool = False) -> None:
        log(actor, CallInput(phone="13800138000", direction=direction, call_type=kind,
                             summary="" if missed else "内容", outcome=outcome,
                             department_id=1 if outcome == Outcome.DISPATCHED else None,
                             duration_seconds=seconds, missed=missed, received_at=when))

    call(a, at(0, 0), CallType.INQUIRY, Outcome.SOLVED, 60)  # first minute of the day
    call(a, at(9), CallType.REPAIR, Outcome.DISPATCHED, 120)
    call(a, at(10), CallType.COMPLAINT, Outcome.COMPLAINT, 300)
    call(a, at(11), None, None, 0, missed=True)
    call(a, at(15), CallType.OTHER, Outcome.SOLVED, 30, direction=Direction.OUTBOUND)
    call(b, at(23, 59), CallType.INQUIRY, Outcome.SOLVED, 90)  # last minute of the day
    call(a, at(23, 59, DAY - timedelta(days=1)), CallType.INQUIRY, Outcome.SOLVED, 999)
    call(b, at(0, 0, DAY + timedelta(days=1)), CallType.INQUIRY, Outcome.SOLVED, 999)
    return a, b


def test_one_operators_day(services: Services, day_of_calls: tuple[Actor, Actor]) -> None:
    a, _ = day_of_calls
    report = daily_report(services.db, a, DAY)
    assert (report.total, report.inbound, report.outbound, report.missed, report.answered) == \
        (5, 4, 1, 1, 3)  # answered: inbound calls only
    assert report.average_handle_seconds == (60 + 120 + 300 + 30) / 4
    assert report.first_call_resolution == pytest.approx(1 / 3)  # solved / inbound taken
    assert report.complaints_opened == 1
    assert report.by_type == {CallType.INQUIRY: 1, CallType.REPAIR: 1,
                              CallType.COMPLAINT: 1}
    assert report.by_outcome == {Outcome.SOLVED: 1, Outcome.DISPATCHED: 1,
                                 Outcome.COMPLAINT: 1}
    assert [c.received_at for c in report.calls] == sorted(c.received_at for c in report.calls)


def test_everyones_day_for_a_supervisor(services: Services, admin: Actor,
                                        day_of_calls: tuple[Actor, Actor]) -> None:
    report = daily_report(services.db, admin, DAY)
    assert report.total == 6 and report.operator_name == "全部客服"
    assert report.average_handle_seconds == (60 + 120 + 300 + 30 + 90) / 5
    assert report.first_call_resolution == 2 / 4
    b_only = daily_report(services.db, admin, DAY, day_of_calls[1].user_id)
    assert (b_only.total, b_only.operator_name) == (1, "李娜")


def test_operators_see_only_their_own_day(services: Services,
                                          day_of_calls: tuple[Actor, Actor]) -> None:
    a, b = day_of_calls
    with pytest.raises(PermissionDenied):
        daily_report(services.db, a, DAY, b.user_id)
    assert daily_report(services.db, a, DAY, None).operator_id == a.user_id


def test_an_empty_day_has_no_rates(services: Services, admin: Actor) -> None:
    report = daily_report(services.db, admin, date(2020, 1, 1))
    assert report.total == 0
    assert report.average_handle_seconds is None and report.first_call_resolution is None


def test_the_workbook_holds_the_figures_and_every_call(services: Services, admin: Actor,
                                                       day_of_calls: tuple[Actor, Actor],
                                                       tmp_path: Path) -> None:
    a, _ = day_of_calls
    path = export_daily_report(daily_report(services.db, a, DAY), "阳光花园物业服务中心",
                               tmp_path / "daily.xlsx")
    book = load_workbook(path)
    summary, detail = book["汇总"], book["来电明细"]
    assert summary["A1"].value == "阳光花园物业服务中心 每日工作报表"
    assert "2026-11-20" in summary["A2"].value and "王芳" in summary["A2"].value
    figures = {row[0].value: row[1] for row in summary.iter_rows(min_row=5)}
    assert figures["来电总数"].value == 5
    assert figures["未接"].value == 1
    assert figures["平均处理时长（分:秒）"].value == "2:08"  # 127.5 s
    assert figures["当场解决率"].value == pytest.approx(1 / 3)
    assert figures["当场解决率"].number_format == "0.0%"
    assert figures["报修"].value == 1
    assert detail.max_row == 6 and detail.freeze_panes == "A2"
    assert [c.value for c in detail[1]][:3] == ["时间", "方向", "号码"]
    assert summary.page_setup.orientation == "portrait"  # two columns: portrait prints larger
    assert_fits_and_prints(detail)


def test_cli_exports_the_daily_report(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                      paths: AppPaths) -> None:
    from app.bootstrap import database_url, open_database

    open_database(database_url(paths), paths).db.dispose()
    code = cli.main(["export", "daily-report", "--date", "2026-11-20", "--operator", "nobody",
                     "--out", str(tmp_path / "x.xlsx")])
    assert code == 1 and "nobody" in capsys.readouterr().err


def test_callback_calls_never_count_as_answered_or_solved(services: Services,
                                                          admin: Actor) -> None:
    """A missed call called back twice without reaching anyone: two outbound calls, and the
    day's 已接听 and 当场解决率 are still those of the inbound calls."""
    from app.services.callbacks import CallbackFilter, Outcome_, Queue

    today = datetime.now().astimezone().date()
    services.calls.log(admin, CallInput(phone="13800138000", call_type=CallType.INQUIRY,
                                        outcome=Outcome.DISPATCHED, department_id=1,
                                        summary="报修", duration_seconds=60))
    services.calls.log(admin, CallInput(phone="13900139000", missed=True))
    task = services.callbacks.list(CallbackFilter(Queue.ALL)).rows[0]
    for _try in range(2):
        services.callbacks.record(admin, task.id, Outcome_(reached=False))
    report = daily_report(services.db, admin, today)
    assert (report.inbound, report.outbound, report.missed, report.answered) == (2, 2, 1, 1)
    assert report.first_call_resolution == 0
    assert report.by_outcome == {Outcome.DISPATCHED: 1}
