"""Test-only providers."""

from wagtail_smo.providers.locmem import LocmemProvider


class NoDedupLocmem(LocmemProvider):
    """The in-memory provider, imitating a network without idempotency keys."""

    deduplicates = False
