"""Backups of a shared PostgreSQL server: the server's, taken with pg_dump."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from sqlalchemy import URL

from app.errors import CallDeskError
from app.i18n import translate


def pg_dump_command(url: URL, target: Path | str) -> list[str]:
    """The pg_dump command line for ``url`` (without the password, which goes in the
    environment so it is never on a command line others can see)."""
    plain = URL.create("postgresql", username=url.username, host=url.host, port=url.port,
                       database=url.database, query=url.query)
    return ["pg_dump", "--format=custom", f"--file={target}",
            f"--dbname={plain.render_as_string(hide_password=False)}"]


def shown_command(url: URL) -> str:
    """The command an administrator runs on the server, for the dialog and the messages."""
    return " ".join(pg_dump_command(url, "calldesk.dump"))


def run_pg_dump(url: URL, target: Path) -> Path:
    """Runs pg_dump when it is on the PATH; otherwise says what to do instead."""
    program = shutil.which("pg_dump")
    if program is None:
        raise CallDeskError(translate(
            "Backups", "This database is on a PostgreSQL server, whose backups are the "
                       "server's. pg_dump is not on this PC's PATH: install the PostgreSQL "
                       "client tools, or ask the administrator to run on the server: {command}")
                            .format(command=shown_command(url)))
    target.parent.mkdir(parents=True, exist_ok=True)
    command = [program, *pg_dump_command(url, target)[1:]]
    environment = dict(os.environ)
    if url.password:
        environment["PGPASSWORD"] = str(url.password)
    finished = subprocess.run(command, env=environment, capture_output=True, text=True,
                              check=False)
    if finished.returncode != 0:
        target.unlink(missing_ok=True)
        lines = (finished.stderr or finished.stdout).strip().splitlines()
        raise CallDeskError(translate(
            "Backups", "pg_dump could not back up the database: {error}").format(
            error=lines[-1] if lines else finished.returncode))
    return target
