"""End to end: a real `hanport run` on the simulator, a webhook on loopback, mail to aiosmtpd
over STARTTLS, and the suite's Mosquitto. The simulated kettle overloads L2 for one minute of
meter time: the overcurrent alert fires once and clears once on every channel."""

from __future__ import annotations

import json
from pathlib import Path

from mqtt_broker import Broker, Subscriber, broker_fixture, subscriber_fixture  # noqa: F401

from alerts.running import start
from alerts.servers import http_server, smtp_server
from hanport.sim.home import serial_number

KETTLE = "sim://?start=2026-03-22T18:14&speed=20&count=16"
"""A Sunday at 18:14 (Tallinn): the kettle on L2 (≈ 9.5 A) until 18:15, then ≈ 3 A."""


def test_an_overload_fires_once_and_clears_on_every_channel(
    broker: Broker, subscriber: Subscriber, tmp_path: Path
) -> None:
    with http_server() as hook, smtp_server(tmp_path) as mailbox:
        running = start(
            tmp_path,
            KETTLE,
            {
                "HANPORT_WEB_ENABLED": "no",
                "HANPORT_MQTT_URL": broker.url,
                "HANPORT_SITE_FUSE_A": "10",
                "HANPORT_ALERTS_OVERCURRENT_PCT": "80",
                "HANPORT_ALERTS_OVERCURRENT_S": "1",
                "HANPORT_ALERTS_CLEAR_S": "1",
                "HANPORT_ALERTS_WEBHOOK_URL": f"{hook.url}/hanport",
                "HANPORT_ALERTS_EMAIL_SMTP": mailbox.url(),
                "HANPORT_ALERTS_EMAIL_FROM": "hanport@example.org",
                "HANPORT_ALERTS_EMAIL_TO": "me@example.org",
                "HANPORT_ALERTS_EMAIL_CA_FILE": str(mailbox.ca_file),
            },
        )
        try:
            assert running.finish() == 0, "".join(running.output)
        finally:
            running.stop()
        bodies = [json.loads(r.body) for r in hook.wait(2)]
        mails = mailbox.wait(2)
    assert [(b["event"], b["rule"], b["subject"]) for b in bodies] == [
        ("fired", "overcurrent", "L2"),
        ("cleared", "overcurrent", "L2"),
    ]
    assert bodies[0]["started"] == bodies[1]["started"]
    assert len(hook.requests) == 2
    assert [m["Subject"] for m in mails] == [
        "[hanport] L2 current above 80 % of the fuse",
        "[hanport] L2 current back under the limit",
    ]
    assert mailbox.envelopes[0] == ("hanport@example.org", ["me@example.org"])
    meter = serial_number(1)
    states = [m.payload for m in subscriber.on(f"hanport/{meter}/alert/overcurrent")]
    assert states[-2:] == [b"ON", b"OFF"]
    events = subscriber.on(f"hanport/{meter}/alert/overcurrent/event")
    assert [json.loads(m.payload)["event_type"] for m in events] == ["fired", "cleared"]
    log = "".join(running.output)
    assert "Traceback" not in log
