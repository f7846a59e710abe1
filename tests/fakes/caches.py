"""Cache backends for the meta cache's tests: Django's LocMemCache that counts, or that fails."""

from __future__ import annotations

from typing import Any

from django.core.cache.backends.locmem import LocMemCache


class CountingCache(LocMemCache):
    """LocMemCache that counts the calls made to it (``calls``: method names, in order)."""

    calls: list[str] = []
    _depth = 0

    def _count(self, name: str) -> None:
        # LocMemCache's get_many/set_many call get/set: only the outermost call is the client's.
        if not CountingCache._depth:
            type(self).calls.append(name)

    def get(self, *args: Any, **kwargs: Any) -> Any:
        self._count("get")
        CountingCache._depth += 1
        try:
            return super().get(*args, **kwargs)
        finally:
            CountingCache._depth -= 1

    def get_many(self, *args: Any, **kwargs: Any) -> Any:
        self._count("get_many")
        CountingCache._depth += 1
        try:
            return super().get_many(*args, **kwargs)
        finally:
            CountingCache._depth -= 1

    def set(self, *args: Any, **kwargs: Any) -> Any:
        self._count("set")
        CountingCache._depth += 1
        try:
            return super().set(*args, **kwargs)
        finally:
            CountingCache._depth -= 1

    def set_many(self, *args: Any, **kwargs: Any) -> Any:
        self._count("set_many")
        CountingCache._depth += 1
        try:
            return super().set_many(*args, **kwargs)
        finally:
            CountingCache._depth -= 1


class DownCache(LocMemCache):
    """A cache server that is down: every read and write raises, as a client's would."""

    def _down(self, *args: Any, **kwargs: Any) -> Any:
        raise ConnectionRefusedError("cache server down")

    get = set = add = delete = get_many = set_many = delete_many = has_key = _down
    incr = touch = clear = _down
