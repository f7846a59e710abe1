"""One root error for wagtail-smo; provider errors carry the network's own message."""

from __future__ import annotations


class SmoError(Exception):
    """Root of every error raised by wagtail-smo."""


class ImproperlyConfiguredChannel(SmoError):
    """A channel in ``WAGTAIL_SMO["PROVIDERS"]`` cannot be used as configured."""
