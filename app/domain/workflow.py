"""A form's life as a state machine: which step is legal from which state, for whom, and
whether it needs a note. Complaints use it now; work orders (派工单) will declare their own
steps with the same machinery instead of copying the rules."""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from app.domain.roles import Actor, Permission
from app.errors import CallDeskError, PermissionDenied, ValidationError
from app.i18n import translate


class IllegalStep(CallDeskError):
    """The step does not apply to the form in its present state (someone else may have moved
    it on meanwhile). Nothing was changed."""


@dataclass(frozen=True)
class Step:
    action: enum.Enum
    sources: frozenset[enum.Enum]
    target: enum.Enum | None  # None: the form stays where it is (a note, an unreachable call)
    permission: Permission | None = None  # None: every signed-in user
    needs_note: bool = False


class Workflow:
    def __init__(self, steps: Iterable[Step],
                 status_label: Callable[[enum.Enum], str],
                 action_label: Callable[[enum.Enum], str]) -> None:
        self.steps = {step.action: step for step in steps}
        self._status_label = status_label
        self._action_label = action_label

    def allows(self, status: enum.Enum, action: enum.Enum) -> bool:
        step = self.steps.get(action)
        return step is not None and status in step.sources

    def may(self, actor: Actor, status: enum.Enum, action: enum.Enum) -> bool:
        step = self.steps.get(action)
        return self.allows(status, action) and (
            step.permission is None or actor.can(step.permission))

    def available(self, actor: Actor, status: enum.Enum) -> list[enum.Enum]:
        return [action for action in self.steps if self.may(actor, status, action)]

    def check(self, actor: Actor, status: enum.Enum, action: enum.Enum, note: str = "") -> Step:
        """The step to apply, or an error saying why not; the caller changes nothing before."""
        step = self.steps[action]
        if status not in step.sources:
            raise IllegalStep(translate(
                "Workflow", "“{action}” is not possible while the form is “{status}”. "
                            "Refresh to see its present state.").format(
                action=self._action_label(action), status=self._status_label(status)))
        if step.permission is not None and not actor.can(step.permission):
            raise PermissionDenied(translate(
                "Workflow", "You are signed in as {role} and may not “{action}”. Ask a "
                            "supervisor.").format(role=actor.role.label,
                                                  action=self._action_label(action)))
        if step.needs_note and not note.strip():
            raise ValidationError(translate(
                "Workflow", "Write the reason for “{action}”.").format(
                action=self._action_label(action)), ("note",))
        return step
