"""Headless outputs: the ``social_meta`` field of Wagtail's API v2 and a JSON endpoint."""
