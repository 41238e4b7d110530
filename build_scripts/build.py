"""Build dist/CallDesk/ with PyInstaller (build_scripts/calldesk.spec) and check it.

    python run.py build [--dist DIR] [--work DIR] [--no-smoke-test]

Prints the folder's size (and fails over the budget of bundle.SIZE_BUDGET_MB), then runs
the frozen smoke test (``calldesk-cli --smoke-test``) unless told not to.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "build_scripts"))

import bundle  # noqa: E402


def executable(folder: Path, name: str) -> Path:
    return folder / (f"{name}.exe" if os.name == "nt" else name)


def cli_executable(folder: Path) -> Path:
    """The executable that prints: calldesk-cli.exe on Windows, CallDesk elsewhere."""
    return executable(folder, bundle.CLI_EXE if os.name == "nt" else bundle.APP_EXE)


def build(dist: Path, work: Path) -> Path:
    """Runs PyInstaller; returns the CallDesk folder."""
    subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "ERROR",
                    "--distpath", str(dist), "--workpath", str(work),
                    str(ROOT / "build_scripts" / "calldesk.spec")], cwd=ROOT, check=True)
    return dist / "CallDesk"


def smoke_test(folder: Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    environment = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.run([str(cli_executable(folder)), "--smoke-test"],
                          capture_output=True, text=True, encoding="utf-8", errors="replace",
                          timeout=timeout, env=environment)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dist", type=Path, default=ROOT / "dist")
    parser.add_argument("--work", type=Path, default=ROOT / "build")
    parser.add_argument("--no-smoke-test", action="store_true")
    args = parser.parse_args(argv)
    started = time.monotonic()
    folder = build(args.dist.resolve(), args.work.resolve())
    took = time.monotonic() - started
    size = bundle.folder_size_mb(folder)
    print(f"build: {folder} — {size:.1f} MB (budget {bundle.SIZE_BUDGET_MB} MB), "
          f"built in {took:.0f} s")
    if size > bundle.SIZE_BUDGET_MB:
        print(f"build: the folder is over the budget of {bundle.SIZE_BUDGET_MB} MB",
              file=sys.stderr)
        return 1
    if args.no_smoke_test:
        return 0
    result = smoke_test(folder)
    sys.stdout.write(result.stdout)
    sys.stderr.write(result.stderr)
    if result.returncode != 0:
        print(f"build: the frozen smoke test failed (exit {result.returncode})", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
