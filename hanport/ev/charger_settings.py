"""One `[[ev.chargers]]` table (see `hanport.ev.settings`), and the checks both share."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from hanport.ev.model import ChargerSpec
from hanport.i18n.catalogue import Message
from hanport.settings.values import ConfigError, Raw

__all__ = ["CHARGER_KEYS", "KINDS", "ChargerSettings", "amps", "charger_tables", "choice"]

CHARGER_KEYS = (
    "id",
    "kind",
    "password",
    "max_a",
    "min_a",
    "phases",
    "wiring",
    "switch_phases",
    "priority",
    "address",
    "topic",
    "profiles",
)
KINDS = ("ocpp", "go-e", "mqtt")


@dataclass(frozen=True)
class ChargerSettings:
    id: str
    kind: str = "ocpp"
    password: str | None = None
    max_a: Decimal = Decimal(16)
    min_a: Decimal = Decimal(6)
    wiring: tuple[int, ...] = (1, 2, 3)
    switch_phases: bool = False
    priority: int = 0
    address: str | None = None
    topic: str | None = None
    profiles: str = "station_max"

    def __repr__(self) -> str:  # never print the password
        return f"ChargerSettings({self.id!r}, {self.kind})"

    def spec(self, index: int = 0) -> ChargerSpec:
        step = Decimal(1) if self.kind == "go-e" else Decimal("0.1")
        return ChargerSpec(
            self.id,
            max_a=self.max_a,
            min_a=self.min_a,
            wiring=self.wiring,
            can_switch_phases=self.switch_phases,
            step_a=step,
            priority=self.priority * 1000 + index,
        )


def amps(
    item: tuple[object, str] | None, default: Decimal, low: Decimal, high: Decimal, what: str
) -> Decimal:
    if item is None:
        return default
    value, where = item
    try:
        result = Decimal(str(value).strip())
    except InvalidOperation:
        result = low - 1
    if isinstance(value, bool) or not result.is_finite() or not low <= result <= high:
        raise ConfigError("ev.setting_number", what=Message(what), where=where, low=low, high=high)
    return result


def choice(
    item: tuple[object, str] | None, default: str, choices: tuple[str, ...], what: str
) -> str:
    if item is None:
        return default
    value = str(item[0]).strip().lower()
    if value not in choices:
        raise ConfigError(
            "ev.setting_choice",
            what=Message(what),
            where=item[1],
            choices=", ".join(choices),
            value=item[0],
        )
    return value


def charger_tables(
    item: tuple[object, str] | None, min_a: Decimal, max_a: Decimal
) -> tuple[ChargerSettings, ...]:
    if item is None:
        return ()
    value, where = item
    if not isinstance(value, list) or not all(isinstance(t, dict) for t in value):
        raise ConfigError("ev.setting_chargers", where=where)
    chargers = tuple(
        _charger(table, Message("ev.where_charger", number=n), min_a, max_a)
        for n, table in enumerate(value, start=1)
    )
    seen: set[str] = set()
    for charger in chargers:
        if charger.id in seen:
            raise ConfigError("ev.setting_same_id", id=charger.id)
        seen.add(charger.id)
    return chargers


def _charger(
    table: Mapping[str, object], where: Message, min_a: Decimal, max_a: Decimal
) -> ChargerSettings:
    unknown = sorted(set(table) - set(CHARGER_KEYS))
    if unknown:
        raise ConfigError(
            "ev.setting_unknown", name=unknown[0], where=where, known=", ".join(CHARGER_KEYS)
        )
    raw: Raw = {
        name: (v, Message("ev.where_in", name=name, where=where)) for name, v in table.items()
    }
    charger_id = str(table.get("id", "")).strip()
    if not charger_id or len(charger_id) > 48 or any(c in charger_id for c in "/?#% "):
        raise ConfigError("ev.setting_id", where=where)
    kind = choice(raw.get("kind"), "ocpp", KINDS, "ev.what.kind")
    low = amps(raw.get("min_a"), min_a, Decimal(6), Decimal(32), "ev.what.min")
    high = amps(raw.get("max_a"), max_a, low, Decimal(80), "ev.what.max")
    wiring = _wiring(raw.get("wiring"), raw.get("phases"), where)
    address = str(table["address"]).strip() if table.get("address") else None
    if kind == "go-e" and not address:
        raise ConfigError("ev.setting_goe_address", where=where)
    password = str(table["password"]) if table.get("password") else None
    if password is not None and kind != "ocpp":
        raise ConfigError("ev.setting_password", where=where)
    return ChargerSettings(
        id=charger_id,
        kind=kind,
        password=password,
        max_a=high,
        min_a=low,
        wiring=wiring,
        switch_phases=_flag(raw.get("switch_phases"), where) and len(wiring) == 3,
        priority=int(
            amps(raw.get("priority"), Decimal(0), Decimal(0), Decimal(99), "ev.what.priority")
        ),
        address=address,
        topic=str(table["topic"]).strip("/ ") if table.get("topic") else None,
        profiles=choice(
            raw.get("profiles"), "station_max", ("station_max", "tx"), "ev.what.profiles"
        ),
    )


def _wiring(
    wiring: tuple[object, str] | None, phases: tuple[object, str] | None, where: Message
) -> tuple[int, ...]:
    count = 3 if phases is None else str(phases[0]).strip()
    if count not in (3, "3", "1"):
        raise ConfigError("ev.setting_phases", where=where)
    wanted = int(count)
    if wiring is None:
        return (1, 2, 3)[:wanted]
    names = str(wiring[0]).replace(",", " ").upper().split()
    valid = all(n in ("L1", "L2", "L3") for n in names) and len(set(names)) == len(names)
    if not valid or len(names) != wanted:
        example = "L1 L2 L3" if wanted == 3 else "L2"
        code = "ev.setting_wiring" if wanted == 3 else "ev.setting_wiring_one"
        raise ConfigError(code, where=where, wanted=wanted, example=example)
    return tuple(int(n[1]) for n in names)


def _flag(item: tuple[object, str] | None, where: Message) -> bool:
    if item is None:
        return False
    if isinstance(item[0], bool):
        return item[0]
    raise ConfigError("ev.setting_switch_phases", where=where)
