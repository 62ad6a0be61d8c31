"""`hanport server`: many gateways' readings from a NATS JetStream cluster into one store."""
