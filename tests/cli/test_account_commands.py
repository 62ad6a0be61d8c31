"""`hanport user …` and `hanport token …`: names checked before passwords, lists that say what
they hold (or that they hold nothing), every sentence in English and Estonian."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from hanport.cli.main import main

Capture = pytest.CaptureFixture[str]
PASSWORD = "correct horse battery"


@pytest.fixture
def database(tmp_path: Path) -> list[str]:
    return ["--database", str(tmp_path / "accounts.db")]


def hanport(
    capsys: Capture, monkeypatch: pytest.MonkeyPatch, *argv: str, stdin: str = ""
) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_empty_lists_say_so(
    database: list[str], capsys: Capture, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert hanport(capsys, monkeypatch, "--lang", "en", "user", "list", *database) == (
        0,
        "No accounts yet; create the first with: hanport user add NAME\n",
        "",
    )
    assert hanport(capsys, monkeypatch, "--lang", "en", "token", "list", *database) == (
        0,
        "No API tokens yet; create one with: hanport token create NAME --user USER\n",
        "",
    )
    code, out, _ = hanport(capsys, monkeypatch, "--lang", "et", "user", "list", *database)
    assert (code, out) == (0, "Kontosid veel pole; loo esimene käsuga: hanport user add NIMI\n")
    code, out, _ = hanport(capsys, monkeypatch, "--lang", "et", "token", "list", *database)
    assert out.startswith("API-võtmeid veel pole")


def test_lists_have_a_header(
    database: list[str], capsys: Capture, monkeypatch: pytest.MonkeyPatch
) -> None:
    add = ["user", "add", "ann", "--password-stdin", *database]
    assert hanport(capsys, monkeypatch, "--lang", "en", *add, stdin=PASSWORD)[0] == 0
    add = ["user", "add", "bob", "--role", "viewer", "--password-stdin", *database]
    assert hanport(capsys, monkeypatch, "--lang", "en", *add, stdin=PASSWORD)[0] == 0
    code, out, _ = hanport(capsys, monkeypatch, "--lang", "en", "user", "list", *database)
    assert out.splitlines() == ["USER  ROLE", "ann   admin", "bob   viewer"]
    create = ["token", "create", "Home Assistant", "--user", "ann", *database]
    code, out, _ = hanport(capsys, monkeypatch, "--lang", "en", *create)
    assert code == 0
    assert out.startswith("Created API token 1 (Home Assistant); it is shown only now:\n")
    code, out, _ = hanport(capsys, monkeypatch, "--lang", "et", "token", "list", *database)
    header, row = out.splitlines()
    assert header.split() == ["NUMBER", "KASUTAJA", "NIMI", "LOODUD", "VIIMATI", "KASUTATUD"]
    assert row.startswith("1       ann       Home Assistant  20")
    assert row.endswith("mitte kunagi")


def test_a_user_that_does_not_exist_is_said_before_a_password_is_asked(
    database: list[str], capsys: Capture, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, err = hanport(
        capsys, monkeypatch, "--lang", "en", "user", "password", "nobody", *database
    )
    assert (code, out) == (2, "")
    assert err == "hanport: There is no user 'nobody'; 'hanport user list' shows the accounts.\n"
    code, _, err = hanport(
        capsys, monkeypatch, "--lang", "et", "user", "remove", "nobody", *database
    )
    assert code == 2
    assert err == "hanport: Kasutajat 'nobody' pole; 'hanport user list' näitab kontosid.\n"
    create = ["token", "create", "HA", "--user", "nobody", *database]
    assert "There is no user 'nobody'" in hanport(capsys, monkeypatch, "--lang", "en", *create)[2]


def test_an_existing_user_is_said_before_a_password_is_asked(
    database: list[str], capsys: Capture, monkeypatch: pytest.MonkeyPatch
) -> None:
    add = ["user", "add", "ann", "--password-stdin", *database]
    assert hanport(capsys, monkeypatch, *add, stdin=PASSWORD)[0] == 0
    code, _, err = hanport(capsys, monkeypatch, "--lang", "en", *add, stdin="")
    assert code == 2
    assert err.startswith("hanport: There is already a user 'ann'; 'hanport user password ann'")


def test_the_accounts_own_rules_are_in_estonian_too(
    database: list[str], capsys: Capture, monkeypatch: pytest.MonkeyPatch
) -> None:
    add = ["user", "add", "ann", "--password-stdin", *database]
    code, _, err = hanport(capsys, monkeypatch, "--lang", "en", *add, stdin="short")
    assert (code, err) == (2, "hanport: A password needs at least 10 characters.\n")
    code, _, err = hanport(capsys, monkeypatch, "--lang", "et", *add, stdin="short")
    assert (code, err) == (2, "hanport: Parool peab olema vähemalt 10 märki pikk.\n")
    code, out, _ = hanport(capsys, monkeypatch, "--lang", "et", *add, stdin=PASSWORD)
    assert out == "Konto ann (admin) on loodud.\n"
