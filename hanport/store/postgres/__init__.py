"""The PostgreSQL store (psycopg 3): `open_store("postgresql://…")` opens it. See
`hanport.store.postgres.store` and docs/storage.md."""

from __future__ import annotations

from hanport.store.postgres.connection import DEFAULT_SITE, StoreRefused, StoreUnavailable
from hanport.store.postgres.store import PostgresStore

__all__ = ["DEFAULT_SITE", "PostgresStore", "StoreRefused", "StoreUnavailable"]
