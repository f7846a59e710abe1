"""The "Social cards" preview mode: every network's link card, drawn from the resolver."""

from __future__ import annotations

from django.db import models
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

#: Name of the preview mode (``?mode=`` in Wagtail's preview URLs).
SOCIAL_PREVIEW_MODE = "smo-social-cards"
TEMPLATE = "wagtail_smo/preview/social_cards.html"


class SocialPreviewMixin(models.Model):
    """Adds the "Social cards" mode to Wagtail's live preview of a page.

    Abstract and field-free, so that migrations never name it. ``SocialMetaMixin`` includes it.
    """

    class Meta:
        abstract = True

    @property
    def preview_modes(self):
        """The page's own preview modes, then "Social cards"."""
        return [*super().preview_modes, (SOCIAL_PREVIEW_MODE, _("Social cards"))]

    def serve_preview(self, request, mode_name):
        """Render the social cards for our mode; every other mode is the page's own."""
        if mode_name != SOCIAL_PREVIEW_MODE:
            return super().serve_preview(request, mode_name)
        return render_social_cards(self, request)


def render_social_cards(page, request) -> TemplateResponse:
    """The social cards of ``page`` (usually the unsaved preview object) with checks and sources."""
    # Imported here: models import this module, and the audit imports models.
    from ..audit import audit_page
    from ..meta import ResolveContext
    from .cards import build_cards, source_lines

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
