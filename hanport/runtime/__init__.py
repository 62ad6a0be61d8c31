"""`hanport run` assembled: the hub that fans readings out, and the wiring of reader and sinks."""
