"""The parts `hanport run` runs: each declares its settings sections and builds its sinks."""

from __future__ import annotations

from collections.abc import Sequence
from types import ModuleType

import pytest

from hanport import plugins
from hanport.mqtt.sink import MqttSink
from hanport.runtime.sink import Sink
from hanport.settings.loader import Settings, load_settings
from hanport.settings.section import Section
from hanport.web.sink import WebSink


def test_each_part_declares_sections_and_builds_sinks() -> None:
    names = [section.name for section in plugins.SECTIONS]
    assert len(names) == len(set(names)), "two parts read the same section"
    assert {"web", "mqtt"} <= set(names)
    for part in plugins.PARTS:
        assert all(isinstance(section, Section) for section in part.SECTIONS)
        assert callable(part.sinks)


def test_sinks_are_built_only_for_what_is_switched_on(tmp_path: object) -> None:
    settings = plugins.load_settings(
        None,
        environ={
            "HANPORT_WEB_PORT": "0",
            "HANPORT_MQTT_URL": "mqtt://127.0.0.1:1",
            "HANPORT_ALERTS_ENABLED": "no",
            "HANPORT_QUALITY_ENABLED": "no",
        },
    )
    sinks = plugins.build_sinks(settings, ":memory:")
    try:
        from hanport.costs.publish import CostMqttSink  # costs over MQTT, with the broker

        assert [type(sink) for sink in sinks] == [WebSink, MqttSink, CostMqttSink]
    finally:
        for sink in sinks:
            if isinstance(sink, WebSink):
                sink.close()
    off = plugins.load_settings(
        None,
        environ={
            "HANPORT_WEB_ENABLED": "no",
            "HANPORT_ALERTS_ENABLED": "no",
            "HANPORT_QUALITY_ENABLED": "no",
        },
    )
    assert plugins.build_sinks(off, ":memory:") == []


def test_a_new_part_is_one_module_and_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    """What docs/architecture.md shows: a part with a section and a sink, added to PARTS."""

    class Greeter:
        name = "greeter"
        queue_size = 1

        async def run(self, readings: object, view: object) -> None:
            return None

    def greeting(raw: dict[str, tuple[object, str]], before: object) -> str:
        return str(raw["text"][0]) if "text" in raw else "hello"

    section = Section("greeter", ("text",), greeting)

    def sinks(settings: Settings, database: str) -> Sequence[Sink]:
        return [Greeter()] if settings.get(section) != "off" else []

    part = ModuleType("greeter")
    vars(part).update(SECTIONS=(section,), sinks=sinks)
    monkeypatch.setattr(plugins, "PARTS", (*plugins.PARTS, part))
    monkeypatch.setattr(plugins, "SECTIONS", (*plugins.SECTIONS, section))
    settings = plugins.load_settings(
        None,
        environ={
            "HANPORT_GREETER_TEXT": "tere",
            "HANPORT_WEB_ENABLED": "no",
            "HANPORT_ALERTS_ENABLED": "no",
            "HANPORT_QUALITY_ENABLED": "no",
        },
    )
    assert settings.get(section) == "tere"
    assert [sink.name for sink in plugins.build_sinks(settings, ":memory:")] == ["greeter"]


def test_a_section_the_loader_was_not_given_is_refused_in_the_file(tmp_path: object) -> None:
    from pathlib import Path

    path = Path(str(tmp_path)) / "hanport.toml"
    path.write_text("[web]\nport = 9000\n")
    from hanport.settings.values import ConfigError

    with pytest.raises(ConfigError, match=r"Unknown section \[web\]"):
        load_settings(path, environ={})
    assert plugins.load_settings(path, environ={}).sections["web"] is not None


def test_backups_run_on_schedule_for_a_real_meter_only() -> None:
    from hanport.backup.plugin import BackupSink
    from hanport.costs.sink import PriceSink

    meter = {
        "HANPORT_SOURCE": "/dev/ttyUSB0",
        "HANPORT_WEB_ENABLED": "no",
        "HANPORT_ALERTS_ENABLED": "no",
        "HANPORT_QUALITY_ENABLED": "no",
    }
    sinks = plugins.build_sinks(plugins.load_settings(None, environ=meter), "x.db")
    assert [type(sink) for sink in sinks] == [BackupSink, PriceSink]
    off = {**meter, "HANPORT_BACKUP_EVERY_DAYS": "0", "HANPORT_PRICES_SOURCE": "none"}
    assert plugins.build_sinks(plugins.load_settings(None, environ=off), "x.db") == []
    simulator = {
        "HANPORT_WEB_ENABLED": "no",
        "HANPORT_ALERTS_ENABLED": "no",
        "HANPORT_QUALITY_ENABLED": "no",
    }
    assert plugins.build_sinks(plugins.load_settings(None, environ=simulator), "x.db") == []
