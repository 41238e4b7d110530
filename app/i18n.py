"""Translations for text that app/ shows to people (error messages, CLI output, exports).

The source strings are English; Simplified Chinese comes from the same Qt Linguist file the
UI uses (``resources/translations/calldesk_zh_CN.ts``), read here with the standard
library so the command line and the services need no Qt. Mark strings with
``translate("Context", "Text")`` so ``lupdate`` finds them.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from functools import cache

from app.paths import resources_dir

DEFAULT_LANGUAGE = "zh_CN"
LANGUAGES = ("zh_CN", "en")

_language = DEFAULT_LANGUAGE


def set_language(language: str) -> None:
    global _language
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}; choose one of {', '.join(LANGUAGES)}")
    _language = language


def current_language() -> str:
    return _language


@cache
def _catalog(language: str) -> dict[tuple[str, str], str]:
    path = resources_dir() / "translations" / f"calldesk_{language}.ts"
    if not path.exists():
        return {}
    catalog: dict[tuple[str, str], str] = {}
    for context in ET.parse(path).getroot().iter("context"):
        name = context.findtext("name", "")
        for message in context.iter("message"):
            translation = message.find("translation")
            if translation is None or translation.get("type") in ("unfinished", "vanished", "obsolete"):
                continue
            if translation.text:
                catalog[(name, message.findtext("source", ""))] = translation.text
    return catalog


def translate(context: str, text: str) -> str:
    """The text in the current language (the English source when no translation exists)."""
    if _language == "en":
        return text
    return _catalog(_language).get((context, text), text)
