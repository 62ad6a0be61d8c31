"""What `import hanport` costs a fresh interpreter: resident memory and wall time.

Each measurement runs in a new `python` process (the one running this script), so nothing is
cached in memory. The bytecode caches (`__pycache__`) are written once first, as on an installed
system: PYTHONDONTWRITEBYTECODE is dropped for the children, else every module edited since its
last cache would be compiled from source at each import. Memory is VmRSS (/proc/self/status)
just before and just after the import, in the same process, so the bare interpreter is
subtracted. Time is `time.perf_counter()` around the import, the median of `--runs` processes.

    python benchmarks/bench_import.py [--runs 20] [--strict]

Targets: <= 5 MiB RSS added, <= 30 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

RSS_TARGET_MIB = 5.0
TIME_TARGET_MS = 30.0
HEAVY = ("cryptography", "asyncio", "serial", "logging", "json", "email", "http", "ssl")
"""Modules a decoding-only import should not pull in."""

_CHILD = r"""
import json, resource, sys, time

def rss_kib():
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux

before_modules = set(sys.modules)
before = rss_kib()
start = time.perf_counter()
exec(sys.argv[1])
elapsed = time.perf_counter() - start
after = rss_kib()
print(json.dumps({
    "seconds": elapsed,
    "rss_before_kib": before,
    "rss_after_kib": after,
    "maxrss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
    "modules": sorted(set(sys.modules) - before_modules),
}))
"""
_ENV = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
_IMPORTTIME = re.compile(r"import time:\s+(\d+) \|\s+(\d+) \|(\s*)(\S+)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--runs", type=int, default=40, help="fresh processes (default 40)")
    parser.add_argument(
        "--strict", action="store_true", help="exit with status 1 when a target is missed"
    )
    args = parser.parse_args(argv)

    print(f"\nimport hanport: {args.runs} fresh processes of {sys.executable}")
    print(f"Python {sys.version.split()[0]}")
    _child()  # warm the bytecode caches
    runs = [_child() for _ in range(args.runs)]
    baseline = statistics.median(run["rss_before_kib"] for run in runs) / 1024
    added = statistics.median(run["rss_after_kib"] - run["rss_before_kib"] for run in runs) / 1024
    millis = [run["seconds"] * 1000 for run in runs]
    median_ms = statistics.median(millis)
    modules: list[str] = runs[0]["modules"]
    heavy = sorted({m.partition(".")[0] for m in modules if m.partition(".")[0] in HEAVY})

    # The floor: the same run importing only what hanport needs from elsewhere (stdlib, fastcrc).
    others = [m for m in modules if not m.startswith(("hanport", "_", "typing."))]
    floor_runs = [_child("import " + ", ".join(others)) for _ in range(args.runs)]
    floor_ms = statistics.median(run["seconds"] * 1000 for run in floor_runs)
    floor_rss = (
        statistics.median(run["rss_after_kib"] - run["rss_before_kib"] for run in floor_runs) / 1024
    )

    print(f"  bare interpreter RSS       {baseline:8.1f} MiB")
    print(f"  RSS added by the import    {added:8.2f} MiB (median)")
    print(
        f"  import time                {median_ms:8.1f} ms (median; min {min(millis):.1f},"
        f" max {max(millis):.1f})"
    )
    print(
        f"  of which its dependencies  {floor_ms:8.1f} ms, {floor_rss:.2f} MiB"
        f" (importing only the {len(others)} non-hanport modules it loads)"
    )
    print(f"  modules loaded             {len(modules):8d} ({_count_own(modules)} of hanport)")
    print(f"  heavy modules loaded       {', '.join(heavy) or 'none'}")
    print("\n  Slowest imports (-X importtime, self time, median of 5 runs):")
    for name, micros in _importtime(5)[:12]:
        print(f"    {micros / 1000:6.2f} ms  {name}")

    verdicts = [
        (added <= RSS_TARGET_MIB, f"RSS added {added:.2f} MiB (target <= {RSS_TARGET_MIB:g} MiB)"),
        (
            median_ms <= TIME_TARGET_MS,
            f"import {median_ms:.1f} ms (target <= {TIME_TARGET_MS:g} ms)",
        ),
        (not heavy, f"no heavy modules at import ({', '.join(heavy) or 'none loaded'})"),
    ]
    print("\nTargets")
    for passed, text in verdicts:
        print(f"  {'PASS' if passed else 'FAIL'}  {text}")
    return 1 if args.strict and not all(passed for passed, _ in verdicts) else 0


def _child(statement: str = "import hanport") -> dict[str, Any]:
    result = subprocess.run(
        [sys.executable, "-c", _CHILD, statement],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parent,
        env=_ENV,
    )
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def _count_own(modules: list[str]) -> int:
    return sum(1 for m in modules if m == "hanport" or m.startswith("hanport."))


def _importtime(runs: int) -> list[tuple[str, float]]:
    """Self time per module of `import hanport` (not the interpreter's start-up imports)."""
    samples: defaultdict[str, list[int]] = defaultdict(list)
    for _ in range(runs):
        result = subprocess.run(
            [sys.executable, "-X", "importtime", "-c", "import hanport"],
            capture_output=True,
            text=True,
            check=True,
            cwd=Path(__file__).resolve().parent,
            env=_ENV,
        )
        lines = result.stderr.splitlines()
        # Start-up imports (site, encodings) come first; hanport's tree is the last top-level one.
        tops = [i for i, line in enumerate(lines) if re.search(r"\|\s\S", line)]
        first = tops[-2] + 1 if len(tops) > 1 else 0
        for line in lines[first:]:
            match = _IMPORTTIME.match(line)
            if match:
                samples[match[4]].append(int(match[1]))
    medians = [(name, statistics.median(values)) for name, values in samples.items()]
    return sorted(medians, key=lambda item: -item[1])


if __name__ == "__main__":
    sys.exit(main())
