"""No sentence for a person is written in the code: every one is a code of the catalogues.

The source of hanport is read (ast, not run): an error raised with a sentence instead of a code
(`raise ConfigError(f"The port …")`), a code the catalogues do not have, a rendered sentence
passed where a code belongs, an `HTTPException` with a sentence, or a log line that is a
sentence fails here, naming the file and line. There are no exceptions.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from hanport.i18n.catalogue import catalogue

PACKAGE = Path(__file__).parents[1] / "hanport"
CODES = frozenset(catalogue("en"))
CODE = re.compile(r"[a-z][a-z0-9_]*(\.[a-z0-9_]+)+")

CODE_AT: dict[str, int | None] = {
    "ApiError": 1,
    "BadParameter": 1,
    "KeyFormatError": None,  # takes the key's name; its code is fixed
    "Message": 0,
    "FileKey": None,
    "text": 0,
    "plural": 0,
    "plural_code": 0,
    "render": 0,
    "say": 0,
    "_say": 0,
    "described": 0,
    "of": 0,  # Rejected.of
}
"""Callables that take a code, and where (the position of the argument); HanError classes take
it first unless listed."""

WHAT_AT: dict[str, tuple[int, str]] = {
    "whole": (4, ""),
    "number": (4, ""),
    "text_value": (1, ""),
    "existing_file": (1, ""),
    "amps": (4, "ev/"),
    "choice": (3, "ev/"),
}
"""Settings checks whose `what` (a code of `[settings.what]` or `[ev.what]`) is an argument, and
the modules whose functions of that name they are."""
SOURCES: dict[str, tuple[str, ...]] = {
    "Message": ("hanport.i18n.catalogue",),
    "text": ("hanport.i18n",),
    "plural": ("hanport.i18n", "hanport.i18n.catalogue"),
    "plural_code": ("hanport.i18n.catalogue",),
    "render": ("hanport.i18n.catalogue",),
    "say": ("hanport.ev.wording",),
    "described": ("hanport.settings.values",),
}
"""Where each of those callables comes from: a `Message` of hanport.mqtt.payloads is a topic and
a payload, and `error.text("et")` a method taking a language. Modules that define one of them
themselves (`_say`, hanport.i18n's own) count too."""
RENDERS = frozenset({"text", "plural", "render", "say", "_say"})
"""Callables that return a sentence: one passed where a code belongs is a mistake."""

LOGGING = frozenset({"debug", "info", "warning", "error", "exception", "critical", "log"})


@dataclass(frozen=True)
class Finding:
    where: str
    line: int
    problem: str

    def __str__(self) -> str:
        return f"hanport/{self.where}:{self.line}: {self.problem}"


def _modules() -> Iterator[tuple[str, ast.Module]]:
    for path in sorted(PACKAGE.rglob("*.py")):
        yield path.relative_to(PACKAGE).as_posix(), ast.parse(path.read_text("utf-8"))


MODULES = dict(_modules())


def _name(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def _error_classes() -> frozenset[str]:
    """Every class in hanport that derives from HanError (by name, across modules)."""
    bases: dict[str, set[str]] = {}
    for tree in MODULES.values():
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                names = {_name(base) for base in node.bases}
                bases.setdefault(node.name, set()).update(n for n in names if n)
    found = {"HanError"}
    while True:
        more = {name for name, parents in bases.items() if parents & found} - found
        if not more:
            return frozenset(found)
        found |= more


ERRORS = _error_classes()


def _literal(node: ast.expr) -> str | None:
    """The text of a string constant, or the fixed start of an f-string or a concatenation."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        head = node.values[0] if node.values else None
        return head.value if isinstance(head, ast.Constant) and isinstance(head.value, str) else ""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _literal(node.left)
    return None


def _code_problem(node: ast.expr, where: str) -> str | None:
    """Why `node`, given where a code belongs, is not one; None when it is (or may be)."""
    if isinstance(node, ast.Call) and _name(node.func) in RENDERS:
        return "a sentence rendered where its code belongs: pass the code and its parameters"
    text = _literal(node)
    if text is None:
        return None  # a name or an expression: the code is chosen at run time
    if isinstance(node, ast.Constant):
        if text in CODES:
            return None
        if CODE.fullmatch(text):
            return f"the code {text!r} is in no catalogue (hanport/i18n/en.toml, et.toml)"
        return f"a literal sentence {text[:50]!r}: give it a code in the catalogues"
    if CODE.fullmatch(text.rstrip("_.")) or CODE.fullmatch(f"{text}x"):
        if any(code.startswith(text) for code in CODES):
            return None  # a code made at run time (f"quality.kind_{kind}"): its table exists
        return f"no code in the catalogues begins with {text!r}"
    return f"a literal sentence {text[:50]!r}: give it a code in the catalogues"


def _imports(tree: ast.Module) -> dict[str, str]:
    """Local name → the module it was imported from (`from hanport.i18n import text`)."""
    found: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                found[alias.asname or alias.name] = node.module
    return found


def _takes_code(func: ast.expr, where: str, tree: ast.Module, imports: dict[str, str]) -> bool:
    """Whether this call is one of the callables that take a code (and not a namesake)."""
    if isinstance(func, ast.Attribute):
        owner = func.value.id if isinstance(func.value, ast.Name) else None
        return (func.attr, owner) in {("Message", "catalogue"), ("of", "Rejected")}
    if not isinstance(func, ast.Name):
        return False
    origin = imports.get(func.id)
    if origin is not None:
        return origin in SOURCES.get(func.id, ())
    defined = any(
        isinstance(node, ast.FunctionDef | ast.ClassDef) and node.name == func.id
        for node in tree.body
    )
    return defined and (func.id == "_say" or where.startswith("i18n/"))


class _Scan:
    """The findings of one pass over `MODULES`."""

    def __init__(self) -> None:
        self.found: list[Finding] = []

    def run(self) -> list[Finding]:
        for where, tree in MODULES.items():
            imports = _imports(tree)
            for node in ast.walk(tree):
                if isinstance(node, ast.Call) and _name(node.func) is not None:
                    self._call(where, tree, imports, node)
        return self.found

    def _call(self, where: str, tree: ast.Module, imports: dict[str, str], node: ast.Call) -> None:
        name = _name(node.func) or ""
        if name in ERRORS or (name in CODE_AT and _takes_code(node.func, where, tree, imports)):
            position = CODE_AT.get(name, 0)
            if position is not None:
                self._code(where, node, position)
        elif name in WHAT_AT and where.startswith(WHAT_AT[name][1]):
            self._code(where, node, WHAT_AT[name][0])
        elif name == "HTTPException" and len(node.args) > 1:
            text = _literal(node.args[1])
            if text is not None:
                self._sentence(where, node, text, _HTTP)
        elif name in LOGGING and isinstance(node.func, ast.Attribute) and node.args:
            first = node.args[1] if name == "log" and len(node.args) > 1 else node.args[0]
            text = _literal(first)
            if text is not None and re.search(r"[A-Za-z]{2}", text.replace("%s", "")):
                self._sentence(where, node, text, f"a logged sentence {text[:50]!r}: {_LOG}")

    def _code(self, where: str, node: ast.Call, position: int) -> None:
        if position < len(node.args):
            argument = node.args[position]
            problem = _code_problem(argument, where)
            if problem is not None:
                self._sentence(where, node, _literal(argument), problem)

    def _sentence(self, where: str, node: ast.Call, text: str | None, problem: str) -> None:
        self.found.append(Finding(where, node.lineno, problem))


_HTTP = "an HTTPException with a sentence: raise ApiError(status, code, **params)"
_LOG = 'log "%s" with text(code, language, …)'


def _findings() -> list[Finding]:
    return _Scan().run()


FINDINGS = _findings()


def test_the_scan_finds_the_error_classes() -> None:
    assert {
        "ConfigError",
        "SourceError",
        "AccountError",
        "CostSettingError",
        "ChannelError",
        "MqttProblem",
        "SetupProblem",
        "InstallError",
        "BackupError",
        "EvError",
    } <= ERRORS


def test_every_sentence_is_a_code_of_the_catalogues() -> None:
    assert [str(finding) for finding in FINDINGS] == []


def test_the_bridge_for_old_keys_is_gone() -> None:
    """Every site has its code: no module translates old keys or literal sentences."""
    assert not (PACKAGE / "i18n" / "pending.py").exists()
    assert [where for where, tree in MODULES.items() if "i18n.pending" in ast.dump(tree)] == []


@pytest.mark.parametrize(
    "source",
    [
        'raise ConfigError(f"The port {port} is taken.")',
        'raise SourceError("The cable is out.")',
        'raise UsageError("cli.no_such_code")',
        'raise AccountError(text("accounts.user_taken", "en", name=n))',
        'raise HTTPException(404, "There is nothing here.")',
        'log.info("The meter answers again.")',
        'from hanport.i18n import text\ntext(f"nowhere.{kind}", language)',
        'from hanport.i18n import text\ntext("cli.not_there", language)',
        'from hanport.i18n.catalogue import Message\nMessage("The meter is back.")',
        'Rejected.of("Checksum mismatch", raw)',
        'whole(raw.get("port"), 8080, 0, 65535, "port (0: any free port)")',
    ],
)
def test_the_scan_would_catch_it(source: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(MODULES, "sample.py", ast.parse(source))
    found = _findings()
    assert [f for f in found if f.where == "sample.py"], source


def test_a_code_passes_the_scan(monkeypatch: pytest.MonkeyPatch) -> None:
    sample = (
        "from hanport.i18n import text\n"
        'raise ConfigError("settings.boolean", where=w, value=v)\n'
        'text(f"quality.kind_{k}", language)\n'
        'error.text("et")\n'
    )
    monkeypatch.setitem(MODULES, "sample.py", ast.parse(sample))
    found = _findings()
    assert [f for f in found if f.where == "sample.py"] == []
