"""The public API: `hanport.__all__` and every module's `__all__` name exactly what exists."""

from __future__ import annotations
import __future__

import importlib
import inspect
import pkgutil
import tomllib
import types
from importlib import metadata
from pathlib import Path

import pytest

import hanport
from hanport.errors import (
    ChecksumError,
    DecodeError,
    DecryptionError,
    FrameError,
    HanError,
    UnknownLayoutError,
)
from hanport.fields import FIELD_BY_NAME, FIELD_BY_OBIS, FIELDS
from hanport.model import READING_FIELDS

MODULES = sorted(
    name
    for _, name, _ in pkgutil.walk_packages(hanport.__path__, "hanport.")
    if not name.endswith("__main__")
)


def _public_names(module: types.ModuleType) -> set[str]:
    return {
        name
        for name, value in vars(module).items()
        if not name.startswith("_")
        and not isinstance(value, types.ModuleType | __future__._Feature)
    }


def test_package_all_is_exactly_its_public_names() -> None:
    assert len(hanport.__all__) == len(set(hanport.__all__))
    assert set(hanport.__all__) == _public_names(hanport) | {"__version__"}


def test_package_names_are_the_codec_objects() -> None:
    from hanport.codec import decoder

    assert hanport.Decoder is decoder.Decoder
    assert hanport.decode is decoder.decode
    assert hanport.DecoderStats is decoder.DecoderStats
    assert hanport.DEFAULT_ZONE == "Europe/Tallinn"
    assert hanport.FIELDS is FIELDS


def test_version_matches_the_project() -> None:
    pyproject = Path(hanport.__file__).parent.parent / "pyproject.toml"
    if pyproject.exists():  # a source checkout
        with pyproject.open("rb") as handle:
            expected = tomllib.load(handle)["project"]["version"]
    else:  # an installed wheel
        expected = metadata.version("hanport")
    assert hanport.__version__ == expected


@pytest.mark.parametrize("name", MODULES)
def test_module_all_names_exist(name: str) -> None:
    module = importlib.import_module(name)
    exported = getattr(module, "__all__", None)
    if exported is None and hasattr(module, "__path__") and not _public_names(module):
        return  # a namespace-only package (hanport.codec) exports nothing itself
    assert exported is not None, f"{name} has no __all__"
    assert len(exported) == len(set(exported))
    missing = [item for item in exported if not hasattr(module, item)]
    assert missing == []


@pytest.mark.parametrize("name", MODULES)
def test_module_all_lists_its_public_classes_and_functions(name: str) -> None:
    module = importlib.import_module(name)
    defined = {
        item
        for item, value in vars(module).items()
        if not item.startswith("_")
        and (inspect.isclass(value) or inspect.isfunction(value))
        and value.__module__ == name
    }
    assert defined - set(getattr(module, "__all__", ())) == set()


def test_error_hierarchy() -> None:
    assert issubclass(ChecksumError, FrameError)
    assert issubclass(FrameError, HanError)
    assert issubclass(UnknownLayoutError, DecodeError)
    assert issubclass(DecodeError, HanError)
    assert issubclass(DecryptionError, HanError)
    assert not issubclass(DecryptionError, DecodeError)
    error = ChecksumError("decoder.part_p1", 0x1234, 0xABCD)
    assert (error.expected, error.computed) == (0x1234, 0xABCD)
    assert "1234" in str(error)
    assert "ABCD" in str(error)


def test_every_reading_field_has_a_field_entry() -> None:
    assert set(FIELD_BY_NAME) == set(READING_FIELDS) - {"extra"}
    assert [f.name for f in FIELDS] == [n for n in READING_FIELDS if n != "extra"]
    for field in FIELDS:
        for code in field.obis:
            assert FIELD_BY_OBIS[code] is field
        assert field.label("en")
        assert field.label("et")
