"""EV charging that never trips the main fuse: phase-aware load control (issue 12).

The pure core: `law.decide` (per-phase room, fair sharing, cut at once / raise slowly, the 6 A
minimum, modes, 1p/3p switching), `failsafe` (the meter watchdog), `profiles` (OCPP fallback
and live profiles), `controller.Controller` (the law, the watchdog and the limits log, stepped
by the caller). The edges: `sink.run_ev_sink`, `ocpp_server.OcppServer`, `goe.GoeCharger`,
`mqtt_charger.MqttCharger`. `control.EvControl` assembles them from `settings.ev_settings`.
Nothing is imported here, so `import hanport` stays light; see docs/ev.md.
"""
