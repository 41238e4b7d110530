"""The complaint form's vocabulary and its life (DESIGN.md, "The complaint's life")."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

from app.domain.roles import Permission
from app.domain.workflow import Step, Workflow
from app.i18n import translate

NUMBER_PREFIX = "TS"


class Source(enum.StrEnum):
    PHONE = "phone"
    WALK_IN = "walk_in"
    LETTER = "letter"
    ONLINE = "online"

    @property
    def label(self) -> str:
        return {Source.PHONE: translate("Complaint", "Phone"),
                Source.WALK_IN: translate("Complaint", "Walk-in"),
                Source.LETTER: translate("Complaint", "Letter"),
                Source.ONLINE: translate("Complaint", "Online")}[self]


class Category(enum.StrEnum):
    CLEANING = "cleaning"
    SECURITY = "security"
    LANDSCAPING = "landscaping"
    REPAIRS = "repairs"
    PARKING = "parking"
    NOISE = "noise"
    FEES = "fees"
    ATTITUDE = "attitude"
    RENOVATION = "renovation"
    OTHER = "other"

    @property
    def label(self) -> str:
        return {
            Category.CLEANING: translate("Complaint", "Cleaning"),
            Category.SECURITY: translate("Complaint", "Security"),
            Category.LANDSCAPING: translate("Complaint", "Landscaping"),
            Category.REPAIRS: translate("Complaint", "Repairs"),
            Category.PARKING: translate("Complaint", "Parking"),
            Category.NOISE: translate("Complaint", "Noise"),
            Category.FEES: translate("Complaint", "Fees"),
            Category.ATTITUDE: translate("Complaint", "Staff attitude"),
            Category.RENOVATION: translate("Complaint", "Renovation"),
            Category.OTHER: translate("Complaint", "Other category"),
        }[self]


class Severity(enum.StrEnum):
    NORMAL = "normal"
    SERIOUS = "serious"
    URGENT = "urgent"

    @property
    def label(self) -> str:
        return {Severity.NORMAL: translate("Complaint", "Normal"),
                Severity.SERIOUS: translate("Complaint", "Serious"),
                Severity.URGENT: translate("Complaint", "Urgent")}[self]

    @property
    def rank(self) -> int:
        return {Severity.NORMAL: 0, Severity.SERIOUS: 1, Severity.URGENT: 2}[self]


class Status(enum.StrEnum):
    REGISTERED = "registered"
    DISPATCHED = "dispatched"
    IN_PROGRESS = "in_progress"
    AWAITING_CALLBACK = "awaiting_callback"
    REOPENED = "reopened"
    CLOSED = "closed"
    CANCELLED = "cancelled"
    ARCHIVED = "archived"

    @property
    def label(self) -> str:
        return {
            Status.REGISTERED: translate("Complaint", "Registered"),
            Status.DISPATCHED: translate("Complaint", "Dispatched"),
            Status.IN_PROGRESS: translate("Complaint", "In progress"),
            Status.AWAITING_CALLBACK: translate("Complaint", "Awaiting callback"),
            Status.REOPENED: translate("Complaint", "Reopened"),
            Status.CLOSED: translate("Complaint", "Closed"),
            Status.CANCELLED: translate("Complaint", "Cancelled"),
            Status.ARCHIVED: translate("Complaint", "Archived"),
        }[self]

    @property
    def is_open(self) -> bool:
        return self in OPEN_STATUSES


OPEN_STATUSES = frozenset({Status.REGISTERED, Status.DISPATCHED, Status.IN_PROGRESS,
                           Status.AWAITING_CALLBACK, Status.REOPENED})
# Still with the department: the deadlines run.
WORKING_STATUSES = frozenset({Status.REGISTERED, Status.DISPATCHED, Status.IN_PROGRESS,
                              Status.REOPENED})


class Action(enum.StrEnum):
    REGISTER = "register"  # the first timeline entry; never a step of the machine
    EDIT = "edit"
    DISPATCH = "dispatch"
    REDISPATCH = "redispatch"
    START = "start"
    RESOLVE = "resolve"
    CALLBACK_SATISFIED = "callback_satisfied"
    CALLBACK_UNSATISFIED = "callback_unsatisfied"
    CALLBACK_UNREACHABLE = "callback_unreachable"
    CALLBACK_EXPLAINED = "callback_explained"  # unsatisfied, explained, called again later
    CALLBACK_SKIPPED = "callback_skipped"  # the customer does not want to be called
    CALLBACK_FAILED = "callback_failed"  # not reached after the last attempt
    CLOSE_UNREACHED = "close_unreached"  # a supervisor closes it: the customer never answered
    CANCEL = "cancel"
    ARCHIVE = "archive"
    NOTE = "note"
    SLIP_PRINTED = "slip_printed"

    @property
    def label(self) -> str:
        return {
            Action.REGISTER: translate("Complaint", "Register"),
            Action.EDIT: translate("Complaint", "Edit the form"),
            Action.DISPATCH: translate("Complaint", "Dispatch"),
            Action.REDISPATCH: translate("Complaint", "Re-dispatch"),
            Action.START: translate("Complaint", "Start handling"),
            Action.RESOLVE: translate("Complaint", "Resolve"),
            Action.CALLBACK_SATISFIED: translate("Complaint", "Callback: satisfied, close"),
            Action.CALLBACK_UNSATISFIED: translate("Complaint", "Callback: unsatisfied, rework"),
            Action.CALLBACK_UNREACHABLE: translate("Complaint", "Callback: not reached"),
            Action.CALLBACK_EXPLAINED: translate(
                "Complaint", "Callback: unsatisfied, explained, call again"),
            Action.CALLBACK_SKIPPED: translate("Complaint", "Callback skipped: do not call"),
            Action.CALLBACK_FAILED: translate("Complaint", "Callback failed: never reached"),
            Action.CLOSE_UNREACHED: translate("Complaint", "Closed without a callback"),
            Action.CANCEL: translate("Complaint", "Cancel the complaint"),
            Action.ARCHIVE: translate("Complaint", "Archive"),
            Action.NOTE: translate("Complaint", "Add a note"),
            Action.SLIP_PRINTED: translate("Complaint", "Slip printed"),
        }[self]


_S = Status
WORKFLOW = Workflow(
    [
        Step(Action.EDIT, OPEN_STATUSES, None),
        Step(Action.DISPATCH, frozenset({_S.REGISTERED}), _S.DISPATCHED),
        # Taking a form away from a department that already has it is a supervisor's call.
        Step(Action.REDISPATCH, frozenset({_S.DISPATCHED, _S.IN_PROGRESS, _S.REOPENED}),
             _S.DISPATCHED, Permission.MANAGE_COMPLAINTS, needs_note=True),
        Step(Action.START, frozenset({_S.DISPATCHED, _S.REOPENED}), _S.IN_PROGRESS),
        # Departments often report "done" without a separate start: resolving starts too.
        Step(Action.RESOLVE, frozenset({_S.DISPATCHED, _S.IN_PROGRESS, _S.REOPENED}),
             _S.AWAITING_CALLBACK),
        Step(Action.CALLBACK_SATISFIED, frozenset({_S.AWAITING_CALLBACK}), _S.CLOSED),
        Step(Action.CALLBACK_UNSATISFIED, frozenset({_S.AWAITING_CALLBACK}), _S.REOPENED,
             needs_note=True),
        Step(Action.CALLBACK_UNREACHABLE, frozenset({_S.AWAITING_CALLBACK}), None),
        Step(Action.CALLBACK_EXPLAINED, frozenset({_S.AWAITING_CALLBACK}), None,
             needs_note=True),
        # Nobody may call the customer: the form closes without a callback, saying why.
        Step(Action.CALLBACK_SKIPPED, frozenset({_S.AWAITING_CALLBACK}), _S.CLOSED,
             needs_note=True),
        # Stays waiting: a supervisor decides (another round of tries, or closing it).
        Step(Action.CALLBACK_FAILED, frozenset({_S.AWAITING_CALLBACK}), None),
        Step(Action.CLOSE_UNREACHED, frozenset({_S.AWAITING_CALLBACK}), _S.CLOSED,
             Permission.MANAGE_COMPLAINTS, needs_note=True),
        Step(Action.CANCEL, OPEN_STATUSES, _S.CANCELLED, Permission.MANAGE_COMPLAINTS,
             needs_note=True),
        Step(Action.ARCHIVE, frozenset({_S.CLOSED, _S.CANCELLED}), _S.ARCHIVED,
             Permission.MANAGE_COMPLAINTS),
        Step(Action.NOTE, frozenset(Status) - {_S.ARCHIVED}, None, needs_note=True),
        Step(Action.SLIP_PRINTED, OPEN_STATUSES, None),
    ],
    status_label=lambda status: Status(status).label,
    action_label=lambda action: Action(action).label,
)


class Urgency(enum.StrEnum):
    """How one deadline stands; lists colour by it."""

    NONE = "none"  # no deadline
    ON_TIME = "on_time"
    DUE_SOON = "due_soon"  # 80 % or more of its working time used
    OVERDUE = "overdue"
    MET = "met"
    LATE = "late"  # done, but after the deadline

    @property
    def label(self) -> str:
        return {
            Urgency.NONE: "",
            Urgency.ON_TIME: translate("Complaint", "On time"),
            Urgency.DUE_SOON: translate("Complaint", "Due soon"),
            Urgency.OVERDUE: translate("Complaint", "Overdue"),
            Urgency.MET: translate("Complaint", "Met"),
            Urgency.LATE: translate("Complaint", "Done late"),
        }[self]

    @property
    def rank(self) -> int:
        return {Urgency.OVERDUE: 3, Urgency.DUE_SOON: 2, Urgency.ON_TIME: 1}.get(self, 0)


@dataclass(frozen=True)
class Deadline:
    """One deadline with the instant it turns "due soon", both fixed when it was set, so
    every list judges it the same way without the calendar."""

    kind: str  # "response" | "resolve"
    due_at: datetime | None
    soon_at: datetime | None
    done_at: datetime | None

    @property
    def label(self) -> str:
        return {"response": translate("Complaint", "Response"),
                "resolve": translate("Complaint", "Resolution")}[self.kind]

    def urgency(self, now: datetime) -> Urgency:
        if self.due_at is None:
            return Urgency.NONE
        if self.done_at is not None:
            return Urgency.MET if self.done_at <= self.due_at else Urgency.LATE
        if now > self.due_at:
            return Urgency.OVERDUE
        if self.soon_at is not None and now >= self.soon_at:
            return Urgency.DUE_SOON
        return Urgency.ON_TIME


def format_number(prefix: str, period: str, sequence: int) -> str:
    """TS202611-0001: the prefix, the local year and month, a four-digit (or longer) count."""
    return f"{prefix}{period}-{sequence:04d}"
