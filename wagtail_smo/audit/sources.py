"""Turn the resolver's ``meta.sources`` entries into words an editor understands."""

from __future__ import annotations

from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext as _

# Sources named after the mixin's own fields, as the Social tab labels them.
_OWN_FIELDS = {
    "social_title": "Social title",
    "social_description": "Social description",
    "social_image": "Social image",
}
_PAGE_FIELDS = {
    "seo_title": "title for search engines",
    "search_description": "search description",
    "title": "title",
}


def field_label(page, name: str) -> str:
    """The verbose name of ``page``'s field ``name``, or the name made readable."""
    try:
        return str(page._meta.get_field(name).verbose_name)
    except (FieldDoesNotExist, AttributeError):
        return name.replace("_", " ")


def describe_source(page, source: str) -> str:
    """Say in words where a value came from, e.g. "from the page's intro" or "site default".

    ``source`` is one entry of ``SocialMeta.sources``; unknown forms are shown as they are, so a
    new kind of source never breaks the editor.
    """
    source = (source or "").strip()
    if source in _OWN_FIELDS:
        return _("from the %(field)s field (Social tab)") % {"field": _(_OWN_FIELDS[source])}
    if source in _PAGE_FIELDS:
        return _("from the page's %(field)s") % {"field": _(_PAGE_FIELDS[source])}
    if source in ("none", ""):
        return _("missing")
    if source == "site default":
        return _("site default (Settings › Social media)")
    if source == "not routable":
        return _("none: the page has no public address")
    if source == "page URL on its site":
        return _("the page's address on its site")
    if "(left out" in source or source.endswith("left out)"):
        found = describe_source(page, source.split(" (", 1)[0])
        return _("%(found)s, but the file cannot be read, so it is left out") % {"found": found}
    kind, sep, name = source.partition(": ")
    if sep:
        label = field_label(page, name.strip())
        if kind == "field" or kind == "image field":
            return _("from the page's %(field)s") % {"field": label}
        if kind == "body":
            return _("from the first paragraph of the page's %(field)s") % {"field": label}
        if kind == "body image":
            return _("the first image in the page's %(field)s") % {"field": label}
    return source
