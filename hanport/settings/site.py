"""The `[site]` section: how the household is connected (used by the app, EV control, costs).

    [site]
    fuse_a = 25          # HANPORT_SITE_FUSE_A: the main fuse per phase, amperes
    phases = 3           # HANPORT_SITE_PHASES: 1 or 3
    nominal_v = 230      # HANPORT_SITE_NOMINAL_V: the nominal phase voltage
    warn_percent = 80    # HANPORT_SITE_WARN_PERCENT: a phase is "near the fuse" from this share

`[web] fuse_a`, where the fuse was set before, still works and says once that it moved here.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from hanport.grid.site import Site
from hanport.settings.section import Section
from hanport.settings.values import Raw, SettingError, whole

__all__ = ["SITE", "SITE_KEYS", "site_settings"]

SITE_KEYS = ("fuse_a", "phases", "nominal_v", "warn_percent")


def site_settings(raw: Raw, before: Mapping[str, object] | None = None) -> Site:
    phases = whole(raw.get("phases"), 3, 1, 3, "settings.what.phases")
    if phases == 2:
        where = raw["phases"][1]
        raise SettingError("site.phases", where=where)
    return Site(
        fuse_a=Decimal(whole(raw.get("fuse_a"), 25, 6, 400, "settings.what.fuse")),
        phases=phases,
        nominal_v=Decimal(whole(raw.get("nominal_v"), 230, 100, 400, "settings.what.nominal_v")),
        warn_fraction=Decimal(
            whole(raw.get("warn_percent"), 80, 50, 100, "settings.what.warn_percent")
        )
        / 100,
    )


SITE: Section[Site] = Section("site", SITE_KEYS, site_settings)
