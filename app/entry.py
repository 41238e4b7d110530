"""The ``calldesk`` program's entry point (``python -m app``, the installed script, the
frozen CallDesk.exe): the softphone hook's fast path first, then the command line."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["incoming-call"]:
        # Qt's local socket lives in ui/ (app/ never imports Qt itself).
        code = importlib.import_module("ui.hook").handover(argv)
        if code is not None:
            return code
    from app.cli import main as cli_main

    return cli_main(argv)
