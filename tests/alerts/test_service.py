"""The alert service end to end: readings in, webhook and ntfy out, history and MQTT kept."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from alerts.servers import http_server, run_async
from hanport.alerts.engine import Notice
from hanport.alerts.history import AlertRecord, record_json
from hanport.alerts.mqtt import alert_messages
from hanport.alerts.rules import ReadingSeen
from hanport.alerts.service import AlertService, run_alert_sink
from hanport.alerts.settings import alert_settings
from hanport.grid import Site
from hanport.model import Reading
from hanport.mqtt.payloads import Message, topics
from hanport.mqtt.settings import MqttSettings
from hanport.quality.scenarios import TALLINN
from hanport.runtime.hub import Subscription
from hanport.sources.reader import ReaderState

D = Decimal
T0 = datetime(2026, 1, 12, 10, 0, tzinfo=UTC)


def reading(at: datetime, current: str = "5", volts: str = "230") -> Reading:
    v = D(volts)
    return Reading(
        meter_id="LGF1",
        received_at=at,
        current_l1_a=D(current),
        current_l2_a=D(1),
        current_l3_a=D(1),
        voltage_l1_v=v,
        voltage_l2_v=D(230),
        voltage_l3_v=D(230),
        power_import_w=1000,
    )


@run_async
async def test_readings_become_alerts_on_every_channel_with_history_and_mqtt() -> None:
    records: list[AlertRecord] = []
    published: list[Message] = []
    where = topics(MqttSettings(host="broker"), reading(T0))

    def mqtt(notice: Notice, active: list[Notice]) -> None:
        published.extend(alert_messages(where, notice, active, "en", TALLINN))

    with http_server() as hook, http_server() as ntfy:
        settings = alert_settings(
            {
                "webhook_url": (f"{hook.url}/hook", "test"),
                "ntfy_url": (f"{ntfy.url}/t", "test"),
                "overcurrent_s": (30, "test"),
                "language": ("et", "test"),
            }
        )
        service = AlertService(
            settings,
            site=Site(fuse_a=D(25)),
            zone=TALLINN,
            on_record=records.append,
            on_mqtt=mqtt,
            clock=lambda: T0,
        )
        async with service:
            for s in range(0, 50, 10):
                at = T0 + timedelta(seconds=s)
                service.observe(ReadingSeen(reading(at, "31.5"), at), at)
            for s in range(50, 130, 10):
                at = T0 + timedelta(seconds=s)
                service.observe(ReadingSeen(reading(at), at), at)
            await service.flush(5)
        hooks = [json.loads(r.body) for r in await asyncio.to_thread(hook.wait, 2)]
        pushes = await asyncio.to_thread(ntfy.wait, 2)
    assert [(h["event"], h["subject"]) for h in hooks] == [("fired", "L1"), ("cleared", "L1")]
    assert hooks[0]["title"] == "L1 vool üle 100 % peakaitsest"
    assert hooks[0]["figures"]["current_a"] == 31.5
    assert "31,5 A" in pushes[0].body.decode()
    assert [(r.cleared is None, r.last_sent is not None) for r in records] == [
        (True, True),
        (False, True),
    ]
    final = json.loads(record_json(records[-1], TALLINN))
    assert (final["rule"], final["active"], final["started"]) == (
        "overcurrent",
        False,
        "2026-01-12T12:00:00+02:00",
    )
    states = [(m.topic, m.payload) for m in published if m.retain and not m.topic.endswith("s")]
    assert states == [
        ("hanport/LGF1/alert/overcurrent", "ON"),
        ("hanport/LGF1/alert/overcurrent", "OFF"),
    ]
    events = [json.loads(m.payload)["event_type"] for m in published if m.topic.endswith("/event")]
    assert events == ["fired", "cleared"]


@run_async
async def test_a_10_minute_mean_from_the_live_readings_fires_the_voltage_alert() -> None:
    settings = alert_settings({})
    fired: list[AlertRecord] = []
    service = AlertService(
        settings, zone=TALLINN, channels=[], on_record=fired.append, clock=lambda: T0
    )
    for s in range(0, 610, 10):
        at = T0 + timedelta(seconds=s)
        service.observe(ReadingSeen(reading(at, volts="194.0"), at), at)
    (record,) = fired
    assert (record.rule, record.subject, record.severity) == ("voltage_band", "L1", "warning")
    assert "was 194.00 V from 2026-01-12 12:00, outside the 207–253 V" in record.message
    assert record.language == "en"


@run_async
async def test_the_sink_takes_readings_and_ticks_data_lost() -> None:
    settings = alert_settings({"data_lost_s": (1, "test")})
    records: list[AlertRecord] = []
    service = AlertService(settings, channels=[], on_record=records.append)
    readings = Subscription("alerts", 10)
    state = ReaderState(source="test")
    readings.offer(reading(datetime.now(UTC)))
    task = asyncio.create_task(run_alert_sink(readings, service, state, tick_s=0.05))
    for _ in range(100):
        if records:
            break
        await asyncio.sleep(0.05)
    task.cancel()
    assert [r.rule for r in records] == ["data_lost"]
