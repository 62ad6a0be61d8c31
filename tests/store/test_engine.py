"""The rollup engine: the DSO's slot rule of `hanport.store.boundary` on any stream, batch by
batch as the store feeds it, carried through its JSON state; registers sent only hourly."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from hanport.model import Reading
from hanport.store.base import Rollup
from hanport.store.boundary import slot_energies
from hanport.store.engine import RollupEngine
from hanport.store.rollups import rollups

TALLINN = ZoneInfo("Europe/Tallinn")
T0 = datetime(2026, 1, 14, 11, 52, 30, tzinfo=UTC)


def stream(steps: list[tuple[int, int, int]]) -> list[Reading]:
    """Readings from (seconds since the last one, import growth, export growth)."""
    moment, imported, exported = T0, 5_000, 700
    readings = []
    for seconds, more_in, more_out in steps:
        moment += timedelta(seconds=seconds)
        imported, exported = imported + more_in, exported + more_out
        readings.append(
            Reading(
                meter_time=moment,
                power_import_w=more_in,
                energy_import_wh=imported,
                energy_export_wh=exported,
            )
        )
    return readings


steps = st.lists(
    st.tuples(
        st.sampled_from([10, 10, 10, 7, 13, 60, 290, 301, 900, 2000]),
        st.integers(0, 40) | st.just(-3000),  # now and then a register that goes backwards
        st.integers(0, 5),
    ),
    min_size=1,
    max_size=400,
)


def final_quarters(rows: list[Rollup]) -> list[Rollup]:
    return [row for row in rows if row.step == "15m" and not row.partial]


@settings(max_examples=120, deadline=None)
@given(steps)
def test_every_quarter_is_the_dso_slot_of_the_same_readings(
    changes: list[tuple[int, int, int]],
) -> None:
    readings = stream(changes)
    quarters = final_quarters(rollups(readings, "15m", TALLINN))
    samples = [(r.meter_time, (r.energy_import_wh, r.energy_export_wh)) for r in readings]
    slots = {slot.start: slot for slot in slot_energies(samples)}  # type: ignore[arg-type]
    assert slots or not quarters or len(quarters) == 1
    for quarter in quarters:
        slot = slots.get(quarter.start.astimezone(UTC))
        if slot is None:  # the quarter closed by the very first reading: nothing before it
            assert quarter is quarters[0]
            assert (quarter.readings, quarter.energy_import_wh, quarter.gap) == (1, 0, True)
            continue
        assert (quarter.energy_import_wh, quarter.energy_export_wh) == slot.growth_wh
        assert (quarter.gap or quarter.reset) == slot.gap
        assert quarter.energy_import_wh >= 0


@settings(max_examples=60, deadline=None)
@given(steps, st.lists(st.integers(1, 300), min_size=1, max_size=8), st.booleans())
def test_batches_and_the_carried_state_change_nothing(
    changes: list[tuple[int, int, int]], cuts: list[int], through_json: bool
) -> None:
    readings = stream(changes)
    whole = RollupEngine(TALLINN)
    expected = [*whole.feed(readings), *whole.open_rollups()]
    engine = RollupEngine(TALLINN)
    got: list[Rollup] = []
    at = 0
    for cut in [*cuts, len(readings)]:
        got += engine.feed(readings[at : at + cut])
        at += cut
        if through_json:
            engine = RollupEngine(TALLINN, state=json.loads(json.dumps(engine.state())))
    got += engine.open_rollups()
    key = lambda r: (r.step, r.start.timestamp())  # noqa: E731
    assert sorted(got, key=key) == sorted(expected, key=key)


def hourly_meter(hours: list[int], offset_s: int) -> list[Reading]:
    """A Norwegian meter: power every 10 s, the energy registers once an hour `offset_s`
    seconds after the hour, `hours` Wh used in each hour (evenly)."""
    start = datetime(2026, 2, 2, 10, tzinfo=UTC)
    readings = []
    register = 1_000_000
    for hour, used in enumerate(hours):
        for tick in range(360):
            moment = start + timedelta(hours=hour, seconds=10 * tick)
            if tick * 10 == offset_s:
                readings.append(
                    Reading(
                        meter_time=moment,
                        power_import_w=used,
                        energy_import_wh=register + used * offset_s // 3600,
                        energy_export_wh=0,
                    )
                )
            else:
                readings.append(Reading(meter_time=moment, power_import_w=used))
        register += used
    return readings


def test_a_meter_that_sends_energy_hourly_gets_its_energy_per_hour_and_quarter() -> None:
    used = [1200, 800, 3000, 400, 0, 2500]
    readings = hourly_meter(used, offset_s=0)  # the hourly list right on the hour
    hours = [h for h in rollups(readings, "1h", TALLINN) if not h.partial]
    assert [h.energy_import_wh for h in hours[1:]] == used[:-1]  # before: all zero
    assert not any(h.gap for h in hours[1:])
    quarters = [q for q in rollups(readings, "15m", TALLINN) if not q.partial]
    assert [q.energy_import_wh for q in quarters[1:5]] == [300, 300, 300, 300]
    assert hours[0].gap  # the hour before the first register: its start is not known


def test_hourly_registers_off_the_hour_are_interpolated_at_the_boundaries() -> None:
    used = [1200, 800, 3000, 400, 0, 2500]
    readings = hourly_meter(used, offset_s=120)
    quarters = final_quarters(rollups(readings, "15m", TALLINN))
    samples = [
        (r.meter_time, (r.energy_import_wh, 0)) for r in readings if r.energy_import_wh is not None
    ]
    reference = list(slot_energies(samples, max_gap=timedelta(hours=2)))  # type: ignore[arg-type]
    by_start = {q.start.astimezone(UTC): q for q in quarters}
    assert len(reference) >= 20
    for slot in reference:
        quarter = by_start[slot.start]
        assert quarter.energy_import_wh == slot.growth_wh[0]
        assert quarter.gap == slot.gap
    hours = [h for h in rollups(readings, "1h", TALLINN) if not h.partial and not h.gap]
    assert sum(h.energy_import_wh for h in hours) > 0


def test_a_register_silent_for_hours_is_a_gap_not_an_interpolation() -> None:
    readings = hourly_meter([1000] * 7, offset_s=0)
    silent = [
        r
        for r in readings
        if r.energy_import_wh is None or not (1 <= (r.meter_time.hour - 10) <= 4)  # type: ignore[union-attr]
    ]  # the registers of 11:00 … 14:00 lost; power kept coming
    hours = [h for h in rollups(silent, "1h", TALLINN) if not h.partial]
    by_hour = {h.start.astimezone(UTC).hour: h for h in hours}
    assert by_hour[10].energy_import_wh == 0  # 10:00 → 15:00 is more than 3 h: not connected
    assert all(by_hour[hour].gap for hour in range(10, 15))


def test_open_quarters_wait_for_the_next_hourly_register() -> None:
    readings = hourly_meter([1200, 800], offset_s=60)
    engine = RollupEngine(TALLINN)
    final = engine.feed(readings[: 360 + 3])  # into the second hour, before its register
    assert all(q.start < datetime(2026, 2, 2, 10, tzinfo=UTC) for q in final if q.step == "15m")
    waiting = [q for q in engine.open_rollups() if q.step == "15m"]
    assert all(q.partial for q in waiting)
    final = engine.feed(readings[363:370])  # 11:01:00: the register is in
    quarters = [q for q in final if q.step == "15m"]
    # 1,000,020 Wh at 10:01, 1,001,213 at 11:01: floor(1,000,020 + 1,193 × elapsed / 3,600 s)
    # at each boundary; the first quarter's start is not known
    assert [q.energy_import_wh for q in quarters] == [278, 298, 298, 299]
    assert [q.gap for q in quarters] == [True, False, False, False]
