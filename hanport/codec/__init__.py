"""Sans-I/O decoding: bytes in, `Reading` or `Rejected` out. No asyncio, clock or logging here."""
