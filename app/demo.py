"""A demo database filled with realistic Chinese sample data, so a newcomer can look around.

The same seed gives the same data. It grows with each feature: today it makes the centre, its
staff and departments; customers, calls, complaints and callbacks join as they are built.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from faker import Faker
from sqlalchemy import func, select

from app.db import Database
from app.db.models import Department, User
from app.domain.roles import Actor, Role
from app.errors import ValidationError
from app.i18n import translate
from app.services.users import UserService

DEMO_LOGIN = "demo"
DEMO_PASSWORD = "demo1234"
DEFAULT_SEED = 20261122

ESTATE_PREFIXES = ("锦绣", "阳光", "翠湖", "金域", "碧水", "紫荆", "香樟", "御景", "滨江", "枫林")
ESTATE_SUFFIXES = ("花园", "雅苑", "华庭", "家园", "新城", "雅居")


@dataclass(frozen=True)
class DemoSummary:
    centre_name: str
    users: int
    departments: int
    supervisor_login: str


def fill(db: Database, seed: int = DEFAULT_SEED) -> DemoSummary:
    """Fills an empty, migrated database. Refuses one that already has users."""
    fake = Faker("zh_CN")
    fake.seed_instance(seed)
    rng = random.Random(seed)
    with db.read() as session:
        if session.scalar(select(func.count()).select_from(User)):
            raise ValidationError(translate(
                "Demo", "This database already has users; demo data goes only into a new, "
                        "empty database."))
    estate = rng.choice(ESTATE_PREFIXES) + rng.choice(ESTATE_SUFFIXES)
    centre = f"{estate}物业服务中心"
    users = UserService(db)
    admin = users.complete_setup(centre, "admin", fake.name(), DEMO_PASSWORD)
    with db.read() as session:
        departments = {d.name: d.id for d in session.scalars(select(Department))}
    service_desk = departments.get("客服中心")
    created = 1
    users.add_user(admin, DEMO_LOGIN, fake.name(), Role.SUPERVISOR, DEMO_PASSWORD, service_desk)
    created += 1
    for number in range(1, 7):
        users.add_user(admin, f"kf{number:02d}", fake.name(), Role.OPERATOR, DEMO_PASSWORD,
                       service_desk)
        created += 1
    for name, department_id in departments.items():
        if name == "客服中心":
            continue
        login = f"mgr{department_id:02d}"
        users.add_user(admin, login, fake.name(), Role.SUPERVISOR, DEMO_PASSWORD, department_id)
        created += 1
    return DemoSummary(centre_name=centre, users=created, departments=len(departments),
                       supervisor_login=DEMO_LOGIN)


def demo_actor(db: Database) -> Actor:
    return UserService(db).authenticate(DEMO_LOGIN, DEMO_PASSWORD)
