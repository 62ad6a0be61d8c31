"""Where the bytes come from, and reading them around the clock.

`transport` parses source URLs and opens them as streams of chunks (serial ports, TCP dongles,
captures, the simulator, and via `telegrams` devices that publish whole telegrams over HTTP or
MQTT); `detect` finds a serial port's line settings; `reader` reads one meter with a watchdog
and backoff; `doctor` listens to a connection and says what is wrong.
"""
