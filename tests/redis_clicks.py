"""The real Redis of the click tests: database 3 of 127.0.0.1:6379, a key prefix per test."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

LOCATION = "redis://127.0.0.1:6379/3"


@contextmanager
def redis_prefix() -> Iterator[str]:
    """A fresh key prefix on the test Redis, its keys deleted afterwards; skips without Redis."""
    redis = pytest.importorskip("redis")
    probe = redis.Redis(host="127.0.0.1", port=6379, db=3)
    try:
        probe.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis at 127.0.0.1:6379")
    prefix = f"smo-test-{uuid.uuid4().hex[:12]}"
    try:
        yield prefix
    finally:
        for key in probe.scan_iter(f"{prefix}:*"):
            probe.delete(key)
        probe.close()


def clicks_caches(prefix: str, location: str = LOCATION) -> dict:
    """CACHES with a local-memory default and a Redis "clicks" cache under ``prefix``."""
    return {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "clicks": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                   "LOCATION": location, "KEY_PREFIX": prefix},
    }


def keys_of(prefix: str) -> dict[str, str]:
    """Every key under ``prefix`` and its value as text."""
    import redis

    client = redis.Redis(host="127.0.0.1", port=6379, db=3)
    found = {key.decode(): (client.get(key) or b"").decode("latin-1")
             for key in client.scan_iter(f"{prefix}:*")}
    client.close()
    return found
