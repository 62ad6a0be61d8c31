"""Every block format ever written is read back: 1 (hanport 0.1.0), 2 (issue 9: Decimal power
and energy in `dec`, `verified` runs) and 3 (self-describing columns, read column by column)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from types import MappingProxyType

from hanport.model import Reading, Register
from hanport.store.blocks import block_header, decode_block, decode_columns, encode_block

T = datetime(2026, 3, 29, 0, 59, 50, tzinfo=UTC)

FORMAT_2 = bytes.fromhex(
    "02789cfbcf58ad54a66465a4a394a76465aca354959f975aac6455ad949b5a925a145f92999baa64151d9d"
    "579a93a3631c1baba354949a9c9a59969a129f58029488add5512a49ad2841d2929902d2a0e4ea6ba804d1"
    "0111cecd4f49cd41360aa813a8b12811d5f894d464a08052417e39c8a8dc82fca292f872251da8406a055c"
    "20352fb528bd12ae244309a8b92cb528332d3315ec80b4c49ce2541dc3589de892a25208032604545990989"
    "cad64a554a854cbc8801d34bcf57190f7636368983603c287d2a40274f3ff43019b1d3398ef7eea0f98ff0f"
    "2ace844d1392d0efffa8802c478d029c00577c3d8a84f025d7ff47892f5ce9875e0097fd225233f7c90069"
    "6b7765a7c740776e9ae70c76ef1fa8bb59a09ac1a97018a72300dc39b442"
)
"""Written by the code of issue 9 (commit ef8f945) from `FORMAT_2_READINGS`."""
FORMAT_2_READINGS = [
    Reading(
        meter_id="EM1",
        meter_time=T,
        power_import_w=Decimal("2124.86"),
        energy_import_wh=Decimal("12345678.9012"),
        voltage_l1_v=Decimal("230.10"),
        verified=False,
    ),
    Reading(
        meter_id="EM1",
        meter_time=T + timedelta(seconds=10),
        power_import_w=2125,
        energy_import_wh=12345679,
        voltage_l1_v=Decimal("229.9"),
    ),
    Reading(
        meter_id="EM1",
        meter_time=T + timedelta(seconds=20),
        power_export_w=Decimal("-0.5"),
        energy_import_wh=Decimal("1E+3"),
        verified=False,
    ),
]

FORMAT_1 = bytes.fromhex(
    "01789ced91c14ac3401086a3059f4250e6ea2664d7509a3df5221e949ebc354b09cd1482495a936d1043a4"
    "2fe0d527f0117c000fd26b9fc437107477934a293979f1e2cfb203ff37333bc3be1f565002a70432e08cc0"
    "c33cc3027805294acc27324e11f8789c2d9384502108e438c5b8c46812ca1fc084a80948bc973ba571a439"
    "5c0d2e2e416790d64fe711260d0ad342e6cb05b40d547d1e1a5205e0da2ef7fb0ef51c37501e23e6257d09"
    "a229e5cc739843351c071005a06c7f401dcf3b0f40e7a42a1285a441cca57d9b529bf937cce5ae3e67e656"
    "d4741535a80dc9ceaa25e6f12c46b3879a130d9e8549810d5f84d35be07007f581d5e8abd5eae37a78323a"
    "b24e8f1b7fcbb77adb8c0c1fbe3e5b5ddacf27bd266e3e9bfe9d45fffab5f6ffcf5aad5f1e9f7a7f3a5397"
    "be014ffe8375"
)
"""Format 1 (as hanport 0.1.0 wrote it; the code of issue 9 still wrote it without Decimals),
with a fixed offset, microseconds, a register beyond 2^49, extra registers, `verified`."""
FORMAT_1_READINGS = [
    Reading(
        meter_id="K8EG",
        meter_model="Kamstrup",
        meter_time=T.astimezone(timezone(timedelta(hours=2))),
        received_at=T + timedelta(microseconds=123456),
        power_import_w=812,
        energy_import_wh=10**15,
        extra=MappingProxyType(
            {
                "0-0:96.14.0": Register(2),
                "0-1:24.2.1": Register(
                    Decimal("00981.443"), "m3", datetime(2016, 11, 29, 20, tzinfo=UTC)
                ),
            }
        ),
    ),
    Reading(
        meter_id="K8EG",
        meter_model="Kamstrup",
        received_at=T + timedelta(seconds=10),
        power_import_w=-5,
        verified=False,
    ),
]


def exactly(readings: list[Reading]) -> list[list[tuple[str, type, str]]]:
    """Every field with its type and text: equal readings could still differ in exponent."""
    return [[(k, type(v), str(v)) for k, v in r.__dict__.items()] for r in readings]


def test_format_2_reads_back_exactly() -> None:
    back = decode_block(FORMAT_2)
    assert back == FORMAT_2_READINGS
    assert exactly(back) == exactly(FORMAT_2_READINGS)
    assert [r.verified for r in back] == [False, True, False]


def test_format_1_reads_back_exactly() -> None:
    back = decode_block(FORMAT_1)
    assert back == FORMAT_1_READINGS
    assert exactly(back) == exactly(FORMAT_1_READINGS)
    assert back[0].meter_time is not None
    assert back[0].meter_time.utcoffset() == timedelta(hours=2)


def test_format_3_is_written_and_holds_the_same() -> None:
    for readings in (FORMAT_1_READINGS, FORMAT_2_READINGS):
        block = encode_block(readings)
        assert block[0] == 3
        assert exactly(decode_block(block)) == exactly(readings)


def test_the_header_names_each_column() -> None:
    header = block_header(encode_block(FORMAT_2_READINGS))
    fields = {entry[0]: entry for entry in header["f"]}
    assert header["n"] == 3
    assert set(fields) == {
        "meter_time",
        "power_import_w",
        "power_export_w",
        "voltage_l1_v",
        "energy_import_wh",
    }
    assert fields["meter_time"][3][0] == ["a", 1774745990000000, 10_000_000]  # evenly spaced
    assert fields["power_export_w"][2] == [[0, 2], [1, 1]]  # only the third reading has it
    assert header["s"] == {"meter_id": [["EM1", 3]], "meter_model": [[None, 3]]}


def test_columns_of_every_format_without_whole_readings() -> None:
    for block, readings in ((FORMAT_1, FORMAT_1_READINGS), (FORMAT_2, FORMAT_2_READINGS)):
        for encoded in (block, encode_block(readings)):
            moments, (power, energy) = decode_columns(
                encoded, ["power_import_w", "energy_import_wh"]
            )
            times = [r.meter_time or r.received_at for r in readings]
            epoch = datetime(1970, 1, 1, tzinfo=UTC)
            assert moments == [(t - epoch) // timedelta(microseconds=1) for t in times]  # type: ignore[operator]
            assert power == [r.power_import_w for r in readings]
            assert energy == [r.energy_import_wh for r in readings]
            assert [type(v) for v in energy] == [type(r.energy_import_wh) for r in readings]
