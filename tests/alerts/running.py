"""A real `hanport run` in a subprocess, for the end-to-end and browser tests of the alerts."""

from __future__ import annotations

import os
import queue
import re
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Running:
    process: subprocess.Popen[str]
    output: list[str] = field(default_factory=list)
    lines: queue.Queue[str | None] = field(default_factory=queue.Queue)
    read: threading.Event = field(default_factory=threading.Event)
    """Set when the output has been read to its end."""

    def wait_for(self, pattern: str, timeout: float = 60.0) -> re.Match[str]:
        """The first line (from now on) that matches `pattern`."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                line = self.lines.get(timeout=max(0.1, deadline - time.monotonic()))
            except queue.Empty:
                line = None
            if line is not None and (found := re.search(pattern, line)):
                return found
            if line is None and (self.process.poll() is not None or time.monotonic() > deadline):
                raise AssertionError(f"no line like {pattern!r}:\n" + "".join(self.output))

    def finish(self, timeout: float = 60.0) -> int:
        """Wait for hanport to end by itself (its source ended); its exit status."""
        code = self.process.wait(timeout=timeout)
        self._drain()
        return code

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._drain()

    def _drain(self) -> None:
        self.read.wait(10)
        if self.process.stdout is not None:
            self.process.stdout.close()


def start(folder: Path, source: str, environment: dict[str, str], *args: str) -> Running:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HANPORT_")}
    env |= {"HANPORT_DATABASE": str(folder / "hanport.db"), "PYTHONUNBUFFERED": "1"}
    env |= environment
    process = subprocess.Popen(
        [sys.executable, "-m", "hanport", "run", "--source", source, *args],
        cwd=folder,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    running = Running(process)

    def pump() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            running.output.append(line)
            running.lines.put(line)
        running.lines.put(None)
        running.read.set()

    threading.Thread(target=pump, daemon=True).start()
    return running
