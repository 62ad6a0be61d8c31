"""`[upstream]` and `[server]` in hanport.toml and the environment."""

from __future__ import annotations

from pathlib import Path

import pytest

from hanport.plugins import build_sinks, load_settings
from hanport.server.settings import SERVER
from hanport.settings.values import ConfigError
from hanport.upstream.settings import UPSTREAM


def test_the_environment_sets_the_upstream_server(tmp_path: Path) -> None:
    environ = {
        "HANPORT_UPSTREAM_URL": "mqtt://gw%40x:s3cret@ingest.example.net:1883",
        "HANPORT_UPSTREAM_SITE": "tallinn-17",
    }
    upstream = load_settings(None, environ).get(UPSTREAM)
    assert upstream is not None
    assert (upstream.site, upstream.broker.username, upstream.broker.password) == (
        "tallinn-17",
        "gw@x",
        "s3cret",
    )
    assert upstream.broker.client_id == "hanport-tallinn-17"
    assert "s3cret" not in repr(upstream)
    quiet = {**environ, "HANPORT_WEB_ENABLED": "false"}
    sinks = build_sinks(load_settings(None, quiet), str(tmp_path / "x.db"))
    assert "upstream" in [sink.name for sink in sinks]


def test_no_url_sends_nothing() -> None:
    assert load_settings(None, {}).get(UPSTREAM) is None


@pytest.mark.parametrize("site", ["", "a.b", "x" * 65, "a/b"])
def test_a_bad_site_is_one_sentence(site: str) -> None:
    environ = {"HANPORT_UPSTREAM_URL": "mqtt://h:1883", "HANPORT_UPSTREAM_SITE": site}
    with pytest.raises(ConfigError) as caught:
        load_settings(None, environ)
    assert "upstream.site" in str(caught.value) or "HANPORT_UPSTREAM_SITE" in str(caught.value)


def test_server_settings_from_the_file(tmp_path: Path) -> None:
    config = tmp_path / "hanport.toml"
    config.write_text(
        '[server]\nnats = "nats://a:4222, nats://b:4222"\nworkers = 4\n', encoding="utf-8"
    )
    server = load_settings(config, {}).get(SERVER)
    assert server.nats == ("nats://a:4222", "nats://b:4222")
    assert server.workers == 4
    config.write_text('[server]\nnats = "http://a"\n', encoding="utf-8")
    with pytest.raises(ConfigError):
        load_settings(config, {})
