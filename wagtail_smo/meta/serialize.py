"""A resolved ``SocialMeta`` as plain JSON data, for headless front ends (API v2 and endpoint)."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Any

from .images import SocialImage
from .jsonld import json_ld
from .resolver import SocialMeta
from .sources import sources_as_dict
from .tags import head_tags


def _value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, tuple):
        return [_value(item) for item in value]
    return value


def meta_as_dict(meta: SocialMeta) -> dict[str, Any]:
    """Every value of ``meta``, its image, its head tags, its JSON-LD and the value sources."""
    data = {
        name: _value(getattr(meta, name))
        for name in (
            "title", "description", "url", "og_type", "site_name", "locale", "locale_alternates",
            "author", "section", "tags", "published_time", "modified_time", "reading_minutes",
            "x_site", "x_creator", "fediverse_creator", "profile_links", "facebook_app_id",
            "page_id",
        )
    }
    data["image"] = _image(meta.image)
    data["head"] = [tag.as_dict() for tag in head_tags(meta)]
    data["json_ld"] = json_ld(meta)
    data["sources"] = sources_as_dict(meta.sources)
    return data


def _image(image: SocialImage | None) -> dict[str, Any] | None:
    if image is None:
        return None
    data = asdict(image)
    data.pop("image_id", None)
    data["type"] = data.pop("mime_type")
    return data
