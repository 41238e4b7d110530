"""Refresh the translation files from the sources and build the .qm files Qt loads.

    python run.py translations           lupdate (new strings appear as unfinished) + lrelease
    python run.py translations --check   exit 1 if the .ts files are out of date or incomplete

Translators edit resources/translations/calldesk_zh_CN.ts with Qt Linguist
(pyside6-linguist) or any text editor; the source strings are English.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "resources" / "translations"
LANGUAGES = ("zh_CN",)
SOURCE_DIRS = ("app", "ui")


def _tool(name: str) -> str:
    found = shutil.which(f"pyside6-{name}") or shutil.which(
        f"pyside6-{name}", path=str(Path(sys.executable).parent))
    if not found:
        raise SystemExit(f"pyside6-{name} not found; run this through `python run.py translations`")
    return found


def sources() -> list[str]:
    files = []
    for folder in SOURCE_DIRS:
        files += sorted(str(p.relative_to(ROOT)) for p in (ROOT / folder).rglob("*.py")
                        if "migrations" not in p.parts)
    return files


def lupdate(ts_file: Path) -> None:
    subprocess.run([_tool("lupdate"), "-no-obsolete", "-locations", "none", "-silent",
                    *sources(), "-ts", str(ts_file)], cwd=ROOT, check=True)


def lrelease(ts_file: Path, qm_file: Path) -> None:
    subprocess.run([_tool("lrelease"), "-silent", str(ts_file), "-qm", str(qm_file)],
                   cwd=ROOT, check=True)


def unfinished(ts_file: Path) -> list[tuple[str, str]]:
    """(context, source) of every message without a finished translation."""
    missing = []
    for context in ET.parse(ts_file).getroot().iter("context"):
        name = context.findtext("name", "")
        for message in context.iter("message"):
            translation = message.find("translation")
            if translation is None or translation.get("type") == "unfinished" \
                    or not (translation.text or "").strip():
                missing.append((name, message.findtext("source", "")))
    return missing


def check() -> list[str]:
    problems = []
    for language in LANGUAGES:
        committed = TRANSLATIONS / f"calldesk_{language}.ts"
        with tempfile.TemporaryDirectory() as tmp:
            fresh = Path(tmp) / committed.name
            shutil.copy(committed, fresh)
            lupdate(fresh)
            if fresh.read_bytes() != committed.read_bytes():
                problems.append(f"{committed.name} is out of date: run `python run.py "
                                f"translations` and translate the new strings")
            qm = Path(tmp) / f"calldesk_{language}.qm"
            lrelease(committed, qm)
            if qm.read_bytes() != (TRANSLATIONS / qm.name).read_bytes():
                problems.append(f"{qm.name} does not match {committed.name}: run "
                                f"`python run.py translations`")
        problems += [f"{committed.name}: untranslated [{c}] {s!r}"
                     for c, s in unfinished(committed)]
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    if args.check:
        problems = check()
        print("\n".join(problems) or "translations complete and up to date")
        return 1 if problems else 0
    for language in LANGUAGES:
        ts_file = TRANSLATIONS / f"calldesk_{language}.ts"
        if not ts_file.exists():
            ts_file.write_text('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n'
                               f'<TS version="2.1" language="{language}"></TS>\n',
                               encoding="utf-8")
        lupdate(ts_file)
        lrelease(ts_file, TRANSLATIONS / f"calldesk_{language}.qm")
        left = unfinished(ts_file)
        print(f"{ts_file.name}: {len(left)} message(s) still to translate")
    return 0


if __name__ == "__main__":
    sys.exit(main())
