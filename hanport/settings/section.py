"""A settings section: the `[name]` table a part of hanport reads, and how it turns into values.

Each subsystem folder declares its own `Section` beside its settings dataclass; the loader reads
whichever sections it is given (`hanport.plugins` lists them), so adding a subsystem never means
editing the loader. A section's environment variables are `HANPORT_<NAME>_<KEY>` unless it names
its own (the `[meter]` keys keep their short `HANPORT_SOURCE`, `HANPORT_KEY`, …).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from hanport.settings.values import Raw

__all__ = ["Section"]

T = TypeVar("T")


@dataclass(frozen=True, eq=False)
class Section(Generic[T]):
    """`[name]` with `keys`; `parse(raw, before)` makes its value from what was given.

    `before` holds the values of the sections parsed earlier (the loader parses them in the
    order given, `[meter]` and `[site]` first), for sections that depend on them: the tariff
    needs the main fuse. `tables` are keys whose value is an array of tables
    (`[[ev.chargers]]`); they come only from the file.
    """

    name: str
    keys: tuple[str, ...]
    parse: Callable[[Raw, Mapping[str, object]], T]
    environment: Mapping[str, str] = field(default_factory=dict)
    """Key → environment variable, where it is not HANPORT_<NAME>_<KEY>."""
    flags: Mapping[str, str] = field(default_factory=dict)
    """Key → the command-line flag that sets it, where it is not --<key>."""
    tables: frozenset[str] = frozenset()

    def variable(self, key: str) -> str:
        return self.environment.get(key) or f"HANPORT_{self.name}_{key}".upper()

    def flag(self, key: str) -> str:
        return self.flags.get(key) or f"--{key.replace('_', '-')}"
