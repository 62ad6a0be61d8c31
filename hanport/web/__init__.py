"""The hanport app: the HTTP API, the live stream, accounts and the dashboard."""
