"""The layers in front of the app: the Host check (DNS rebinding) and the body limit."""

from __future__ import annotations

import logging
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient
from webapp import PASSWORD, WebApp, make_app

from hanport.plugins import load_settings
from hanport.settings.values import ConfigError
from hanport.web import passwords
from hanport.web.guards import HostCheck, served_names
from hanport.web.settings import WEB, WebSettings


@pytest.fixture
def web(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> WebApp:
    monkeypatch.setattr(passwords, "TEST_SCRYPT_N", 2**10)
    return make_app(tmp_path / "app.db", hours=0.1)


def test_a_rebound_name_cannot_take_the_first_account(web: WebApp) -> None:
    """evil.example resolving to this machine: the browser sends its name as Host and Origin."""
    evil = {"Host": "evil.example:8080", "Origin": "http://evil.example:8080"}
    client = TestClient(web.app)
    body = {"username": "mallory", "password": PASSWORD}
    taken = client.post("/api/v1/setup", json=body, headers=evil)
    assert taken.status_code == 421
    assert taken.json() == {
        "error": "hanport does not answer to the name evil.example; open it by this machine's "
        "address or name, or add the name to hosts under [web] in hanport.toml.",
        "code": "web.wrong_host",
        "params": {"name": "evil.example"},
    }
    assert "set-cookie" not in taken.headers
    assert web.context.accounts.count() == 0
    assert client.get("/api/v1/session", headers=evil).status_code == 421
    assert client.get("/", headers=evil).status_code == 421
    mine = {"Host": "127.0.0.1:8080", "Origin": "http://127.0.0.1:8080"}
    assert client.post("/api/v1/setup", json=body, headers=mine).status_code == 201


@pytest.mark.parametrize(
    "host",
    [
        "localhost:8080",
        "LOCALHOST.",
        "127.0.0.1:8080",
        "[::1]:8080",
        "192.168.1.5:8080",
        "[fe80::1]",
        "10.0.0.7",
        "hanport.local:8443",
        "meter.example.org",
        "example.org",
        f"{socket.gethostname()}:8080",
        f"{socket.gethostname().split('.')[0]}.local",
        f"{socket.gethostname().split('.')[0]}.home.arpa",
        f"{socket.gethostname().split('.')[0]}.lan:8080",
    ],
)
def test_names_the_app_answers_to(host: str) -> None:
    web = WebSettings(hosts=("hanport.local", ".example.org"))
    assert HostCheck(_nothing, served_names(web)).allows(host)


@pytest.mark.parametrize(
    "host",
    [
        "evil.example",
        "evil.example:8080",
        "localhost.evil.example",
        "127.0.0.1.nip.io",
        "x.local",
        f"{socket.gethostname().split('.')[0]}.evil.example",
    ],
)
def test_names_it_refuses(host: str) -> None:
    web = WebSettings(hosts=("hanport.local", ".example.org"))
    assert not HostCheck(_nothing, served_names(web)).allows(host)


async def _nothing(scope: object, receive: object, send: object) -> None:
    raise AssertionError("not reached")


def test_a_request_without_host_is_400(web: WebApp) -> None:
    client = TestClient(web.app)
    answer = client.get("/api/v1/session", headers={"Host": ""})
    assert answer.status_code == 400
    assert answer.json() == {
        "error": "Send a Host header naming the address you opened.",
        "code": "web.no_host",
        "params": {},
    }


def test_a_big_body_is_refused_before_it_is_read(web: WebApp) -> None:
    client = TestClient(web.app)
    name = "a" * 100_000
    answer = client.post("/api/v1/session", json={"username": name, "password": PASSWORD})
    assert answer.status_code == 413
    assert answer.json() == {
        "error": "The request body is over 64 KiB, more than hanport takes.",
        "code": "web.body_too_large",
        "params": {"kib": "64"},
    }
    assert answer.headers["connection"] == "close"
    small = client.post("/api/v1/session", json={"username": "a" * 60_000, "password": "x" * 12})
    assert small.status_code == 401  # under the limit: an ordinary wrong sign-in


def test_a_chunked_body_is_cut_off_at_the_limit(web: WebApp) -> None:
    def chunks() -> Iterator[bytes]:  # no Content-Length: the limit counts what arrives
        yield b'{"username": "'
        for _ in range(1000):
            yield b"a" * 16384

    client = TestClient(web.app)
    answer = client.post(
        "/api/v1/session", content=chunks(), headers={"Content-Type": "application/json"}
    )
    assert answer.status_code == 413
    assert "over 64 KiB" in answer.json()["error"]


def test_hosts_come_from_the_file_or_the_environment(tmp_path: Path) -> None:
    path = tmp_path / "hanport.toml"
    path.write_text('[web]\nhosts = ["Hanport.Local.", "[fd00::5]", ".example.org"]\n')
    assert load_settings(path, environ={}).get(WEB).hosts == (
        "hanport.local",
        "fd00::5",
        ".example.org",
    )
    environ = {"HANPORT_WEB_HOSTS": "meter.home.arpa, 192.168.1.5"}
    assert load_settings(path, environ=environ).get(WEB).hosts == ("meter.home.arpa", "192.168.1.5")
    assert load_settings(None, environ={}).get(WEB).hosts == ()


def test_a_host_that_is_no_name_is_named_in_one_sentence(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as error:
        load_settings(None, environ={"HANPORT_WEB_HOSTS": "hanport.local,http://x/"})
    assert str(error.value) == (
        "The host name 'http://x/' in the environment variable HANPORT_WEB_HOSTS is not a host "
        'name or IP address; list names such as ["hanport.local", "meter.example.org", '
        '"192.168.1.5"].'
    )


@pytest.mark.parametrize("path", ["/api/v1/session", "/api/v1/setup", "/api/v1/tokens"])
def test_deeply_nested_json_is_bad_input_not_a_crash(
    web: WebApp, path: str, caplog: pytest.LogCaptureFixture
) -> None:
    token, _ = web.context.accounts.create_token(
        web.context.accounts.add_user("admin", PASSWORD), "test"
    )
    client = TestClient(web.app, headers={"Authorization": f"Bearer {token}"})
    answer = client.post(path, content=b"[" * 30_000, headers={"Content-Type": "application/json"})
    assert answer.status_code == 422
    assert answer.json() == {
        "error": "The body is nested too deeply; send one flat JSON object.",
        "code": "web.body_nested",
        "params": {},
    }
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
