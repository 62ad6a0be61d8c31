"""The udev rule that gives a plugged-in USB P1/HAN cable the stable name /dev/hanport.

USB-serial chips in the P1 cables sold for smart meters (vendor:product as the chips report
them; the same ids are in Linux's ftdi_sio, cp210x, pl2303 and ch341 drivers):

    FTDI FT232R (0403:6001), FT230X/FT231X (0403:6015): most P1 cables, inverted in the chip
    Silicon Labs CP210x (10c4:ea60)
    Prolific PL2303 (067b:2303), PL2303GC/GS/GT (067b:23a3)
    WCH CH340/CH341 (1a86:7523)

With one such adapter plugged in, /dev/hanport points at it; with two, the last one plugged in
wins, so name the cable by serial number instead (docs/hardware.md shows how).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["CABLES", "Cable", "udev_text"]


@dataclass(frozen=True)
class Cable:
    vendor: str
    product: str
    chip: str


CABLES = (
    Cable("0403", "6001", "FTDI FT232R"),
    Cable("0403", "6015", "FTDI FT230X/FT231X"),
    Cable("10c4", "ea60", "Silicon Labs CP210x"),
    Cable("067b", "2303", "Prolific PL2303"),
    Cable("067b", "23a3", "Prolific PL2303GC/GS/GT"),
    Cable("1a86", "7523", "WCH CH340/CH341"),
)


def udev_text(group: str = "dialout", name: str = "hanport") -> str:
    """The rules file, ending in a newline."""
    lines = [
        f"# hanport: USB P1/HAN cables get the stable name /dev/{name} (group {group}).",
        "# Written by `hanport service install`; `hanport service uninstall` removes it.",
    ]
    for cable in CABLES:
        lines.append(f"# {cable.chip}")
        lines.append(
            f'SUBSYSTEM=="tty", ATTRS{{idVendor}}=="{cable.vendor}", '
            f'ATTRS{{idProduct}}=="{cable.product}", '
            f'SYMLINK+="{name}", GROUP="{group}", MODE="0660"'
        )
    return "\n".join(lines) + "\n"
