"""Which notice goes to which channel now: quiet hours and the per-channel rate limit. Pure.

Quiet hours (e.g. 22:00–07:00 local) apply to the channels that reach a person (e-mail, ntfy,
Telegram; the webhook only if `webhook_quiet` is set; MQTT never, it is a state):

- **critical** alerts (broken neutral, phase lost) are sent at once anyway;
- **warnings** and their clearing are held, and the first moment after quiet hours each channel
  gets one summary listing them (with when each started and ended);
- **info** (a new monthly peak) and every *repeat* are dropped for those channels.

The rate limit allows each channel `max_per_hour` messages in any rolling hour; what is over is
not sent to that channel, and the next message it gets says how many were left out. Everything
stays in the alert history either way.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta, tzinfo

from hanport.alerts.engine import Notice

__all__ = ["ChannelPolicy", "Delivery", "Outbox", "QuietHours"]


@dataclass(frozen=True)
class QuietHours:
    start: time
    end: time

    def contains(self, moment: datetime, zone: tzinfo) -> bool:
        clock = moment.astimezone(zone).time().replace(tzinfo=None)
        if self.start <= self.end:
            return self.start <= clock < self.end
        return clock >= self.start or clock < self.end

    def __str__(self) -> str:
        return f"{self.start:%H:%M}–{self.end:%H:%M}"


@dataclass(frozen=True)
class ChannelPolicy:
    name: str
    quiet: bool = True
    """Honours quiet hours."""
    max_per_hour: int = 20


@dataclass(frozen=True)
class Delivery:
    channel: str
    notices: tuple[Notice, ...]
    """One notice, or the held ones when `summary`."""
    summary: bool = False
    withheld: int = 0
    """Messages the rate limit kept from this channel since its last delivery."""


@dataclass
class _Channel:
    policy: ChannelPolicy
    held: list[Notice] = field(default_factory=list)
    sent: deque[datetime] = field(default_factory=deque)
    withheld: int = 0


class Outbox:
    def __init__(self, policies: Iterable[ChannelPolicy], quiet: QuietHours | None, zone: tzinfo):
        self.quiet = quiet
        self.zone = zone
        self._channels = [_Channel(policy) for policy in policies]

    def plan(self, notices: Sequence[Notice], now: datetime) -> list[Delivery]:
        """What to send now; call it on every tick too (that releases the summaries)."""
        out: list[Delivery] = []
        quiet_now = self.quiet is not None and self.quiet.contains(now, self.zone)
        for channel in self._channels:
            hushed = quiet_now and channel.policy.quiet
            if channel.held and not hushed:
                self._send(channel, tuple(channel.held), now, out, summary=True)
                channel.held = []
            for notice in notices:
                if not hushed or notice.severity == "critical":
                    self._send(channel, (notice,), now, out)
                elif notice.event != "repeated" and notice.severity != "info":
                    channel.held.append(notice)
        return out

    def held(self, channel: str) -> list[Notice]:
        return next((list(c.held) for c in self._channels if c.policy.name == channel), [])

    def _send(
        self,
        channel: _Channel,
        notices: tuple[Notice, ...],
        now: datetime,
        out: list[Delivery],
        summary: bool = False,
    ) -> None:
        hour_ago = now - timedelta(hours=1)
        while channel.sent and channel.sent[0] <= hour_ago:
            channel.sent.popleft()
        if len(channel.sent) >= channel.policy.max_per_hour:
            channel.withheld += 1
            return
        channel.sent.append(now)
        out.append(Delivery(channel.policy.name, notices, summary, channel.withheld))
        channel.withheld = 0
