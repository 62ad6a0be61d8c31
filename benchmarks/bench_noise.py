"""Line noise: 50 MB of seeded random bytes in 4 KiB chunks through `Decoder.feed`.

A decoder that waits for ever on a false frame start, copies its buffer for every candidate
byte, or keeps what it cannot use, shows it here as time and memory. Targets (issue 9):
<= 30 s and <= 10 MiB of RSS added. Nothing is asserted; PASS/FAIL is printed.

The peer is amshan's `HdlcFrameReader` (the framing layer a Python HAN reader would use for
the same binary stream), fed the same chunks in the same run; dsmr_parser's `TelegramBuffer`
is shown on a small slice, because its buffer keeps all the noise and each chunk rescans it.

    python benchmarks/bench_noise.py                  # 50 MB (about a minute with the peer)
    python benchmarks/bench_noise.py --megabytes 5    # quicker
    python benchmarks/bench_noise.py --no-peer
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path

import hanport

CHUNK = 4096
SEED = 2026
TIME_TARGET_S = 30.0
RSS_TARGET_MIB = 10.0
DSMR_SLICE = 1_000_000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--megabytes", type=float, default=50.0, help="noise to feed (MB)")
    parser.add_argument("--no-peer", action="store_true", help="time hanport only")
    args = parser.parse_args(argv)
    size = int(args.megabytes * 1_000_000)

    print(f"Python {sys.version.split()[0]}, hanport {hanport.__version__}, {os.cpu_count()} CPUs")
    print(f"Load average before: {_load()}")
    data = random.Random(SEED).randbytes(size)
    chunks = [data[pos : pos + CHUNK] for pos in range(0, size, CHUNK)]
    print(f"Input: {size / 1e6:g} MB of random bytes (seed {SEED}) in {len(chunks)} chunks")

    decoder = hanport.Decoder()
    items = 0

    def feed(chunk: bytes) -> None:
        nonlocal items
        items += len(decoder.feed(chunk))

    seconds, growth = _run(feed, chunks)
    items += len(decoder.flush())
    stats = decoder.stats
    print(
        f"\nhanport Decoder.feed: {seconds:.2f} s ({size / 1e6 / seconds:.1f} MB/s), "
        f"RSS +{growth:.2f} MiB, buffer left {len(decoder._buffer)} bytes"
    )
    print(
        f"  junk {stats.junk_bytes:,} bytes, readings {stats.readings}, rejected "
        f"{stats.rejected} (noise that looked framed and failed its checksum or key)"
    )
    print(f"Load average after: {_load()}")

    peer_seconds = None if args.no_peer else _amshan(chunks)
    if not args.no_peer:
        _dsmr_parser(data[:DSMR_SLICE])

    print("\nTargets")
    verdicts = [
        (seconds <= TIME_TARGET_S, f"{seconds:.2f} s for {size / 1e6:g} MB (<= 30 s)"),
        (growth <= RSS_TARGET_MIB, f"RSS +{growth:.2f} MiB (<= 10 MiB)"),
    ]
    for passed, text in verdicts:
        print(f"  {'PASS' if passed else 'FAIL'}  {text}")
    if peer_seconds is not None:
        ratio = peer_seconds / seconds
        print(f"  hanport is {ratio:.1f}x amshan HdlcFrameReader on the same noise")
    return 0


def _run(feed: Callable[[bytes], object], chunks: Iterable[bytes]) -> tuple[float, float]:
    """Seconds to feed every chunk, and the most resident memory grew meanwhile (MiB)."""
    gc.collect()
    baseline = peak = _rss()
    start = time.perf_counter()
    for index, chunk in enumerate(chunks):
        feed(chunk)
        if index % 64 == 0:
            peak = max(peak, _rss())
    seconds = time.perf_counter() - start
    peak = max(peak, _rss())
    return seconds, (peak - baseline) / 2**20


def _amshan(chunks: list[bytes]) -> float | None:
    try:
        from han import hdlc
    except ImportError as error:
        print(f"\nSkipping amshan: {error}. Install it with: pip install -e '.[bench]'")
        return None
    reader = hdlc.HdlcFrameReader(use_octet_stuffing=False)
    frames = 0

    def feed(chunk: bytes) -> None:
        nonlocal frames
        frames += len(reader.read(chunk))

    seconds, growth = _run(feed, chunks)
    size = sum(map(len, chunks))
    print(
        f"\namshan HdlcFrameReader.read: {seconds:.2f} s ({size / 1e6 / seconds:.1f} MB/s), "
        f"RSS +{growth:.2f} MiB, {frames} frames"
    )
    return seconds


def _dsmr_parser(data: bytes) -> None:
    try:
        from dsmr_parser.clients.telegram_buffer import TelegramBuffer
    except ImportError as error:
        print(f"Skipping dsmr_parser: {error}")
        return
    buffer = TelegramBuffer()

    def feed(chunk: bytes) -> None:
        buffer.append(chunk.decode("latin-1"))
        for _ in buffer.get_all():
            pass

    chunks = [data[pos : pos + CHUNK] for pos in range(0, len(data), CHUNK)]
    seconds, growth = _run(feed, chunks)
    print(
        f"dsmr_parser TelegramBuffer (first {len(data) / 1e6:g} MB only): {seconds:.2f} s "
        f"({len(data) / 1e6 / seconds:.2f} MB/s), RSS +{growth:.2f} MiB, buffer keeps "
        f"{len(buffer._buffer):,} characters"
    )


def _rss() -> int:
    """Resident set size in bytes, from /proc/self/status (Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


def _load() -> str:
    return ", ".join(f"{value:.2f}" for value in os.getloadavg())


if __name__ == "__main__":
    sys.exit(main())
