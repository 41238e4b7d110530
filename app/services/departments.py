"""Departments complaints are dispatched to. A managed list; renamed or deactivated, never
deleted, because old complaints still name them."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from app.db import Database
from app.db.models import Department
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
