"""PostgreSQL's own tools for backups: pg_dump and pg_restore, run with the database URL's
connection settings but never its password on the command line.

The URL (hanport's `?site=` taken out) is parsed by libpq's rules (`psycopg.conninfo`); the
password, from the URL's user part or a `password=` parameter, goes to the tool in its
environment (`PGPASSWORD`, which only the process's owner and root can read), everything else as
a conninfo string in `--dbname`. What the tool says on failure becomes one sentence: its first
line of standard error.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Sequence
from typing import IO
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from psycopg.conninfo import conninfo_to_dict, make_conninfo

from hanport.backup.errors import BackupProblem
from hanport.store.postgres.connection import shown_url, split_site

__all__ = [
    "PgTools",
    "connection_for_tool",
    "first_line",
    "is_postgres",
    "libpq_url",
    "run_tool",
    "safe_url",
    "tool_path",
]

PgTools = tuple[str, dict[str, str]]
"""(the conninfo without the password, the environment for the tool)."""

_PASSWORD = re.compile(r"(?i)^password$")


def is_postgres(database: str) -> bool:
    """Whether the database setting names a PostgreSQL database (else it is a SQLite file)."""
    scheme, found, _ = database.partition("://")
    return bool(found) and scheme.lower() in ("postgresql", "postgres")


def libpq_url(url: str) -> str:
    """The URL for libpq: hanport's own `?site=` taken out."""
    return split_site(url)[0]


def safe_url(url: str) -> str:
    """The URL as it may be printed or logged: a password in the user part or in a `password=`
    parameter replaced by ***."""
    shown = shown_url(url)
    parts = urlsplit(shown)
    query = parse_qsl(parts.query, keep_blank_values=True)
    if not any(_PASSWORD.match(name) for name, _ in query):
        return shown
    hidden = [(name, "***" if _PASSWORD.match(name) else value) for name, value in query]
    return urlunsplit(parts._replace(query=urlencode(hidden, safe="*")))


def connection_for_tool(url: str, error: type[BackupProblem] = BackupProblem) -> PgTools:
    """The conninfo (no password in it) and the environment (PGPASSWORD) for pg_dump or
    pg_restore."""
    try:
        settings = conninfo_to_dict(libpq_url(url))
    except Exception as failure:  # psycopg.ProgrammingError: a URL libpq cannot read
        raise error("backup.pg_bad_url", url=safe_url(url), detail=_first(failure)) from None
    password = settings.pop("password", None)
    environment = dict(os.environ)
    environment.pop("PGPASSWORD", None)
    if password is not None:
        environment["PGPASSWORD"] = str(password)
    return make_conninfo(**{name: str(value) for name, value in settings.items()}), environment


def tool_path(tool: str, error: type[BackupProblem] = BackupProblem) -> str:
    """Where `tool` (pg_dump, pg_restore) is on PATH; one sentence when it is not there."""
    found = shutil.which(tool)
    if found is None:
        raise error("backup.pg_tool_missing", tool=tool)
    return found


def run_tool(
    tool: str,
    arguments: Sequence[str],
    url: str | None,
    *,
    stdout: IO[bytes] | int | None = None,
    code: str,
    error: type[BackupProblem] = BackupProblem,
    **values: object,
) -> str:
    """Run `tool` against the database `url` (its conninfo in `--dbname`, the password in the
    environment; None: no database); its standard output, unless `stdout` takes it. A failure
    raises `error(code, detail=its first line of standard error, **values)`; a full disk
    `backup.disk_full` when `values` name a path."""
    path = tool_path(tool, error)
    if url is None:  # a tool that reads only its file (pg_restore --list)
        connection, environment = [], dict(os.environ)
    else:
        conninfo, environment = connection_for_tool(url, error)
        connection = [f"--dbname={conninfo}"]
    try:
        done = subprocess.run(
            [path, *connection, *arguments],
            stdout=stdout if stdout is not None else subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            env=environment,
            check=False,
        )
    except OSError as failure:
        raise error(code, detail=failure.strerror or str(failure), **values) from None
    if done.returncode != 0:
        said = done.stderr.decode(errors="replace")
        if "No space left on device" in said and "path" in values:
            raise error("backup.disk_full", path=values["path"])
        raise error(code, detail=first_line(said, tool), **values)
    return done.stdout.decode(errors="replace") if done.stdout is not None else ""


def first_line(said: str, tool: str) -> str:
    """The first line a tool wrote to standard error, without `pg_dump: error: ` before it."""
    for raw in said.splitlines():
        line = raw.strip()
        if line:
            for prefix in (f"{tool}: error: ", f"{tool}: "):
                line = line.removeprefix(prefix)
            return line.rstrip(".")
    return f"{tool} failed"


def _first(error: BaseException) -> str:
    lines = str(error).strip().splitlines()
    return lines[0].rstrip(".") if lines else type(error).__name__
