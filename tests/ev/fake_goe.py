"""A go-e charger's HTTP API v2 on loopback, as much of it as hanport uses."""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlsplit


@dataclass
class FakeGoe:
    status: dict[str, object] = field(
        default_factory=lambda: {
            "car": 2,
            "amp": 16,
            "frc": 0,
            "psm": 2,
            "nrg": [230, 231, 229, 0, 15.9, 16.0, 15.8, 3650, 3690, 3610, 0, 10950, 99, 99, 99, 0],
            "wh": 5321.5,
            "alw": True,
            "err": 0,
            "fwv": "056.2",
            "typ": "go-eCharger_V4",
        }
    )
    sets: list[dict[str, str]] = field(default_factory=list)
    polls: int = 0
    down: bool = False
    port: int = 0
    _server: asyncio.Server | None = None

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        assert self._server is not None
        self._server.close()
        await self._server.wait_closed()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            request = await reader.readuntil(b"\r\n\r\n")
        except (asyncio.IncompleteReadError, ConnectionError):
            writer.close()  # the client gave up (it was stopped)
            return
        target = request.split(b" ")[1].decode()
        parts = urlsplit(target)
        if self.down:
            writer.close()
            return
        if parts.path == "/api/status":
            self.polls += 1
            body = json.dumps(self.status)
        elif parts.path == "/api/set":
            query = dict(parse_qsl(parts.query))
            self.sets.append(query)
            for key, value in query.items():
                self.status[key] = json.loads(value)
            body = json.dumps(dict.fromkeys(query, True))
        else:
            body = '{"error": "not found"}'
        writer.write(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n"
            + f"Content-Length: {len(body)}\r\n\r\n{body}".encode()
        )
        await writer.drain()
        writer.close()
