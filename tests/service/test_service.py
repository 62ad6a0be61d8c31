"""`hanport service`: the unit passes systemd-analyze verify, the udev rule reads as udev(7)
says, dry runs print exactly what would be written, a real install into a temporary root writes
the files with their modes, and `hanport run` works under MemoryDenyWriteExecute."""

from __future__ import annotations

import argparse
import shutil
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from udev_rules import RuleError, parse_rules

from hanport.cli.service import add_service_commands
from hanport.plugins import load_settings
from hanport.service import (
    CABLES,
    InstallError,
    ServiceOptions,
    install,
    installer,
    udev_text,
    uninstall,
)
from hanport.service.example_config import example_config
from hanport.service.unit import unit_text

COMMAND = (sys.executable, "-m", "hanport")


def _systemd_analyze() -> str:
    found = shutil.which("systemd-analyze")
    if found is None:
        subprocess.run(["apt-get", "install", "-y", "systemd"], check=True)
        found = shutil.which("systemd-analyze")
    assert found is not None, "apt-get installed no systemd-analyze"
    return found


def _verify(unit: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [_systemd_analyze(), "verify", str(unit)], capture_output=True, text=True, check=False
    )


def test_unit_passes_systemd_analyze_verify(tmp_path: Path) -> None:
    unit = tmp_path / "hanport.service"
    unit.write_text(unit_text(ServiceOptions(command=COMMAND)))
    checked = _verify(unit)
    assert checked.returncode == 0, checked.stderr
    assert checked.stderr == "", checked.stderr  # verify only warns: any line is a mistake
    broken = tmp_path / "broken.service"
    broken.write_text(unit.read_text().replace("RestartSec=10", "RestartSec=ten"))
    assert "RestartSec" in _verify(broken).stderr or "sec value" in _verify(broken).stderr


def test_unit_runs_hanport_as_its_own_user_in_a_sandbox() -> None:
    text = unit_text(ServiceOptions(command=("/usr/local/bin/hanport",), serial_group="uucp"))
    lines = set(text.splitlines())
    expected = {
        "User=hanport",
        "SupplementaryGroups=uucp",
        "ExecStart=/usr/local/bin/hanport run --config /etc/hanport/hanport.toml",
        "WorkingDirectory=/var/lib/hanport",
        "StateDirectory=hanport",
        "ReadWritePaths=/var/lib/hanport",
        "Restart=on-failure",
        "RestartSec=10",
        "StandardOutput=journal",
        "ProtectSystem=strict",
        "ProtectHome=yes",
        "PrivateTmp=yes",
        "NoNewPrivileges=yes",
        "ProtectKernelTunables=yes",
        "ProtectKernelModules=yes",
        "ProtectKernelLogs=yes",
        "ProtectControlGroups=yes",
        "RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6",
        "RestrictNamespaces=yes",
        "LockPersonality=yes",
        "MemoryDenyWriteExecute=yes",
        "SystemCallFilter=@system-service",
        "CapabilityBoundingSet=",
        "UMask=0077",
        "DevicePolicy=closed",
        "DeviceAllow=char-ttyUSB rw",
        "DeviceAllow=char-ttyACM rw",
    }
    assert expected <= lines, expected - lines
    spaced = unit_text(ServiceOptions(command=("/opt/my apps/hanport",), config="/etc/h p.toml"))
    assert 'ExecStart="/opt/my apps/hanport" run --config "/etc/h p.toml"' in spaced


def test_udev_rule_names_every_known_cable() -> None:
    rules = parse_rules(udev_text())
    assert len(rules) == len(CABLES) == 6
    seen = set()
    for rule, cable in zip(rules, CABLES, strict=True):
        pairs = {(p.key, p.attr): (p.op, p.value) for p in rule}
        assert pairs[("SUBSYSTEM", None)] == ("==", "tty")
        assert pairs[("ATTRS", "idVendor")] == ("==", cable.vendor)
        assert pairs[("ATTRS", "idProduct")] == ("==", cable.product)
        assert pairs[("SYMLINK", None)] == ("+=", "hanport")
        assert pairs[("GROUP", None)] == ("=", "dialout")
        assert pairs[("MODE", None)] == ("=", "0660")
        seen.add(f"{cable.vendor}:{cable.product}")
    assert seen == {"0403:6001", "0403:6015", "10c4:ea60", "067b:2303", "067b:23a3", "1a86:7523"}
    for cable in CABLES:  # sysfs spells ids in lower-case hex; upper case would never match
        assert cable.vendor == cable.vendor.lower()
        assert cable.product == cable.product.lower()
        assert len(cable.vendor) == len(cable.product) == 4


@pytest.mark.parametrize(
    "line",
    [
        'SUBSYSTEM=="tty", ATTRS{idVendor}=="0403" SYMLINK+="hanport"',  # missing comma
        'SUBSYSTEM=="tty", GROUP=="dialout"',  # GROUP cannot be matched
        'SUBSYSTEM="tty", SYMLINK+="hanport"',  # SUBSYSTEM cannot be assigned
        'SUBSYSTEM=="tty", ATTRS=="0403"',  # ATTRS needs {attribute}
        'SUBSYSTEM=="tty", MODE="rw"',  # MODE is octal
        'SUBSYSTEM=="tty", SYMLNK+="hanport"',  # not a key
        'SUBSYSTEM=="tty", SYMLINK+="/dev/hanport"',
        'SYMLINK+="hanport"',  # no match: every device
        'SUBSYSTEM=="tty", SYMLINK+="hanport',  # unclosed quote
    ],
)
def test_udev_reader_refuses_broken_rules(line: str) -> None:
    with pytest.raises(RuleError):
        parse_rules(line + "\n")


def test_dry_run_prints_exactly_what_would_be_written(tmp_path: Path) -> None:
    said: list[str] = []
    install(True, root=tmp_path, command=COMMAND, out=said.append)
    output = "\n".join(said) + "\n"
    unit = unit_text(ServiceOptions(command=COMMAND))
    assert f"Would write /etc/systemd/system/hanport.service (mode 0644):\n{unit}" in output
    assert f"Would write /etc/udev/rules.d/99-hanport.rules (mode 0644):\n{udev_text()}" in output
    assert example_config() in output
    assert "Would run: systemctl daemon-reload" in said
    assert "Would run: udevadm control --reload" in said
    assert any(line.startswith("Would run: useradd --system") for line in said)
    assert list(tmp_path.iterdir()) == []  # nothing written

    said.clear()
    uninstall(True, root=tmp_path, out=said.append)
    assert "/etc/systemd/system/hanport.service is not there." in said
    assert "Would run: systemctl disable --now hanport.service" in said


def test_install_into_a_temporary_root_writes_the_files_with_their_modes(tmp_path: Path) -> None:
    said: list[str] = []
    install(False, root=tmp_path, command=COMMAND, out=said.append)
    unit = tmp_path / "etc/systemd/system/hanport.service"
    rule = tmp_path / "etc/udev/rules.d/99-hanport.rules"
    config = tmp_path / "etc/hanport/hanport.toml"
    assert unit.read_text() == unit_text(ServiceOptions(command=COMMAND))
    assert rule.read_text() == udev_text()
    assert config.read_text() == example_config()
    assert stat.S_IMODE(unit.stat().st_mode) == 0o644
    assert stat.S_IMODE(rule.stat().st_mode) == 0o644
    assert stat.S_IMODE(config.stat().st_mode) == 0o640  # may hold keys and passwords
    assert f"Skip (not the live system under {tmp_path}): systemctl daemon-reload" in said
    assert said[-1].startswith("Installed. Edit /etc/hanport/hanport.toml")
    settings = load_settings(config, environ={})  # the example is valid as written
    assert settings.source == "/dev/hanport"
    assert settings.database == "/var/lib/hanport/hanport.db"

    config.write_text(config.read_text().replace("Europe/Tallinn", "Europe/Riga"))
    said.clear()
    install(False, root=tmp_path, command=COMMAND, out=said.append)
    assert "Keep /etc/hanport/hanport.toml as it is." in said
    assert "Europe/Riga" in config.read_text()

    said.clear()
    uninstall(False, root=tmp_path, out=said.append)
    assert not unit.exists()
    assert not rule.exists()
    assert config.exists()  # the settings, the readings and the user stay
    assert "Remove /etc/systemd/system/hanport.service." in said
    assert said[-1].startswith("Uninstalled. Kept: the settings in /etc/hanport/hanport.toml")


def test_install_in_estonian(tmp_path: Path) -> None:
    said: list[str] = []
    install(False, root=tmp_path, command=COMMAND, language="et", out=said.append)
    assert "Kirjutan faili /etc/systemd/system/hanport.service (õigused 0644)." in said
    assert said[-1].startswith("Paigaldatud. Muuda faili /etc/hanport/hanport.toml")


def test_live_install_needs_root_and_systemd(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr("os.geteuid", lambda: 1000)
    with pytest.raises(InstallError, match="needs root: run it with sudo"):
        install(False, command=("/usr/bin/env",))
    with pytest.raises(InstallError, match="needs root"):
        uninstall(False)
    monkeypatch.setattr("os.geteuid", lambda: 0)
    monkeypatch.setattr(installer, "SYSTEMD_RUNTIME", tmp_path / "absent")
    with pytest.raises(InstallError, match="does not run systemd"):
        install(False, command=("/usr/bin/env",))


def test_live_install_refuses_a_hanport_the_service_user_cannot_reach(tmp_path: Path) -> None:
    private = tmp_path / "private"
    private.mkdir(mode=0o700)
    script = private / "hanport"
    script.write_text("#!/usr/bin/python3\n")
    script.chmod(0o755)
    private.chmod(0o700)
    with pytest.raises(InstallError, match=f"runs from {script}, which the service's user"):
        install(True, command=(str(script),), out=lambda _: None)
    venv = tmp_path / "venv-hanport"
    venv.write_text(f"#!{private / 'python'}\n")  # a venv whose python is a link into a home
    needed = [path for path, _ in installer._needed_files(venv)]
    assert needed[:2] == [venv, (private / "python").resolve()]
    assert needed[2].name == "__init__.py"  # and the hanport package itself


def test_find_command_prefers_the_running_script(tmp_path: Path) -> None:
    script = tmp_path / "hanport"
    script.write_text("#!/bin/sh\n")
    assert installer.find_command(str(script)) == (str(script),)
    found = installer.find_command(str(tmp_path / "pytest"))
    assert found[0].startswith("/")
    assert found[-1].endswith("hanport")  # the `hanport` on PATH, or python -m hanport


def test_service_command_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    parser = argparse.ArgumentParser(prog="hanport")
    add_service_commands(parser.add_subparsers(required=True))
    monkeypatch.setattr(installer, "find_command", lambda: ("/usr/bin/env",))
    args = parser.parse_args(["service", "install", "--dry-run", "--group", "uucp"])
    assert args.handler(args, "en") == 0
    printed = capsys.readouterr().out
    assert "SupplementaryGroups=uucp" in printed
    assert 'GROUP="uucp"' in printed
    args = parser.parse_args(["service", "uninstall", "--dry-run", "--user", "meter"])
    assert args.handler(args, "en") == 0
    monkeypatch.setattr("os.geteuid", lambda: 1000)
    args = parser.parse_args(["service", "install"])
    assert args.handler(args, "en") == 2
    assert "needs root" in capsys.readouterr().err


_UNDER_MDWE = textwrap.dedent(
    """
    import ctypes, mmap, runpy, sys
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(65, 1, 0, 0, 0) != 0:  # PR_SET_MDWE, PR_MDWE_REFUSE_EXEC_GAIN
        sys.exit(f"prctl(PR_SET_MDWE) failed: errno {ctypes.get_errno()}")
    try:
        mmap.mmap(-1, 4096, prot=mmap.PROT_READ | mmap.PROT_WRITE | mmap.PROT_EXEC)
        sys.exit("a writable and executable mapping was allowed")
    except OSError:
        pass
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM
    aead = AESGCM(bytes(16))
    assert aead.decrypt(bytes(12), aead.encrypt(bytes(12), b"E360", b""), b"") == b"E360"
    sys.argv = ["hanport", *sys.argv[1:]]
    runpy.run_module("hanport", run_name="__main__")
    """
)


def test_hanport_run_tolerates_memory_deny_write_execute(tmp_path: Path) -> None:
    """MemoryDenyWriteExecute=yes in the unit: the same rule (PR_SET_MDWE, Linux 6.3) applied to
    `hanport run` with the app, SQLite and AES-GCM."""
    done = subprocess.run(
        [sys.executable, "-c", _UNDER_MDWE, "run", "--count", "3", "--interval", "0.05"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={
            "PATH": "/usr/bin:/bin",
            "HANPORT_DATABASE": str(tmp_path / "m.db"),
            "HANPORT_WEB_PORT": "0",
        },
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("import") == 3, done.stdout
    assert "http://127.0.0.1:" in done.stdout + done.stderr
