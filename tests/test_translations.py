"""Every string a person sees exists in Simplified Chinese and in English."""

from __future__ import annotations

import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from app import i18n

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "build_scripts"))
import translations as tool  # noqa: E402

CJK = re.compile(r"[\u3400-\u9fff\uff00-\uffef\u3000-\u303f]")


def test_translation_files_are_complete_and_in_step_with_the_code() -> None:
    """lupdate over app/ and ui/ finds nothing new, every message is translated, and the
    shipped .qm is what lrelease makes of the .ts."""
    assert tool.check() == []


def test_source_strings_are_english() -> None:
    """English is the source language, so a Chinese source string would be missing in English."""
    root = ET.parse(ROOT / "resources" / "translations" / "calldesk_zh_CN.ts").getroot()
    # The one Chinese allowed: how people write a unit, shown as an example in both languages.
    chinese = [m.findtext("source") for m in root.iter("message")
               if CJK.search((m.findtext("source") or "").replace("3栋2单元1502", ""))]
    assert chinese == []
    assert len(list(root.iter("message"))) > 150


def test_placeholders_survive_translation() -> None:
    root = ET.parse(ROOT / "resources" / "translations" / "calldesk_zh_CN.ts").getroot()
    for message in root.iter("message"):
        source = message.findtext("source") or ""
        translation = message.findtext("translation") or ""
        assert sorted(re.findall(r"\{\w+\}", source)) == \
            sorted(re.findall(r"\{\w+\}", translation)), source
        if re.search(r"&\w", source.replace("&nbsp;", "")):
            assert "&" in translation, f"keyboard mnemonic lost in: {source}"


def test_app_messages_come_in_both_languages() -> None:
    i18n.set_language("zh_CN")
    assert i18n.translate("Users", "The current password is not right.") == "当前密码不正确。"
    i18n.set_language("en")
    assert i18n.translate("Users", "The current password is not right.") == \
        "The current password is not right."
    with pytest.raises(ValueError):
        i18n.set_language("fr")


def test_the_checker_catches_an_untranslated_message(tmp_path: Path) -> None:
    ts = tmp_path / "x.ts"
    ts.write_text('<?xml version="1.0" encoding="utf-8"?><TS version="2.1"><context>'
                  "<name>C</name><message><source>Hi</source>"
                  '<translation type="unfinished"></translation></message></context></TS>',
                  encoding="utf-8")
    assert tool.unfinished(ts) == [("C", "Hi")]
