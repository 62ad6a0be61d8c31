"""What `hanport server` counts, and the Prometheus text of it. Pure."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

__all__ = ["LAG_BUCKETS_MS", "Metrics"]

LAG_BUCKETS_MS = (50, 100, 250, 500, 1000, 2000, 5000, 10_000, 30_000, 60_000)


@dataclass
class Metrics:
    committed: dict[int, int] = field(default_factory=dict)
    lag_counts: list[int] = field(default_factory=lambda: [0] * (len(LAG_BUCKETS_MS) + 1))
    lag_sum_ms: int = 0
    recent_lags_ms: deque[int] = field(default_factory=lambda: deque(maxlen=200_000))
    pending: int = 0
    ack_pending: int = 0
    ack_floor: int = 0
    worker_restarts: int = 0
    worker_cpu_s: dict[int, float] = field(default_factory=dict)
    acks_published: int = 0
    silent_sites: list[str] = field(default_factory=list)
    database_up: bool = True

    def took(self, worker: int, count: int, lags_ms: list[int]) -> None:
        self.committed[worker] = self.committed.get(worker, 0) + count
        for lag in lags_ms:
            self.lag_sum_ms += lag
            self.recent_lags_ms.append(lag)
            index = next((i for i, b in enumerate(LAG_BUCKETS_MS) if lag <= b), len(LAG_BUCKETS_MS))
            self.lag_counts[index] += 1

    def lag_quantile_ms(self, q: float) -> int | None:
        if not self.recent_lags_ms:
            return None
        ordered = sorted(self.recent_lags_ms)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]

    def prometheus(self) -> str:
        lines = [
            "# TYPE hanport_server_readings_committed_total counter",
            *(
                f'hanport_server_readings_committed_total{{worker="{w}"}} {n}'
                for w, n in sorted(self.committed.items())
            ),
            "# TYPE hanport_server_ingest_lag_ms histogram",
        ]
        running = 0
        for bound, count in zip((*LAG_BUCKETS_MS, "+Inf"), self.lag_counts, strict=True):
            running += count
            lines.append(f'hanport_server_ingest_lag_ms_bucket{{le="{bound}"}} {running}')
        lines += [
            f"hanport_server_ingest_lag_ms_sum {self.lag_sum_ms}",
            f"hanport_server_ingest_lag_ms_count {running}",
            "# TYPE hanport_server_ingest_lag_recent_ms gauge",
            *(
                f'hanport_server_ingest_lag_recent_ms{{quantile="{q}"}} {value}'
                for q in ("0.5", "0.99")
                if (value := self.lag_quantile_ms(float(q))) is not None
            ),
            "# TYPE hanport_server_consumer_pending gauge",
            f"hanport_server_consumer_pending {self.pending}",
            "# TYPE hanport_server_consumer_ack_pending gauge",
            f"hanport_server_consumer_ack_pending {self.ack_pending}",
            "# TYPE hanport_server_ack_floor gauge",
            f"hanport_server_ack_floor {self.ack_floor}",
            "# TYPE hanport_server_worker_restarts_total counter",
            f"hanport_server_worker_restarts_total {self.worker_restarts}",
            "# TYPE hanport_server_worker_cpu_seconds_total counter",
            *(
                f'hanport_server_worker_cpu_seconds_total{{worker="{w}"}} {s:.3f}'
                for w, s in sorted(self.worker_cpu_s.items())
            ),
            "# TYPE hanport_server_acks_published_total counter",
            f"hanport_server_acks_published_total {self.acks_published}",
            "# TYPE hanport_server_database_up gauge",
            f"hanport_server_database_up {int(self.database_up)}",
            "# TYPE hanport_server_sites_silent gauge",
            f"hanport_server_sites_silent {len(self.silent_sites)}",
            "# TYPE hanport_server_site_silent gauge",
            *(f'hanport_server_site_silent{{site="{site}"}} 1' for site in self.silent_sites),
        ]
        return "\n".join(lines) + "\n"
