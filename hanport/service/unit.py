"""The systemd unit of `hanport run`: a dedicated system user, the serial port's group, and every
sandboxing option that `hanport run` tolerates.

What the sandbox leaves `hanport run`:

* its state folder /var/lib/hanport (StateDirectory, the working directory, read-write),
* the settings in /etc/hanport (read-only, like the rest of the file system),
* serial ports (DeviceAllow for the ttyUSB, ttyACM, ttyS and ttyAMA device groups, through the
  serial port's group, `dialout` on Debian and Raspberry Pi OS),
* IPv4, IPv6 and Unix sockets (the app, MQTT, TCP dongles). AF_NETLINK is not needed: glibc's
  getaddrinfo treats a refused netlink socket as "both address families present".

MemoryDenyWriteExecute suits CPython (no JIT) and the `cryptography` wheels (Rust, no cffi
callbacks); tests/test_service.py runs the decryption path under the same rule (PR_SET_MDWE).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["SERIAL_DEVICE_GROUPS", "ServiceOptions", "unit_text"]

SERIAL_DEVICE_GROUPS = ("ttyUSB", "ttyACM", "ttyS", "ttyAMA")
"""Kernel device groups (/proc/devices) of USB-serial adapters, CDC-ACM and on-board UARTs."""


@dataclass(frozen=True)
class ServiceOptions:
    command: tuple[str, ...]
    """The installed `hanport` command: its absolute path, or a Python and `-m hanport`."""
    config: str = "/etc/hanport/hanport.toml"
    user: str = "hanport"
    serial_group: str = "dialout"
    state_dir: str = "hanport"
    """Under /var/lib; the working directory, where the database and the backups live."""
    restart_s: int = 10
    protect_home: str = "yes"
    """"read-only" when hanport itself is installed under /home or /root."""


def unit_text(options: ServiceOptions) -> str:
    """The whole unit file, ending in a newline."""
    state = f"/var/lib/{options.state_dir}"
    devices = "\n".join(f"DeviceAllow=char-{group} rw" for group in SERIAL_DEVICE_GROUPS)
    return f"""\
# hanport: reads the electricity meter's HAN/P1 port, keeps every reading, serves the app.
# Written by `hanport service install`; `hanport service uninstall` removes it.
[Unit]
Description=hanport electricity meter reader (HAN/P1 port)
Documentation=https://github.com/hanport/hanport/blob/main/docs/install.md
After=network-online.target
Wants=network-online.target

[Service]
Type=exec
User={options.user}
Group={options.user}
SupplementaryGroups={options.serial_group}
ExecStart={" ".join(map(_quoted, options.command))} run --config {_quoted(options.config)}
WorkingDirectory={state}
StateDirectory={options.state_dir}
StateDirectoryMode=0700
Environment=PYTHONUNBUFFERED=1
Restart=on-failure
RestartSec={options.restart_s}
TimeoutStopSec=30
StandardOutput=journal
StandardError=journal
SyslogIdentifier=hanport

# Sandbox: hanport needs its state folder, the serial ports and the network, nothing else.
UMask=0077
NoNewPrivileges=yes
CapabilityBoundingSet=
AmbientCapabilities=
ProtectSystem=strict
ReadWritePaths={state}
ProtectHome={options.protect_home}
PrivateTmp=yes
DevicePolicy=closed
{devices}
ProtectKernelTunables=yes
ProtectKernelModules=yes
ProtectKernelLogs=yes
ProtectControlGroups=yes
ProtectClock=yes
ProtectHostname=yes
ProtectProc=invisible
RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6
RestrictNamespaces=yes
RestrictRealtime=yes
RestrictSUIDSGID=yes
LockPersonality=yes
MemoryDenyWriteExecute=yes
RemoveIPC=yes
SystemCallArchitectures=native
SystemCallFilter=@system-service
SystemCallFilter=~@privileged @resources
SystemCallErrorNumber=EPERM

[Install]
WantedBy=multi-user.target
"""


def _quoted(path: str) -> str:
    """A path as systemd reads it in ExecStart: quoted when it holds a space."""
    return f'"{path}"' if any(c.isspace() for c in path) else path
