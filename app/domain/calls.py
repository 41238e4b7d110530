"""The call log's vocabulary: direction, type, outcome; and the callback task's reason and
state (the callback queue itself comes with the callback feature)."""

from __future__ import annotations

import enum

from app.i18n import translate


class Direction(enum.StrEnum):
    INBOUND = "inbound"
    OUTBOUND = "outbound"

    @property
    def label(self) -> str:
        return {Direction.INBOUND: translate("Call", "Inbound"),
                Direction.OUTBOUND: translate("Call", "Outbound")}[self]


class CallType(enum.StrEnum):
    INQUIRY = "inquiry"
    REPAIR = "repair"
    COMPLAINT = "complaint"
    SUGGESTION = "suggestion"
    PRAISE = "praise"
    OTHER = "other"

    @property
    def label(self) -> str:
        return {
            CallType.INQUIRY: translate("Call", "Inquiry"),
            CallType.REPAIR: translate("Call", "Repair request"),
            CallType.COMPLAINT: translate("Call", "Complaint"),
            CallType.SUGGESTION: translate("Call", "Suggestion"),
            CallType.PRAISE: translate("Call", "Praise"),
            CallType.OTHER: translate("Call", "Other"),
        }[self]

    @property
    def usual_outcome(self) -> Outcome:
        """What usually comes of such a call, preselected so the operator rarely changes it."""
        return {CallType.REPAIR: Outcome.DISPATCHED,
                CallType.COMPLAINT: Outcome.COMPLAINT}.get(self, Outcome.SOLVED)


class Outcome(enum.StrEnum):
    SOLVED = "solved"
    COMPLAINT = "complaint"
    DISPATCHED = "dispatched"
    OTHER = "other"
    # A callback's own call (回访/回拨): what came of dialling, never counted as inbound work.
    CALLED_BACK = "called_back"
    NOT_REACHED = "not_reached"

    @classmethod
    def for_inbound(cls) -> tuple[Outcome, ...]:
        """What an operator may choose for a call taken at the desk."""
        return (cls.SOLVED, cls.COMPLAINT, cls.DISPATCHED, cls.OTHER)

    @property
    def label(self) -> str:
        return {
            Outcome.SOLVED: translate("Call", "Solved on the call"),
            Outcome.COMPLAINT: translate("Call", "Opened a complaint"),
            Outcome.DISPATCHED: translate("Call", "Passed to a department"),
            Outcome.OTHER: translate("Call", "Other"),
            Outcome.CALLED_BACK: translate("Call", "Called back"),
            Outcome.NOT_REACHED: translate("Call", "Not reached"),
        }[self]


class CallbackReason(enum.StrEnum):
    MISSED_CALL = "missed_call"
    REQUESTED = "requested"
    COMPLAINT = "complaint"  # 回访: after a complaint is resolved

    @property
    def label(self) -> str:
        return {CallbackReason.MISSED_CALL: translate("Call", "Missed call"),
                CallbackReason.REQUESTED: translate("Call", "Call back as agreed"),
                CallbackReason.COMPLAINT: translate("Call", "Complaint callback")}[self]


class CallbackStatus(enum.StrEnum):
    PENDING = "pending"  # waiting for its (next) attempt
    DONE = "done"  # the customer was reached
    FAILED = "failed"  # not reached after the last attempt (回访失败)
    SKIPPED = "skipped"  # never dialled: the customer does not want calls

    @property
    def label(self) -> str:
        return {CallbackStatus.PENDING: translate("Call", "Pending"),
                CallbackStatus.DONE: translate("Call", "Done"),
                CallbackStatus.FAILED: translate("Call", "Failed"),
                CallbackStatus.SKIPPED: translate("Call", "Skipped")}[self]


class Satisfaction(enum.StrEnum):
    SATISFIED = "satisfied"
    FAIRLY = "fairly"
    UNSATISFIED = "unsatisfied"

    @property
    def label(self) -> str:
        return {Satisfaction.SATISFIED: translate("Call", "Satisfied"),
                Satisfaction.FAIRLY: translate("Call", "Fairly satisfied"),
                Satisfaction.UNSATISFIED: translate("Call", "Unsatisfied")}[self]
