"""The customer card file on both databases: cards, search by every key, merge, roles."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from app import clock
from app.domain.customers import CustomerType, Tier, Title, name_keys
from app.domain.roles import Actor, Role
from app.errors import PermissionDenied, ValidationError
from app.services import Services
from app.services.customers import (
    AmbiguousUnit,
    CustomerInput,
    NumberOnOtherCard,
    PhoneInput,
    UnitInput,
    UnitMatch,
    list_position,
)


def card(name: str, *phones: str, units: tuple[str, ...] = (), **extra: object) -> CustomerInput:
    return CustomerInput(name=name, phones=[PhoneInput(p) for p in phones],
                         units=[UnitInput(u) for u in units], **extra)  # type: ignore[arg-type]


@pytest.fixture
def filled(services: Services, admin: Actor) -> dict[str, int]:
    c = services.customers
    return {
        "zhang": c.create(admin, card("张三", "138 0013 8000", units=("3-2-1502",),
                                      title=Title.MR)).id,
        "zeng": c.create(admin, card("曾小贤", "13912345678", "010-88886666",
                                     units=("5栋1单元301",), tier=Tier.VIP)).id,
        "wang": c.create(admin, card("王芳", "+86 150 0000 1111",
                                     units=("3号楼2单元1502",), title=Title.MS,
                                     customer_type=CustomerType.TENANT)).id,
        "li": c.create(admin, card("李四", "18600001234", tier=Tier.BLACKLIST)).id,
    }


def names(services: Services, query: str) -> list[str]:
    return [row.name for row in services.customers.search(query).rows]


def test_a_card_is_saved_with_normalised_numbers_and_parsed_units(services: Services,
                                                                  admin: Actor) -> None:
    saved = services.customers.create(admin, card(
        "  张  三 ", "１３８００１３８０００/010-88886666转8001", units=("3栋2单元1502室",),
        title=Title.MR, notes="老人独居"))
    assert saved.name == "张 三"
    assert [p.normalized for p in saved.phones] == ["+8613800138000",
                                                     "+861088886666;ext=8001"]
    assert [u.label for u in saved.units] == ["3栋2单元1502"]
    assert saved.greeting_name == "张先生"
    assert saved.created_by == "李主任"


@pytest.mark.parametrize("query, expected", [
    ("张三", ["张三"]),
    ("zs", ["张三"]),
    ("zhangsan", ["张三"]),
    ("zxx", ["曾小贤"]),  # a surname read as a surname
    ("zeng", ["曾小贤"]),
    ("8000", ["张三"]),  # any 4+ digits of a number
    ("0013", ["张三"]),
    ("8888", ["曾小贤"]),
    ("3-2-1502", ["张三", "王芳"]),  # one unit, owner and tenant
    ("3栋2单元1502", ["张三", "王芳"]),
    ("3号楼2单元1502", ["张三", "王芳"]),
    ("芳", ["王芳"]),
    ("nobody", []),
])
def test_search_by_every_key(services: Services, filled: dict[str, int], query: str,
                             expected: list[str]) -> None:
    assert sorted(names(services, query)) == sorted(expected)


def test_empty_search_lists_newest_first_and_pages(services: Services,
                                                   filled: dict[str, int]) -> None:
    first = services.customers.search("", 0, 3)
    assert first.total == 4 and len(first.rows) == 3
    rest = services.customers.search("", 3, 3)
    assert [r.name for r in first.rows + rest.rows] == ["李四", "王芳", "曾小贤", "张三"]


def test_browsing_pages_on_after_the_last_card_shown(services: Services, admin: Actor) -> None:
    """Keyset pages equal offset pages, cards saved in the same instant included; a search
    (few pages, another order) still goes by offset."""
    with clock.at(datetime(2026, 11, 20, 2, 0, tzinfo=UTC)):
        for number in range(7):
            services.customers.create(admin, card(f"同时{number}", f"1390000{number:04d}"))
    by_offset = [r.id for offset in (0, 3, 6)
                 for r in services.customers.search("", offset, 3).rows]
    pages = [services.customers.search("", 0, 3).rows]
    while len(pages[-1]) == 3:
        pages.append(services.customers.search("", 3 * len(pages), 3, False,
                                               after=list_position(pages[-1][-1])).rows)
    assert [r.id for page in pages for r in page] == by_offset
    second = services.customers.search("同时", 3, 3, False, after=list_position(pages[0][0]))
    assert [r.id for r in second.rows] == \
        [r.id for r in services.customers.search("同时", 0, 7).rows][3:6]


def test_lookup_finds_the_caller_however_the_number_is_written(services: Services,
                                                               filled: dict[str, int]) -> None:
    for spelling in ("13800138000", "+86 138-0013-8000", "0086 13800138000"):
        assert [c.name for c in services.customers.lookup_phone(spelling)] == ["张三"]
    assert services.customers.lookup_phone("13700000000") == []


def test_bad_input_is_refused_field_by_field_and_changes_nothing(services: Services,
                                                                 admin: Actor) -> None:
    with pytest.raises(ValidationError) as caught:
        services.customers.create(admin, card("", "12345"))
    assert set(caught.value.fields) == {"name", "phones"}
    with pytest.raises(ValidationError) as caught:
        services.customers.create(admin, card("张三", "13800138000", units=("天台",)))
    assert "units" in caught.value.fields
    with pytest.raises(ValidationError, match="至少"):
        services.customers.create(admin, card("张三"))
    assert services.customers.search("").total == 0


def test_update_keeps_what_stays_and_audits_the_difference(services: Services, admin: Actor,
                                                           filled: dict[str, int]) -> None:
    before = services.customers.get(filled["zhang"])
    updated = services.customers.update(admin, before.id, card(
        "张三", "13800138000", "13911112222", units=("3-2-1502", "8-1-101"), notes="新号码",
        title=Title.MR))
    assert [p.display for p in updated.phones][0] == before.phones[0].display
    assert len(updated.phones) == 2 and len(updated.units) == 2
    history = services.customers.history(before.id)
    assert [h.action for h in history] == ["update", "create"]
    assert set(history[0].changes) == {"notes", "phones", "units"}


def test_merge_moves_numbers_units_and_marks(services: Services, admin: Actor,
                                             filled: dict[str, int]) -> None:
    services.users.add_user(admin, "boss", "陈经理", Role.SUPERVISOR, "secret1")
    boss = services.users.authenticate("boss", "secret1")
    duplicate = services.customers.create(admin, card("张三", "13700001111",
                                                      units=("9-9-909",), tier=Tier.VIP)).id
    merged = services.customers.merge(boss, filled["zhang"], duplicate)
    assert {p.normalized for p in merged.phones} == {"+8613800138000", "+8613700001111"}
    assert {u.label for u in merged.units} == {"3栋2单元1502", "9栋9单元909"}
    assert merged.tier == Tier.VIP
    assert names(services, "张三") == ["张三"]  # the merged card no longer shows
    assert services.customers.get(duplicate).id == merged.id  # old links lead to the person
    assert services.customers.lookup_phone("13700001111")[0].id == merged.id


def test_operators_edit_cards_but_do_not_merge_or_export(services: Services, admin: Actor,
                                                         filled: dict[str, int]) -> None:
    services.users.add_user(admin, "kf01", "王小", Role.OPERATOR, "secret1")
    operator = services.users.authenticate("kf01", "secret1")
    services.customers.update(operator, filled["li"], card("李四", "18600001234",
                                                           tier=Tier.BLACKLIST, notes="x"))
    with pytest.raises(PermissionDenied):
        services.customers.merge(operator, filled["zhang"], filled["wang"])
    with pytest.raises(PermissionDenied):
        list(services.customers.iter_rows(operator))
    assert len(list(services.customers.iter_rows(admin, batch=2))) == 4


def test_name_keys_for_pinyin_search() -> None:
    assert name_keys("张三") == ("zhangsan", "zs")
    assert name_keys("单雄信") == ("shanxiongxin", "sxx")
    assert name_keys("欧阳娜娜") == ("ouyangnana", "oynn")


def test_a_card_changed_by_another_desk_meanwhile_is_not_overwritten(
        services: Services, admin: Actor, filled: dict[str, int]) -> None:
    opened = services.customers.get(filled["zhang"])  # desk B opens the card
    services.customers.update(admin, opened.id, card(  # desk A adds a number and saves
        "张三", "13800138000", "13911112222", units=("3-2-1502",), title=Title.MR))
    with pytest.raises(ValidationError, match="李主任"):
        services.customers.update(admin, opened.id, card("张三", "13800138000", notes="B"),
                                  expected_updated_at=opened.updated_at)
    assert len(services.customers.get(opened.id).phones) == 2  # A's number survived


def test_a_new_number_alone_moves_the_last_changed_time(services: Services, admin: Actor,
                                                        filled: dict[str, int]) -> None:
    before = services.customers.get(filled["li"])
    after = services.customers.update(admin, before.id, card(
        "李四", "18600001234", "13911112222", tier=Tier.BLACKLIST),
        expected_updated_at=before.updated_at)
    assert after.updated_at > before.updated_at
    assert services.customers.search("", 0, 1).rows[0].name == "李四"  # newest first


@pytest.mark.parametrize("spelling", ["+86 138 0013 8000", "１３８００１３８",
                                      "(138)00138000", "0086-138-0013-8000"])
def test_numbers_are_found_however_they_are_typed(services: Services, filled: dict[str, int],
                                                  spelling: str) -> None:
    assert names(services, spelling) == ["张三"]


def test_pinyin_prefixes_ending_in_z_work(services: Services, admin: Actor) -> None:
    services.customers.create(admin, card("赵志", "13000000001"))
    assert names(services, "zz") == ["赵志"]
    assert names(services, "z") == ["赵志"]


def test_the_card_history_names_people_not_logins(services: Services, admin: Actor,
                                                  filled: dict[str, int]) -> None:
    services.users.add_user(admin, "op1", "王小红", Role.OPERATOR, "secret1")
    operator = services.users.authenticate("op1", "secret1")
    services.customers.update(operator, filled["zhang"], card("张三", "13800138000",
                                                             notes="新备注"))
    history = services.customers.history(filled["zhang"])
    assert [(h.action, h.user_name) for h in history] == [("update", "王小红"),
                                                          ("create", "李主任")]


def unit_ids(services: Services, customer_id: int) -> list[int]:
    return [u.id for u in services.customers.get(customer_id).units]


def test_a_unit_typed_the_short_way_is_the_unit_on_file(services: Services,
                                                        admin: Actor) -> None:
    c = services.customers
    owner = c.create(admin, card("周敏", "13800000001", units=("枫林新城 9栋1单元1404",))).id
    tenant = c.create(admin, card("吴刚", "13800000002", units=("9-1-1404",))).id
    assert unit_ids(services, tenant) == unit_ids(services, owner)
    assert [u.label for u in c.get(tenant).units] == ["枫林新城 9栋1单元1404"]
    assert c.match_unit("9栋1单元1404") == UnitMatch("9栋1单元1404", "枫林新城 9栋1单元1404",
                                                      True)
    # an estate said is that estate's unit, even a new one
    other = c.create(admin, card("郑洁", "13800000003", units=("阳光花园 9-1-1404",))).id
    assert unit_ids(services, other) != unit_ids(services, owner)
    # an estate-less unit on file stays the unit of the estate-less spelling
    first = c.create(admin, card("钱多", "13800000004", units=("5-1-301",))).id
    second = c.create(admin, card("孙丽", "13800000005", units=("5栋1单元301",))).id
    assert unit_ids(services, first) == unit_ids(services, second)
    assert c.match_unit("3-3-303") == UnitMatch("3-3-303", "3栋3单元303", False)


def test_a_unit_two_estates_have_must_be_chosen(services: Services, admin: Actor) -> None:
    c = services.customers
    c.create(admin, card("周敏", "13800000001", units=("枫林新城 9-1-1404",)))
    c.create(admin, card("郑洁", "13800000003", units=("阳光花园 9-1-1404",)))
    match = c.match_unit("9-1-1404")
    assert (match.label, match.choices) == ("", ("枫林新城 9栋1单元1404", "阳光花园 9栋1单元1404"))
    with pytest.raises(AmbiguousUnit) as caught:
        c.create(admin, card("吴刚", "13800000002", units=("9-1-1404",)))
    assert "units" in caught.value.fields and "枫林新城" in caught.value.message
    assert c.lookup_phone("13800000002") == []  # nothing saved
    chosen = c.create(admin, card("吴刚", "13800000002", units=(match.choices[1],)))
    assert [u.label for u in chosen.units] == ["阳光花园 9栋1单元1404"]


def test_unit_completions_follow_what_is_typed(services: Services, admin: Actor) -> None:
    c = services.customers
    for n, unit in enumerate(("枫林新城 9-1-1404", "枫林新城 9-1-1402", "枫林新城 9-2-1401",
                              "阳光花园 9-1-1403", "枫林新城 10-1-101", "枫林新城 9-1-301")):
        c.create(admin, card(f"客户{n}", f"1380000{n:04d}", units=(unit,)))
    assert c.unit_completions("9-1-14") == [
        "枫林新城 9栋1单元1402", "枫林新城 9栋1单元1404", "阳光花园 9栋1单元1403"]
    assert c.unit_completions("9栋1单元") == [
        "枫林新城 9栋1单元301", "枫林新城 9栋1单元1402", "枫林新城 9栋1单元1404",
        "阳光花园 9栋1单元1403"]
    assert c.unit_completions("阳光") == ["阳光花园 9栋1单元1403"]
    assert len(c.unit_completions("枫林", limit=2)) == 2
    assert c.unit_completions("") == [] and c.unit_completions("天台") == []


def test_a_number_on_another_card_is_not_saved_without_a_word(services: Services,
                                                              admin: Actor,
                                                              filled: dict[str, int]) -> None:
    c = services.customers
    with pytest.raises(NumberOnOtherCard) as caught:
        c.create(admin, card("张太太", "138-0013-8000", units=("3-2-1502",)))
    assert [(h.customer_id, h.name, h.units) for h in caught.value.holders] == [
        (filled["zhang"], "张三", "3栋2单元1502")]
    assert "张三" in caught.value.fields["phones"]
    assert len(c.lookup_phone("13800138000")) == 1  # nothing saved
    # a family sharing a landline: kept on both once the user says so
    wife = c.create(admin, card("张太太", "138-0013-8000", units=("3-2-1502",)),
                    shared_numbers={"+8613800138000"})
    assert sorted(x.name for x in c.lookup_phone("13800138000")) == ["张三", "张太太"]
    # saving a card again does not ask about a number it already shares
    c.update(admin, wife.id, card("张太太", "13800138000", notes="张三之妻"))
    # adding another card's number to a card asks too
    with pytest.raises(NumberOnOtherCard):
        c.update(admin, wife.id, card("张太太", "13800138000", "13912345678"),
                 shared_numbers={"+8613800138000"})
