"""Serve the simulator as a real device: a pseudo-terminal (any serial reader can open it) or TCP.

`hanport simulate --pty` prints the pty's path; `--tcp PORT` serves every client that connects.
"""

from __future__ import annotations

import asyncio
import os
import tty
from collections.abc import Callable

from hanport.sim.home import SIMULATOR_INTERVAL_S, HomeSimulator

__all__ = ["open_pty", "serve_pty", "serve_tcp"]


def open_pty() -> tuple[int, str]:
    """A raw pseudo-terminal: (master fd to write to, path of the device readers open)."""
    master, slave = os.openpty()
    tty.setraw(slave)
    return master, os.ttyname(slave)


async def serve_pty(
    master: int, simulator: HomeSimulator, speed: float | None, count: int = 0
) -> None:
    """Write a telegram to the pty every 10 s / speed (`count` telegrams, 0: for ever)."""
    sent = 0
    while count == 0 or sent < count:
        os.write(master, simulator.next_telegram())
        sent += 1
        await asyncio.sleep(_pause(speed))


async def serve_tcp(
    port: int,
    make_simulator: Callable[[], HomeSimulator],
    speed: float | None,
    host: str = "127.0.0.1",
    count: int = 0,
) -> asyncio.Server:
    """Listen on host:port; each client gets its own simulated meter's telegrams (`count` of
    them, then the connection is closed; 0: for ever)."""

    async def client(_: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        simulator = make_simulator()
        sent = 0
        try:
            while count == 0 or sent < count:
                writer.write(simulator.next_telegram())
                await writer.drain()
                sent += 1
                await asyncio.sleep(_pause(speed))
        except (ConnectionError, OSError):
            pass
        finally:
            writer.close()

    return await asyncio.start_server(client, host, port)


def _pause(speed: float | None) -> float:
    return 0.0 if speed is None else SIMULATOR_INTERVAL_S / speed
