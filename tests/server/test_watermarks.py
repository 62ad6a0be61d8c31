"""A watermark moves only past readings below the ack floor: a reading another worker still
holds keeps later readings' watermarks back."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hanport.server.ingest import Committed, decode, parse_report, report
from hanport.server.metrics import Metrics
from hanport.server.watermarks import Watermarks
from hanport.upstream.wire import reading_payload

T0 = datetime(2026, 1, 10, 6, 0, tzinfo=UTC)


def _at(seconds: int) -> datetime:
    return T0 + timedelta(seconds=seconds)


def test_the_floor_holds_later_readings_back() -> None:
    marks = Watermarks()
    marks.reported([Committed(2, "s", "m", _at(20)), Committed(3, "s", "m", _at(30))])
    assert marks.advance(0) == set()
    assert marks.sites == {}
    assert marks.advance(2) == {"s"}
    assert marks.sites == {"s": {"m": _at(20)}}
    marks.reported([Committed(1, "s", "m", _at(10))])  # the one another worker held
    assert marks.advance(3) == {"s"}
    assert marks.sites["s"]["m"] == _at(30)
    assert marks.waiting == 0


def test_a_reading_committed_again_never_moves_the_watermark_back() -> None:
    marks = Watermarks()
    marks.reported([Committed(5, "s", "m", _at(50))])
    marks.advance(5)
    marks.reported([Committed(4, "s", "m", _at(40))])
    assert marks.advance(5) == set()
    assert marks.sites["s"]["m"] == _at(50)


def test_messages_become_site_readings_and_bad_ones_are_set_aside() -> None:
    from upstream_gateway import meter_readings

    good = reading_payload(meter_readings(1)[0]).encode()
    decoded = decode(
        [
            (1, "hanport.v1.home.LGF1.reading", good),
            (2, "hanport.v1.home.LGF1.reading", b"{}"),
            (3, "hanport.v1.ho.me.x.reading", good),
        ]
    )
    assert [r.meter_id for r in decoded.readings] == ["home/LGF1"]
    assert [index for index, _ in decoded.bad] == [1, 2]
    worker, committed, lags = parse_report(report(decoded.committed, [12], 1))
    assert (worker, committed, lags) == (1, decoded.committed, [12])


def test_metrics_are_prometheus_text() -> None:
    metrics = Metrics()
    metrics.took(0, 3, [10, 700, 90_000])
    text = metrics.prometheus()
    assert 'hanport_server_readings_committed_total{worker="0"} 3' in text
    assert 'hanport_server_ingest_lag_ms_bucket{le="1000"} 2' in text
    assert 'hanport_server_ingest_lag_ms_bucket{le="+Inf"} 3' in text
    assert metrics.lag_quantile_ms(0.5) == 700
