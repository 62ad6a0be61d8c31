"""Alerts that reach a person: rules, their state machine, messages and channels."""
