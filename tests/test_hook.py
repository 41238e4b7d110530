"""The softphone hook's fast path (ui/hook.py): only what handing a number over needs.

The hand-over itself, from a second process to a listening CallDesk, is in
tests/test_caller_popup.py (``python -m app incoming-call`` takes this path)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from ui import hook

ROOT = Path(__file__).resolve().parent.parent


def test_the_simple_hook_command_lines_are_taken() -> None:
    assert hook.parse(["incoming-call", "13800138000"]) == ("13800138000", False, False, None)
    assert hook.parse(["incoming-call", "+86 138 0013 8000", "--missed"]) == \
        ("+86 138 0013 8000", True, False, None)
    assert hook.parse(["incoming-call", "--demo", "010-88886666", "--data-dir", "D:\\张 三"]) \
        == ("010-88886666", False, True, "D:\\张 三")
    assert hook.parse(["incoming-call", "--data-dir=/tmp/x", "400"]) == ("400", False, False,
                                                                         "/tmp/x")


def test_anything_else_is_left_to_the_full_command_line() -> None:
    for argv in (["incoming-call"], ["incoming-call", " "], ["incoming-call", "--help"],
                 ["incoming-call", "1", "2"], ["incoming-call", "1", "--lang", "en"],
                 ["incoming-call", "1", "--database", "sqlite://"],
                 ["incoming-call", "1", "--data-dir"], ["lookup", "1"], []):
        assert hook.parse(argv) is None, argv


def test_with_no_calldesk_running_it_hands_on_having_imported_no_database_code(
        tmp_path: Path) -> None:
    child = (
        "import json, sys\n"
        "from ui import hook\n"
        f"code = hook.handover(['incoming-call', '13800138000', '--data-dir', {str(tmp_path)!r}])\n"
        "heavy = [m for m in ('sqlalchemy', 'alembic', 'openpyxl', 'app.cli', 'app.services',"
        " 'PySide6.QtWidgets') if m in sys.modules]\n"
        "print(json.dumps([code, heavy]))\n")
    done = subprocess.run([sys.executable, "-c", child], cwd=ROOT, capture_output=True,
                          text=True, timeout=60,
                          env=dict(os.environ, QT_QPA_PLATFORM="offscreen"))
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.splitlines()[-1]) == [None, []]
