#!/usr/bin/env python3
"""Start CallDesk from a checkout with nothing but Python 3.11+.

    python run.py               open CallDesk (embedded SQLite database in the data folder)
    python run.py -- --demo     open CallDesk on a throw-away demo database
    python run.py test [ARGS]   run the test suite (ARGS go to pytest)
    python run.py cli ARGS      run the command line, e.g. `python run.py cli db info`
    python run.py bench [ARGS]  benchmark at scale, e.g. `python run.py bench --size M`
    python run.py translations  refresh resources/translations from the sources and build .qm
    python run.py build [ARGS]  freeze CallDesk into dist/CallDesk/ (PyInstaller), check its
                                size and run its smoke test (build_scripts/build.py --help)

The first run creates .venv and installs CallDesk with its test tools into it; it installs
again whenever pyproject.toml changes. Only the standard library is used here.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
STAMP = VENV / ".calldesk-installed"
MIN_PYTHON = (3, 11)


def venv_python() -> Path:
    if os.name == "nt":
        return VENV / "Scripts" / "python.exe"
    return VENV / "bin" / "python"


def _fingerprint() -> str:
    return hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()


def ensure_environment(extras: frozenset[str] = frozenset({"test"})) -> Path:
    """The project's .venv with the app and ``extras`` (pyproject's optional dependencies)
    installed; reinstalled when pyproject.toml changes or more extras are wanted."""
    python = venv_python()
    if not python.exists():
        print("CallDesk: creating .venv (first run only) …", flush=True)
        venv.EnvBuilder(with_pip=True, clear=VENV.exists()).create(VENV)
    stamp = STAMP.read_text().split() if STAMP.exists() else []
    have = set(stamp[1].split(",")) if len(stamp) > 1 and stamp[0] == _fingerprint() else None
    if have is None or not extras <= have:
        wanted = sorted(extras | (have or set()))
        print("CallDesk: installing dependencies into .venv …", flush=True)
        pip = [str(python), "-m", "pip", "--disable-pip-version-check"]
        subprocess.run([*pip, "install", "--quiet", "--upgrade", "pip"], check=False)
        subprocess.run([*pip, "install", "--quiet", "-e", f".[{','.join(wanted)}]"], cwd=ROOT,
                       check=True)
        STAMP.write_text(f"{_fingerprint()} {','.join(wanted)}")
    return python


# What Qt's xcb platform (the X11 desktop) links, by the Debian/Ubuntu package that has it.
# Without one, Qt says only "could not load the Qt platform plugin xcb".
XCB_PACKAGES = {
    "libxcb-cursor.so.0": "libxcb-cursor0", "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-keysyms.so.1": "libxcb-keysyms1", "libxcb-image.so.0": "libxcb-image0",
    "libxcb-render-util.so.0": "libxcb-render-util0", "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-randr.so.0": "libxcb-randr0", "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xkb.so.1": "libxcb-xkb1", "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1", "libxcb-render.so.0": "libxcb-render0",
    "libxcb-glx.so.0": "libxcb-glx0", "libxcb.so.1": "libxcb1", "libX11-xcb.so.1": "libx11-xcb1",
    "libX11.so.6": "libx11-6", "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxkbcommon.so.0": "libxkbcommon0", "libEGL.so.1": "libegl1", "libGL.so.1": "libgl1",
    "libOpenGL.so.0": "libopengl0", "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6", "libdbus-1.so.3": "libdbus-1-3",
    "libglib-2.0.so.0": "libglib2.0-0",
}


def _xcb_libraries() -> list[Path]:
    """Qt's xcb platform plugin and its library in .venv's PySide6."""
    found = []
    for site in sorted(VENV.glob("lib/python3*/site-packages/PySide6/Qt")):
        found += [site / "plugins" / "platforms" / "libqxcb.so", site / "lib" / "libQt6XcbQpa.so.6"]
    return [f for f in found if f.exists()]


def missing_libraries(ldd_output: str) -> list[str]:
    """The sonames ldd reports as "not found"."""
    return sorted({line.split("=>")[0].strip() for line in ldd_output.splitlines()
                   if "=> not found" in line})


def xcb_problem(environ: dict[str, str] | None = None, platform: str = sys.platform,
                ldd=None) -> str | None:  # noqa: ANN001 - a callable (tests)
    """Linux with an X11 display: the system packages Qt's xcb platform misses, said so; None
    when nothing is missing or the question does not arise (another OS, offscreen, no ldd)."""
    environ = os.environ if environ is None else environ
    if not platform.startswith("linux") or environ.get("QT_QPA_PLATFORM", "xcb") != "xcb" \
            or not environ.get("DISPLAY"):
        return None
    if ldd is None:
        def ldd(path: Path) -> str:
            try:
                return subprocess.run(["ldd", str(path)], capture_output=True, text=True,
                                      timeout=30).stdout
            except (OSError, subprocess.SubprocessError):
                return ""
    missing = sorted({name for library in _xcb_libraries()
                      for name in missing_libraries(ldd(library))})
    if not missing:
        return None
    packages = sorted({XCB_PACKAGES.get(name, name) for name in missing})
    return ("CallDesk: Qt's X11 (xcb) platform needs system libraries this computer lacks: "
            f"{', '.join(missing)}.\nInstall them and start again, on Debian or Ubuntu:\n"
            f"    sudo apt-get install {' '.join(packages)}")


def main(argv: list[str]) -> int:
    if sys.version_info < MIN_PYTHON:
        print(f"CallDesk needs Python {MIN_PYTHON[0]}.{MIN_PYTHON[1]} or newer; "
              f"this is {sys.version.split()[0]}.", file=sys.stderr)
        return 1
    verb = argv[0] if argv else ""
    # pandas is the benchmark's baseline only: the app and the tests never import it.
    # PyInstaller builds the frozen folder: `build`, and the slow test that builds it.
    extras = {"bench": {"test", "bench"}, "build": {"test", "build"},
              "test": {"test", "build"}}.get(verb, {"test"})
    python = str(ensure_environment(frozenset(extras)))
    if verb == "test":
        command = [python, "-m", "pytest", *argv[1:]]
    elif verb == "cli":
        command = [python, "-m", "app", *argv[1:]]
    elif verb == "bench":
        command = [python, str(ROOT / "build_scripts" / "bench.py"), *argv[1:]]
    elif verb == "build":
        command = [python, str(ROOT / "build_scripts" / "build.py"), *argv[1:]]
    elif verb == "translations":
        command = [python, str(ROOT / "build_scripts" / "translations.py"), *argv[1:]]
    elif verb in ("", "--"):
        problem = xcb_problem()
        if problem:
            print(problem, file=sys.stderr)
            return 1
        command = [python, "-m", "app", *argv[1:]]
    else:
        print(f"run.py: unknown verb {verb!r}; use: test, cli, bench, build, translations, or -- ARGS",
              file=sys.stderr)
        return 2
    return subprocess.run(command, cwd=ROOT).returncode


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except subprocess.CalledProcessError as error:
        print(f"run.py: {' '.join(map(str, error.cmd))} failed (exit {error.returncode}).",
              file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt:
        sys.exit(130)
