"""The "Social cards" preview mode: every network's link card, drawn from the resolver.

``WagtailSmoConfig.ready()`` registers the mode with the page mixin (``models.mixin``), which
cannot import the editor; ``SocialPreviewMixin`` is importable from here as documented.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from ..audit import audit_page
from ..meta import ResolveContext
from ..models.mixin import SocialPreviewMixin
from .cards import build_cards, source_lines

__all__ = [
    "SOCIAL_PREVIEW_LABEL", "SOCIAL_PREVIEW_MODE", "SocialPreviewMixin", "render_social_cards",
]

#: Name of the preview mode (``?mode=`` in Wagtail's preview URLs) and its label in the menu.
SOCIAL_PREVIEW_MODE = "smo-social-cards"
SOCIAL_PREVIEW_LABEL = _("Social cards")
TEMPLATE = "wagtail_smo/preview/social_cards.html"


def render_social_cards(page: Page, request: HttpRequest) -> TemplateResponse:
    """The social cards of ``page`` (usually the unsaved preview object) with checks and sources."""
    # A context of its own, and never the meta cache: the preview shows the unsaved page.
    result = audit_page(page, resolve_context=ResolveContext())
    site = page.get_site() if page.path else None
    meta = result.meta
    return TemplateResponse(request, TEMPLATE, {
        "page": page,
        "meta": meta,
        "cards": build_cards(page, meta, site) if meta else [],
        "sources": source_lines(page, meta) if meta else [],
        "findings": result.findings,
    })
