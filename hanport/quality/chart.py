"""A week's 10-minute means per phase against the EN 50160 bands, as a vector drawing.

Phase colours follow the European wiring colours: L1 brown, L2 black, L3 grey. Only complete
windows are drawn; a missing or incomplete window breaks the line.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from decimal import Decimal

from reportlab.graphics.shapes import Drawing, Line, PolyLine, Rect, String
from reportlab.lib import colors

from hanport.i18n import text
from hanport.i18n.formats import rounded
from hanport.quality.weeks import WeekFigures
from hanport.quality.windows import WINDOW, Method, Window

__all__ = ["BAND_COLOUR", "PHASE_COLOURS", "WIDE_COLOUR", "week_chart"]

PHASE_COLOURS = (colors.HexColor("#8c4a0c"), colors.HexColor("#000000"), colors.HexColor("#8a8a8a"))
BAND_COLOUR = colors.HexColor("#d9f0d3")
WIDE_COLOUR = colors.HexColor("#fde9b8")
OUTSIDE_COLOUR = colors.HexColor("#f9d3d0")
FONT = "HanportSans"


def week_chart(
    week: WeekFigures,
    windows: Sequence[Window],
    method: Method,
    language: str,
    width: float = 482.0,
    height: float = 190.0,
) -> Drawing:
    settings = method.settings
    left, bottom, right, top = 34.0, 26.0, 8.0, 8.0
    plot_w, plot_h = width - left - right, height - bottom - top
    means = [p.mean_v for w in windows if w.complete for p in w.phases if p.mean_v is not None]
    low = min([float(settings.wide_low_v) - 10, *(float(m) - 3 for m in means)])
    high = max([float(settings.band_high_v) + 10, *(float(m) + 3 for m in means)])
    low, high = 5 * (low // 5), 5 * -(-high // 5)
    span_s = (week.end - week.start).total_seconds()

    def y(volts: float) -> float:
        return bottom + (min(max(volts, low), high) - low) / (high - low) * plot_h

    def x(moment: datetime) -> float:
        return left + (moment - week.start).total_seconds() / span_s * plot_w

    drawing = Drawing(width, height)
    bands = (
        (low, float(settings.wide_low_v), OUTSIDE_COLOUR),
        (float(settings.wide_low_v), float(settings.band_low_v), WIDE_COLOUR),
        (float(settings.band_low_v), float(settings.band_high_v), BAND_COLOUR),
        (float(settings.band_high_v), high, OUTSIDE_COLOUR),
    )
    for bottom_v, top_v, colour in bands:
        drawing.add(
            Rect(
                left,
                y(bottom_v),
                plot_w,
                y(top_v) - y(bottom_v),
                fillColor=colour,
                strokeColor=None,
            )
        )
    _axes(drawing, week, method, language, (low, high), x, y, (left, bottom, plot_w))
    for index, colour in enumerate(PHASE_COLOURS[: method.phases]):
        for run in _runs(windows, index):
            points = [c for w, mean in run for c in (x(w.start + WINDOW / 2), y(float(mean)))]
            if len(points) == 2:
                points += [points[0] + 0.6, points[1]]
            drawing.add(PolyLine(points, strokeColor=colour, strokeWidth=0.7))
    for index, colour in enumerate(PHASE_COLOURS[: method.phases]):
        base = left + plot_w - 120 + 42 * index
        drawing.add(
            Line(base, height - 4, base + 14, height - 4, strokeColor=colour, strokeWidth=1.5)
        )
        drawing.add(String(base + 17, height - 7, f"L{index + 1}", fontName=FONT, fontSize=7))
    return drawing


def _axes(
    drawing: Drawing,
    week: WeekFigures,
    method: Method,
    language: str,
    scale: tuple[float, float],
    to_x: Callable[[datetime], float],
    to_y: Callable[[float], float],
    frame: tuple[float, float, float],
) -> None:
    settings = method.settings
    low, high = scale
    left, bottom, plot_w = frame
    volts = low
    while volts <= high:
        drawing.add(
            Line(
                left,
                to_y(volts),
                left + plot_w,
                to_y(volts),
                strokeColor=colors.HexColor("#bbbbbb"),
                strokeWidth=0.25,
            )
        )
        drawing.add(
            String(
                left - 3,
                to_y(volts) - 2.5,
                f"{volts:.0f}",
                fontName=FONT,
                fontSize=6.5,
                textAnchor="end",
            )
        )
        volts += 10
    for limit in (settings.wide_low_v, settings.band_low_v, settings.band_high_v):
        drawing.add(
            Line(
                left,
                to_y(float(limit)),
                left + plot_w,
                to_y(float(limit)),
                strokeColor=colors.HexColor("#5a7d52"),
                strokeWidth=0.4,
                strokeDashArray=[2, 2],
            )
        )
        drawing.add(
            String(
                left + plot_w - 2,
                to_y(float(limit)) + 1.5,
                f"{rounded(limit, 1, language)} V",
                fontName=FONT,
                fontSize=6,
                textAnchor="end",
                fillColor=colors.HexColor("#3c5a36"),
            )
        )
    local = week.start.astimezone(method.zone)
    for day in range(8):
        moment = (local + timedelta(days=day)).replace(hour=0)
        at = to_x(moment)
        drawing.add(Line(at, bottom, at, bottom - 3, strokeColor=colors.black, strokeWidth=0.4))
        if day < 7:
            label = (
                f"{text(f'quality.day_{moment.weekday()}', language)} {moment.day}.{moment.month}."
            )
            drawing.add(
                String(
                    at + plot_w / 14,
                    bottom - 11,
                    label,
                    fontName=FONT,
                    fontSize=7,
                    textAnchor="middle",
                )
            )
    drawing.add(
        Line(left, bottom, left + plot_w, bottom, strokeColor=colors.black, strokeWidth=0.5)
    )
    drawing.add(String(4, bottom + 40, "V", fontName=FONT, fontSize=7))


def _runs(windows: Sequence[Window], index: int) -> list[list[tuple[Window, Decimal]]]:
    runs: list[list[tuple[Window, Decimal]]] = []
    previous: Window | None = None
    for window in windows:
        phase = window.phases[index]
        if not phase.complete or phase.mean_v is None:
            previous = None
            continue
        if previous is None or previous.end != window.start:
            runs.append([])
        runs[-1].append((window, phase.mean_v))
        previous = window
    return runs
