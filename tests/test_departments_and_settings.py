from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.domain.roles import Actor, Role
from app.errors import PermissionDenied, ValidationError
from app.services import Services
from app.settings import (
    CENTRE_NAME,
    DATABASE_URL,
    LANGUAGE,
    OPTIONS,
    SCRIPT_GREETING,
    SHARED,
    LocalSettings,
)


def test_departments_add_rename_deactivate(services: Services, admin: Actor) -> None:
    added = services.departments.add(admin, " 绿化组 ")
    assert added.name == "绿化组"
    assert [d.name for d in services.departments.list()][-1] == "绿化组"
    renamed = services.departments.update(admin, added.id, name="绿化养护部")
    assert renamed.name == "绿化养护部"
    services.departments.update(admin, added.id, active=False)
    assert "绿化养护部" not in [d.name for d in services.departments.list()]
    assert "绿化养护部" in [d.name for d in services.departments.list(include_inactive=True)]
    actions = [r.action for r in services.audit.entries_for(admin, "department", added.id)]
    assert actions == ["update", "update", "create"]


def test_department_names_are_checked(services: Services, admin: Actor) -> None:
    with pytest.raises(ValidationError, match="已有名为“工程部”的部门"):
        services.departments.add(admin, "工程部")
    with pytest.raises(ValidationError) as caught:
        services.departments.add(admin, "   ")
    assert "name" in caught.value.fields
    assert len(services.departments.list()) == 5


def test_only_admins_manage_departments(services: Services, admin: Actor) -> None:
    services.users.add_user(admin, "boss", "陈经理", Role.SUPERVISOR, "secret1")
    boss = services.users.authenticate("boss", "secret1")
    with pytest.raises(PermissionDenied):
        services.departments.add(boss, "新部门")


def test_shared_settings_have_defaults_and_are_saved_by_admins(services: Services,
                                                               admin: Actor) -> None:
    assert services.settings.get(SCRIPT_GREETING) == SCRIPT_GREETING.default
    services.settings.set_many(admin, {SCRIPT_GREETING: "您好，{centre}为您服务。"})
    assert services.settings.get(SCRIPT_GREETING) == "您好，{centre}为您服务。"
    everything = services.settings.all()
    assert set(everything) == {k for k, o in OPTIONS.items() if o.scope == SHARED}
    assert everything[CENTRE_NAME.key] == "阳光花园物业服务中心"
    trail = services.audit.entries_for(admin, "setting", SCRIPT_GREETING.key)
    assert trail[0].changes == {"value": [SCRIPT_GREETING.default, "您好，{centre}为您服务。"]}


def test_shared_settings_refuse_bad_input_and_change_nothing(services: Services,
                                                             admin: Actor) -> None:
    with pytest.raises(ValidationError) as caught:
        services.settings.set_many(admin, {CENTRE_NAME: "新名字",
                                           SCRIPT_GREETING: "长" * 501})
    assert SCRIPT_GREETING.key in caught.value.fields
    assert services.settings.get(CENTRE_NAME) == "阳光花园物业服务中心"


def test_operators_cannot_change_shared_settings(services: Services, admin: Actor) -> None:
    services.users.add_user(admin, "kf01", "王芳", Role.OPERATOR, "secret1")
    operator = services.users.authenticate("kf01", "secret1")
    with pytest.raises(PermissionDenied, match="无权修改服务中心设置"):
        services.settings.set_many(operator, {CENTRE_NAME: "我的中心"})


def test_local_settings_round_trip_and_survive_damage(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    local = LocalSettings(path)
    assert local.get(LANGUAGE) == "zh_CN" and local.get(DATABASE_URL) == ""
    local.set(LANGUAGE, "en")
    local.set(DATABASE_URL, "postgresql://desk@server/calldesk")
    local.save()
    assert json.loads(path.read_text(encoding="utf-8"))["language"] == "en"
    again = LocalSettings(path)
    assert again.get(LANGUAGE) == "en"
    assert again.get(DATABASE_URL) == "postgresql://desk@server/calldesk"
    path.write_text("{ not json", encoding="utf-8")
    assert LocalSettings(path).get(LANGUAGE) == "zh_CN"
    path.write_text(json.dumps({"language": "klingon"}), encoding="utf-8")
    assert LocalSettings(path).get(LANGUAGE) == "zh_CN"


def test_every_option_is_declared_once_with_a_default_of_its_type() -> None:
    for option in OPTIONS.values():
        assert isinstance(option.default, option.type), option.key
        assert option.coerce(None) == option.default
