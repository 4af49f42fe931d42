"""webhook-inspector: capture, verify, forward and replay webhooks on your machine."""

__version__ = "0.1.0"
