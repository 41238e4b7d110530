"""Who may do what. Every service checks the acting user's role with ``require``."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from app.errors import PermissionDenied
from app.i18n import translate


class Role(enum.StrEnum):
    OPERATOR = "operator"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        return {
            Role.OPERATOR: translate("Role", "Operator"),
            Role.SUPERVISOR: translate("Role", "Supervisor"),
            Role.ADMIN: translate("Role", "Administrator"),
        }[self]


class Permission(enum.StrEnum):
    MANAGE_USERS = "manage_users"
    MANAGE_DEPARTMENTS = "manage_departments"
    EDIT_SHARED_SETTINGS = "edit_shared_settings"
    VIEW_AUDIT = "view_audit"
    EXPORT_CUSTOMERS = "export_customers"
    IMPORT_CUSTOMERS = "import_customers"
    MERGE_CUSTOMERS = "merge_customers"
    EDIT_ANY_CALL = "edit_any_call"
    MANAGE_COMPLAINTS = "manage_complaints"
    EDIT_DEADLINE_RULES = "edit_deadline_rules"
    REVIEW_CALLBACKS = "review_callbacks"
    VIEW_MONTHLY_REPORT = "view_monthly_report"
    EXPORT_ALL_CALLS = "export_all_calls"
    MANAGE_BACKUPS = "manage_backups"

    @property
    def label(self) -> str:
        return {
            Permission.MANAGE_USERS: translate("Permission", "manage user accounts"),
            Permission.MANAGE_DEPARTMENTS: translate("Permission", "manage departments"),
            Permission.EDIT_SHARED_SETTINGS: translate("Permission", "change the centre's settings"),
            Permission.VIEW_AUDIT: translate("Permission", "view the audit trail"),
            Permission.EXPORT_CUSTOMERS: translate("Permission", "export the customer file"),
            Permission.IMPORT_CUSTOMERS: translate("Permission", "import customer rosters"),
            Permission.MERGE_CUSTOMERS: translate("Permission", "merge customer cards"),
            Permission.EDIT_ANY_CALL: translate("Permission", "change other people's calls"),
            Permission.MANAGE_COMPLAINTS: translate(
                "Permission", "re-dispatch, cancel or archive complaints"),
            Permission.EDIT_DEADLINE_RULES: translate(
                "Permission", "change the deadline rules and the working calendar"),
            Permission.REVIEW_CALLBACKS: translate("Permission", "review callbacks"),
            Permission.VIEW_MONTHLY_REPORT: translate(
                "Permission", "see and export the monthly statistics"),
            Permission.EXPORT_ALL_CALLS: translate("Permission", "export other people's calls"),
            Permission.MANAGE_BACKUPS: translate("Permission",
                                                 "back up and restore the database"),
        }[self]


ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.OPERATOR: frozenset(),
    Role.SUPERVISOR: frozenset({Permission.VIEW_AUDIT, Permission.EXPORT_CUSTOMERS,
                                Permission.IMPORT_CUSTOMERS, Permission.MERGE_CUSTOMERS,
                                Permission.EDIT_ANY_CALL, Permission.MANAGE_COMPLAINTS,
                                Permission.REVIEW_CALLBACKS,
                                Permission.VIEW_MONTHLY_REPORT,
                                Permission.EXPORT_ALL_CALLS}),
    Role.ADMIN: frozenset(Permission),
}


@dataclass(frozen=True)
class Actor:
    """The signed-in user a service acts for."""

    user_id: int | None  # None for the command line acting as the system
    login: str
    display_name: str
    role: Role

    @classmethod
    def system(cls) -> Actor:
        """The command line on this PC: whoever can run it owns the database file anyway."""
        return cls(user_id=None, login="(system)", display_name="CallDesk", role=Role.ADMIN)

    def can(self, permission: Permission) -> bool:
        return permission in ROLE_PERMISSIONS[self.role]


def require(actor: Actor, permission: Permission) -> None:
    if not actor.can(permission):
        raise PermissionDenied(
            translate(
                "Permission",
                "You are signed in as {role} and may not {action}. Ask an administrator.",
            ).format(role=actor.role.label, action=permission.label)
        )
