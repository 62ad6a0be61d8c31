"""The lines `hanport import dso` prints: the hours where hanport and the DSO differ."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from zoneinfo import ZoneInfo

from hanport.costs.reconcile import HourDifference
from hanport.i18n import text

__all__ = ["reconcile_lines"]


def reconcile_lines(
    differences: Sequence[HourDifference], zone: ZoneInfo, language: str, every: bool = False
) -> list[str]:
    both = [hour for hour in differences if hour.import_diff_wh is not None]
    if not both:
        return [text("costs.cli_reconcile_none", language)]
    differ = [hour for hour in both if hour.import_diff_wh or hour.export_diff_wh]
    shown = both if every else differ
    lines = []
    if shown:
        lines.append(text("costs.cli_reconcile_head", language))
        lines += [_row(hour, zone) for hour in shown]
    total_import = sum((hour.import_diff_wh or Decimal(0) for hour in both), Decimal(0))
    total_export = sum((hour.export_diff_wh or Decimal(0) for hour in both), Decimal(0))
    lines.append(
        text(
            "costs.cli_reconcile_summary",
            language,
            compared=len(both),
            differ=len(differ),
            import_wh=_signed(total_import),
            export_wh=_signed(total_export),
        )
    )
    return lines


def _row(hour: HourDifference, zone: ZoneInfo) -> str:
    local = hour.start.astimezone(zone).strftime("%Y-%m-%d %H:%M")
    export = "" if hour.export_diff_wh is None else _signed(hour.export_diff_wh)
    return (
        f"{local}  {_wh(hour.han_import_wh):>9} {_wh(hour.dso_import_wh):>9} "
        f"{_signed(hour.import_diff_wh or Decimal(0)):>8} {export:>8}"
        + ("  *" if hour.estimated else "")
    )


def _wh(value: Decimal | None) -> str:
    return "" if value is None else f"{value.normalize():f}"


def _signed(value: Decimal) -> str:
    text_value = f"{value.normalize():f}"
    return text_value if value < 0 else f"+{text_value}"
