"""What each charging session cost: the energy its charger reports, priced as it is delivered.
Pure: the caller gives the session energy and the price at the moment (c/kWh).

A session's energy that falls (a new session) starts a new sum. Energy delivered while no price
was known (or before hanport first saw the session) leaves the cost unknown (None) for the rest
of the session: a sum that looks exact but is not would mislead.
"""

from __future__ import annotations

from decimal import Decimal

__all__ = ["SessionCosts"]

_KWH = Decimal(1000)
_CENTS = Decimal(100)


class SessionCosts:
    def __init__(self) -> None:
        self._last_wh: dict[str, Decimal] = {}
        self._eur: dict[str, Decimal | None] = {}

    def update(
        self, charger_id: str, session_wh: Decimal | None, price_c_kwh: Decimal | None
    ) -> None:
        """The charger's session energy now, and the price now."""
        if session_wh is None:
            return
        last = self._last_wh.get(charger_id)
        self._last_wh[charger_id] = session_wh
        if last is None or session_wh < last:  # the first look, or a new session
            known = price_c_kwh is not None and (last is not None or session_wh == 0)
            self._eur[charger_id] = Decimal(0) if known else None
            last = Decimal(0)
        cost = self._eur.get(charger_id)
        delta_wh = session_wh - last
        if delta_wh <= 0 or cost is None:
            return
        if price_c_kwh is None:
            self._eur[charger_id] = None
            return
        self._eur[charger_id] = cost + delta_wh / _KWH * price_c_kwh / _CENTS

    def eur(self, charger_id: str) -> Decimal | None:
        """The session's cost so far (None: no prices, or not for all of it)."""
        return self._eur.get(charger_id)
