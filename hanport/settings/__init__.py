"""Settings: `hanport.toml`, then `HANPORT_*` environment variables, then command-line flags.

`values` holds the checks of single values; `loader` reads the file and the environment and
builds `Settings` from the sections.
"""
