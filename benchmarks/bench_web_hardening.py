"""The app's server against hostile and unlucky clients, next to plain uvicorn in the same run.

    python benchmarks/bench_web_hardening.py [--runs 10] [--idle 1000]

1. Stop: `hanport run` with a browser's worth of connections open (3 live streams, 5 idle
   keep-alive connections, 20 half-sent request heads): SIGTERM → exit, over --runs runs.
   Target ≤ 1 s, no traceback. Peer: uvicorn serving a Starlette SSE app with
   `timeout_graceful_shutdown=1` (its default, none, waits for the streams for ever).
2. Idle flood: GET / on a new connection each, 100 times, before and while --idle connections
   (half idle, half with a head that never ends) are open, and how many of those are still
   open 12 s later (hanport's head deadline is 10 s). Peer: plain uvicorn.
3. Big body: resident memory growth of the server after POST /api/v1/session with a 100 MiB
   body (`Expect: 100-continue`, as curl sends big bodies). Peer: plain uvicorn + Starlette.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

PASSWORD = "benchmark password"
PEER = """
import asyncio, sys, uvicorn
from starlette.applications import Starlette
from starlette.responses import JSONResponse, PlainTextResponse, StreamingResponse
from starlette.routing import Route

async def stream(request):
    async def events():
        while True:
            yield "event: status\\ndata: {}\\n\\n"
            await asyncio.sleep(5)
    return StreamingResponse(events(), media_type="text/event-stream")

async def page(request):
    return PlainTextResponse("ok")

async def session(request):
    await request.json()
    return JSONResponse({"error": "Wrong user name or password."}, status_code=401)

routes = [Route("/", page), Route("/api/v1/stream", stream),
          Route("/api/v1/session", session, methods=["POST"])]
uvicorn.run(Starlette(routes=routes), host="127.0.0.1", port=int(sys.argv[1]),
            log_level="warning", timeout_graceful_shutdown=1)
"""


class Server:
    def __init__(self, name: str, process: subprocess.Popen[str], port: int, cookie: str) -> None:
        self.name, self.process, self.port, self.cookie = name, process, port, cookie

    def connect(self) -> socket.socket:
        return socket.create_connection(("127.0.0.1", self.port), timeout=10)

    def rss_kib(self) -> int:
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        return 0

    def stop(self) -> tuple[float, str]:
        asked = time.monotonic()
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()
        took = time.monotonic() - asked
        _, err = self.process.communicate()
        return took, err


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_for(port: int) -> None:
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5).close()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def start_hanport(folder: Path) -> Server:
    env = {k: v for k, v in os.environ.items() if k != "HANPORT_CONFIG"}
    env["HANPORT_DATABASE"] = str(folder / f"bench-{time.monotonic_ns()}.db")
    port = free_port()
    command = [sys.executable, "-m", "hanport", "run", "--interval", "0.5", "--port", str(port)]
    process = subprocess.Popen(
        command, cwd=folder, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    wait_for(port)
    body = json.dumps({"username": "admin", "password": PASSWORD}).encode()
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/v1/setup",
        body,
        {"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        found = re.search(r"hanport_session=([^;]+)", response.headers.get("Set-Cookie", ""))
    assert found, "no session cookie"
    return Server("hanport run", process, port, f"hanport_session={found.group(1)}")


def start_peer(folder: Path) -> Server:
    port = free_port()
    command = [sys.executable, "-c", PEER, str(port)]
    process = subprocess.Popen(
        command, cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    wait_for(port)
    return Server("uvicorn", process, port, "")


def request_head(path: str, cookie: str = "") -> bytes:
    extra = f"Cookie: {cookie}\r\n" if cookie else ""
    return f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{extra}\r\n".encode()


def browser_connections(server: Server) -> list[socket.socket]:
    opened = []
    for _ in range(3):
        sock = server.connect()
        sock.sendall(request_head("/api/v1/stream", server.cookie))
        while b"\n\n" not in sock.recv(65536):
            pass
        opened.append(sock)
    for _ in range(5):
        sock = server.connect()
        sock.sendall(request_head("/"))
        sock.recv(65536)
        opened.append(sock)
    for _ in range(20):
        sock = server.connect()
        sock.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        opened.append(sock)
    return opened


def stop_times(start: Callable[[Path], Server], runs: int, folder: Path) -> tuple[list[float], int]:
    times, noisy = [], 0
    for _ in range(runs):
        server = start(folder)
        opened = browser_connections(server)
        took, err = server.stop()
        for sock in opened:
            sock.close()
        times.append(took)
        noisy += "Traceback" in err or "ERROR" in err
    return times, noisy


def get_times(server: Server, count: int = 100) -> tuple[list[float], int]:
    times, failed = [], 0
    for _ in range(count):
        began = time.perf_counter()
        try:
            with server.connect() as sock:
                sock.sendall(request_head("/"))
                answer = sock.recv(65536)
            failed += not answer.startswith(b"HTTP/1.1 200")
        except OSError:
            failed += 1
        times.append((time.perf_counter() - began) * 1000)
    return times, failed


def still_open(socks: list[socket.socket]) -> int:
    count = 0
    for sock in socks:
        sock.setblocking(False)
        try:
            count += sock.recv(1) != b""
        except BlockingIOError:
            count += 1
        except OSError:
            pass
    return count


def flood(server: Server, idle: int) -> None:
    before, _ = get_times(server)
    socks = []
    for n in range(idle):
        sock = server.connect()
        if n % 2:
            sock.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
        socks.append(sock)
    during, failed = get_times(server)
    time.sleep(12)
    left = still_open(socks)
    for sock in socks:
        sock.close()
    print(
        f"  {server.name:12} GET / p50 {statistics.median(before):5.1f} ms before, "
        f"{statistics.median(during):5.1f} ms (p99 {percentile(during, 0.99):6.1f}) with {idle} "
        f"open; {failed} failed; still open after 12 s: {left}"
    )


def big_body(server: Server) -> None:
    before = server.rss_kib()
    size = 100 * 2**20
    with server.connect() as sock:
        sock.sendall(
            b"POST /api/v1/session HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json"
            + f"\r\nExpect: 100-continue\r\nContent-Length: {size}\r\n\r\n".encode()
        )
        answer = sock.recv(65536)
        if answer.startswith(b"HTTP/1.1 100"):
            head, tail = b'{"username": "', b'", "password": "x"}'
            sock.sendall(head + b"a" * (size - len(head) - len(tail)) + tail)
            answer = sock.recv(65536)
    grown = (server.rss_kib() - before) / 1024
    print(f"  {server.name:12} answered {answer[:12].decode()!r}; RSS grew by {grown:6.1f} MiB")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--idle", type=int, default=1000)
    args = parser.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, 4 * args.idle)), hard))
    print(f"Machine: {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        print(f"1. Stop (SIGTERM -> exit) with 3 streams, 5 idle, 20 half-sent, {args.runs} runs")
        ours, ours_noisy = stop_times(start_hanport, args.runs, folder)
        peer, peer_noisy = stop_times(start_peer, args.runs, folder)
        rows = (("hanport run", ours, ours_noisy), ("uvicorn", peer, peer_noisy))
        for label, times, noisy in rows:
            print(
                f"  {label:12} median {statistics.median(times) * 1000:6.0f} ms, max "
                f"{max(times) * 1000:6.0f} ms, runs with an error logged: {noisy}"
            )
        verdict = "PASS" if max(ours) <= 1 and not ours_noisy else "FAIL"
        ratio = statistics.median(peer) / statistics.median(ours)
        print(f"  target <= 1000 ms, quiet: {verdict}; uvicorn / hanport median = {ratio:.1f}x")
        print(f"2. Real requests while {args.idle} idle or half-sent connections are open")
        for start in (start_hanport, start_peer):
            server = start(folder)
            flood(server, args.idle)
            server.stop()
        print("3. POST /api/v1/session with a 100 MiB body")
        for start in (start_hanport, start_peer):
            server = start(folder)
            big_body(server)
            server.stop()
        print(f"Load afterwards: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
