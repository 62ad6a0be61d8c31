"""The machine's PostgreSQL (127.0.0.1:5432, trust auth, user postgres) for the tests.

`postgres_database` (session): a database of its own for the test run, `hanport_test_<random>`,
dropped at the end; `postgres_url` (per test): a URL into a fresh schema of it (libpq's
`options=-csearch_path=…`), dropped after the test. A server that does not answer is started
(`pg_ctlcluster`, `service postgresql start`), never restarted; if it still does not answer, the
tests fail under CI and are skipped with the reason elsewhere. Import the fixtures into a test
module: `from store.postgres_db import postgres_database_fixture, postgres_url_fixture`
(with `# noqa: F401`).
"""

from __future__ import annotations

import os
import secrets
import subprocess
import time
from collections.abc import Iterator
from glob import glob
from urllib.parse import quote

import psycopg
import pytest

SERVER = "postgresql://postgres@127.0.0.1:5432"


def _answers() -> bool:
    try:
        psycopg.connect(f"{SERVER}/postgres", connect_timeout=3).close()
    except psycopg.OperationalError:
        return False
    return True


def _start() -> None:
    """Start the machine's cluster if it is down (a running one is left alone)."""
    for config in glob("/etc/postgresql/*/*/postgresql.conf"):
        version, cluster = config.split("/")[3:5]
        subprocess.run(["pg_ctlcluster", version, cluster, "start"], check=False, timeout=60)
    if not _answers():
        subprocess.run(["service", "postgresql", "start"], check=False, timeout=60)
    for _ in range(30):
        if _answers():
            return
        time.sleep(0.5)


def server_url() -> str:
    """The server's URL (without a database), started first if it was down."""
    if not _answers():
        _start()
    if not _answers():
        why = f"PostgreSQL does not answer on {SERVER} and could not be started"
        if os.environ.get("CI"):
            pytest.fail(why)
        pytest.skip(why)
    return SERVER


@pytest.fixture(scope="session", name="postgres_database")
def postgres_database_fixture() -> Iterator[str]:
    """The URL of a database made for this test run."""
    server = server_url()
    name = f"hanport_test_{secrets.token_hex(4)}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    yield f"{server}/{name}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture(name="postgres_url")
def postgres_url_fixture(postgres_database: str) -> Iterator[str]:
    """A URL whose tables go into a schema of their own, empty at the start of the test."""
    schema = f"t_{secrets.token_hex(4)}"
    with psycopg.connect(postgres_database, autocommit=True) as admin:
        admin.execute(f"CREATE SCHEMA {schema}")
    yield f"{postgres_database}?options={quote(f'-csearch_path={schema}')}"
    with psycopg.connect(postgres_database, autocommit=True) as admin:
        admin.execute(f"DROP SCHEMA {schema} CASCADE")
