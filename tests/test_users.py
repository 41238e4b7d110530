from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from app import clock
from app.db.models import AuditEntry, User
from app.domain.roles import Actor, Role
from app.errors import AuthenticationError, PermissionDenied, ValidationError
from app.services import Services
from app.services.users import LOCKOUT, MAX_FAILED_LOGINS
from tests.conftest import ADMIN_PASSWORD


def test_setup_creates_the_first_admin_and_the_centre_name(services: Services) -> None:
    assert services.users.needs_setup()
    actor = services.users.complete_setup(" 阳光花园物业服务中心 ", "admin", "李主任", "secret1")
    assert actor.role == Role.ADMIN
    assert not services.users.needs_setup()
    from app.settings import CENTRE_NAME

    assert services.settings.get(CENTRE_NAME) == "阳光花园物业服务中心"
    with pytest.raises(ValidationError, match="已完成初始设置"):
        services.users.complete_setup("别的中心", "admin2", "王", "secret1")


def test_setup_reports_every_bad_field_and_saves_nothing(services: Services) -> None:
    with pytest.raises(ValidationError) as caught:
        services.users.complete_setup("", "a b", "", "123")
    assert set(caught.value.fields) == {"centre_name", "login", "display_name", "password"}
    assert services.users.needs_setup()


def test_sign_in(services: Services, admin: Actor) -> None:
    actor = services.users.authenticate("ADMIN", ADMIN_PASSWORD)  # login is case-insensitive
    assert actor == admin
    with services.db.read() as session:
        assert session.scalar(select(User.last_login_at)) is not None


def test_unknown_user_gets_the_same_message_as_a_wrong_password(services: Services,
                                                                admin: Actor) -> None:
    with pytest.raises(AuthenticationError) as unknown:
        services.users.authenticate("nobody", "whatever")
    assert "登录名或密码不正确" in str(unknown.value)


def test_five_wrong_passwords_lock_the_account_for_five_minutes(
        services: Services, admin: Actor, monkeypatch: pytest.MonkeyPatch) -> None:
    start = clock.utcnow()
    monkeypatch.setattr(clock, "utcnow", lambda: start)
    for attempt in range(1, MAX_FAILED_LOGINS):
        with pytest.raises(AuthenticationError, match=f"再输错 {MAX_FAILED_LOGINS - attempt} 次"):
            services.users.authenticate("admin", "wrong")
    with pytest.raises(AuthenticationError, match="已被锁定"):
        services.users.authenticate("admin", "wrong")
    # Locked: even the right password is refused, and the message says for how long.
    with pytest.raises(AuthenticationError, match="5 分钟后再试"):
        services.users.authenticate("admin", ADMIN_PASSWORD)
    monkeypatch.setattr(clock, "utcnow", lambda: start + LOCKOUT - timedelta(seconds=1))
    with pytest.raises(AuthenticationError, match="1 分钟后再试"):
        services.users.authenticate("admin", ADMIN_PASSWORD)
    monkeypatch.setattr(clock, "utcnow", lambda: start + LOCKOUT + timedelta(seconds=1))
    assert services.users.authenticate("admin", ADMIN_PASSWORD) == admin
    # The count starts again from zero after the lock ran out.
    with pytest.raises(AuthenticationError, match=f"再输错 {MAX_FAILED_LOGINS - 1} 次"):
        services.users.authenticate("admin", "wrong")


def test_a_right_password_resets_the_count(services: Services, admin: Actor) -> None:
    for _ in range(MAX_FAILED_LOGINS - 1):
        with pytest.raises(AuthenticationError):
            services.users.authenticate("admin", "wrong")
    services.users.authenticate("admin", ADMIN_PASSWORD)
    with pytest.raises(AuthenticationError, match=f"再输错 {MAX_FAILED_LOGINS - 1} 次"):
        services.users.authenticate("admin", "wrong")


def test_admin_manages_accounts(services: Services, admin: Actor) -> None:
    departments = {d.name: d.id for d in services.departments.list()}
    added = services.users.add_user(admin, "kf01", "王芳", Role.OPERATOR, "secret1",
                                    departments["客服中心"])
    assert (added.role, added.department_name, added.active) == (Role.OPERATOR, "客服中心", True)
    assert services.users.authenticate("kf01", "secret1").role == Role.OPERATOR

    changed = services.users.update_user(admin, added.id, role=Role.SUPERVISOR,
                                         department_id=None, display_name="王芳芳")
    assert (changed.role, changed.department_id, changed.display_name) == \
        (Role.SUPERVISOR, None, "王芳芳")

    services.users.update_user(admin, added.id, active=False)
    with pytest.raises(AuthenticationError, match="已停用"):
        services.users.authenticate("kf01", "secret1")

    services.users.update_user(admin, added.id, active=True)
    services.users.reset_password(admin, added.id, "newpass1")
    assert services.users.authenticate("kf01", "newpass1").login == "kf01"
    logins = [u.login for u in services.users.list_users(admin)]
    assert logins == ["admin", "kf01"]


def test_reset_password_lifts_a_lock(services: Services, admin: Actor) -> None:
    user = services.users.add_user(admin, "kf02", "赵磊", Role.OPERATOR, "secret1")
    for _ in range(MAX_FAILED_LOGINS):
        with pytest.raises(AuthenticationError):
            services.users.authenticate("kf02", "wrong")
    assert [u for u in services.users.list_users(admin) if u.login == "kf02"][0].is_locked
    services.users.reset_password(admin, user.id, "fresh-pass")
    assert services.users.authenticate("kf02", "fresh-pass").user_id == user.id


def test_login_names_are_unique_whatever_the_case(services: Services, admin: Actor) -> None:
    services.users.add_user(admin, "Wang", "王一", Role.OPERATOR, "secret1")
    with pytest.raises(ValidationError) as caught:
        services.users.add_user(admin, "wang", "王二", Role.OPERATOR, "secret1")
    assert "login" in caught.value.fields


def test_operators_and_supervisors_may_not_manage_users(services: Services, admin: Actor) -> None:
    services.users.add_user(admin, "kf01", "王芳", Role.OPERATOR, "secret1")
    services.users.add_user(admin, "boss", "陈经理", Role.SUPERVISOR, "secret1")
    for login in ("kf01", "boss"):
        actor = services.users.authenticate(login, "secret1")
        with pytest.raises(PermissionDenied, match="无权管理用户账号"):
            services.users.list_users(actor)
        with pytest.raises(PermissionDenied):
            services.users.add_user(actor, "x1", "某人", Role.ADMIN, "secret1")
        with pytest.raises(PermissionDenied):
            services.users.reset_password(actor, admin.user_id, "takeover1")
    assert services.users.authenticate("admin", ADMIN_PASSWORD) == admin


def test_there_is_always_an_active_admin(services: Services, admin: Actor) -> None:
    with pytest.raises(ValidationError, match="不能停用自己"):
        services.users.update_user(admin, admin.user_id, active=False)
    with pytest.raises(ValidationError, match="最后一位"):
        services.users.update_user(admin, admin.user_id, role=Role.OPERATOR)
    second = services.users.add_user(admin, "admin2", "周工", Role.ADMIN, "secret1")
    services.users.update_user(admin, admin.user_id, role=Role.SUPERVISOR)
    second_actor = services.users.authenticate("admin2", "secret1")
    with pytest.raises(ValidationError, match="最后一位"):
        services.users.update_user(second_actor, second.id, role=Role.OPERATOR)


def test_changing_my_password_needs_the_old_one(services: Services, admin: Actor) -> None:
    with pytest.raises(ValidationError) as caught:
        services.users.change_own_password(admin, "not-it", "another1")
    assert "old_password" in caught.value.fields
    services.users.change_own_password(admin, ADMIN_PASSWORD, "another1")
    assert services.users.authenticate("admin", "another1") == admin


def test_every_change_is_in_the_audit_trail_without_secrets(services: Services,
                                                            admin: Actor) -> None:
    user = services.users.add_user(admin, "kf01", "王芳", Role.OPERATOR, "secret1")
    services.users.update_user(admin, user.id, role=Role.SUPERVISOR)
    services.users.reset_password(admin, user.id, "newpass1")
    rows = services.audit.entries_for(admin, "user", user.id)
    assert [r.action for r in rows] == ["reset_password", "update", "create"]
    assert rows[1].changes == {"role": ["operator", "supervisor"]}
    assert all(r.user_login == "admin" for r in rows)
    with services.db.read() as session:
        everything = " ".join(str(e.changes) for e in session.scalars(select(AuditEntry)))
    assert "argon2" not in everything and "secret1" not in everything


def test_system_actor_can_add_users_from_the_command_line(services: Services) -> None:
    user = services.users.add_user(Actor.system(), "root2", "系统", Role.ADMIN, "secret1")
    assert user.role == Role.ADMIN
    with services.db.read() as session:
        entry = session.execute(select(AuditEntry.user_id, AuditEntry.user_login)
                                .where(AuditEntry.entity == "user")).one()
    assert tuple(entry) == (None, "(system)")
