"""The cost ledger on a meter-year: 35,040 quarter-hours priced, summed by day and month.

    python benchmarks/bench_costs.py [--repeat 5]

Issue-11 targets: a meter-year's 15-minute ledger recomputed in under 2 s; the month rows of
a year (what `GET /api/v1/costs?step=1mo` over a year returns) in under 100 ms. The year is
2026 on Võrk 5 (the package with the most windows), spot + margin, with a simulated
household's energy and a day-ahead price curve with negative midday prices in summer; the
inputs are built first, untimed. Best of --repeat runs, one process.
"""

from __future__ import annotations

import argparse
import os
import random
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from hanport.costs.aggregate import cost_rows
from hanport.costs.boundary import quarter_energies
from hanport.costs.energy import SlotEnergy
from hanport.costs.ledger import SlotCost, slot_ledger
from hanport.costs.settings import tariff_settings
from hanport.costs.tariff import Tariff, build_tariff
from hanport.settings.values import Raw

TALLINN = ZoneInfo("Europe/Tallinn")
START = datetime(2026, 1, 1, tzinfo=TALLINN).astimezone(UTC)
END = datetime(2027, 1, 1, tzinfo=TALLINN).astimezone(UTC)
QUARTER = timedelta(minutes=15)


def year() -> tuple[list[SlotEnergy], dict[datetime, Decimal]]:
    rng = random.Random(11)
    energies: list[SlotEnergy] = []
    prices: dict[datetime, Decimal] = {}
    moment = START
    while moment < END:
        local = moment.astimezone(TALLINN)
        evening = 17 <= local.hour < 22
        winter = local.month in (11, 12, 1, 2, 3)
        base_wh = 120 + (180 if evening else 0) + (150 if winter else 0)
        solar_wh = 300 if local.month in (5, 6, 7, 8) and 10 <= local.hour < 16 else 0
        imported = max(0, base_wh + rng.randint(-60, 60) - solar_wh)
        exported = max(0, solar_wh - base_wh) if solar_wh else 0
        energies.append(SlotEnergy(moment, imported, exported))
        price = 60 + 50 * evening + 30 * winter - (70 if solar_wh else 0) + rng.randint(-20, 20)
        prices[moment] = Decimal(price) + Decimal(rng.randint(0, 99)) / 100
        moment += QUARTER
    return energies, prices


def best(repeat: int, work: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    energies, prices = year()
    settings: Raw = {"network": ("elektrilevi-vork5", "bench"), "seller_margin_c_kwh": ("0.5", "b")}

    def fresh() -> Tariff:  # a new tariff each run: nothing is cached between runs
        return build_tariff(tariff_settings(settings))

    def ledger(billing: str) -> list[SlotCost]:
        return slot_ledger(energies, prices, fresh(), billing)  # type: ignore[arg-type]

    costs = ledger("15m")
    months = cost_rows(costs, "1mo", fresh())
    total = sum((row.total_eur or Decimal(0) for row in months), Decimal(0))
    timings = {
        "ledger, 15-minute billing": best(args.repeat, lambda: ledger("15m")),
        "ledger, hourly billing": best(args.repeat, lambda: ledger("1h")),
        "ledger + day rows + month rows": best(
            args.repeat,
            lambda: (cost_rows(c := ledger("1h"), "1d", fresh()), cost_rows(c, "1mo", fresh())),
        ),
        "month rows of the year (from the ledger)": best(
            args.repeat, lambda: cost_rows(costs, "1mo", fresh())
        ),
    }
    readings = [
        (START + timedelta(seconds=10 * i), 10**6 + 3 * i + i % 7, 5000 + i // 5)
        for i in range(8640 * 30)
    ]
    boundary_s = best(args.repeat, lambda: list(quarter_energies(readings)))
    timings["slot energies of 30 days of 10-s readings"] = boundary_s
    load = os.getloadavg()
    print(
        f"{len(energies):,} slots (2026, Võrk 5, spot + margin); the year's bills "
        f"{total} EUR; load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} "
        f"on {os.cpu_count()} CPUs; best of {args.repeat}"
    )
    for name, seconds in timings.items():
        print(f"  {name:<42} {seconds * 1000:8.1f} ms")
    print(f"  (the boundary rule reads {len(readings) / boundary_s:,.0f} readings/s)")
    print("  targets: a meter-year's ledger < 2000 ms; month rows of a year < 100 ms")
    print("  peers: none measured. No library installed for the benchmarks (dsmr-parser,")
    print("  amshan) prices energy, and the tools that do (amsreader-firmware's")
    print("  EnergyAccounting, C++ on an ESP32; orinocoz/energymeter, JavaScript) do not run")
    print("  in this Python process, so no ratio would compare like with like.")


if __name__ == "__main__":
    main()
