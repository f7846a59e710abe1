"""Loopback fake servers of the networks, and test-only providers."""
