"""The frozen build (issue 13): PyInstaller makes dist/CallDesk/, lean enough, and it works.

Marked slow (about a minute: the build takes ~40 s here); CI runs them with
``python run.py test -m slow``. What goes in and what stays out is in
build_scripts/bundle.py; tests/test_bundle.py checks those rules fast.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "build_scripts"))

import build  # noqa: E402
import bundle  # noqa: E402

pytestmark = pytest.mark.slow


def _environment(**extra: str) -> dict[str, str]:
    return dict(os.environ, QT_QPA_PLATFORM="offscreen", **extra)


def test_the_smoke_test_passes_from_source() -> None:
    result = subprocess.run([sys.executable, "-m", "app", "--smoke-test"], cwd=ROOT,
                            capture_output=True, text=True, encoding="utf-8", timeout=300,
                            env=_environment())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "from source" in result.stdout
    assert "CallDesk smoke test passed: 9 steps" in result.stdout


@pytest.fixture(scope="module")
def frozen_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """dist/CallDesk built once for this module, in a folder with Chinese and a space."""
    if importlib.util.find_spec("PyInstaller") is None:
        pytest.fail("PyInstaller is not installed: `python run.py test` installs it "
                    "(pyproject's build extra)")
    base = tmp_path_factory.mktemp("frozen")
    folder = build.build(base / "张 三" / "dist", base / "work")
    assert build.executable(folder, bundle.APP_EXE).is_file()
    return folder


def test_the_frozen_folder_keeps_to_its_size_budget(frozen_folder: Path) -> None:
    size = bundle.folder_size_mb(frozen_folder)
    print(f"dist/CallDesk: {size:.1f} MB")
    assert size <= bundle.SIZE_BUDGET_MB, f"{size:.1f} MB"


def test_the_frozen_folder_ships_nothing_it_should_not(frozen_folder: Path) -> None:
    names = {p.relative_to(frozen_folder).as_posix() for p in frozen_folder.rglob("*")}
    for unwanted in ("numpy", "pandas", "tests", "pytest", "QtQml", "QtQuick", "WebEngine",
                     "Qt6Pdf", "Qt63D", "Multimedia", "libqgtk3", "libgtk-3"):
        assert not [n for n in names if unwanted in n], unwanted
    bundled = [n for n in names if n.endswith(".qm")]
    assert sorted(Path(n).name for n in bundled) == ["calldesk_zh_CN.qm", "qtbase_zh_CN.qm"]


def test_the_frozen_smoke_test_passes(frozen_folder: Path) -> None:
    result = build.smoke_test(frozen_folder)
    print(result.stdout)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "frozen" in result.stdout
    assert "CallDesk smoke test passed: 9 steps" in result.stdout


def test_the_frozen_build_in_portable_mode(frozen_folder: Path) -> None:
    """portable.txt beside the executable: the database in data/ beside it, in a folder
    whose path has Chinese characters and a space."""
    marker = frozen_folder / "portable.txt"
    marker.write_text("", encoding="utf-8")
    program = str(build.cli_executable(frozen_folder))
    try:
        environment = _environment()
        environment.pop("CALLDESK_HOME", None)
        upgraded = subprocess.run([program, "db", "upgrade", "--json"], capture_output=True,
                                  text=True, encoding="utf-8", timeout=120, env=environment)
        assert upgraded.returncode == 0, upgraded.stdout + upgraded.stderr
        info = subprocess.run([program, "db", "info", "--json"], capture_output=True,
                              text=True, encoding="utf-8", timeout=120, env=environment)
        assert info.returncode == 0, info.stdout + info.stderr
        described = json.loads(info.stdout)
        assert described["status"] == "current"
        assert (frozen_folder / "data" / "calldesk.db").is_file()
        assert "张 三" in json.dumps(described, ensure_ascii=False)
    finally:
        marker.unlink()
