"""Support analytics: response times, channel usage, repeated contacts and customer
independence, computed from one tidy message log and rendered into periodic reports."""

__version__ = "0.1.0"
