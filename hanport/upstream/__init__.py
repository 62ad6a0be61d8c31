"""Gateways that send every verified reading to a `hanport server` (MQTT into NATS JetStream)."""
