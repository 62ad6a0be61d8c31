"""A site whose gateway stopped is told once, in the log and in /metrics, and so is its return."""

from __future__ import annotations

import logging
import time

import pytest

from hanport.server.metrics import Metrics
from hanport.server.run import Server
from hanport.server.settings import ServerSettings, server_settings
from hanport.server.silence import Silence
from hanport.settings.values import SettingError


def test_a_site_goes_silent_once_and_comes_back_once() -> None:
    silence = Silence(600)
    silence.heard("home-a", 1000)
    silence.heard("home-b", 1000)
    assert silence.check(1599).silent == []
    silence.heard("home-b", 1500)
    changes = silence.check(1600)
    assert (changes.silent, changes.back) == (["home-a"], [])
    assert silence.check(3000).silent == ["home-b"]
    assert silence.check(4000).silent == []  # told once
    silence.heard("home-a", 4001)
    changes = silence.check(4002)
    assert (changes.silent, changes.back) == ([], ["home-a"])
    assert silence.silent == {"home-b"}


def test_sites_known_from_the_store_are_watched_from_the_start() -> None:
    silence = Silence(600)
    silence.heard("home-a", 900)
    silence.known(["home-a", "home-z"], 1000)
    assert silence.heard_at == {"home-a": 900, "home-z": 1000}
    assert silence.check(1500).silent == ["home-a"]
    assert silence.check(1600).silent == ["home-z"]


def test_the_log_names_each_site_or_sums_up_many(caplog: pytest.LogCaptureFixture) -> None:
    server = Server(ServerSettings(silent_min=10))
    server.silence.heard("home-a", 0)
    caplog.set_level(logging.INFO, "hanport.server")
    server._tell_silence()
    assert caplog.messages == [
        "Site home-a has sent no reading for 10 min: its gateway, its power or its network "
        "may be down; check the gateway (its log, or hanport doctor on it)."
    ]
    assert 'hanport_server_site_silent{site="home-a"} 1' in server.metrics.prometheus()
    caplog.clear()
    server.silence.known([f"gw{n:03}" for n in range(50)], 0)
    server._tell_silence()
    assert len(caplog.messages) == 1
    assert caplog.messages[0].startswith("50 sites have sent no reading for 10 min: gw000, gw001")
    assert "hanport_server_sites_silent 51" in server.metrics.prometheus()
    caplog.clear()
    server.silence.heard("home-a", time.time())
    server._tell_silence()
    assert caplog.messages == ["Site home-a sends readings again."]
    assert 'site="home-a"' not in server.metrics.prometheus()


def test_silent_min_is_a_whole_number_of_minutes() -> None:
    assert server_settings({"silent_min": (30, "server.silent_min")}).silent_min == 30
    assert server_settings({}).silent_min == 10
    with pytest.raises(SettingError):
        server_settings({"silent_min": (0, "server.silent_min")})
    assert "hanport_server_sites_silent 0" in Metrics().prometheus()
