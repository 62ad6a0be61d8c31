"""Build hook: the app's chart library (uPlot) goes into every wheel and sdist.

hanport/web/static/vendor/ is never committed; it is fetched from the npm registry, pinned and
integrity-checked by web/package-lock.json, at build time (as scripts/_web_assets.sh does for a
checkout). A build from a fresh clone therefore needs npm once; the sdist carries the files, so
a wheel built from the sdist, and any install of the wheel, needs no npm.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

VENDOR = Path("hanport/web/static/vendor")
FILES = {
    "uPlot.iife.min.js": "node_modules/uplot/dist/uPlot.iife.min.js",
    "uPlot.min.css": "node_modules/uplot/dist/uPlot.min.css",
    "LICENSE": "node_modules/uplot/LICENSE",
}


class WebAssetsHook(BuildHookInterface):  # type: ignore[misc]  # hatchling has no stubs
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        root = Path(self.root)
        vendor = root / VENDOR
        lock = root / "web" / "package-lock.json"
        if all((vendor / name).is_file() for name in FILES):
            return
        if not lock.is_file():
            raise RuntimeError(
                f"The app's chart library is missing from {VENDOR} and there is no "
                "web/package-lock.json to fetch it with; build from a git clone or an sdist."
            )
        npm = shutil.which("npm")
        if npm is None:
            raise RuntimeError(
                "Building hanport needs npm once, to fetch the app's chart library (uPlot, "
                "pinned in web/package-lock.json); install Node.js (apt-get install npm) and "
                "build again."
            )
        self.app.display_info("Fetching the app's chart library (uPlot) with npm ci ...")
        subprocess.run(
            [npm, "ci", "--prefix", str(root / "web"), "--ignore-scripts", "--no-audit",
             "--no-fund", "--loglevel=error"],
            check=True,
        )  # fmt: skip
        vendor.mkdir(parents=True, exist_ok=True)
        for name, source in FILES.items():
            shutil.copyfile(root / "web" / source, vendor / name)
