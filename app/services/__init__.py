"""Use cases. Each service method opens its own short session, takes plain arguments and
returns plain results (dataclasses), or raises a ``CallDeskError`` with a message for people."""

from __future__ import annotations

from dataclasses import dataclass

from app.db import Database
from app.services.audit import AuditService
from app.services.callbacks import CallbackService
from app.services.calls import CallService
from app.services.complaints import ComplaintService
from app.services.customer_activity import CustomerActivityService
from app.services.customers import CustomerService
from app.services.deadlines import DeadlineService
from app.services.departments import DepartmentService
from app.services.global_search import GlobalSearch
from app.services.handover import HandoverService
from app.services.incidents import IncidentService
from app.services.settings import SharedSettingsService
from app.services.today import TodayService
from app.services.users import UserService


@dataclass
class Services:
    db: Database
    users: UserService
    departments: DepartmentService
    settings: SharedSettingsService
    audit: AuditService
    customers: CustomerService
    activity: CustomerActivityService
    calls: CallService
    callbacks: CallbackService
    complaints: ComplaintService
    deadlines: DeadlineService
    search: GlobalSearch
    today: TodayService
    handovers: HandoverService
    incidents: IncidentService

    @classmethod
    def open(cls, db: Database) -> Services:
        return cls(
            db=db,
            users=UserService(db),
            departments=DepartmentService(db),
            settings=SharedSettingsService(db),
            audit=AuditService(db),
            customers=CustomerService(db),
            activity=CustomerActivityService(db),
            calls=CallService(db),
            callbacks=CallbackService(db),
            complaints=ComplaintService(db),
            deadlines=DeadlineService(db),
            search=GlobalSearch(db),
            today=TodayService(db),
            handovers=HandoverService(db),
            incidents=IncidentService(db),
        )
