"""MQTT latency: a frame fully received → its state message delivered to a subscriber.

    python benchmarks/bench_mqtt.py [--frames 1000] [--rate 20] [--qos 0] [--port PORT]

The path is the one `hanport run` uses: `Decoder.feed` → `Hub` → `run_mqtt_sink` (aiomqtt) →
Mosquitto on loopback → a paho subscriber in another process. Without --port a private
Mosquitto is started on a free port. Simulator telegrams are fed at --rate per second; the clock
starts just before the telegram's bytes are fed to the decoder and stops when the subscriber
process receives the state message (both read CLOCK_MONOTONIC). Target (issue 5): p99 ≤ 20 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

WARMUP = 20


def subscribe(port: int) -> None:
    """The subscriber process: prints `<monotonic ns> <meter_time>` per state message."""
    import paho.mqtt.client as paho
    from paho.mqtt.enums import CallbackAPIVersion

    def on_message(_client: object, _data: object, message: paho.MQTTMessage) -> None:
        now = time.monotonic_ns()
        print(now, json.loads(message.payload)["meter_time"], flush=True)

    client = paho.Client(CallbackAPIVersion.VERSION2, client_id="bench-subscriber")
    client.on_message = on_message
    client.on_connect = lambda c, *_: c.subscribe("bench/+/state")
    client.on_subscribe = lambda *_: print("ready", flush=True)
    client.connect("127.0.0.1", port)
    client.loop_forever()


@contextlib.contextmanager
def mosquitto() -> Iterator[int]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    directory = Path(tempfile.mkdtemp())
    config = directory / "mosquitto.conf"
    config.write_text(f"listener {port} 127.0.0.1\nallow_anonymous true\nuser root\n")
    binary = shutil.which("mosquitto") or "/usr/sbin/mosquitto"
    process = subprocess.Popen(
        [binary, "-c", str(config)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        until = time.monotonic() + 10
        while time.monotonic() < until:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
                break
            time.sleep(0.02)
        yield port
    finally:
        process.terminate()
        process.wait(10)


async def measure(port: int, frames: int, rate: float, qos: int) -> list[float]:
    from hanport.codec.decoder import Decoder
    from hanport.model import Reading
    from hanport.mqtt.settings import MqttSettings
    from hanport.mqtt.sink import run_mqtt_sink
    from hanport.runtime.hub import Hub
    from hanport.sim.home import HomeSimulator

    subscriber = await asyncio.create_subprocess_exec(
        sys.executable, __file__, "--subscribe", str(port), stdout=asyncio.subprocess.PIPE
    )
    assert subscriber.stdout is not None
    assert (await subscriber.stdout.readline()).strip() == b"ready"
    arrived: dict[str, int] = {}
    collector = asyncio.create_task(_collect(subscriber.stdout, arrived))
    settings = MqttSettings(host="127.0.0.1", port=port, prefix="bench", qos=qos)
    hub = Hub()
    sink = asyncio.create_task(run_mqtt_sink(hub.subscribe("mqtt", 100), settings))
    simulator = HomeSimulator(seed=5)
    telegrams = [simulator.next_telegram() for _ in range(frames + WARMUP)]
    decoder = Decoder()
    sent: dict[str, int] = {}
    start = time.monotonic() + 1.0  # the sink connects first
    for number, telegram in enumerate(telegrams):
        await asyncio.sleep(max(0.0, start + number / rate - time.monotonic()))
        received = time.monotonic_ns()
        for item in decoder.feed(telegram):
            if isinstance(item, Reading) and item.meter_time is not None:
                hub.publish(item)
                if number >= WARMUP:
                    sent[item.meter_time.isoformat()] = received
    until = time.monotonic() + 10
    while not sent.keys() <= arrived.keys() and time.monotonic() < until:
        await asyncio.sleep(0.05)
    sink.cancel()
    collector.cancel()
    subscriber.terminate()
    await asyncio.gather(sink, collector, subscriber.wait(), return_exceptions=True)
    lost = len(sent.keys() - arrived.keys())
    if lost:
        print(f"  {lost} of {len(sent)} state messages never arrived")
    return [(arrived[key] - sent[key]) / 1e6 for key in sent if key in arrived]


async def _collect(stream: asyncio.StreamReader, arrived: dict[str, int]) -> None:
    while line := await stream.readline():
        stamp, meter_time = line.decode().split()
        arrived[meter_time] = int(stamp)


def report(latencies: list[float], frames: int, rate: float, qos: int) -> None:
    ordered = sorted(latencies)

    def at(share: float) -> float:
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))]

    p99 = at(0.99)
    print(f"MQTT: frame received -> state message at a subscriber, {frames} frames at {rate:g} Hz")
    print(f"  QoS {qos}, loopback Mosquitto, paho subscriber in another process")
    print(
        f"  p50 {statistics.median(ordered):6.2f} ms   p95 {at(0.95):6.2f} ms   "
        f"p99 {p99:6.2f} ms   max {ordered[-1]:6.2f} ms"
    )
    print(f"  target p99 <= 20 ms   {'PASS' if p99 <= 20 else 'FAIL'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--frames", type=int, default=1000)
    parser.add_argument("--rate", type=float, default=20.0)
    parser.add_argument("--qos", type=int, choices=(0, 1, 2), default=0)
    parser.add_argument("--port", type=int, help="a running broker on 127.0.0.1 (anonymous)")
    parser.add_argument("--subscribe", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.subscribe:
        subscribe(args.subscribe)
        return
    with contextlib.ExitStack() as stack:
        port = args.port or stack.enter_context(mosquitto())
        latencies = asyncio.run(measure(port, args.frames, args.rate, args.qos))
    report(latencies, args.frames, args.rate, args.qos)


if __name__ == "__main__":
    main()
