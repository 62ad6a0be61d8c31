"""`hanport server` without a NATS cluster: one sentence, status 2, no traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from mqtt_broker import free_port


def test_no_nats_is_one_sentence(tmp_path: Path) -> None:
    url = f"nats://127.0.0.1:{free_port()}"
    command = [sys.executable, "-m", "hanport", "server", "--nats", url]
    command += ["--database", str(tmp_path / "s.db")]
    done = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines()[-1] == (
        f"hanport: No NATS server answers at {url} (server.nats or --nats); start the cluster "
        "first, and check the addresses."
    )


def test_a_bad_nats_setting_is_one_sentence(tmp_path: Path) -> None:
    command = [sys.executable, "-m", "hanport", "server", "--nats", "http://x"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert "nats://a:4222,nats://b:4222" in done.stderr
