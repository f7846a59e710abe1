"""The one UTM builder: share buttons, post drafts, feeds and exports all tag links through it.

Settings (``WAGTAIL_SMO["UTM"]``): ``ENABLED`` (default True), ``MEDIUM`` (used when the caller
asks for the default "social" medium), ``CAMPAIGN`` (a template filled with ``{slug}``,
``{network}`` and ``{site}``) and the optional ``SOURCES`` mapping that renames a network's
``utm_source`` (e.g. ``{"x": "twitter"}``).
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from wagtail.models import Page

from ..conf import smo_settings

UTM_KEYS = ("utm_source", "utm_medium", "utm_campaign", "utm_content")


class _Blank(dict):
    """Format mapping that turns unknown placeholders into empty strings, never a KeyError."""

    def __missing__(self, key: str) -> str:
        return ""


def campaign_for(template: str, *, page: Page | None = None, network: str = "") -> str:
    """Fill a campaign template's ``{slug}``, ``{network}`` and ``{site}`` placeholders."""
    site_name = ""
    if page is not None and "{site" in template:  # only then is the site worth a query
        site = page.get_site() if hasattr(page, "get_site") else None
        site_name = site.hostname if site else ""
    values = _Blank(slug=getattr(page, "slug", "") or "", network=network, site=site_name)
    try:
        return template.format_map(values).strip()
    except (ValueError, IndexError):  # malformed template ("{", "{0}"): use it literally
        return template.strip()


def build_utm_url(
    url: str,
    source: str,
    *,
    medium: str = "social",
    page: Page | None = None,
    campaign: str | None = None,
    content: str | None = None,
) -> str:
    """Return ``url`` with UTM parameters appended, keeping its query and fragment.

    ``source`` is the network alias (or "rss", "newsletter"...). Parameters already present in
    the URL win: an editor's hand-made link is never rewritten. Returns ``url`` unchanged when
    UTM tagging is switched off or ``url`` is empty.
    """
    config = smo_settings.UTM  # merged over the defaults, and type-checked at start-up
    if not url or not config["ENABLED"]:
        return url
    if medium == "social":
        medium = config["MEDIUM"]
    if campaign is None:
        campaign = campaign_for(config["CAMPAIGN"], page=page, network=source)
    source = config["SOURCES"].get(source, source)

    scheme, netloc, path, query, fragment = urlsplit(url)
    present = {key for key, _value in parse_qsl(query, keep_blank_values=True)}
    wanted = zip(UTM_KEYS, (source, medium, campaign, content), strict=True)
    added = [(key, value) for key, value in wanted if value and key not in present]
    if not added:
        return url
    query = f"{query}&{urlencode(added)}" if query else urlencode(added)
    return urlunsplit((scheme, netloc, path, query, fragment))
