"""User accounts: first-run setup, sign-in with lock-out, and the admin's account management."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app import clock
from app.db import Database
from app.db.models import Department, User
from app.domain.roles import Actor, Permission, Role, require
from app.errors import AuthenticationError, NotFound, ValidationError
from app.i18n import translate
from app.services import audit
from app.services import settings as shared_settings
from app.settings import CENTRE_NAME

MAX_FAILED_LOGINS = 5
LOCKOUT = timedelta(minutes=5)
MIN_PASSWORD_LENGTH = 6
LOGIN_PATTERN = re.compile(r"^[A-Za-z0-9_.\-]{2,40}$")

_hasher = PasswordHasher()



@dataclass(frozen=True)
class UserInfo:
    id: int
    login: str
    display_name: str
    role: Role
    department_id: int | None
    department_name: str | None
    active: bool
    locked_until: datetime | None
    last_login_at: datetime | None

    @property
    def is_locked(self) -> bool:
        return self.locked_until is not None and self.locked_until > clock.utcnow()


def _info(user: User) -> UserInfo:
    return UserInfo(
        id=user.id,
        login=user.login,
        display_name=user.display_name,
        role=user.role,
        department_id=user.department_id,
        department_name=user.department.name if user.department else None,
        active=user.active,
        locked_until=user.locked_until,
        last_login_at=user.last_login_at,
    )


def _actor(user: User) -> Actor:
    return Actor(user_id=user.id, login=user.login, display_name=user.display_name, role=user.role)


def validate_password(password: str, field: str = "password") -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        message = translate("Users", "The password needs at least {n} characters.").format(n=MIN_PASSWORD_LENGTH)
        raise ValidationError(message, {field: message})


def _validate_account(login: str, display_name: str) -> tuple[str, str]:
    login, display_name = login.strip(), display_name.strip()
    fields: dict[str, str] = {}
    if not LOGIN_PATTERN.match(login):
        fields["login"] = translate("Users",
            "The login name needs 2 to 40 letters, digits, dots, dashes or underscores."
        )
    if not display_name:
        fields["display_name"] = translate("Users", "Enter the name colleagues know this person by.")
    elif len(display_name) > 40:
        fields["display_name"] = translate("Users", "The name can have at most 40 characters.")
    if fields:
        raise ValidationError(next(iter(fields.values())), fields)
    return login, display_name


class UserService:
    def __init__(self, db: Database) -> None:
        self.db = db

    # -- first start -------------------------------------------------------------------
    def needs_setup(self) -> bool:
        """True until the first administrator exists."""
        with self.db.read() as session:
            return not session.scalar(select(func.count()).select_from(User).where(
                User.role == Role.ADMIN))

    def complete_setup(self, centre_name: str, login: str, display_name: str,
                       password: str) -> Actor:
        """First start: the centre's name and the first administrator, saved together.
        Refused once an administrator exists."""
        centre_name = centre_name.strip()
        fields: dict[str, str] = {}
        if not centre_name:
            fields["centre_name"] = translate("Users", "Enter the service centre's name; it heads every slip "
                                       "and report.")
        try:
            login, display_name = _validate_account(login, display_name)
        except ValidationError as error:
            fields.update(error.fields)
        try:
            validate_password(password)
        except ValidationError as error:
            fields.update(error.fields)
        shared_settings.validate({CENTRE_NAME: centre_name})
        if fields:
            raise ValidationError(next(iter(fields.values())), fields)
        with self.db.write() as session:
            if session.scalar(select(func.count()).select_from(User).where(User.role == Role.ADMIN)):
                raise ValidationError(translate("Users", "CallDesk is already set up; sign in instead."))
            user = User(login=login, display_name=display_name, role=Role.ADMIN,
                        password_hash=_hasher.hash(password))
            session.add(user)
            session.flush()
            actor = _actor(user)
            audit.record(session, actor, "user", user.id, "create",
                         {"login": [None, login], "role": [None, Role.ADMIN.value]},
                         note="first-run setup")
            shared_settings.write(session, actor, {CENTRE_NAME: centre_name})
            return actor

    # -- signing in --------------------------------------------------------------------
    def authenticate(self, login: str, password: str) -> Actor:
        now = clock.utcnow()
        wrong = AuthenticationError(translate("Users", "Wrong login name or password. Check both and try again."))
        with self.db.write() as session:
            user = session.scalar(select(User).where(func.lower(User.login) == login.strip().lower()))
            if user is None:
                raise wrong
            if not user.active:
                raise AuthenticationError(
                    translate("Users", "The account {login} is deactivated. Ask an administrator.").format(
                        login=user.login))
            if user.locked_until and user.locked_until > now:
                raise self._locked_error(user, now)
            if user.locked_until:  # the lock has run out: a fresh start
                user.locked_until = None
                user.failed_logins = 0
            try:
                _hasher.verify(user.password_hash, password)
            except (VerificationError, InvalidHashError):
                user.failed_logins += 1
                if user.failed_logins >= MAX_FAILED_LOGINS:
                    user.locked_until = now + LOCKOUT
                    audit.record(session, None, "user", user.id, "locked",
                                 note=f"{user.failed_logins} wrong passwords")
                    # Commit the lock even though we raise: leaving the block normally.
                    return_error: AuthenticationError = self._locked_error(user, now)
                else:
                    left = MAX_FAILED_LOGINS - user.failed_logins
                    return_error = AuthenticationError(
                        translate("Users", "Wrong login name or password. {left} more wrong tries lock the "
                           "account for {minutes} minutes.").format(
                            left=left, minutes=int(LOCKOUT.total_seconds() // 60)))
            else:
                if _hasher.check_needs_rehash(user.password_hash):
                    user.password_hash = _hasher.hash(password)
                user.failed_logins = 0
                user.last_login_at = now
                return _actor(user)
        raise return_error

    @staticmethod
    def _locked_error(user: User, now: datetime) -> AuthenticationError:
        assert user.locked_until is not None
        minutes = max(1, -(-int((user.locked_until - now).total_seconds()) // 60))
        return AuthenticationError(
            translate("Users", "The account {login} is locked after {n} wrong passwords. Try again in {minutes} "
               "minute(s), or ask an administrator to reset the password.").format(
                login=user.login, n=MAX_FAILED_LOGINS, minutes=minutes))

    def change_own_password(self, actor: Actor, old_password: str, new_password: str) -> None:
        validate_password(new_password, "new_password")
        with self.db.write() as session:
            user = self._get(session, actor.user_id)
            try:
                _hasher.verify(user.password_hash, old_password)
            except (VerificationError, InvalidHashError):
                message = translate("Users", "The current password is not right.")
                raise ValidationError(message, {"old_password": message}) from None
            user.password_hash = _hasher.hash(new_password)
            audit.record(session, actor, "user", user.id, "change_password")

    # -- administration ----------------------------------------------------------------
    def list_users(self, actor: Actor) -> list[UserInfo]:
        require(actor, Permission.MANAGE_USERS)
        with self.db.read() as session:
            users = session.scalars(select(User).order_by(User.active.desc(), User.login))
            return [_info(u) for u in users]

    def by_login(self, login: str) -> UserInfo:
        with self.db.read() as session:
            user = session.scalar(select(User).where(func.lower(User.login) ==
                                                     login.strip().lower()))
            if user is None:
                raise NotFound(translate("Users", "There is no user {login}.").format(
                    login=login))
            return _info(user)

    def list_active_users(self) -> list[UserInfo]:
        """Everyone who can be chosen as an operator or assignee."""
        with self.db.read() as session:
            users = session.scalars(select(User).where(User.active).order_by(User.display_name))
            return [_info(u) for u in users]

    def add_user(self, actor: Actor, login: str, display_name: str, role: Role,
                 password: str, department_id: int | None = None) -> UserInfo:
        require(actor, Permission.MANAGE_USERS)
        login, display_name = _validate_account(login, display_name)
        validate_password(password)
        with self.db.write() as session:
            taken = session.scalar(select(User.id).where(func.lower(User.login) == login.lower()))
            if taken:
                message = translate("Users", "The login name {login} is taken. Choose another.").format(login=login)
                raise ValidationError(message, {"login": message})
            self._check_department(session, department_id)
            user = User(login=login, display_name=display_name, role=Role(role),
                        department_id=department_id, password_hash=_hasher.hash(password))
            session.add(user)
            session.flush()
            audit.record(session, actor, "user", user.id, "create", {
                "login": [None, login], "display_name": [None, display_name],
                "role": [None, Role(role).value], "department_id": [None, department_id]})
            session.refresh(user)
            return _info(user)

    def update_user(self, actor: Actor, user_id: int, *, display_name: str | None = None,
                    role: Role | None = None, department_id: int | None | type[...] = ...,
                    active: bool | None = None) -> UserInfo:
        require(actor, Permission.MANAGE_USERS)
        with self.db.write() as session:
            user = self._get(session, user_id)
            before = {"display_name": user.display_name, "role": user.role.value,
                      "department_id": user.department_id, "active": user.active}
            if display_name is not None:
                _, user.display_name = _validate_account(user.login, display_name)
            if department_id is not ...:
                self._check_department(session, department_id)
                user.department_id = department_id
            if role is not None and Role(role) != user.role:
                if user.role == Role.ADMIN:
                    self._keep_an_admin(session, user, translate("Users",
                        "The last active administrator must stay an administrator; make another "
                        "user an administrator first."))
                user.role = Role(role)
            if active is not None and active != user.active:
                if not active:
                    if user.id == actor.user_id:
                        raise ValidationError(translate("Users", "You cannot deactivate your own account."))
                    if user.role == Role.ADMIN:
                        self._keep_an_admin(session, user, translate("Users",
                            "The last active administrator cannot be deactivated; make another "
                            "user an administrator first."))
                user.active = active
            after = {"display_name": user.display_name, "role": user.role.value,
                     "department_id": user.department_id, "active": user.active}
            changes = audit.diff(before, after)
            if changes:
                audit.record(session, actor, "user", user.id, "update", changes)
            session.flush()
            session.refresh(user)
            return _info(user)

    def reset_password(self, actor: Actor, user_id: int, new_password: str) -> None:
        """Sets a new password and lifts any lock (the admin tells the user the new password)."""
        require(actor, Permission.MANAGE_USERS)
        validate_password(new_password)
        with self.db.write() as session:
            user = self._get(session, user_id)
            user.password_hash = _hasher.hash(new_password)
            user.failed_logins = 0
            user.locked_until = None
            audit.record(session, actor, "user", user.id, "reset_password")

    # -- helpers -----------------------------------------------------------------------
    @staticmethod
    def _get(session: Session, user_id: int) -> User:
        user = session.get(User, user_id)
        if user is None:
            raise NotFound(translate("Users", "That user no longer exists. Refresh the list."))
        return user

    @staticmethod
    def _check_department(session: Session, department_id: int | None) -> None:
        if department_id is not None and session.get(Department, department_id) is None:
            message = translate("Users", "That department no longer exists. Choose another.")
            raise ValidationError(message, {"department": message})

    @staticmethod
    def _keep_an_admin(session: Session, user: User, message: str) -> None:
        others = session.scalar(
            select(func.count()).select_from(User).where(
                User.role == Role.ADMIN, User.active, User.id != user.id))
        if not others:
            raise ValidationError(message)
