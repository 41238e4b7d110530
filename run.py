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
