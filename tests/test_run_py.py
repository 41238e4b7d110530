"""run.py, the standard-library launcher: what it says when Qt's xcb platform cannot load."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("calldesk_run_py", ROOT / "run.py")
assert _spec is not None and _spec.loader is not None
run_py = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(run_py)

LDD = """\
\tlinux-vdso.so.1 (0x00007ffd)
\tlibQt6Gui.so.6 => /venv/PySide6/Qt/lib/libQt6Gui.so.6 (0x00007f21)
\tlibxcb-cursor.so.0 => not found
\tlibxcb-icccm.so.4 => not found
\tlibxcb.so.1 => /lib/x86_64-linux-gnu/libxcb.so.1 (0x00007f22)
"""


def test_ldd_output_gives_the_missing_libraries() -> None:
    assert run_py.missing_libraries(LDD) == ["libxcb-cursor.so.0", "libxcb-icccm.so.4"]
    assert run_py.missing_libraries("\tlibc.so.6 => /lib/libc.so.6 (0x1)\n") == []


def test_missing_xcb_libraries_are_named_with_their_packages() -> None:
    problem = run_py.xcb_problem({"DISPLAY": ":0"}, "linux", ldd=lambda _path: LDD)
    if not run_py._xcb_libraries():  # no PySide6 in .venv: nothing to look at
        assert problem is None
        return
    assert problem is not None
    assert "libxcb-cursor.so.0, libxcb-icccm.so.4" in problem
    assert "sudo apt-get install libxcb-cursor0 libxcb-icccm4" in problem


def test_nothing_is_said_when_nothing_is_missing_or_no_x11_is_asked_for() -> None:
    fine = "\tlibxcb.so.1 => /lib/libxcb.so.1 (0x1)\n"
    assert run_py.xcb_problem({"DISPLAY": ":0"}, "linux", ldd=lambda _path: fine) is None
    missing = lambda _path: LDD  # noqa: E731
    assert run_py.xcb_problem({}, "linux", ldd=missing) is None  # no display
    assert run_py.xcb_problem({"DISPLAY": ":0", "QT_QPA_PLATFORM": "offscreen"}, "linux",
                              ldd=missing) is None
    assert run_py.xcb_problem({"DISPLAY": ":0"}, "win32", ldd=missing) is None
