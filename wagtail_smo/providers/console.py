"""A provider for development: prints the post instead of sending it."""

from __future__ import annotations

import sys

from .base import BaseProvider, SendResult


class ConsoleProvider(BaseProvider):
    """Writes each post to standard output. ``OPTIONS["NETWORK"]`` imitates a network's rules."""

    network = "console"
    option_names = ("NETWORK",)

    def send(self, post, attempt_id: str) -> SendResult:
        """Print the post and return a fake remote id."""
        sys.stdout.write(f"[{self.alias}] {post.text}\n")
        return SendResult(remote_id=f"console-{post.pk}-{attempt_id}")
