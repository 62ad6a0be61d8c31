"""Running hanport for years as a system service: the systemd unit, the udev rule for USB
P1/HAN cables, and `hanport service install|uninstall`.

    unit_text(...)    the unit file, hardened (see `unit`)
    udev_text(...)    the rule that names a plugged-in P1 cable /dev/hanport (see `udev`)
    install(...)      writes both, the user and an example settings file (see `installer`)
    uninstall(...)    removes the unit and the rule; the data and the settings stay
"""

from __future__ import annotations

from hanport.service.installer import InstallError, Step, install, uninstall
from hanport.service.udev import CABLES, Cable, udev_text
from hanport.service.unit import ServiceOptions, unit_text

__all__ = [
    "CABLES",
    "Cable",
    "InstallError",
    "ServiceOptions",
    "Step",
    "install",
    "udev_text",
    "uninstall",
    "unit_text",
]
