"""`hanport run` reading one meter: resident memory and CPU use.

    python benchmarks/bench_run.py [--seconds 60] [--speed 1]

Starts `hanport run` on the simulator (a telegram every 10 s / speed, stored in a temporary
database), lets it settle, then samples VmRSS and CPU time from /proc. Targets (issue 3):
≤ 60 MiB RSS and ≤ 1 % of one core at the meter's real 10-s pace.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--speed", type=float, default=1.0)
    args = parser.parse_args()
    environment = dict(os.environ, HANPORT_DATABASE=str(Path(tempfile.mkdtemp()) / "run.db"))
    command = [sys.executable, "-m", "hanport", "run", "--source", f"sim://?speed={args.speed:g}"]
    command += ["--port", "0"]  # the app is served too, as in a real installation
    process = subprocess.Popen(
        command, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        time.sleep(5)  # start-up (imports, database) is not the steady state
        cpu_start, wall_start = cpu_seconds(process.pid), time.monotonic()
        peak = 0.0
        while time.monotonic() - wall_start < args.seconds:
            time.sleep(1)
            peak = max(peak, rss_mib(process.pid))
        cpu = cpu_seconds(process.pid) - cpu_start
        wall = time.monotonic() - wall_start
    finally:
        process.terminate()
        process.wait(10)
    share = 100 * cpu / wall
    print(f"hanport run on the simulator at {args.speed:g}x real time, {wall:.0f} s sampled")
    print(
        f"  RSS      {peak:6.1f} MiB (peak)   target <= 60 MiB   {'PASS' if peak <= 60 else 'FAIL'}"
    )
    print(
        f"  CPU      {share:6.2f} % of a core target <= 1 %      {'PASS' if share <= 1 else 'FAIL'}"
    )


if __name__ == "__main__":
    main()
