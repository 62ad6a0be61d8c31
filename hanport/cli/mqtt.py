"""`hanport mqtt test`: connect to the broker once and show what `hanport run` would publish.

Nothing is published: a simulated meter must not appear in Home Assistant. The preview comes
from one simulator reading, so it shows an Estonian E360's fields; a real meter's discovery
lists the fields that meter sends.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from hanport.errors import HanError
from hanport.i18n import text

TYPE_CHECKING = False
if TYPE_CHECKING:  # the client is imported when the command runs, not by every `hanport …`
    from hanport.mqtt.payloads import Message
    from hanport.mqtt.settings import MqttSettings

__all__ = ["add_mqtt_commands", "mqtt_test", "preview"]


def add_mqtt_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    mqtt = commands.add_parser("mqtt", help="MQTT publishing (Home Assistant, openHAB, evcc)")
    actions = mqtt.add_subparsers(required=True, metavar="ACTION")
    test = actions.add_parser(
        "test", help="check the broker connection and show what would be published"
    )
    test.add_argument("--config", help="settings file (default: ./hanport.toml if present)")
    test.add_argument("--url", help="broker, e.g. mqtt://user:password@host:1883 (overrides)")
    test.set_defaults(handler=mqtt_test)


def mqtt_test(args: argparse.Namespace, language: str) -> int:
    """0 when the broker accepted hanport; 2 with one sentence when it did not.

    Either way it shows what `hanport run` would publish, so that the topics and payloads can
    be checked before there is a broker.
    """
    import aiomqtt

    from hanport.i18n import sentence
    from hanport.mqtt.problems import SetupProblem, explain
    from hanport.mqtt.settings import MQTT, MqttSettings
    from hanport.plugins import load_settings

    try:
        settings = load_settings(
            Path(args.config) if args.config else None, overrides={"mqtt.url": args.url}
        ).get(MQTT)
    except HanError as error:
        return _fail(sentence(error, language))
    if settings is None:
        _fail(text("mqtt.not_configured", language))
        _show_preview(MqttSettings(host="localhost"), language)
        return 2
    try:
        import asyncio  # not for every `hanport …`: only this command connects

        asyncio.run(_connect(settings))
    except (aiomqtt.MqttError, OSError, SetupProblem) as error:
        given = "--url" if args.url is not None else "mqtt.url"  # the flag, or the setting
        _fail(explain(error, settings, setting=given).text(language))
        _show_preview(settings, language)
        return 2
    print(text("mqtt.connected", language, url=settings.safe_url))
    _show_preview(settings, language)
    return 0


def _show_preview(settings: MqttSettings, language: str) -> None:
    print(text("mqtt.would_publish", language))
    for message in preview(settings):
        retained = " [retained]" if message.retain else ""
        print(f"\n{message.topic}{retained}\n{_shown(message, settings)}")


def preview(settings: MqttSettings) -> list[Message]:
    """The messages of one simulated reading, in the order `hanport run` sends them."""
    import hanport
    from hanport.mqtt.connection import ONLINE
    from hanport.mqtt.payloads import (
        Message,
        announced_fields,
        availability_topic,
        discovery_message,
        reading_messages,
    )
    from hanport.sim.home import HomeSimulator

    reading = hanport.decode(HomeSimulator(seed=1).next_telegram())[0]
    messages = [Message(availability_topic(settings), ONLINE, retain=True)]
    if settings.discovery:
        messages.append(discovery_message(settings, reading, announced_fields(reading)))
    return messages + reading_messages(settings, reading)


async def _connect(settings: MqttSettings) -> None:
    """Connect and disconnect, under another client id so that a running hanport stays on."""
    from hanport.mqtt.connection import make_client

    async with make_client(settings, client_id=f"{settings.client_id}-test", will=False):
        pass


def _shown(message: Message, settings: MqttSettings) -> str:
    """Discovery indented for reading (it holds no decimals); state exactly as sent."""
    if not message.topic.startswith(f"{settings.discovery_prefix}/device/"):
        return message.payload
    return json.dumps(json.loads(message.payload), indent=2, ensure_ascii=False)


def _fail(sentence: str) -> int:
    print(f"hanport: {sentence}", file=sys.stderr)
    return 2
