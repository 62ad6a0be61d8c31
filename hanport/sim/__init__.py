"""The built-in meter simulator: a household behind a Landis+Gyr E360, as P1 or DLMS/HDLC, and
the means to serve it as a device (a pseudo-terminal or a TCP port)."""
