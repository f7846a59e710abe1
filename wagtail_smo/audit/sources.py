"""Say in words where a resolved value came from: the one place that words a ``Source``.

The resolver records each value's source as a structured ``Source`` (kind, field, detail); the
editor's "Social cards" preview, its checks panel and ``smo_audit`` all show it through
``describe_source``, so the words are written (and translated) once.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext as _

from ..meta import sources as kinds
from ..meta.sources import Source
from .context import AuditContext

# The mixin's own fields, as the Social tab labels them.
_OWN_FIELDS = {
    "social_title": "Social title",
    "social_description": "Social description",
    "social_image": "Social image",
}
# Wagtail's own page fields, in the words of its promote tab.
_PAGE_FIELDS = {
    "seo_title": "title for search engines",
    "search_description": "search description",
    "title": "title",
}
# Settings whose value is a site-wide default for pages that have none.
_SITE_DEFAULTS = ("default_description", "default_image")


def field_label(model: Any, name: str) -> str:
    """The verbose name of the field ``name`` of ``model`` (a class or instance), or the name
    made readable."""
    try:
        return str(model._meta.get_field(name).verbose_name)
    except (FieldDoesNotExist, AttributeError):
        return name.replace("_", " ")


def describe_source(page: Any, source: Source) -> str:
    """Say in words where a value came from, e.g. "from the page's intro" or "site default".

    An unknown kind is shown as it is, so a new kind of source never breaks the editor.
    """
    found = _found_in(page, source)
    if source.is_left_out:
        return _("%(found)s, but the file cannot be read, so it is left out") % {"found": found}
    return found


def _found_in(page: Any, source: Source) -> str:
    kind, name = source.kind, source.field
    if kind == kinds.OWN_FIELD:
        label = _OWN_FIELDS.get(name)
        label = _(label) if label else field_label(page, name)
        return _("from the %(field)s field (Social tab)") % {"field": label}
    if kind == kinds.PAGE_FIELD:
        label = _PAGE_FIELDS.get(name)
        label = _(label) if label else field_label(page, name)
        return _("from the page's %(field)s") % {"field": label}
    if kind == kinds.BODY:
        return _("from the first paragraph of the page's %(field)s") % {
            "field": field_label(page, name)}
    if kind == kinds.BODY_IMAGE:
        return _("the first image in the page's %(field)s") % {"field": field_label(page, name)}
    if kind == kinds.ANCESTOR_IMAGE:
        return _ancestor_words(source.page_id)
    if kind == kinds.SITE_SETTING:
        if name in _SITE_DEFAULTS:
            return _("site default (Settings › Social media)")
        from ..models import SocialMediaSettings

        return _("from the site's %(field)s (Settings › Social media)") % {
            "field": field_label(SocialMediaSettings, name)}
    if kind == kinds.SITE:
        return _("the site's own name (Settings › Sites)")
    if kind == kinds.PROJECT_SETTING:
        return _("the project's %(setting)s setting") % {"setting": name}
    if kind == kinds.PAGE_URL:
        return _("the page's address on its site")
    if kind == kinds.NOT_ROUTABLE:
        return _("none: the page has no public address")
    if kind == kinds.GENERATED:
        if source.detail == kinds.SMALL_IMAGE:
            return _("a generated card, as the page's own image is too small for a large card")
        if name == "social_card":
            return _("a generated card, as the page asks (Social tab)")
        return _("a generated card (Settings › Social media)")
    if kind == kinds.NONE:
        if source.detail == kinds.TURNED_OFF:
            return _("turned off for this page")
        return _("missing")
    return kind


def _ancestor_words(page_id: int | None) -> str:
    from wagtail.models import Page

    title = Page.objects.filter(pk=page_id).values_list("title", flat=True).first()
    if not title:
        return _("inherited from a page above this one")
    return _("inherited from %(page)s") % {"page": " ".join(title.split())}


def image_of_source(page: Any, source: Source, context: AuditContext) -> Any:
    """The original image ``source`` points at, when it names a field of the page or a site
    default (None otherwise)."""
    if source.kind in (kinds.OWN_FIELD, kinds.PAGE_FIELD) and source.field:
        return getattr(page, source.field, None)
    if source.kind == kinds.SITE_SETTING and source.field == "default_image":
        from ..models import SocialMediaSettings

        site = context.site_for(page)
        return SocialMediaSettings.for_site(site).default_image if site else None
    return None
