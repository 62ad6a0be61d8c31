"""The ingest worker processes of `hanport server`: started, watched, started again if they die."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import json
import logging
import os
import sys

from hanport.i18n import text
from hanport.server.metrics import Metrics
from hanport.server.settings import ServerSettings

__all__ = ["Workers", "cpu_seconds"]

log = logging.getLogger("hanport.server")
RESTART_S = 1.0


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (Linux /proc), 0 when it is gone."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Workers:
    def __init__(self, settings: ServerSettings, metrics: Metrics) -> None:
        self.settings = settings
        self.metrics = metrics
        self.processes: dict[int, asyncio.subprocess.Process] = {}
        self._cpu_before: dict[int, float] = {}

    @property
    def pids(self) -> dict[int, int]:
        return {n: p.pid for n, p in self.processes.items() if p.returncode is None}

    async def run(self) -> None:
        async with asyncio.TaskGroup() as group:
            for number in range(self.settings.workers):
                group.create_task(self._keep(number))

    async def _keep(self, number: int) -> None:
        arguments = json.dumps(dataclasses.asdict(self.settings))
        while True:
            process = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "hanport.server.worker", arguments, str(number)
            )
            self.processes[number] = process
            try:
                code = await process.wait()
            except asyncio.CancelledError:
                with contextlib.suppress(ProcessLookupError):
                    process.terminate()
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(5):
                        await process.wait()
                with contextlib.suppress(ProcessLookupError):
                    process.kill()
                raise
            self._cpu_before[number] = self.metrics.worker_cpu_s.get(number, 0.0)
            self.metrics.worker_restarts += 1
            log.warning("%s", text("server.worker_died", "en", number=number, code=code))
            await asyncio.sleep(RESTART_S)

    def recycle(self) -> None:
        """Stop every worker, so that each starts again with a connection and a pull
        subscription of its own (their `_keep` loops start them)."""
        for process in self.processes.values():
            if process.returncode is None:
                with contextlib.suppress(ProcessLookupError):
                    process.terminate()

    def sample_cpu(self) -> None:
        for number, pid in self.pids.items():
            used = self._cpu_before.get(number, 0.0) + cpu_seconds(pid)
            self.metrics.worker_cpu_s[number] = used
