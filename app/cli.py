"""The ``calldesk`` command: the GUI by default, and subcommands for scripts and admins.

    calldesk [--database URL] [--data-dir DIR] [--lang zh_CN|en] [--demo]
    calldesk db info|upgrade|check|backups [--json]
    calldesk db backup [--to FILE] [--json]
    calldesk db restore FILE [--yes]
    calldesk user add LOGIN --role ROLE [--name NAME] [--password-stdin]
    calldesk demo-data [--seed N] [--customers N] [--months N] [--size S|M|L] [--bulk]
    calldesk complaints list [--status S] [--open] [--overdue] [--json]
    calldesk callbacks due [--all] [--json]
    calldesk export monthly-callbacks --month YYYY-MM --out FILE [--estate NAME]
        [--department NAME] [--json]
    calldesk print-slip NUMBER... --pdf FILE [--layout a4|a5|two_on_a4]
    calldesk incoming-call PHONE [--missed] [--demo]

The commands that only look (db info, db check, lookup, callbacks due, complaints list, the
exports, print-slip) open the database read-only: they never create or change a file.
Bad input prints one line on stderr and exits non-zero: 2 for a wrong command line, 1 when
the command could not be done.
"""

from __future__ import annotations

import argparse
import getpass
import importlib
import json
import logging
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from sqlalchemy.exc import DBAPIError

from app import __version__, clock, i18n
from app.backups import commands as backup_commands
from app.bootstrap import database_url, open_database, open_read_only  # noqa: F401 (tests)
from app.db import Database, migrate
from app.db.engine import normalise_url
from app.db.problems import problem_from
from app.domain.complaints import Status
from app.domain.roles import Actor, Role
from app.errors import CallDeskError
from app.i18n import translate
from app.jobs import finish
from app.logging_setup import configure_logging
from app.paths import AppPaths, resolve_paths
from app.services.deadlines import DeadlineService
from app.settings import LANGUAGE, LocalSettings

if TYPE_CHECKING:
    from app.reports.monthly import Month

log = logging.getLogger(__name__)



class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        hint = translate("CLI", "see --help")
        self.exit(2, f"{self.prog}: {message} ({hint})\n")


def _common() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--database", metavar="URL", default=argparse.SUPPRESS,
                        help="database URL (default: SQLite in the data folder)")
    common.add_argument("--data-dir", metavar="DIR", default=argparse.SUPPRESS,
                        help="keep data, settings and logs in DIR")
    common.add_argument("--lang", choices=i18n.LANGUAGES, default=argparse.SUPPRESS,
                        help="language of messages")
    return common


def build_parser() -> argparse.ArgumentParser:
    common = _common()
    parser = _Parser(prog="calldesk", parents=[common],
                     description="CallDesk 物业客服工作台 — front-desk call-centre workstation.")
    parser.add_argument("--version", action="version", version=f"CallDesk {__version__}")
    parser.add_argument("--demo", action="store_true",
                        help="open a throw-away demo database signed in as a demo supervisor")
    parser.add_argument("--smoke-test", action="store_true",
                        help="check this CallDesk end to end (offscreen, on a demo database in a "
                             "temporary folder), print each step, exit 0 or 1 with the reason")
    commands = parser.add_subparsers(dest="command", parser_class=_Parser, metavar="COMMAND")

    db = commands.add_parser("db", help="the database: info, upgrade, check")
    db_commands = db.add_subparsers(dest="db_command", required=True, metavar="ACTION",
                                    parser_class=_Parser)
    for name, text in (("info", "schema version and where the database is"),
                       ("upgrade", "bring the schema up to date (backs up SQLite first)"),
                       ("check", "check schema and contents; exit 1 on problems")):
        action = db_commands.add_parser(name, parents=[common], help=text)
        action.add_argument("--json", action="store_true", help="print JSON")
    backup = db_commands.add_parser(
        "backup", parents=[common],
        help="back up the database now, verified (SQLite; pg_dump on PostgreSQL)")
    backup.add_argument("--to", metavar="FILE",
                        help="write the backup to FILE (default: the backups folder, rotated)")
    backup.add_argument("--json", action="store_true", help="print JSON")
    backups = db_commands.add_parser("backups", parents=[common],
                                     help="list the backups with date, size and record counts")
    backups.add_argument("--json", action="store_true", help="print JSON")
    restore = db_commands.add_parser(
        "restore", parents=[common],
        help="put a backup back in place of the database (a safety copy is taken first)")
    restore.add_argument("file")
    restore.add_argument("--yes", action="store_true", help="do not ask before restoring")

    user = commands.add_parser("user", help="user accounts")
    user_commands = user.add_subparsers(dest="user_command", required=True, metavar="ACTION",
                                        parser_class=_Parser)
    add = user_commands.add_parser("add", parents=[common], help="add a user account")
    add.add_argument("login")
    add.add_argument("--role", required=True, choices=[r.value for r in Role])
    add.add_argument("--name", help="display name (default: the login)")
    add.add_argument("--password-stdin", action="store_true",
                     help="read the password from the first line of standard input")

    lookup = commands.add_parser("lookup", parents=[common],
                                 help="the customers with this phone number")
    lookup.add_argument("phone")
    lookup.add_argument("--json", action="store_true", help="print JSON")

    handover = commands.add_parser("handover", help="shift handovers (交接班记录)")
    handover_commands = handover.add_subparsers(dest="handover_command", required=True,
                                                metavar="ACTION")
    show = handover_commands.add_parser("show", parents=[common],
                                        help="the handovers of a day (default: today)")
    show.add_argument("--date", type=date.fromisoformat, help="YYYY-MM-DD, local")
    show.add_argument("--json", action="store_true", help="print JSON")

    find = commands.add_parser("search", parents=[common],
                               help="find customers, complaints and calls (as Ctrl+K does)")
    find.add_argument("text", help="a name, pinyin initials, phone digits, unit, number …")
    find.add_argument("--json", action="store_true", help="print JSON")

    roster = commands.add_parser("import-customers", parents=[common],
                                 help="import a customer roster from an Excel workbook")
    roster.add_argument("file")
    roster.add_argument("--sheet", help="the sheet to read (default: the first)")
    roster.add_argument("--dry-run", action="store_true",
                        help="check and count, write nothing")
    roster.add_argument("--json", action="store_true", help="print JSON")
    roster.add_argument("--rejected-out", metavar="XLSX",
                        help="save the rejected rows to this workbook for fixing")

    export = commands.add_parser("export", help="reports as Excel workbooks")
    export_commands = export.add_subparsers(dest="export_command", required=True,
                                            metavar="REPORT", parser_class=_Parser)
    daily = export_commands.add_parser("daily-report", parents=[common],
                                       help="每日工作报表: one day's calls, per operator or all")
    daily.add_argument("--date", required=True, type=date.fromisoformat,
                       metavar="YYYY-MM-DD")
    daily.add_argument("--operator", metavar="LOGIN", help="one operator (default: all)")
    daily.add_argument("--out", required=True, metavar="FILE")
    monthly = export_commands.add_parser(
        "monthly-callbacks", parents=[common],
        help="回访客户月统计表: a month's complaints, callbacks and calls")
    monthly.add_argument("--month", required=True, type=_month, metavar="YYYY-MM")
    monthly.add_argument("--out", required=True, metavar="FILE")
    monthly.add_argument("--estate", metavar="NAME",
                         help="only this estate's complaints, callbacks and calls")
    monthly.add_argument("--department", metavar="NAME",
                         help="only the complaints dispatched to this department (and their "
                              "callbacks); calls are not filtered")
    monthly.add_argument("--json", action="store_true", help="print JSON")

    incoming = commands.add_parser(
        "incoming-call", parents=[common],
        help="hand an incoming call to the running CallDesk (softphones run this)")
    incoming.add_argument("phone")
    incoming.add_argument("--missed", action="store_true",
                          help="the call was missed: log it and add a callback task")
    incoming.add_argument("--demo", action="store_true", default=argparse.SUPPRESS,
                          help="hand it to the demo window instead (opens one if none runs)")

    complaints = commands.add_parser("complaints", help="complaint forms")
    complaint_commands = complaints.add_subparsers(dest="complaints_command", required=True,
                                                   metavar="list")
    listing = complaint_commands.add_parser("list", parents=[common],
                                            help="list complaints, most urgent first")
    listing.add_argument("--status", action="append", choices=[s.value for s in Status],
                         help="only this status (repeat for several; default: every status)")
    listing.add_argument("--open", action="store_true", help="only open complaints")
    listing.add_argument("--overdue", action="store_true", help="only overdue complaints")
    listing.add_argument("--department", metavar="NAME", help="only this department")
    listing.add_argument("--limit", type=int, default=200, help="at most this many (200)")
    listing.add_argument("--json", action="store_true", help="print JSON")

    callbacks = commands.add_parser("callbacks", help="callbacks (回访 / 回拨)")
    callback_commands = callbacks.add_subparsers(dest="callbacks_command", required=True,
                                                 metavar="due", parser_class=_Parser)
    due = callback_commands.add_parser(
        "due", parents=[common], help="callbacks to make now (overdue or due today), most "
                                      "overdue first")
    due.add_argument("--all", action="store_true",
                     help="every pending callback, also those due later")
    due.add_argument("--json", action="store_true", help="print JSON")

    slip = commands.add_parser("print-slip", parents=[common],
                               help="write complaint slips (投诉处理单) to a PDF file")
    slip.add_argument("numbers", nargs="+", metavar="NUMBER", help="e.g. TS202611-0001")
    slip.add_argument("--pdf", required=True, metavar="FILE")
    slip.add_argument("--layout", choices=["a4", "a5", "two_on_a4"], default="a4",
                      help="A4, A5, or two copies (存根联/派工联) on one A4 (default: a4)")

    demo = commands.add_parser("demo-data", parents=[common],
                               help="fill an empty database with demo data")
    demo.add_argument("--seed", type=int, default=None, help="same seed, same data")
    demo.add_argument("--customers", type=int, default=None, metavar="N",
                      help="how many customer cards (default 300)")
    demo.add_argument("--months", type=int, default=None, metavar="N",
                      help="months of calls up to today (default 1)")
    demo.add_argument("--size", choices=["S", "M", "L"], type=str.upper, default=None,
                      help="the benchmark's sizes: S = 2,000 customers and 3 months, M = "
                           "20,000 and 12, L = 100,000 and 36 (about a million calls); "
                           "implies --bulk")
    demo.add_argument("--bulk", action="store_true",
                      help="write the rows straight into the tables: minutes instead of hours "
                           "at scale, without an audit entry per step")
    return parser


def _month(text: str) -> Month:
    """--month: "2026-11" → Month; anything else is a command-line error."""
    from app.reports.monthly import Month

    try:
        month = Month.parse(text)
        month.first_day  # noqa: B018 (a year 0 fails here)
    except ValueError:
        raise argparse.ArgumentTypeError(translate(
            "CLI", "{text} is not a month; write it as YYYY-MM, e.g. 2026-11").format(
            text=repr(text))) from None
    return month


def _paths(args: argparse.Namespace) -> AppPaths:
    # Made by the commands that write (``_open``): one that only looks creates nothing.
    return resolve_paths(getattr(args, "data_dir", None))


def _open(args: argparse.Namespace, paths: AppPaths, *, upgrade: bool = True) -> Database:
    local = LocalSettings(paths.settings_file)
    url = database_url(paths, getattr(args, "database", None), local)
    return open_database(url, paths.ensure(), upgrade=upgrade).db


def _read(args: argparse.Namespace, paths: AppPaths, *, any_schema: bool = False) -> Database:
    """For the commands that only look: the database as it is, never created or changed."""
    local = LocalSettings(paths.settings_file)
    return open_read_only(database_url(paths, getattr(args, "database", None), local),
                          any_schema=any_schema)


def _db_info(args: argparse.Namespace, paths: AppPaths) -> int:
    db = _read(args, paths, any_schema=True)
    state = migrate.schema_state(db)
    info = {
        "version": __version__,
        "database": db.describe(),
        "backend": db.url.get_backend_name(),
        "schema_version": state.current,
        "latest_schema_version": state.head,
        "status": state.status,
        "data_dir": str(paths.data_dir),
        "log_dir": str(paths.log_dir),
    }
    if args.json:
        print(json.dumps(info, ensure_ascii=False))
    else:
        status = {
            migrate.EMPTY: translate("CLI", "empty (no tables yet; opening CallDesk sets it up)"),
            migrate.CURRENT: translate("CLI", "up to date"),
            migrate.BEHIND: translate("CLI", "older than this program (run: calldesk db upgrade)"),
            migrate.NEWER: translate("CLI", "newer than this program (install the latest CallDesk)"),
        }[state.status]
        print(translate("CLI", "Database: {database}").format(database=info["database"]))
        print(translate("CLI", "Schema: {current} (latest {head}), {status}").format(
            current=state.current or "-", head=state.head, status=status))
        print(translate("CLI", "Data folder: {folder}").format(folder=paths.data_dir))
    return 0


def _db_upgrade(args: argparse.Namespace, paths: AppPaths) -> int:
    db = _open(args, paths, upgrade=False)
    before = migrate.schema_state(db)
    backup = migrate.upgrade(db, paths.backup_dir)
    after = migrate.schema_state(db)
    result = {"from": before.current, "to": after.current,
              "backup": str(backup) if backup else None}
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    elif before.current == after.current:
        print(translate("CLI", "Already up to date (schema {head}).").format(head=after.current))
    else:
        print(translate("CLI", "Upgraded from {old} to {new}.").format(old=before.current or "-",
                                                         new=after.current))
        if backup:
            print(translate("CLI", "Backup of the old database: {path}").format(path=backup))
    return 0


def _db_check(args: argparse.Namespace, paths: AppPaths) -> int:
    db = _read(args, paths, any_schema=True)
    problems = migrate.check(db)
    # The working calendar is a warning, not a problem: it does not change the exit code.
    calendar = None if problems else DeadlineService(db).calendar_status()
    if args.json:
        print(json.dumps({"ok": not problems, "problems": problems,
                          "calendar": {str(year): status.value for year, status
                                       in calendar.years.items()} if calendar else None},
                         ensure_ascii=False))
        return 1 if problems else 0
    if problems:
        for problem in problems:
            print(problem)
    else:
        print(translate("CLI", "No problems found."))
    for warning in calendar.warnings() if calendar else []:
        print(translate("CLI", "Warning: {warning}").format(warning=warning))
    return 1 if problems else 0


def _user_add(args: argparse.Namespace, paths: AppPaths) -> int:
    from app.services.users import UserService

    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    elif sys.stdin.isatty():
        password = getpass.getpass(translate("CLI", "Password: "))
        if getpass.getpass(translate("CLI", "Repeat the password: ")) != password:
            raise CallDeskError(translate("CLI", "The two passwords differ; nothing was saved."))
    else:
        raise CallDeskError(translate("CLI", "No terminal to ask for the password; use --password-stdin."))
    db = _open(args, paths)
    user = UserService(db).add_user(Actor.system(), args.login, args.name or args.login,
                                    Role(args.role), password)
    print(translate("CLI", "Added {login} ({role}).").format(login=user.login, role=user.role.label))
    return 0


def _demo_data(args: argparse.Namespace, paths: AppPaths) -> int:
    from app import demo

    db = _open(args, paths)
    if args.customers is not None and args.customers < 0:
        raise CallDeskError(translate("CLI", "--customers needs a number of 0 or more."))
    if args.months is not None and args.months < 0:
        raise CallDeskError(translate("CLI", "--months needs a number of 0 or more."))
    seed = demo.DEFAULT_SEED if args.seed is None else args.seed
    if args.bulk or args.size:
        from app import demo_bulk

        customers, months = demo_bulk.SIZES[args.size or "S"]
        bulk = demo_bulk.fill(
            db, seed=seed, customers=customers if args.customers is None else args.customers,
            months=months if args.months is None else args.months,
            progress=lambda line: print(line, file=sys.stderr, flush=True))
        summary = demo.DemoSummary(
            centre_name=bulk.centre_name, users=bulk.users, departments=0,
            supervisor_login=demo.DEMO_LOGIN, customers=bulk.customers, calls=bulk.calls,
            complaints=bulk.complaints)
    else:
        summary = demo.fill(db, seed=seed, customers=demo.DEFAULT_CUSTOMERS
                            if args.customers is None else args.customers,
                            months=demo.DEFAULT_MONTHS if args.months is None else args.months)
    print(translate("CLI", "Demo data for {centre}: {users} users, {customers} customer cards, "
                           "{calls} calls, {complaints} complaints. Sign in as {login} / "
                           "{password}.").format(
        centre=summary.centre_name, users=summary.users, customers=summary.customers,
        calls=summary.calls, complaints=summary.complaints, login=summary.supervisor_login,
        password=demo.DEMO_PASSWORD))
    return 0


def _lookup(args: argparse.Namespace, paths: AppPaths) -> int:
    from app.services.complaints import ComplaintService
    from app.services.customers import CustomerService

    db = _read(args, paths)
    cards = CustomerService(db).lookup_phone(args.phone)
    open_complaints = ComplaintService(db).open_counts([c.id for c in cards])
    if args.json:
        print(json.dumps([{
            "id": c.id, "name": c.name, "title": c.title.value, "greeting": c.greeting_name,
            "tier": c.tier.value, "do_not_call": c.do_not_call,
            "phones": [p.display for p in c.phones],
            "units": [{"unit": u.label, "role": u.role.value} for u in c.units],
            "open_complaints": open_complaints[c.id],
        } for c in cards], ensure_ascii=False))
        return 0
    if not cards:
        print(translate("CLI", "No customer has this number."))
    for card in cards:
        print(f"{card.greeting_name}  [{card.tier.label}]  "
              f"{'、'.join(p.display for p in card.phones)}  "
              f"{'、'.join(u.label for u in card.units)}"
              + ("  " + translate("CLI", "{n} open complaint(s)").format(
                  n=open_complaints[card.id]) if open_complaints[card.id] else ""))
    return 0


def _handover_show(args: argparse.Namespace, paths: AppPaths) -> int:
    from app import clock
    from app.services.handover import HandoverService

    day = args.date or clock.utcnow().astimezone().date()
    rows = HandoverService(_read(args, paths)).on_day(day)
    if args.json:
        print(json.dumps({"date": day.isoformat(), "handovers": [{
            "id": row.id, "shift_start": row.shift.start.isoformat(),
            "shift_end": row.shift.end.isoformat(), "from": row.from_user,
            "handed_over_at": row.handed_over_at.isoformat(), "notes": row.notes,
            "acknowledged_by": row.acknowledged_by or None,
            "acknowledged_at": row.acknowledged_at.isoformat() if row.acknowledged_at
            else None,
            "sections": {section.value: [line.text for line in lines]
                         for section, lines in row.sections.items()},
        } for row in rows]}, ensure_ascii=False))
        return 0
    if not rows:
        print(translate("CLI", "No handover on {day}.").format(day=day.isoformat()))
    for row in rows:
        taken = translate("CLI", "taken over by {name}").format(name=row.acknowledged_by) \
            if row.acknowledged_at else translate("CLI", "not taken over yet")
        print(f"{row.shift.label}  {row.from_user}  ({taken})")
        if row.notes:
            print(f"  {row.notes}")
        for section, lines in row.sections.items():
            print(f"  {section.label}: {len(lines)}")
            for line in lines:
                print(f"    {line.text}")
    return 0


def _search(args: argparse.Namespace, paths: AppPaths) -> int:
    from app.services.global_search import GlobalSearch

    hits = GlobalSearch(_read(args, paths)).search(args.text)
    if args.json:
        print(json.dumps({"hits": [hit.as_json() for hit in hits]}, ensure_ascii=False))
        return 0
    if not hits:
        print(translate("CLI", "Nothing found."))
    for hit in hits:
        print(f"{hit.kind.label}  {hit.title}  {hit.subtitle}".rstrip())
    return 0


def _import_customers(args: argparse.Namespace, paths: AppPaths) -> int:
    from app.importers.roster import preview_roster, read_roster, save_rejected
    from app.services.customer_import import import_roster

    preview = preview_roster(args.file, args.sheet)
    roster = read_roster(args.file, preview.sheet, preview.header_row, preview.mapping)
    db = _open(args, paths)
    summary = finish(import_roster(db, Actor.system(), roster, dry_run=args.dry_run))
    if args.rejected_out and roster.rejected:
        save_rejected(roster, args.rejected_out)
    if args.json:
        print(json.dumps(summary.as_json(), ensure_ascii=False))
    else:
        print(translate("CLI", "{created} created, {updated} updated, {unchanged} unchanged, "
                               "{errors} row problem(s){dry}.").format(
            created=summary.created, updated=summary.updated, unchanged=summary.unchanged,
            errors=len(summary.errors),
            dry=translate("CLI", " (dry run: nothing written)") if args.dry_run else ""))
        for error in summary.errors:  # each message starts with its Excel row
            print(error.message)
    return 0


def _complaints_list(args: argparse.Namespace, paths: AppPaths) -> int:
    from app.domain.complaints import OPEN_STATUSES, Status, Urgency
    from app.services.complaints import ComplaintFilter, ComplaintService
    from app.services.departments import DepartmentService

    db = _read(args, paths)
    statuses: set[Status] | None = {Status(s) for s in args.status} if args.status else None
    if args.open:
        statuses = set(OPEN_STATUSES) & statuses if statuses else set(OPEN_STATUSES)
    department_id = None
    if args.department:
        found = [d for d in DepartmentService(db).list(include_inactive=True)
                 if d.name == args.department.strip()]
        if not found:
            raise CallDeskError(translate("CLI", "There is no department called {name}.")
                                .format(name=args.department))
        department_id = found[0].id
    filters = ComplaintFilter(statuses=frozenset(statuses) if statuses is not None else None,
                              urgency=Urgency.OVERDUE if args.overdue else None,
                              department_id=department_id)
    page = ComplaintService(db).list(filters, limit=max(1, args.limit))
    now = clock.utcnow()
    if args.json:
        print(json.dumps({"total": page.total, "complaints": [{
            "number": r.number, "status": r.status.value, "category": r.category.value,
            "severity": r.severity.value, "customer": r.customer_name, "unit": r.unit_label,
            "phone": r.phone, "department": r.department_name, "assignee": r.assignee,
            "registered_at": r.created_at.isoformat(), "urgency": r.urgency(now).value,
            "deadlines": {d.kind: {"due_at": d.due_at.isoformat() if d.due_at else None,
                                   "done_at": d.done_at.isoformat() if d.done_at else None,
                                   "state": d.urgency(now).value} for d in r.deadlines},
            "description": r.description,
        } for r in page.rows]}, ensure_ascii=False))
        return 0
    if not page.rows:
        print(translate("CLI", "No complaints match."))
    for r in page.rows:
        urgency = r.urgency(now)
        print("  ".join(part for part in (
            r.number, r.status.label, r.severity.label, r.category.label,
            r.customer_name or r.phone, r.unit_label, r.department_name,
            urgency.label if urgency in (Urgency.OVERDUE, Urgency.DUE_SOON) else "",
            r.description.splitlines()[0][:40] if r.description else "") if part))
    if page.total > len(page.rows):
        print(translate("CLI", "… {more} more; narrow the filters or raise --limit.").format(
            more=page.total - len(page.rows)))
    return 0


def _callbacks_due(args: argparse.Namespace, paths: AppPaths) -> int:
    from app.services.callbacks import PAGE_SIZE, CallbackFilter, CallbackService, Queue
    from app.services.settings import SharedSettingsService
    from app.settings import CALLBACK_MAX_ATTEMPTS

    db = _read(args, paths)
    service = CallbackService(db)
    rows = []
    # Everything due by tonight, then (--all) what is due later: together, by due time.
    for queue in (Queue.DUE, Queue.UPCOMING) if args.all else (Queue.DUE,):
        offset = 0
        while True:
            page = service.list(CallbackFilter(queue=queue), offset=offset, count=False)
            rows += page.rows
            if len(page.rows) < PAGE_SIZE:
                break
            offset += len(page.rows)
    max_attempts = SharedSettingsService(db).get(CALLBACK_MAX_ATTEMPTS)
    if max_attempts <= 0:  # as the callbacks count it
        max_attempts = CALLBACK_MAX_ATTEMPTS.default
    now = clock.utcnow()
    if args.json:
        print(json.dumps({"total": len(rows), "callbacks": [{
            "id": r.id, "due_at": r.due_at.isoformat(), "overdue": r.is_overdue(now),
            "reason": r.reason.value, "phone": r.phone, "customer": r.customer_name or None,
            "greeting": r.greeting_name or None, "do_not_call": r.do_not_call,
            "complaint": r.complaint_number or None,
            "complaint_summary": r.complaint_summary or None,
            "severity": r.severity.value if r.severity else None,
            "attempts": r.attempts, "max_attempts": max_attempts,
            "last_attempt_at": r.last_attempt_at.isoformat() if r.last_attempt_at else None,
            "note": r.note,
        } for r in rows]}, ensure_ascii=False))
        return 0
    if not rows:
        print(translate("CLI", "No callbacks are pending.") if args.all
              else translate("CLI", "No callbacks are due."))
        return 0
    overdue_mark = "[" + translate("CLI", "overdue") + "]"
    for r in rows:
        # The complaint it is about, or what was agreed for a callback set by hand.
        about = f"{r.complaint_number} {r.complaint_summary}".strip() \
            or (r.note.splitlines()[0][:60] if r.note.strip() else "")
        print("  ".join(part for part in (
            r.due_at.astimezone().strftime("%Y-%m-%d %H:%M"),
            overdue_mark if r.is_overdue(now) else "", r.reason.label,
            r.greeting_name, r.phone, about,
            translate("CLI", "attempts {n}/{max}").format(n=r.attempts, max=max_attempts),
        ) if part))
    overdue = sum(r.is_overdue(now) for r in rows)
    print(translate("CLI", "{total} callback(s), {overdue} overdue.").format(
        total=len(rows), overdue=overdue))
    return 0


def _print_slip(args: argparse.Namespace, paths: AppPaths) -> int:
    from app.services.complaints import ComplaintService
    from app.services.settings import SharedSettingsService
    from app.settings import CENTRE_NAME

    db = _read(args, paths)
    service = ComplaintService(db)
    centre = SharedSettingsService(db).get(CENTRE_NAME)
    slips = [service.slip(service.by_number(number).row.id, centre) for number in args.numbers]
    # Slips are drawn by Qt, which lives in ui/.
    target = importlib.import_module("ui.complaint_slip").save_pdf_headless(
        slips, args.layout, args.pdf)
    print(translate("CLI", "{count} slip(s) written to {path}").format(
        count=len(slips), path=target))
    return 0


def _incoming_call(args: argparse.Namespace, paths: AppPaths) -> int:
    # The running app is reached through Qt's local socket, which lives in ui/.
    single_instance = importlib.import_module("ui.single_instance")
    demo = getattr(args, "demo", False)
    if single_instance.send(paths, {"incoming_call": args.phone, "missed": args.missed},
                            demo=demo):
        return 0
    if demo:  # no demo window: open one; the card pops up on its data
        return importlib.import_module("ui.application").run(args, paths)
    if not _has_database(args, paths) and single_instance.running(paths, demo=True):
        # Only a demo runs, and this PC's CallDesk was never set up: a newcomer trying the
        # pop-up, not a softphone on a working desk.
        raise CallDeskError(translate(
            "CLI", "CallDesk is not set up on this PC yet; only the demo window runs. To try "
                   "the pop-up on the demo data, run: calldesk incoming-call --demo {phone}")
            .format(phone=args.phone))
    if args.missed:  # nobody at the desk: the callback task waits in the database
        from app.services.calls import CallInput, CallService

        row = CallService(_open(args, paths)).log(Actor.system(),
                                                  CallInput(phone=args.phone, missed=True))
        print(translate("CLI", "Missed call from {phone} logged; it waits in the callbacks.")
              .format(phone=row.phone))
        return 0
    # No CallDesk runs: start it; the card pops up after sign-in.
    return importlib.import_module("ui.application").run(args, paths)


def _has_database(args: argparse.Namespace, paths: AppPaths) -> bool:
    """False only when the database is the SQLite file in the data folder and it is not
    there (a server is taken to be there)."""
    url = normalise_url(database_url(paths, getattr(args, "database", None),
                                     LocalSettings(paths.settings_file)))
    return url.get_backend_name() != "sqlite" or not url.database \
        or url.database == ":memory:" or Path(url.database).is_file()


def _export_daily_report(args: argparse.Namespace, paths: AppPaths) -> int:
    from app.exporters.daily_report import export_daily_report
    from app.reports.daily import daily_report
    from app.services.settings import SharedSettingsService
    from app.services.users import UserService
    from app.settings import CENTRE_NAME

    db = _read(args, paths)
    operator_id = UserService(db).by_login(args.operator).id if args.operator else None
    report = daily_report(db, Actor.system(), args.date, operator_id)
    target = export_daily_report(report, SharedSettingsService(db).get(CENTRE_NAME), args.out)
    print(translate("CLI", "{calls} call(s) on {day}: {path}").format(
        calls=report.total, day=args.date.isoformat(), path=target))
    return 0


def _export_monthly_callbacks(args: argparse.Namespace, paths: AppPaths) -> int:
    from dataclasses import asdict

    from app.exporters.monthly_callbacks import export_monthly_callbacks
    from app.reports.monthly import definitions, monthly_report
    from app.services.settings import SharedSettingsService
    from app.settings import CENTRE_NAME

    db = _read(args, paths)
    department_id = None
    if args.department:
        from app.services.departments import DepartmentService

        found = [d for d in DepartmentService(db).list(include_inactive=True)
                 if d.name == args.department.strip()]
        if not found:
            raise CallDeskError(translate("CLI", "There is no department called {name}.")
                                .format(name=args.department))
        department_id = found[0].id
    report = monthly_report(db, Actor.system(), args.month,
                            SharedSettingsService(db).get(CENTRE_NAME),
                            estate=(args.estate or "").strip() or None,
                            department_id=department_id)
    target = export_monthly_callbacks(report, args.out, definitions())
    if args.json:
        print(json.dumps({"month": str(report.month), "kpis": asdict(report.kpis),
                          "previous": asdict(report.previous), "path": str(target)},
                         ensure_ascii=False))
    else:
        print(translate("CLI", "{complaints} complaint(s), {callbacks} callback(s) in {month}: "
                               "{path}").format(complaints=report.kpis.complaints_received,
                                                callbacks=report.kpis.callbacks_due,
                                                month=report.month, path=target))
    return 0


_HANDLERS = {
    ("db", "backup"): backup_commands.backup,
    ("db", "backups"): backup_commands.backups,
    ("db", "restore"): backup_commands.restore,
    ("db", "info"): _db_info,
    ("db", "upgrade"): _db_upgrade,
    ("db", "check"): _db_check,
    ("user", "add"): _user_add,
    ("demo-data", None): _demo_data,
    ("lookup", None): _lookup,
    ("search", None): _search,
    ("handover", "show"): _handover_show,
    ("import-customers", None): _import_customers,
    ("incoming-call", None): _incoming_call,
    ("export", "daily-report"): _export_daily_report,
    ("export", "monthly-callbacks"): _export_monthly_callbacks,
    ("complaints", "list"): _complaints_list,
    ("callbacks", "due"): _callbacks_due,
    ("print-slip", None): _print_slip,
}


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    args = build_parser().parse_args(argv)
    if getattr(args, "smoke_test", False) and args.command is None:
        # Qt, in ui/; nothing of this PC's data folder is touched.
        return importlib.import_module("ui.smoke_test").run(args)
    paths = _paths(args)
    local = LocalSettings(paths.settings_file)
    i18n.set_language(getattr(args, "lang", None) or local.get(LANGUAGE))
    if args.command is None:
        # The GUI lives in ui/; app/ never imports Qt itself.
        return importlib.import_module("ui.application").run(args, paths)
    configure_logging(paths.log_file)
    sub = getattr(args, "db_command", None) or getattr(args, "user_command", None) \
        or getattr(args, "export_command", None) \
        or getattr(args, "complaints_command", None) \
        or getattr(args, "callbacks_command", None) \
        or getattr(args, "handover_command", None)
    handler = _HANDLERS[(args.command, sub)]
    try:
        return handler(args, paths)
    except CallDeskError as error:
        print(f"calldesk: {error}", file=sys.stderr)
        return 1
    except Exception as error:
        problem = problem_from(error) if isinstance(error, DBAPIError) else None
        if problem is not None:
            log.warning("database problem: %s", error)
            print(f"calldesk: {problem}", file=sys.stderr)
            return 1
        log.exception("command failed: %s", argv)
        print("calldesk: " + translate("CLI", "Unexpected error; details are in the log: {log}").format(
            log=paths.log_file), file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
