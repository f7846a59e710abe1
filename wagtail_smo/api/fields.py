"""The ``social_meta`` field of Wagtail's API v2 (added to every page model by the mixin)."""

from __future__ import annotations

from typing import Any

from rest_framework.fields import Field
from wagtail.models import Page


class SocialMetaAPIField(Field):
    """Read-only API v2 field: the page's resolved social meta (values, image, head, JSON-LD)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("source", "*")
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, page: Page) -> dict[str, Any]:
        """The page's meta as JSON data (the same values as its HTML tags)."""
        from ..meta import resolve_for_request
        from ..meta.serialize import meta_as_dict

        return meta_as_dict(resolve_for_request(page, self.context.get("request")))
