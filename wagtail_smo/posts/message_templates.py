"""Kept only because migration 0001 names ``wagtail_smo.posts.message_templates.validate_template``
as the channel template's validator; templates live in ``wagtail_smo.core.text``."""

from ..core.text import validate_template

__all__ = ["validate_template"]
