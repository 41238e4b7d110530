"""The softphone hook's fast path (ui/hook.py): only what handing a number over needs.

The hand-over itself, from a second process to a listening CallDesk, is in
tests/test_caller_popup.py (``python -m app incoming-call`` takes this path)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.paths import resolve_paths
from ui import hook
from ui.single_instance import InstanceServer

ROOT = Path(__file__).resolve().parent.parent
# What the hook never needs: the database code, the workbooks, the command line, the widgets.
HEAVY = ("sqlalchemy", "alembic", "openpyxl", "app.cli", "app.services", "PySide6.QtWidgets")


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
        f"heavy = [m for m in {HEAVY!r} if m in sys.modules]\n"
        "print(json.dumps([code, heavy]))\n")
    done = subprocess.run([sys.executable, "-c", child], cwd=ROOT, capture_output=True,
                          text=True, timeout=60,
                          env=dict(os.environ, QT_QPA_PLATFORM="offscreen"))
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.splitlines()[-1]) == [None, []]


@pytest.mark.gui
def test_the_real_entry_hands_a_call_over_having_imported_no_database_code(
        qtbot: QtBot, tmp_path: Path) -> None:
    """``python -m app incoming-call`` as a softphone runs it, to a listening CallDesk: the
    number arrives, and nothing of the database, the workbooks or the widgets was loaded."""
    server = InstanceServer(resolve_paths(tmp_path))
    assert server.listen()
    child = (
        "import json, sys\n"
        "from app.entry import main\n"
        f"code = main(['incoming-call', '13800138000', '--data-dir', {str(tmp_path)!r}])\n"
        f"heavy = [m for m in {HEAVY!r} if m in sys.modules]\n"
        "print(json.dumps([code, heavy]))\n")
    try:
        with qtbot.waitSignal(server.incoming_call, timeout=30_000) as arrived:
            process = subprocess.Popen([sys.executable, "-c", child], cwd=ROOT, text=True,
                                       stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                       env=dict(os.environ, QT_QPA_PLATFORM="offscreen"))
        output, errors = process.communicate(timeout=60)
        qtbot.waitUntil(lambda: not server._buffers)  # the connection is done with
    finally:
        server.close()
    assert arrived.args == ["13800138000", False]
    assert process.returncode == 0, errors
    assert json.loads(output.splitlines()[-1]) == [0, []]
