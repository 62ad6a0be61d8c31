"""Properties: no input makes the decoder raise, no damaged checksummed frame becomes a reading,
and every value the encoder writes decodes back exactly."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from encoder import (
    LLC,
    array,
    double_long,
    double_long_unsigned,
    gbt_blocks,
    glo_ciphering,
    hdlc_frame,
    hdlc_frames,
    long,
    long64_unsigned,
    long_unsigned,
    mbus_frame,
    mbus_frames,
    p1_telegram,
    register,
    simple_apdu,
    visible_string,
)
from encoder import (
    data_notification as notification,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rejections import assert_understood

import hanport
from hanport.model import Reading, Rejected

KEY = bytes(range(16))
AUTH = bytes(range(16, 32))
SETTINGS = settings(
    max_examples=200,
    deadline=None,
    derandomize=True,  # the same examples on every run: a failure is never a fluke of the seed
    suppress_health_check=[HealthCheck.too_slow],
)

P1_SMALL = p1_telegram(
    [
        "0-0:1.0.0(240115120000W)",
        "1-0:1.8.0(00004215.300*kWh)",
        "1-0:1.7.0(0001.011*kW)",
        "1-0:32.7.0(230.1*V)",
        "1-0:31.7.0(002.2*A)",
    ]
)
HDLC_SMALL = hdlc_frame(LLC + simple_apdu(1011))
MBUS_SMALL = mbus_frame(simple_apdu(1011))
GCM_SMALL = glo_ciphering(simple_apdu(1011), key=KEY, auth_key=AUTH)
CHECKSUMMED = {"p1": P1_SMALL, "hdlc": HDLC_SMALL, "mbus": MBUS_SMALL, "gcm": GCM_SMALL}

VALID_FRAMES = [
    P1_SMALL,
    p1_telegram(["1-0:1.7.0(1.0*kW)"], crc="none", eol="\n"),
    HDLC_SMALL,
    hdlc_frames(LLC + simple_apdu(5, note="x" * 200), 64),
    hdlc_frame(LLC + gbt_blocks(simple_apdu(6), 20)[0]),
    MBUS_SMALL,
    mbus_frames(simple_apdu(7, note="y" * 100), 50),
    GCM_SMALL,
    glo_ciphering(simple_apdu(8), key=KEY, security_control=0x20),
    glo_ciphering(P1_SMALL, key=KEY, auth_key=AUTH),
    LLC + simple_apdu(9),
]


def decode_all(data: bytes, cuts: list[int] | None = None) -> list[Reading | Rejected]:
    decoder = hanport.Decoder(key=KEY, auth_key=AUTH)
    out: list[Reading | Rejected] = []
    pos = 0
    for cut in cuts or []:
        out += decoder.feed(data[pos : pos + cut])
        pos += cut
    out += decoder.feed(data[pos:])
    out += decoder.flush()
    assert all(isinstance(item, Reading | Rejected) for item in out)
    assert decoder.stats.readings == sum(isinstance(item, Reading) for item in out)
    assert decoder.stats.rejected == sum(isinstance(item, Rejected) for item in out)
    assert_understood(out)
    return out


# ---------------------------------------------------------------------------- never raise


def test_a_decoder_bug_is_no_rejection_the_properties_accept(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The decoder turns a crash into `decoder.internal` (it must not stop the reader); the
    properties below refuse that code, so a bug cannot pass them as a rejected frame."""

    def broken(*args: object, **kwargs: object) -> Reading:
        raise IndexError("a bug")

    monkeypatch.setattr(hanport.codec.p1, "parse_p1", broken)
    items = hanport.Decoder().feed(P1_SMALL)
    assert [item.code for item in items if isinstance(item, Rejected)] == ["decoder.internal"]
    with pytest.raises(AssertionError, match="a decoder bug"):
        assert_understood(items)


@SETTINGS
@given(st.binary(max_size=600), st.lists(st.integers(1, 64), max_size=20))
def test_arbitrary_bytes_never_raise(data: bytes, cuts: list[int]) -> None:
    decode_all(data, cuts)


piece = st.one_of(
    st.binary(max_size=24),
    st.sampled_from(VALID_FRAMES),
    st.builds(lambda f, n: f[:n], st.sampled_from(VALID_FRAMES), st.integers(0, 300)),
    st.builds(lambda f, n: f[n:], st.sampled_from(VALID_FRAMES), st.integers(0, 300)),
    st.sampled_from([b"\x7e", b"\x7e\xa0", b"\x68", b"\xdb\x08", b"\x0f", b"/", b"!", b"\r\n"]),
)


@SETTINGS
@given(st.lists(piece, max_size=12), st.lists(st.integers(1, 200), max_size=10))
def test_frames_junk_and_fragments_never_raise(pieces: list[bytes], cuts: list[int]) -> None:
    decode_all(b"".join(pieces), cuts)


@SETTINGS
@given(st.sampled_from(VALID_FRAMES), st.integers(0, 2000), st.integers(0, 255))
def test_any_damaged_frame_never_raises(frame: bytes, position: int, value: int) -> None:
    damaged = bytearray(frame)
    damaged[position % len(frame)] = value
    decode_all(bytes(damaged))


# ---------------------------------------------------------------- damage is always caught


def _intact(kind: str, frame: bytes, position: int, value: int) -> bool:
    """Damage that leaves every checked byte as it was: another spelling of a CRC digit (a-f for
    A-F). Such a reading must equal the original. A CRC digit damaged into anything else is not
    read as a telegram sent without CRC: it must not yield a reading at all."""
    if kind != "p1":
        return False
    bang = frame.rindex(b"!")
    if not bang < position <= bang + 4:
        return False
    return chr(value).upper() == chr(frame[position]).upper()


def _check_damage(kind: str, position: int, value: int) -> None:
    frame = CHECKSUMMED[kind]
    end = len(frame) - 2 if kind == "p1" else len(frame)  # P1: the CRLF after the CRC is free
    position %= end
    if value == frame[position]:
        return
    damaged = bytearray(frame)
    damaged[position] = value
    readings = [item for item in decode_all(bytes(damaged)) if isinstance(item, Reading)]
    if _intact(kind, frame, position, value):
        assert readings == [item for item in decode_all(frame) if isinstance(item, Reading)]
    else:
        assert readings == [], (kind, position, hex(value))


@SETTINGS
@given(st.sampled_from(sorted(CHECKSUMMED)), st.integers(0, 10_000), st.integers(0, 255))
def test_single_damaged_byte_never_yields_a_reading(kind: str, position: int, value: int) -> None:
    _check_damage(kind, position, value)


@SETTINGS
@given(
    st.sampled_from(sorted(CHECKSUMMED)),
    st.integers(0, 10_000),
    st.sampled_from(b"!/\r\n\x7e\x68\x0f\xdb\x08\x20\x21\x00\xff"),
)
def test_single_damaged_byte_with_a_meaningful_value(kind: str, position: int, value: int) -> None:
    _check_damage(kind, position, value)


@pytest.mark.parametrize("kind", sorted(CHECKSUMMED))
def test_every_single_damaged_byte_is_caught(kind: str) -> None:
    """Exhaustive: every position, every other value, in a small frame of each kind."""
    frame = CHECKSUMMED[kind]
    original = [item for item in decode_all(frame) if isinstance(item, Reading)]
    assert len(original) == 1
    failures = []
    end = len(frame) - 2 if kind == "p1" else len(frame)
    for position in range(end):
        for value in range(256):
            if value == frame[position]:
                continue
            damaged = bytearray(frame)
            damaged[position] = value
            decoder = hanport.Decoder(key=KEY, auth_key=AUTH)
            result = decoder.feed(bytes(damaged)) + decoder.flush()
            readings = [item for item in result if isinstance(item, Reading)]
            allowed = original if _intact(kind, frame, position, value) else []
            if readings != allowed:
                failures.append((position, bytes([frame[position]]), bytes([value])))
    assert failures == [], f"{len(failures)} damaged {kind} frames decoded, e.g. {failures[:8]}"


# --------------------------------------------------------------------------- round trips


def _kilo(value: int, decimals: int) -> str:
    sign = "-" if value < 0 else ""
    scaled = abs(value)
    whole, frac = divmod(scaled, 10**decimals)
    return f"{sign}{whole:05d}.{frac:0{decimals}d}" if decimals else f"{sign}{whole:08d}"


def _fixed(value: int, digits: int, decimals: int) -> str:
    """An integer count of 10^-decimals as signed fixed-point text, e.g. (-150, 3, 2) → -001.50."""
    sign = "-" if value < 0 else ""
    whole, frac = divmod(abs(value), 10**decimals)
    return f"{sign}{whole:0{digits}d}.{frac:0{decimals}d}"


_PREFIX = {"": 0, "k": 3, "M": 6}


@SETTINGS
@given(
    energy=st.integers(0, 10**11 - 1),
    power=st.integers(0, 10**7),
    export=st.integers(-(10**6), 10**6),
    voltage=st.integers(0, 9999),
    current=st.integers(-99999, 99999),
    factor=st.integers(-1000, 1000),
    units=st.tuples(st.sampled_from(["", "k", "M"]), st.sampled_from(["", "k", "M"])),
    case=st.sampled_from(["as sent", "upper", "lower"]),
    eol=st.sampled_from(["\r\n", "\n"]),
    crc=st.sampled_from(["upper", "lower", "none", "short"]),
    when=st.datetimes(datetime(2000, 1, 2), datetime(2069, 12, 30)),
    summer=st.booleans(),
)
def test_p1_values_round_trip(
    energy: int,
    power: int,
    export: int,
    voltage: int,
    current: int,
    factor: int,
    units: tuple[str, str],
    case: str,
    eol: str,
    crc: str,
    when: datetime,
    summer: bool,
) -> None:
    instant = when.replace(microsecond=0, tzinfo=UTC)
    local = instant + timedelta(hours=3 if summer else 2)  # Tallinn: EET +2, EEST +3
    energy_unit = units[0] + "Wh"
    energy_unit = {"upper": energy_unit.upper(), "lower": energy_unit.lower()}.get(
        case, energy_unit
    )
    lines = [
        f"0-0:1.0.0({local:%y%m%d%H%M%S}{'S' if summer else 'W'})",
        f"1-0:1.8.0({_kilo(energy, _PREFIX[units[0]])}*{energy_unit})",
        f"1-0:1.7.0({_kilo(power, _PREFIX[units[1]])}*{units[1]}W)",
        f"1-0:2.7.0({_kilo(export, 3)}*kW)",
        f"1-0:32.7.0({voltage // 10:03d}.{voltage % 10}*V)",
        f"1-0:31.7.0({_fixed(current, 3, 2)}*A)",
        f"1-0:13.7.0({_fixed(factor, 1, 3)})",
    ]
    # meters that send no CRC identify as such (DSMR 2.2 style); the E360 always sends one
    header = "XMX5XMXABCE000012345" if crc == "none" else "LGF5E360"
    (reading,) = hanport.decode(p1_telegram(lines, eol=eol, crc=crc, header=header))
    assert reading.verified is (crc != "none")
    assert reading.meter_time is not None
    assert reading.meter_time.astimezone(UTC) == instant  # (PEP 495: compare in one zone)
    assert reading.energy_import_wh == energy
    assert reading.power_import_w == power
    assert reading.power_export_w == export
    assert reading.voltage_l1_v == Decimal(voltage).scaleb(-1)
    assert reading.current_l1_a == Decimal(current).scaleb(-2)
    assert reading.power_factor == Decimal(factor).scaleb(-3)


def _exact(raw: int, scaler: int) -> int | Decimal:
    """raw × 10^scaler: an int for scalers ≥ 0, the exact Decimal below (nothing rounded)."""
    return raw * 10**scaler if scaler >= 0 else Decimal(raw) * Decimal(10) ** scaler


_TRANSPORTS = ["hdlc", "hdlc-segmented", "hdlc-gbt", "mbus", "gcm", "gcm-ctr", "hdlc-gcm", "bare"]


def _transport(apdu: bytes, how: str, size: int) -> bytes:
    if how == "hdlc":
        return hdlc_frame(LLC + apdu)
    if how == "hdlc-segmented":
        return hdlc_frames(LLC + apdu, size)
    if how == "hdlc-gbt":
        blocks = gbt_blocks(apdu, size)
        return hdlc_frame(LLC + blocks[0]) + b"".join(hdlc_frame(b) for b in blocks[1:])
    if how == "mbus":
        return mbus_frames(apdu, min(size, 245))
    if how == "gcm":
        return glo_ciphering(apdu, key=KEY, auth_key=AUTH, frame_counter=size)
    if how == "gcm-ctr":
        return glo_ciphering(apdu, key=KEY, security_control=0x20)
    if how == "hdlc-gcm":
        return hdlc_frames(LLC + glo_ciphering(apdu, key=KEY, auth_key=AUTH), size)
    return apdu


@SETTINGS
@given(
    power=st.tuples(st.integers(0, 2**32 - 1), st.integers(-3, 3)),
    export=st.tuples(st.integers(-(2**31), 2**31 - 1), st.integers(-3, 3)),
    voltage=st.tuples(st.integers(0, 2**16 - 1), st.integers(-2, 0)),
    current=st.tuples(st.integers(-(2**15), 2**15 - 1), st.integers(-3, 0)),
    energy=st.tuples(st.integers(0, 2**64 - 1), st.integers(-1, 3)),
    note=st.text(st.characters(min_codepoint=0x20, max_codepoint=0xFF), max_size=300),
    how=st.sampled_from(_TRANSPORTS),
    size=st.integers(8, 300),
)
def test_dlms_values_round_trip(
    power: tuple[int, int],
    export: tuple[int, int],
    voltage: tuple[int, int],
    current: tuple[int, int],
    energy: tuple[int, int],
    note: str,
    how: str,
    size: int,
) -> None:
    body = array(
        [
            register("1-0:1.7.0", double_long_unsigned(power[0]), power[1], 27),
            register("1-0:2.7.0", double_long(export[0]), export[1], 27),
            register("1-0:32.7.0", long_unsigned(voltage[0]), voltage[1], 35),
            register("1-0:31.7.0", long(current[0]), current[1], 33),
            register("1-0:1.8.0", long64_unsigned(energy[0]), energy[1], 30),
            register("0-0:96.13.0", visible_string(note)),
        ]
    )
    # an encryption-only meter: configuring an authentication key would (rightly) reject it
    decoder = hanport.Decoder(key=KEY, auth_key=None if how == "gcm-ctr" else AUTH)
    result = decoder.feed(_transport(notification(body), how, size)) + decoder.flush()
    assert len(result) == 1
    reading = result[0]
    assert isinstance(reading, Reading), reading
    for name, (raw, scaler) in (
        ("power_import_w", power),
        ("power_export_w", export),
        ("energy_import_wh", energy),
    ):
        value = getattr(reading, name)
        assert value == _exact(raw, scaler)
        assert type(value) is type(_exact(raw, scaler))
    assert reading.verified is (how not in ("gcm-ctr", "bare"))
    assert reading.voltage_l1_v == Decimal(voltage[0]) * Decimal(10) ** voltage[1]
    assert reading.current_l1_a == Decimal(current[0]) * Decimal(10) ** current[1]
    assert reading.extra["0-0:96.13.0"].value == note


@SETTINGS
@given(st.lists(st.integers(0, 10**6), min_size=1, max_size=8), st.randoms())
def test_a_stream_of_frames_round_trips_in_any_chunks(
    values: list[int], rng: random.Random
) -> None:
    frames = [
        [
            p1_telegram([f"1-0:1.7.0({v}*W)"]),
            hdlc_frame(LLC + simple_apdu(v)),
            mbus_frames(simple_apdu(v)),
            glo_ciphering(simple_apdu(v), key=KEY, auth_key=AUTH),
        ][i % 4]
        for i, v in enumerate(values)
    ]
    data = b"".join(frames)
    cuts = []
    total = 0
    while total < len(data):
        cut = rng.randint(1, 97)
        cuts.append(cut)
        total += cut
    result = decode_all(data, cuts)
    assert [r.power_import_w for r in result if isinstance(r, Reading)] == values


@SETTINGS
@given(
    st.lists(
        st.tuples(
            st.integers(0, 10**11 - 1),
            st.integers(0, 10**7 - 1),
            st.integers(0, 9999),
            st.integers(0, 9999),
            st.datetimes(datetime(2000, 1, 2), datetime(2069, 12, 30)),
        ),
        min_size=2,
        max_size=6,
    )
)
def test_telegrams_of_one_layout_decode_each_to_its_own_values(
    values: list[tuple[int, int, int, int, datetime]],
) -> None:
    """A meter repeats its layout with other digits; every telegram must read as its own."""
    telegrams = []
    for energy, power, voltage, current, when in values:
        lines = [
            f"0-0:1.0.0({when + timedelta(hours=2):%y%m%d%H%M%S}W)",
            f"1-0:1.8.0({energy // 1000:08d}.{energy % 1000:03d}*kWh)",
            f"1-0:1.7.0({power // 1000:04d}.{power % 1000:03d}*kW)",
            f"1-0:32.7.0({voltage // 10:03d}.{voltage % 10}*V)",
            f"1-0:31.7.0({current // 10:03d}.{current % 10}*A)",
        ]
        telegrams.append(p1_telegram(lines))
    readings = [r for r in decode_all(b"".join(telegrams)) if isinstance(r, Reading)]
    assert len(readings) == len(values)
    for reading, (energy, power, voltage, current, when) in zip(readings, values, strict=True):
        assert reading.meter_time is not None
        assert reading.meter_time.astimezone(UTC) == when.replace(microsecond=0, tzinfo=UTC)
        assert reading.energy_import_wh == energy
        assert reading.power_import_w == power
        assert reading.voltage_l1_v == Decimal(voltage).scaleb(-1)
        assert reading.current_l1_a == Decimal(current).scaleb(-1)


# ------------------------------------------------------ after any garbage, frames decode

_GARBAGE_PIECES = [
    b"\xdb\x08" + bytes(8) + b"\xff",  # the 11 bytes
    b"\xdb\x08LGZ\x01\x02\x03\x04\x05\x82\x20\x00\x30\x00\x00\x00\x01",  # ciphered, 8 KiB
    b"\x7e\xa7\xff\x41\x08\x83\x13",  # HDLC, 2047 bytes announced
    b"\x68\xff\xff\x68\x53\xff\x00\x01\x67",  # M-Bus, 255 bytes announced
    b"\x0f\x40\x00\x00\x00\x00\x01\x82\xff\xff",  # a bare APDU announcing 65535 elements
    LLC + b"\x0f\x40\x00\x00\x00\x00\x02\x81\xff",
    b"/LGF5E360\r\n\r\n1-0:1.7.0(0001.0",  # a telegram that never ends
]
garbage = st.lists(
    st.one_of(
        st.binary(max_size=200),
        st.sampled_from(_GARBAGE_PIECES),
        st.builds(
            lambda f, n: f[: n % max(1, len(f))], st.sampled_from(VALID_FRAMES), st.integers()
        ),
    ),
    max_size=6,
).map(b"".join)
_FOLLOWING = {
    "p1": lambda w: p1_telegram([f"1-0:1.7.0({w}*W)"]),
    "hdlc": lambda w: hdlc_frame(LLC + simple_apdu(w)),
    "mbus": lambda w: mbus_frames(simple_apdu(w)),
    "gcm": lambda w: glo_ciphering(simple_apdu(w), key=KEY, auth_key=AUTH, frame_counter=w),
}


@SETTINGS
@given(
    garbage,
    st.sampled_from(sorted(_FOLLOWING)),
    st.integers(1, 40),
    st.lists(st.integers(1, 4096), max_size=12),
)
def test_after_any_garbage_the_frames_that_follow_decode(
    prefix: bytes, kind: str, count: int, cuts: list[int]
) -> None:
    """Whatever came before (noise, truncated frames, maximal length fields), the valid
    frames after it all decode, whole or in any chunks, and nothing raises."""
    watts = list(range(1000, 1000 + count))
    data = prefix + b"".join(_FOLLOWING[kind](w) for w in watts)
    result = decode_all(data, cuts)
    assert [r.power_import_w for r in result if isinstance(r, Reading)][-count:] == watts
