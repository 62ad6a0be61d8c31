"""Publishing readings over MQTT, with Home Assistant discovery."""
