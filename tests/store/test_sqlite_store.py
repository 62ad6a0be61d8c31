"""The SQLite store itself (the interface's contract is in test_base.py): kill -9, the
rollups' carried state, several threads on one store, a file that cannot be set up."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import textwrap
import threading
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import hanport
from hanport.model import Reading
from hanport.sim.home import HomeSimulator, serial_number
from hanport.store.base import Rollup
from hanport.store.rollups import rollups
from hanport.store.sqlite import SqliteStore

TALLINN = ZoneInfo("Europe/Tallinn")
START = datetime(2026, 6, 10, tzinfo=UTC)
FOREVER = (datetime(2000, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC))
METER = serial_number(3)  # the simulated meter of seed 3


def simulated(hours: float, seed: int = 3) -> list[Reading]:
    simulator = HomeSimulator(seed=seed, start=START)
    return hanport.decode(b"".join(simulator.next_telegram() for _ in range(int(hours * 360))))


WRITER = textwrap.dedent(
    """
    import sys
    from datetime import UTC, datetime
    from zoneinfo import ZoneInfo
    import hanport
    from hanport.sim.home import HomeSimulator
    from hanport.store.base import Rollup
from hanport.store.rollups import rollups
from hanport.store.sqlite import SqliteStore

    store = SqliteStore(sys.argv[1], ZoneInfo("Europe/Tallinn"))
    simulator = HomeSimulator(seed=5, start=datetime(2026, 6, 10, tzinfo=UTC))
    written = 0
    while True:
        batch = hanport.decode(b"".join(simulator.next_telegram() for _ in range(30)))
        store.write(batch)
        written += len(batch)
        print(written, flush=True)
    """
)


def test_kill_9_loses_nothing_that_was_written_and_never_corrupts(tmp_path: Path) -> None:
    path = tmp_path / "hanport.db"
    process = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path)], stdout=subprocess.PIPE, text=True
    )
    assert process.stdout is not None
    acknowledged = 0
    for line in process.stdout:
        acknowledged = int(line)
        if acknowledged >= 1500:  # past several sealed hours
            break
    process.send_signal(signal.SIGKILL)
    process.wait(10)
    process.stdout.close()
    with sqlite3.connect(path) as check:
        assert check.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    store = SqliteStore(path, TALLINN)
    stored = store.readings(serial_number(5), *FOREVER)
    assert len(stored) >= acknowledged
    assert stored == simulated_from(5, len(stored))
    store.close()


def simulated_from(seed: int, count: int) -> list[Reading]:
    simulator = HomeSimulator(seed=seed, start=START)
    return hanport.decode(b"".join(simulator.next_telegram() for _ in range(count)))


def test_kill_9_in_the_middle_of_an_hour_goes_on_with_exactly_the_same_rollups(
    tmp_path: Path,
) -> None:
    path = tmp_path / "hanport.db"
    process = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path)], stdout=subprocess.PIPE, text=True
    )
    assert process.stdout is not None
    for line in process.stdout:
        if int(line) >= 1000:
            break
    process.send_signal(signal.SIGKILL)
    process.wait(10)
    process.stdout.close()
    store = SqliteStore(path, TALLINN)
    stored = store.readings(serial_number(5), *FOREVER)
    rest = simulated_from(5, len(stored) + 700)[len(stored) :]
    store.write(rest)
    everything = [*stored, *rest]
    for step in ("15m", "1h", "1d"):
        assert shape(store.series(serial_number(5), step, *FOREVER)) == shape(
            rollups(everything, step, TALLINN)
        )
    store.close()


def shape(rows: list[Rollup]) -> list[tuple[object, ...]]:
    return [(r.start, r.readings, r.energy_import_wh, r.gap, r.stats, r.partial) for r in rows]


def test_threads_share_one_store(tmp_path: Path) -> None:
    readings = simulated(2)
    store = SqliteStore(tmp_path / "hanport.db", TALLINN)
    store.write(readings[:400])
    errors: list[BaseException] = []

    def read() -> None:
        try:
            for _ in range(30):
                assert len(store.series(METER, "15m", *FOREVER)) >= 4
                assert store.series_json(METER, "1h", *FOREVER, None).startswith("[{")
                assert store.readings(METER, *FOREVER)[:400] == readings[:400]
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=read) for _ in range(3)]
    for thread in threads:
        thread.start()
    for start in range(400, len(readings), 20):
        store.write(readings[start : start + 20])
    for thread in threads:
        thread.join()
    assert errors == []
    assert store.readings(METER, *FOREVER) == readings
    store.close()


def test_a_reader_sees_the_open_periods_the_writer_carries(tmp_path: Path) -> None:
    readings = simulated(1.5)
    writer = SqliteStore(tmp_path / "hanport.db", TALLINN)
    reader = SqliteStore(tmp_path / "hanport.db", TALLINN)
    writer.write(readings[:300])
    assert [m.id for m in reader.meters()] == [METER]
    assert shape(reader.series(METER, "1h", *FOREVER)) == shape(
        rollups(readings[:300], "1h", TALLINN)
    )
    writer.write(readings[300:])
    assert shape(reader.series(METER, "15m", *FOREVER)) == shape(rollups(readings, "15m", TALLINN))
    writer.close()
    reader.close()
