"""The layers of hanport: which package may import which (docs/architecture.md draws them).

Lower layers never import higher ones: the codec nothing but the model, the field table and the
errors; the store and the sources nothing of the runtime; the runtime none of the parts it runs;
only `plugins` and `cli` see everything. A new import across packages must be added here, on
purpose, with the diagram.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "hanport"

CORE = frozenset({"model", "fields", "errors", "i18n", "backoff", "output", "hanport"})
"""The shared vocabulary every layer may use (hanport/__init__ re-exports the codec's API)."""

ALLOWED: dict[str, frozenset[str]] = {
    "codec": frozenset({"model", "fields", "errors"}),
    "grid": CORE,
    "sim": CORE | {"codec"},
    "sources": CORE | {"codec", "sim"},
    "settings": CORE | {"codec", "grid", "sources"},
    "store": CORE | {"codec"},
    "runtime": CORE | {"codec", "grid", "settings", "sources", "store"},
    "mqtt": CORE | {"grid", "runtime", "settings", "sources", "store"},
    "costs": CORE | {"grid", "mqtt", "runtime", "settings", "store"},
    "web": CORE
    | {"alerts", "costs", "ev", "grid", "quality", "runtime", "settings", "sources", "store"},
    "quality": CORE | {"grid", "runtime", "settings", "sim", "store"},
    "ev": CORE | {"costs", "grid", "mqtt", "runtime", "settings", "store"},
    "alerts": CORE | {"ev", "grid", "mqtt", "quality", "runtime", "settings", "sources", "store"},
    "backup": CORE | {"runtime", "settings", "store"},
    "service": CORE | {"settings"},
    "upstream": CORE | {"mqtt", "runtime", "settings", "store"},
    "server": CORE | {"runtime", "settings", "store", "upstream"},
}
TOP = frozenset({"plugins", "cli", "__main__"})
"""They may import everything: the one place that lists the parts, and the command line."""


def _imports(path: Path) -> set[str]:
    """The hanport packages `path` imports (first part after `hanport.`)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names: list[str] = []
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "hanport":  # a module of hanport's, or a name its root exports
                names = [f"hanport.{_module_or_root(alias.name)}" for alias in node.names]
            elif node.module.startswith("hanport."):
                names = [node.module]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names if alias.name.startswith("hanport.")]
        found |= {name.split(".")[1] for name in names}
    return found


def _module_or_root(name: str) -> str:
    exists = (PACKAGE / name).is_dir() or (PACKAGE / f"{name}.py").is_file()
    return name if exists else "hanport"


def _package_of(path: Path) -> str:
    relative = path.relative_to(PACKAGE)
    return relative.parts[0] if len(relative.parts) > 1 else relative.stem


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_import_runs_up_a_layer(path: Path) -> None:
    package = _package_of(path)
    if package in TOP or package in CORE or package == "__init__":
        return
    assert package in ALLOWED, f"{package} is a new package: give it its place in ALLOWED"
    wrong = _imports(path) - ALLOWED[package] - {package}
    assert not wrong, f"{path.relative_to(PACKAGE)} imports {sorted(wrong)} across the layers"


def test_the_core_imports_only_the_core() -> None:
    for path in _modules():
        if _package_of(path) in CORE - {"hanport"}:
            assert _imports(path) <= CORE | {"codec"}, path


def test_the_codec_is_the_model_the_fields_and_the_errors_only() -> None:
    codec = [p for p in _modules() if _package_of(p) == "codec"]
    assert len(codec) > 10
    for path in codec:
        assert _imports(path) <= {"model", "fields", "errors", "codec"}, path


def test_the_rule_catches_an_upward_import(tmp_path: Path) -> None:
    upward = tmp_path / "x.py"
    upward.write_text("from hanport.runtime.hub import Hub\nimport hanport.web.app\n")
    assert _imports(upward) == {"runtime", "web"}
    assert not _imports(upward) <= ALLOWED["store"]
