"""Departments complaints are dispatched to. A managed list; renamed or deactivated, never
deleted, because old complaints still name them."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from app.db import Database
from app.db.models import Department, Setting
from app.domain.complaints import Category
from app.domain.roles import Actor, Permission, require
from app.errors import NotFound, ValidationError
from app.i18n import translate
from app.services import audit


@dataclass(frozen=True)
class DepartmentInfo:
    id: int
    name: str
    active: bool
    sort_order: int


# Stored as one shared setting: {category value: department id}.
CATEGORY_DEFAULTS_KEY = "complaint_category_departments"
# Until the administrator sets them: the department of the same name, where the centre has one.
USUAL_DEPARTMENTS = {
    Category.REPAIRS: "工程部", Category.RENOVATION: "工程部", Category.SECURITY: "秩序部",
    Category.PARKING: "秩序部", Category.NOISE: "秩序部", Category.CLEANING: "环境部",
    Category.LANDSCAPING: "环境部", Category.FEES: "财务部", Category.ATTITUDE: "客服中心",
    Category.OTHER: "客服中心"}


def _info(d: Department) -> DepartmentInfo:
    return DepartmentInfo(id=d.id, name=d.name, active=d.active, sort_order=d.sort_order)


class DepartmentService:
    def __init__(self, db: Database) -> None:
        self.db = db

    def list(self, include_inactive: bool = False) -> list[DepartmentInfo]:
        with self.db.read() as session:
            query = select(Department).order_by(Department.sort_order, Department.id)
            if not include_inactive:
                query = query.where(Department.active)
            return [_info(d) for d in session.scalars(query)]

    def _validated_name(self, session, name: str, exclude_id: int | None = None) -> str:  # noqa: ANN001
        name = name.strip()
        if not name:
            message = translate("Departments", "Enter the department's name.")
            raise ValidationError(message, {"name": message})
        if len(name) > 40:
            message = translate("Departments", "The name can have at most 40 characters.")
            raise ValidationError(message, {"name": message})
        clash = session.scalar(select(Department.id).where(Department.name == name))
        if clash is not None and clash != exclude_id:
            message = translate("Departments", "There is already a department called {name}.").format(name=name)
            raise ValidationError(message, {"name": message})
        return name

    def add(self, actor: Actor, name: str) -> DepartmentInfo:
        require(actor, Permission.MANAGE_DEPARTMENTS)
        with self.db.write() as session:
            name = self._validated_name(session, name)
            last = session.scalar(select(func.max(Department.sort_order))) or 0
            department = Department(name=name, active=True, sort_order=last + 1)
            session.add(department)
            session.flush()
            audit.record(session, actor, "department", department.id, "create",
                         {"name": [None, name]})
            return _info(department)

    def update(self, actor: Actor, department_id: int, *, name: str | None = None,
               active: bool | None = None) -> DepartmentInfo:
        require(actor, Permission.MANAGE_DEPARTMENTS)
        with self.db.write() as session:
            department = session.get(Department, department_id)
            if department is None:
                raise NotFound(translate("Departments", "That department no longer exists. Refresh the list."))
            before = {"name": department.name, "active": department.active}
            if name is not None:
                department.name = self._validated_name(session, name, exclude_id=department_id)
            if active is not None:
                department.active = active
            changes = audit.diff(before, {"name": department.name, "active": department.active})
            if changes:
                audit.record(session, actor, "department", department.id, "update", changes)
            return _info(department)

    def category_defaults(self) -> dict[Category, int]:
        """The department each complaint category is dispatched to unless someone picks
        another (only active departments)."""
        with self.db.read() as session:
            active = {d.id: d.name for d in session.scalars(
                select(Department).where(Department.active))}
            stored = session.get(Setting, CATEGORY_DEFAULTS_KEY)
            if stored is not None:
                chosen = {Category(k): v for k, v in (stored.value or {}).items()
                          if k in Category._value2member_map_}
            else:
                by_name = {n: i for i, n in active.items()}
                chosen = {c: by_name[n] for c, n in USUAL_DEPARTMENTS.items() if n in by_name}
            return {c: i for c, i in chosen.items() if i in active}

    def set_category_defaults(self, actor: Actor, defaults: dict[Category, int | None]) -> None:
        """Sets every category's default department at once (None: dispatched by hand)."""
        require(actor, Permission.MANAGE_DEPARTMENTS)
        with self.db.write() as session:
            active = set(session.scalars(select(Department.id).where(Department.active)))
            unknown = [c for c, i in defaults.items() if i is not None and i not in active]
            if unknown:
                raise ValidationError(translate(
                    "Departments", "The department chosen for {category} no longer exists or "
                                   "was deactivated. Choose another.").format(
                    category=unknown[0].label), ("category_departments",))
            value = {c.value: i for c, i in defaults.items() if i is not None}
            stored = session.get(Setting, CATEGORY_DEFAULTS_KEY)
            before = stored.value if stored is not None else None
            if stored is None:
                session.add(Setting(key=CATEGORY_DEFAULTS_KEY, value=value,
                                    updated_by_id=actor.user_id))
            else:
                stored.value, stored.updated_by_id = value, actor.user_id
            if before != value:
                audit.record(session, actor, "setting", CATEGORY_DEFAULTS_KEY, "update",
                             {"value": [before, value]})
