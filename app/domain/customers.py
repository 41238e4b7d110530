"""The customer card's vocabulary: titles, types, tiers, roles at a unit, and name keys for
pinyin search."""

from __future__ import annotations

import enum

from app.i18n import translate

# pypinyin reads these characters with their common meaning; as surnames they are read
# differently, and a caller's surname is what operators type (曾 → zeng, not ceng).
SURNAME_READINGS = {
    "曾": "zeng", "单": "shan", "解": "xie", "仇": "qiu", "朴": "piao", "查": "zha",
    "区": "ou", "乐": "yue", "覃": "qin", "缪": "miao", "尉": "yu", "盖": "ge", "翟": "zhai",
    "繁": "po", "员": "yun", "卜": "bu", "柏": "bai", "秘": "bi", "折": "she", "万": "wan",
    "重": "chong", "长": "chang", "种": "chong", "黑": "he", "宓": "mi", "冼": "xian",
}


class Title(enum.StrEnum):
    NONE = ""
    MR = "mr"
    MS = "ms"

    @property
    def label(self) -> str:
        return {Title.NONE: "", Title.MR: translate("Customer", "Mr"),
                Title.MS: translate("Customer", "Ms")}[self]


def greeting_name(name: str, title: Title) -> str:
    """How the operator addresses a customer: 张先生 / 王女士, or the full name. Said to the
    caller, so in the callers' language whatever the UI language is."""
    if title == Title.NONE:
        return name
    spoken = {Title.MR: "先生", Title.MS: "女士"}[title]
    return name[:1] + spoken if len(name) <= 4 else name


class CustomerType(enum.StrEnum):
    OWNER = "owner"
    TENANT = "tenant"
    FAMILY = "family"
    MERCHANT = "merchant"
    OTHER = "other"

    @property
    def label(self) -> str:
        return {
            CustomerType.OWNER: translate("Customer", "Owner"),
            CustomerType.TENANT: translate("Customer", "Tenant"),
            CustomerType.FAMILY: translate("Customer", "Family member"),
            CustomerType.MERCHANT: translate("Customer", "Merchant"),
            CustomerType.OTHER: translate("Customer", "Other"),
        }[self]


class Tier(enum.StrEnum):
    VIP = "vip"
    NORMAL = "normal"
    BLACKLIST = "blacklist"

    @property
    def label(self) -> str:
        return {
            Tier.VIP: translate("Customer", "VIP"),
            Tier.NORMAL: translate("Customer", "Normal"),
            Tier.BLACKLIST: translate("Customer", "Blacklist"),
        }[self]


def name_keys(name: str) -> tuple[str, str]:
    """(full pinyin, initials) of a name, lower case without spaces: 张三 → ("zhangsan", "zs")."""
    from pypinyin import lazy_pinyin  # its dictionary loads in a fifth of a second: when needed

    syllables = lazy_pinyin(name, errors=lambda chars: list(chars))
    if name and name[0] in SURNAME_READINGS and syllables:
        syllables[0] = SURNAME_READINGS[name[0]]
    syllables = [s.lower() for s in syllables if s.strip()]
    full = "".join(syllables)
    initials = "".join(s[0] for s in syllables if s[0].isalnum())
    return full[:120], initials[:40]


def looks_like_pinyin(text: str) -> bool:
    return bool(text) and text.isascii() and text.replace(" ", "").isalpha()


__all__ = ["CustomerType", "Tier", "Title", "looks_like_pinyin", "name_keys"]
