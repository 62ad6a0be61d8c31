"""The app's texts (hanport/web/static/js/texts.js), read by Node.js as the browser reads them:
the same keys in English and Estonian, the same {placeholders} in each pair, "näit" for a meter
reading; and index.html preloads every module the first page needs."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

STATIC = Path(__file__).parents[2] / "hanport" / "web" / "static"
_IMPORT = re.compile(r'^import\s[^;]*?from\s+"\./([\w-]+\.js)";', re.MULTILINE)


@pytest.fixture(scope="module")
def node() -> str:
    found = shutil.which("node")
    if found is None:  # the suite installs what it needs (we are root)
        subprocess.run(["apt-get", "install", "-y", "-q", "nodejs"], check=True)
        found = shutil.which("node")
    assert found is not None
    return found


@pytest.fixture(scope="module")
def module(node: str) -> dict[str, object]:
    """What texts.js exports, as Node.js imports it (it is data only: no browser needed)."""
    script = (
        f"const m = await import({json.dumps((STATIC / 'js' / 'texts.js').as_uri())});"
        "process.stdout.write(JSON.stringify({names: Object.keys(m), texts: m.TEXTS}));"
    )
    done = subprocess.run(
        [node, "--input-type=module", "-e", script],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    found: dict[str, object] = json.loads(done.stdout)
    return found


def _texts(module: dict[str, object]) -> dict[str, dict[str, str]]:
    texts = module["texts"]
    assert isinstance(texts, dict)
    return texts


def test_texts_js_is_data_only(module: dict[str, object]) -> None:
    assert module["names"] == ["TEXTS"]
    source = (STATIC / "js" / "texts.js").read_text("utf-8")
    for code in ("import ", "function", "=>"):
        assert code not in source


def test_english_and_estonian_have_the_same_keys_and_placeholders(
    module: dict[str, object],
) -> None:
    texts = _texts(module)
    assert set(texts) == {"en", "et"}
    english, estonian = texts["en"], texts["et"]
    assert len(english) > 150
    assert set(english) == set(estonian)
    for key, text in english.items():
        assert set(re.findall(r"{(\w+)}", text)) == set(re.findall(r"{(\w+)}", estonian[key])), key
        assert text.strip(), key
        assert estonian[key].strip(), key


def test_the_estonian_says_nait(module: dict[str, object]) -> None:
    estonian = _texts(module)["et"]
    assert not any(re.search(r"\blugem", text.lower()) for text in estonian.values())
    assert "näit" in estonian["last_reading"]
    assert estonian["live"] == "Reaalajas"


def _imports(name: str) -> set[str]:
    return set(_IMPORT.findall((STATIC / "js" / name).read_text("utf-8")))


def test_the_first_page_needs_no_module_that_is_not_preloaded() -> None:
    """app.js and what it imports at once (not the views it imports on demand) are all in
    index.html's modulepreload list, so that the browser fetches them in parallel."""
    needed: set[str] = set()
    todo = ["app.js"]
    while todo:
        name = todo.pop()
        for imported in _imports(name) - needed:
            needed.add(imported)
            todo.append(imported)
    page = (STATIC / "index.html").read_text("utf-8")
    preloaded = set(re.findall(r'<link rel="modulepreload" href="/static/js/([\w-]+\.js)">', page))
    assert "texts.js" in needed
    assert needed <= preloaded
    shell = (STATIC / "sw.js").read_text("utf-8")
    assert all(f'"/static/js/{name}"' in shell for name in needed | {"app.js"})
