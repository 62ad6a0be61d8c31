"""Where the public meter captures are: `../shared/samples` beside the repository, or the
folder `HANPORT_SAMPLES` names.

They are not in the repository (they come from other projects' test data). A test that needs
them takes the `samples_root` fixture (or calls `samples_root_or_skip()`): outside CI a missing
folder skips it with the reason; under CI (`CI` set, as CI sets it) it fails the run.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

__all__ = ["SAMPLES_ENV", "running_in_ci", "samples_dir", "samples_root_or_skip"]

SAMPLES_ENV = "HANPORT_SAMPLES"
_DEFAULT = Path(__file__).resolve().parents[1].parent / "shared" / "samples"


def samples_dir() -> Path:
    configured = os.environ.get(SAMPLES_ENV)
    return Path(configured).expanduser() if configured else _DEFAULT


def running_in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def samples_root_or_skip() -> Path:
    root = samples_dir()
    if not root.is_dir():
        message = (
            f"sample folder {root} not found; set {SAMPLES_ENV} to the folder that holds "
            "SOURCES.md and the captures"
        )
        if running_in_ci():
            pytest.fail(f"{message} (CI is set, so missing samples are an error)", pytrace=False)
        pytest.skip(message)
    return root
