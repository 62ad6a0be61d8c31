"""Storage of readings: compact blocks, rollups, SQLite (PostgreSQL later)."""
