"""The `[ev]` section and its `[[ev.chargers]]` tables.

    [ev]
    ocpp_listen = ""               # HANPORT_EV_OCPP_LISTEN: off; "127.0.0.1:9000", "0.0.0.0:9000"
    ocpp_cert_file = ""            # HANPORT_EV_OCPP_CERT_FILE: TLS (wss://, security profile 2)
    ocpp_key_file = ""             # HANPORT_EV_OCPP_KEY_FILE
    mode = "guard"                 # HANPORT_EV_MODE: guard | surplus | cheapest | fixed
    margin_a = 1                   # HANPORT_EV_MARGIN_A: kept free below the fuse on each phase
    stale_s = 25                   # HANPORT_EV_STALE_S: meter data older than this → fail-safe
    failsafe_a = 0                 # HANPORT_EV_FAILSAFE_A: 0 pauses; or at least min_a
    min_a = 6                      # HANPORT_EV_MIN_A: the least a car can charge with (IEC 61851)
    max_a = 16                     # HANPORT_EV_MAX_A: for chargers that are not listed
    fixed_a = 10                   # HANPORT_EV_FIXED_A: the current of the fixed mode
    surplus_import_w = 0           # HANPORT_EV_SURPLUS_IMPORT_W: import tolerated in surplus mode
    windows = ["22:00-07:00"]      # HANPORT_EV_WINDOWS: cheapest mode without prices
    departure = "07:00"            # HANPORT_EV_DEPARTURE: the car leaves (local time)
    smartevse_prefix = ""          # HANPORT_EV_SMARTEVSE_PREFIX: feed SmartEVSE's MainsMeter

    [[ev.chargers]]
    id = "garage"                  # the OCPP charge point id (the last part of its URL)
    kind = "ocpp"                  # ocpp | go-e | mqtt
    password = "…"                 # OCPP Basic auth (security profiles 1 and 2); optional
    max_a = 16
    min_a = 6
    phases = 3                     # 1 or 3
    wiring = "L1 L2 L3"            # site phase of each charger phase; "L2" for 1-phase on L2
    switch_phases = false          # the charger can switch between 1 and 3 phases
    priority = 0                   # lower keeps charging longest when room is short
    address = "192.168.1.40"       # go-e: its address
    topic = "garage/charger/set"   # mqtt: where the setpoint is published
    profiles = "station_max"       # OCPP: station_max, or tx for chargers that refuse it

An OCPP charger that connects and is not listed gets the site's defaults (`max_a`, `min_a`,
three phases) with the fuse guard on. Every problem is one sentence naming the setting.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

from hanport.ev.charger_settings import ChargerSettings, amps, charger_tables, choice
from hanport.ev.model import ChargerSpec
from hanport.ev.policy import Cheapest, Fixed, Guard, Mode, Policy, Surplus
from hanport.ev.slots import Window, next_departure, parse_window, window_slots
from hanport.settings.section import Section
from hanport.settings.values import ConfigError, Raw, existing_file

__all__ = [
    "EV",
    "EV_KEYS",
    "MODES",
    "ChargerSettings",
    "EvSettings",
    "ev_departure",
    "ev_settings",
    "mode_of",
]

EV_KEYS = (
    "ocpp_listen",
    "ocpp_cert_file",
    "ocpp_key_file",
    "mode",
    "margin_a",
    "stale_s",
    "failsafe_a",
    "min_a",
    "max_a",
    "fixed_a",
    "surplus_import_w",
    "windows",
    "departure",
    "smartevse_prefix",
    "chargers",
)
MODES = ("guard", "surplus", "cheapest", "fixed")


@dataclass(frozen=True)
class EvSettings:
    ocpp_host: str | None = None
    """None: no OCPP central system."""
    ocpp_port: int = 9000
    ocpp_cert_file: str | None = None
    ocpp_key_file: str | None = None
    mode: str = "guard"
    margin_a: Decimal = Decimal(1)
    stale_s: float = 25.0
    failsafe_a: Decimal = Decimal(0)
    min_a: Decimal = Decimal(6)
    max_a: Decimal = Decimal(16)
    fixed_a: Decimal = Decimal(10)
    surplus_import_w: Decimal = Decimal(0)
    windows: tuple[Window, ...] = field(default_factory=lambda: (parse_window("22:00-07:00"),))
    departure: str = "07:00"
    chargers: tuple[ChargerSettings, ...] = ()
    smartevse_prefix: str | None = None
    """None: no MainsMeter feed; else SmartEVSE's MQTT prefix (`SmartEVSE/1234`)."""

    @property
    def enabled(self) -> bool:
        """Anything to control or feed: an OCPP listener, a listed charger, SmartEVSE."""
        return bool(self.ocpp_host is not None or self.chargers or self.smartevse_prefix)

    @property
    def policy(self) -> Policy:
        return Policy(margin_a=self.margin_a)

    def specs(self) -> tuple[ChargerSpec, ...]:
        return tuple(c.spec(i) for i, c in enumerate(self.chargers))

    def default_spec(self, charger_id: str) -> ChargerSpec:
        """The site's defaults, for a charger that connects and is not listed."""
        return ChargerSpec(charger_id, max_a=self.max_a, min_a=self.min_a, priority=10**6)

    def charger(self, charger_id: str) -> ChargerSettings | None:
        return next((c for c in self.chargers if c.id == charger_id), None)


def ev_settings(raw: Raw) -> EvSettings:
    """`[ev]` from its raw values; raises `ConfigError` with one sentence per problem."""
    host, port = _listen(raw.get("ocpp_listen"))
    cert = existing_file(raw.get("ocpp_cert_file"), "settings.what.ocpp_cert")
    key = existing_file(raw.get("ocpp_key_file"), "settings.what.ocpp_key")
    if (cert is None) != (key is None):
        raise ConfigError("ev.setting_tls_pair")
    min_a = amps(raw.get("min_a"), Decimal(6), Decimal(6), Decimal(32), "ev.what.min")
    failsafe = amps(raw.get("failsafe_a"), Decimal(0), Decimal(0), Decimal(80), "ev.what.failsafe")
    if 0 < failsafe < min_a:
        where = raw["failsafe_a"][1]
        raise ConfigError("ev.setting_failsafe", where=where, min_a=min_a)
    max_a = amps(raw.get("max_a"), Decimal(16), min_a, Decimal(80), "ev.what.max")
    return EvSettings(
        ocpp_host=host,
        ocpp_port=port,
        ocpp_cert_file=cert,
        ocpp_key_file=key,
        mode=choice(raw.get("mode"), "guard", MODES, "ev.what.mode"),
        margin_a=amps(raw.get("margin_a"), Decimal(1), Decimal(0), Decimal(10), "ev.what.margin"),
        stale_s=float(
            amps(raw.get("stale_s"), Decimal(25), Decimal(5), Decimal(300), "ev.what.stale")
        ),
        failsafe_a=failsafe,
        min_a=min_a,
        max_a=max_a,
        fixed_a=amps(raw.get("fixed_a"), Decimal(10), min_a, Decimal(80), "ev.what.fixed"),
        surplus_import_w=amps(
            raw.get("surplus_import_w"),
            Decimal(0),
            Decimal(0),
            Decimal(50_000),
            "ev.what.surplus_import",
        ),
        windows=_windows(raw.get("windows")),
        departure=ev_departure(raw.get("departure")),
        chargers=charger_tables(raw.get("chargers"), min_a, max_a),
        smartevse_prefix=_prefix(raw.get("smartevse_prefix")),
    )


def _prefix(item: tuple[object, str] | None) -> str | None:
    if item is None or str(item[0]).strip() == "":
        return None
    value = str(item[0]).strip().rstrip("/")
    if any(c in value for c in "#+") or not value:
        raise ConfigError("ev.run.setting_smartevse", value=value, where=item[1])
    return value


def _listen(item: tuple[object, str] | None) -> tuple[str | None, int]:
    if item is None or item[0] in ("", None):
        return None, 9000
    value, where = str(item[0]).strip(), item[1]
    host, _, port = value.rpartition(":")
    host = host.strip("[]")
    if not host or not port.isdigit() or not 0 <= int(port) <= 65535:
        raise ConfigError("ev.setting_listen", value=value, where=where)
    return host, int(port)


def _windows(item: tuple[object, str] | None) -> tuple[Window, ...]:
    if item is None:
        return (parse_window("22:00-07:00"),)
    value, where = item
    texts = value.split(",") if isinstance(value, str) else value
    if not isinstance(texts, list | tuple) or not texts:
        raise ConfigError("ev.setting_windows", where=where)
    try:
        return tuple(parse_window(str(text)) for text in texts)
    except ValueError as error:
        raise ConfigError("ev.setting_window", where=where, window=error.args[0]) from None


def ev_departure(item: tuple[object, str] | None) -> str:
    if item is None:
        return "07:00"
    value = str(item[0]).strip()
    try:
        parse_window(f"{value}-{value}")
    except ValueError:
        raise ConfigError("ev.setting_departure", where=item[1]) from None
    return value


def mode_of(
    settings: EvSettings, zone: ZoneInfo, mode: str | None = None
) -> Callable[[datetime], Mode]:
    """The mode to control by at any moment: `mode` (else the configured one) as settings give it;
    the cheapest mode uses the windows until the next departure (the cost ledger replaces them
    with the cheapest priced slots)."""
    chosen = mode or settings.mode
    departure = time.fromisoformat(settings.departure)

    def at(now: datetime) -> Mode:
        if chosen == "surplus":
            return Surplus(settings.surplus_import_w)
        if chosen == "fixed":
            return Fixed(settings.fixed_a)
        if chosen == "cheapest":
            leave = next_departure(departure, now, zone)
            return Cheapest(window_slots(settings.windows, now, leave, zone), leave)
        return Guard()

    return at


EV: Section[EvSettings] = Section(
    "ev", EV_KEYS, lambda raw, before: ev_settings(raw), tables=frozenset({"chargers"})
)
