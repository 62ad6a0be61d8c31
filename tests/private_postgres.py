"""A private PostgreSQL cluster that a test may stop and start (the machine's own is never
restarted): `initdb` as the user postgres (initdb refuses root) into a folder of its own under
/tmp (pytest's folders are closed to other users), trust authentication, loopback on a free port,
its socket in its own folder, started and stopped with `pg_ctl`.

    with PrivatePostgres() as postgres:
        url = postgres.url("hanport")   # CREATE DATABASE hanport first
        postgres.stop("immediate")      # like a crash; "fast" like a planned restart
        postgres.start()

The binaries are the newest of /usr/lib/postgresql/*/bin/; without them the tests fail under
CI=true and are skipped elsewhere.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from glob import glob
from pathlib import Path
from types import TracebackType

import psycopg
import pytest
from mqtt_broker import free_port

__all__ = ["PrivatePostgres", "postgres_bin"]


def postgres_bin() -> Path:
    """The folder of initdb and pg_ctl (the newest version installed)."""
    found = sorted(
        glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4] or 0)
    )
    if not found or shutil.which("runuser") is None:
        why = "no initdb under /usr/lib/postgresql/*/bin/ (or no runuser) for a private cluster"
        if os.environ.get("CI"):
            pytest.fail(why)
        pytest.skip(why)
    return Path(found[-1]).parent


class PrivatePostgres:
    """One private cluster: made and started on entry, stopped and removed on exit."""

    def __init__(self) -> None:
        self.bin = postgres_bin()
        self.port = free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="hanport-pg-"))
        self.data = self.folder / "data"
        self.log = self.folder / "postgres.log"
        shutil.chown(self.folder, "postgres", "postgres")

    def _as_postgres(self, *command: str, timeout_s: float = 120.0) -> None:
        subprocess.run(
            ["runuser", "-u", "postgres", "--", *command],
            check=True,
            capture_output=True,
            timeout=timeout_s,
            cwd=self.folder,
        )

    def __enter__(self) -> PrivatePostgres:
        try:
            self._as_postgres(
                str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres",
                "-A", "trust", "-E", "UTF8", "--no-instructions",
            )  # fmt: skip
            with (self.data / "postgresql.conf").open("a", encoding="utf-8") as conf:
                conf.write(
                    f"port = {self.port}\nlisten_addresses = '127.0.0.1'\n"
                    f"unix_socket_directories = '{self.folder}'\n"
                    "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n"
                )
            self.start()
        except BaseException:
            self._remove()
            raise
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.stop("immediate")
        self._remove()

    def _remove(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)

    @property
    def server(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}"

    def url(self, database: str) -> str:
        """The URL of `database` on this cluster, made first if it is not there."""
        with psycopg.connect(f"{self.server}/postgres", autocommit=True) as admin:
            found = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", (database,))
            if found.fetchone() is None:
                admin.execute(f'CREATE DATABASE "{database}"')
        return f"{self.server}/{database}"

    def running(self) -> bool:
        try:
            psycopg.connect(f"{self.server}/postgres", connect_timeout=2).close()
        except psycopg.OperationalError:
            return False
        return True

    def start(self) -> None:
        """Start it and wait until it takes connections."""
        self._as_postgres(
            str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-w", "start"
        )
        end = time.monotonic() + 30
        while not self.running():
            assert time.monotonic() < end, self.log.read_text(encoding="utf-8")
            time.sleep(0.1)

    def stop(self, mode: str = "fast") -> None:
        """`pg_ctl stop -m mode` ("fast": connections ended, "immediate": like a crash)."""
        if (self.data / "postmaster.pid").exists():
            self._as_postgres(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", mode, "stop")
