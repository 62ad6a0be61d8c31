"""A strict reader of udev rules files, after udev(7), for the tests: Debian 12's udevadm has no
`verify` command (systemd 255 added it).

Each rule is one line (a backslash joins lines) of comma-separated `KEY[{attr}] OP "value"`
pairs; `#` starts a comment line. Match operators are == and !=; assignments =, +=, -=, :=.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Pair", "RuleError", "parse_rules"]

_MATCH_ONLY = {
    "ACTION", "DEVPATH", "KERNEL", "KERNELS", "SUBSYSTEM", "SUBSYSTEMS", "DRIVER", "DRIVERS",
    "ATTRS", "TAGS", "CONST", "TEST", "RESULT",
}  # fmt: skip
_ASSIGN_ONLY = {"OWNER", "GROUP", "MODE", "SECLABEL", "RUN", "LABEL", "GOTO", "IMPORT", "OPTIONS"}
_EITHER = {"NAME", "SYMLINK", "ATTR", "SYSCTL", "ENV", "TAG", "PROGRAM"}
_WITH_ATTRIBUTE = {"ATTR", "ATTRS", "SYSCTL", "ENV", "CONST", "TEST", "SECLABEL", "RUN", "IMPORT"}
_PAIR = re.compile(
    r'(?P<key>[A-Z]+)(?:\{(?P<attr>[^{}"\s]+)\})?(?P<op>==|!=|\+=|-=|:=|=)"(?P<value>(?:[^"\\]|\\.)*)"'
)


class RuleError(ValueError):
    pass


@dataclass(frozen=True)
class Pair:
    key: str
    attr: str | None
    op: str
    value: str


def parse_rules(text: str) -> list[list[Pair]]:
    """Every rule of the file; raises RuleError naming the line of the first mistake."""
    rules: list[list[Pair]] = []
    for number, line in _logical_lines(text):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        rules.append(_rule(stripped, number))
    return rules


def _logical_lines(text: str) -> list[tuple[int, str]]:
    joined: list[tuple[int, str]] = []
    pending = ""
    start = 0
    for number, line in enumerate(text.split("\n"), 1):
        if not pending:
            start = number
        if line.endswith("\\"):
            pending += line[:-1]
            continue
        joined.append((start, pending + line))
        pending = ""
    if pending:
        raise RuleError(f"line {start}: the file ends inside a continued line")
    return joined


def _rule(line: str, number: int) -> list[Pair]:
    pairs: list[Pair] = []
    rest = line
    while rest:
        found = _PAIR.match(rest)
        if found is None:
            raise RuleError(f"line {number}: cannot read {rest!r}")
        pair = Pair(found["key"], found["attr"], found["op"], found["value"])
        _check(pair, number)
        pairs.append(pair)
        rest = rest[found.end() :]
        separator = re.match(r"\s*,\s*|\s*$", rest)
        if separator is None or (separator.group() == "" and rest):
            raise RuleError(f"line {number}: expected a comma before {rest!r}")
        rest = rest[separator.end() :]
    if not any(p.op in ("==", "!=") for p in pairs):
        raise RuleError(f"line {number}: a rule without a match applies to every device")
    return pairs


def _check(pair: Pair, number: int) -> None:
    where = f"line {number}: {pair.key}"
    if pair.key not in _MATCH_ONLY | _ASSIGN_ONLY | _EITHER:
        raise RuleError(f"{where} is not a udev key")
    matching = pair.op in ("==", "!=")
    if matching and pair.key in _ASSIGN_ONLY:
        raise RuleError(f"{where} can only be assigned, not matched with {pair.op}")
    if not matching and pair.key in _MATCH_ONLY:
        raise RuleError(f"{where} can only be matched, not assigned with {pair.op}")
    if (pair.attr is not None) != (pair.key in _WITH_ATTRIBUTE):
        raise RuleError(f"{where} {'needs' if pair.attr is None else 'takes no'} {{attribute}}")
    if pair.key == "MODE" and not re.fullmatch(r"0?[0-7]{3}", pair.value):
        raise RuleError(f"{where} must be octal, like 0660")
    if pair.key == "SYMLINK" and not matching and pair.value.startswith("/"):
        raise RuleError(f"{where} names a link under /dev, without /dev/")
