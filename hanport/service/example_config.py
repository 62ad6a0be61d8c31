"""The settings file `hanport service install` creates when /etc/hanport/hanport.toml is missing."""

from __future__ import annotations

__all__ = ["example_config"]


def example_config(state: str = "/var/lib/hanport") -> str:
    return f"""\
# hanport's settings for the system service, written by `hanport service install` as an example
# to edit. Every setting is described in README.md and docs/. After a change:
#     sudo systemctl restart hanport
# This file may hold keys and passwords: it is readable by root and the hanport group only.

[meter]
source = "/dev/hanport"                  # the USB P1/HAN cable (named by 99-hanport.rules)
# source = "tcp://192.168.1.30:8888"     # or a network dongle serving the raw bytes
# key = "…32 hex digits…"                # encrypted meters only (Elektrilevi's E360: none)
timezone = "Europe/Tallinn"
database = "{state}/hanport.db"

[web]
listen = "127.0.0.1"                     # "0.0.0.0" for your network, once an account exists
port = 8080
# fuse_a = 25                            # main fuse per phase, amperes

# [mqtt]
# url = "mqtt://user:password@192.168.1.2:1883"

# Scheduled backups (docs/upgrading.md), when your hanport version has the [backup] section:
# [backup]
# every_days = 1
# keep = 14
# folder = "{state}/backups"
"""
