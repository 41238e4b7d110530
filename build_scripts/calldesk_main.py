"""The frozen CallDesk's entry point (build_scripts/calldesk.spec): the same ``calldesk``
command as from source (``python -m app``), GUI by default."""

import os
import sys

# A windowed Windows program starts without stdout/stderr; `CallDesk.exe --help` or a
# warning printed by a library must not crash it (calldesk-cli.exe is the one that prints).
for _name in ("stdout", "stderr"):
    if getattr(sys, _name) is None:
        setattr(sys, _name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115

from app.entry import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
