"""The `hanport` command: one module per group of commands, on top of every other package.

`main.py` builds the parser and runs a handler; handlers turn settings into the objects of the
lower layers (sources, store, runtime, subsystems) and print in the chosen language.
"""

from __future__ import annotations

from hanport.cli.main import main

__all__ = ["main"]
