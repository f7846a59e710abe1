"""Where each resolved value came from: a small structured record, never words.

``SocialMeta.sources`` maps a value's name ("title", "description", "image", "url", "site_name",
"locale", "x_creator") to a ``Source``. The headless API publishes it as JSON (see
docs/headless.md); the audit and the editor read it, and ``wagtail_smo.audit.sources`` turns it
into translated words in one place.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

# The vocabulary of ``Source.kind``: what the resolver really does, one kind per way of finding a
# value. Documented in docs/headless.md; a new kind is an addition to the public API.
OWN_FIELD = "own_field"  #: a field of the page's Social tab (social_title, social_image...)
PAGE_FIELD = "page_field"  #: another field of the page (title, seo_title, a declared field)
BODY = "body"  #: the first paragraph of a body field
BODY_IMAGE = "body_image"  #: the first image in a body field
ANCESTOR_IMAGE = "ancestor_image"  #: the social image of the nearest ancestor that has one
SITE_SETTING = "site_setting"  #: the site's social media settings (default image, site name...)
SITE = "site"  #: the Wagtail Site itself (its site name)
PROJECT_SETTING = "project_setting"  #: a Django setting (LANGUAGE_CODE)
PAGE_URL = "page_url"  #: the page's own address on its site
NOT_ROUTABLE = "not_routable"  #: no address: the page is under no site's root page
GENERATED = "generated"  #: a card drawn by wagtail-smo (``wagtail_smo.images``)
NONE = "none"  #: no value

KINDS = (OWN_FIELD, PAGE_FIELD, BODY, BODY_IMAGE, ANCESTOR_IMAGE, SITE_SETTING, SITE,
         PROJECT_SETTING, PAGE_URL, NOT_ROUTABLE, GENERATED, NONE)

# The vocabulary of ``Source.detail``.
UNUSABLE_IMAGE = "unusable_image"  #: an image was found but cannot be served to crawlers
TURNED_OFF = "turned_off"  #: the page turned the fallback off (``social_image_fallback``)
#: a generated card replaces the page's image, which is too small for a large card
SMALL_IMAGE = "small_image"

DETAILS = ("", UNUSABLE_IMAGE, TURNED_OFF, SMALL_IMAGE)


@dataclass(frozen=True)
class Source:
    """Where one value came from: ``kind`` (see ``KINDS``), the model ``field`` or "", a
    machine-readable ``detail`` (see ``DETAILS``) and, for a value read from another page (an
    inherited image), that page's id."""

    kind: str
    field: str = ""
    detail: str = ""
    page_id: int | None = None

    def as_dict(self) -> dict[str, Any]:
        """The JSON form published by the API and the JSON export."""
        return {"kind": self.kind, "field": self.field, "detail": self.detail,
                "page_id": self.page_id}

    def left_out(self) -> Source:
        """This source, marked as an image that was found but cannot be used."""
        return Source(self.kind, self.field, UNUSABLE_IMAGE, self.page_id)

    @property
    def is_left_out(self) -> bool:
        """True when the resolver found an image here but had to leave it out of the tags."""
        return self.detail == UNUSABLE_IMAGE


#: No value was found.
MISSING = Source(NONE)


def sources_as_dict(sources: Mapping[str, Source]) -> dict[str, dict[str, Any]]:
    """``SocialMeta.sources`` as JSON data: ``{"title": {"kind": ..., "field": ...}, ...}``."""
    return {name: source.as_dict() for name, source in sources.items()}
