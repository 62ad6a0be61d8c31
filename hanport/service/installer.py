"""`hanport service install|uninstall`: the files, the user and the reloads, each said in one line.

Everything is written under `root` (default "/"). Installing into another folder writes the same
files with the same modes and skips the commands (useradd, systemctl, udevadm), which would act
on the running system; that is how the tests install for real.
"""

from __future__ import annotations

import grp
import os
import pwd
import shlex
import shutil
import stat
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from hanport.errors import HanError
from hanport.i18n import text
from hanport.i18n.catalogue import Message
from hanport.service.example_config import example_config
from hanport.service.udev import udev_text
from hanport.service.unit import ServiceOptions, unit_text

__all__ = [
    "RULE_PATH",
    "UNIT_PATH",
    "CommandFailed",
    "InstallError",
    "Step",
    "find_command",
    "install",
    "uninstall",
]

UNIT_PATH = "/etc/systemd/system/hanport.service"
RULE_PATH = "/etc/udev/rules.d/99-hanport.rules"
DEFAULT_CONFIG = "/etc/hanport/hanport.toml"
_STATE = "/var/lib/hanport"
_HOMES = ("/home", "/root")
SYSTEMD_RUNTIME = Path("/run/systemd/system")
"""Present while systemd is the init system (sd_booted(3))."""

Runner = Callable[[Sequence[str]], None]
"""Runs one command; raises CommandFailed with what went wrong."""
Say = Callable[[str], None]


class InstallError(HanError):
    """The service cannot be installed or removed here; the message says why and what to do."""


class CommandFailed(Exception):
    """A command exited with an error; `detail` is its last line of output (or its status)."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


@dataclass(frozen=True)
class Step:
    """One thing install or uninstall does: write a file, run a command, or remove a file."""

    kind: str
    """"write", "config", "run" or "remove"."""
    path: str = ""
    content: str = ""
    mode: int = 0o644
    command: tuple[str, ...] = ()
    required: bool = True
    """A failed command stops the rest; one not required is said and passed over."""


def install(
    dry_run: bool,
    *,
    root: str | Path = "/",
    command: Sequence[str] | None = None,
    user: str = "hanport",
    group: str = "dialout",
    config: str = DEFAULT_CONFIG,
    language: str = "en",
    out: Say = print,
    runner: Runner | None = None,
) -> list[Step]:
    """Write the unit, the udev rule and (if missing) the settings; create the user; reload.

    Returns the steps, done or (with `dry_run`) only said. Raises InstallError before changing
    anything when this cannot work: not root, no systemd, no such serial group, or a hanport the
    service's user cannot reach.
    """
    base = Path(root)
    live = base.resolve() == Path("/")
    found = tuple(command) if command else find_command()
    options = ServiceOptions(command=found, config=config, user=user, serial_group=group)
    if live:
        options = _checked(options, dry_run, language, out)
    steps = _install_steps(options, base, live)
    _perform(steps, base, live, dry_run, language, out, runner or _run, owner_group=user)
    if not dry_run:
        out(text("service.installed", language, config=config))
    return steps


def uninstall(
    dry_run: bool,
    *,
    root: str | Path = "/",
    user: str = "hanport",
    config: str = DEFAULT_CONFIG,
    language: str = "en",
    out: Say = print,
    runner: Runner | None = None,
) -> list[Step]:
    """Stop and disable the service, remove the unit and the rule, reload. The settings, the
    readings, the backups and the user stay."""
    base = Path(root)
    live = base.resolve() == Path("/")
    if live and not dry_run:
        _require_root_and_systemd()
    steps = [
        Step("run", command=("systemctl", "disable", "--now", "hanport.service"), required=False),
        Step("remove", path=UNIT_PATH),
        Step("remove", path=RULE_PATH),
        Step("run", command=("systemctl", "daemon-reload")),
        Step("run", command=("udevadm", "control", "--reload"), required=False),
    ]
    _perform(steps, base, live, dry_run, language, out, runner or _run, owner_group=user)
    if not dry_run:
        out(text("service.uninstalled", language, config=config, state=_STATE, user=user))
    return steps


def find_command(argv0: str | None = None) -> tuple[str, ...]:
    """The installed `hanport` command as an absolute path: the one running (sys.argv[0]) if it
    is the `hanport` script, else the one on PATH, else this Python with `-m hanport`."""
    started = Path(argv0 if argv0 is not None else sys.argv[0])
    if started.name == "hanport" and started.is_file():
        return (str(started.resolve()),)
    on_path = shutil.which("hanport")
    if on_path:
        return (str(Path(on_path).resolve()),)
    return (str(Path(sys.executable).resolve()), "-m", "hanport")


def _checked(options: ServiceOptions, dry_run: bool, language: str, out: Say) -> ServiceOptions:
    """Refuse what cannot work on this machine; loosen ProtectHome when hanport lives there."""
    if not dry_run:
        _require_root_and_systemd()
        try:
            grp.getgrnam(options.serial_group)
        except KeyError:
            raise InstallError("service.no_group", group=options.serial_group) from None
    executable = Path(options.command[0])
    for needed, bits in _needed_files(executable):
        if not _reachable_by_others(needed, bits):
            raise InstallError("service.unreachable", path=needed, user=options.user)
    home = next((h for h in _HOMES if executable.is_relative_to(h)), None)
    if home is None:
        return options
    out(text("service.home_read_only", language, home=home))
    return ServiceOptions(
        command=options.command,
        config=options.config,
        user=options.user,
        serial_group=options.serial_group,
        protect_home="read-only",
    )


def _require_root_and_systemd() -> None:
    if os.geteuid() != 0:
        raise InstallError("service.not_root")
    if not SYSTEMD_RUNTIME.is_dir():
        raise InstallError("service.no_systemd")


def _needed_files(executable: Path) -> list[tuple[Path, int]]:
    """What the service's user must be able to open to run `executable`: the file, the
    interpreter its #! line names (a venv's python is often a link into a home folder), and
    this hanport package."""
    import hanport

    needed = [(executable, stat.S_IXOTH)]
    try:
        with executable.open("rb") as handle:
            first = handle.readline(512)
    except OSError:
        first = b""
    if first.startswith(b"#!"):
        words = first[2:].decode(errors="replace").split()
        if words:
            needed[0] = (executable, stat.S_IXOTH | stat.S_IROTH)
            needed.append((Path(words[0]).resolve(), stat.S_IXOTH))
    needed.append((Path(hanport.__file__).resolve(), stat.S_IROTH))
    return needed


def _reachable_by_others(path: Path, bits: int) -> bool:
    """Whether a user without any of the owner's rights has `bits` on `path`, every folder above
    it being searchable by others."""
    try:
        if path.stat().st_mode & bits != bits:
            return False
        return all(folder.stat().st_mode & stat.S_IXOTH for folder in path.parents)
    except OSError:
        return False


def _install_steps(options: ServiceOptions, base: Path, live: bool) -> list[Step]:
    steps: list[Step] = []
    if not live or not _user_exists(options.user):
        useradd = (
            "useradd",
            "--system",
            "--user-group",
            "--home-dir",
            _STATE,
            "--no-create-home",
            "--shell",
            "/usr/sbin/nologin",
            "--comment",
            "hanport meter reader",
            options.user,
        )
        steps.append(Step("run", command=useradd))
    steps += [
        Step("write", path=UNIT_PATH, content=unit_text(options)),
        Step("write", path=RULE_PATH, content=udev_text(options.serial_group)),
    ]
    if not _inside(base, options.config).exists():
        steps.append(Step("config", path=options.config, content=example_config(), mode=0o640))
    else:
        steps.append(Step("config", path=options.config, mode=-1))
    steps += [
        Step("run", command=("systemctl", "daemon-reload")),
        Step("run", command=("udevadm", "control", "--reload"), required=False),
        Step(
            "run",
            command=("udevadm", "trigger", "--action=add", "--subsystem-match=tty"),
            required=False,
        ),
    ]
    return steps


def _user_exists(user: str) -> bool:
    try:
        pwd.getpwnam(user)
    except KeyError:
        return False
    return True


def _perform(
    steps: Sequence[Step],
    base: Path,
    live: bool,
    dry_run: bool,
    language: str,
    out: Say,
    runner: Runner,
    owner_group: str,
) -> None:
    for step in steps:
        if step.kind == "run":
            _command(step, base, live, dry_run, language, out, runner)
        elif step.kind == "remove":
            _remove(_inside(base, step.path), step.path, dry_run, language, out)
        elif step.mode < 0:
            out(text("service.keep_config", language, path=step.path))
        else:
            _file(step, base, live, dry_run, language, out, owner_group)


def _command(
    step: Step, base: Path, live: bool, dry_run: bool, language: str, out: Say, runner: Runner
) -> None:
    shown = shlex.join(step.command)
    if dry_run:
        out(text("service.would_run", language, command=shown))
        return
    if not live:
        out(text("service.skip_run", language, root=base, command=shown))
        return
    out(text("service.run", language, command=shown))
    try:
        runner(step.command)
    except CommandFailed as error:
        if step.required:
            raise InstallError(
                "service.command_failed", command=shown, detail=error.detail
            ) from None
        out(text("service.command_failed_optional", language, command=shown, detail=error.detail))


def _file(
    step: Step, base: Path, live: bool, dry_run: bool, language: str, out: Say, owner_group: str
) -> None:
    mode = f"{step.mode:04o}"
    if dry_run:
        key = "service.would_write" if step.kind == "write" else "service.would_create_config"
        out(text(key, language, path=step.path, mode=mode))
        out(step.content.rstrip("\n"))
        return
    key = "service.write" if step.kind == "write" else "service.create_config"
    out(text(key, language, path=step.path, mode=mode))
    target = _inside(base, step.path)
    try:
        _write_atomically(target, step.content, step.mode)
        if step.kind == "config" and live:
            os.chown(target, 0, grp.getgrnam(owner_group).gr_gid)
    except (OSError, KeyError) as error:
        detail = getattr(error, "strerror", None) or str(error)
        raise InstallError(
            "service.cannot_write", path=step.path, detail=detail, folder=target.parent
        ) from None


def _write_atomically(target: Path, content: str, mode: int) -> None:
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o755)
    temporary = target.with_name(f".{target.name}.new")
    handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    try:
        os.write(handle, content.encode())
        os.fchmod(handle, mode)  # the umask does not narrow it
        os.fsync(handle)
    finally:
        os.close(handle)
    os.replace(temporary, target)


def _remove(target: Path, shown: str, dry_run: bool, language: str, out: Say) -> None:
    if not target.exists():
        out(text("service.absent", language, path=shown))
        return
    if dry_run:
        out(text("service.would_remove", language, path=shown))
        return
    out(text("service.remove", language, path=shown))
    target.unlink()


def _inside(base: Path, path: str) -> Path:
    return base / path.lstrip("/")


def _run(command: Sequence[str]) -> None:
    try:
        done = subprocess.run(list(command), capture_output=True, text=True, check=False)
    except OSError as error:
        raise CommandFailed(error.strerror or str(error)) from None
    if done.returncode != 0:
        lines = (done.stderr or done.stdout).strip().splitlines()
        raise CommandFailed(
            lines[-1] if lines else Message("service.exit_status", status=done.returncode)
        )
