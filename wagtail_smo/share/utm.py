"""The one UTM builder: share buttons, post drafts, feeds and exports all tag links through it.

Settings (``WAGTAIL_SMO["UTM"]``): ``ENABLED`` (default True), ``MEDIUM`` (used when the caller
asks for the default "social" medium), ``CAMPAIGN`` (a template filled with ``{slug}``,
``{network}`` and ``{site}``) and the optional ``SOURCES`` mapping that renames a network's
``utm_source`` (e.g. ``{"x": "twitter"}``).

A post's link also names the post: ``utm_content=smo-<click reference>`` (``post_tag``), read
back by the first-party click counter (``wagtail_smo.analytics.clicks``). It is a UTM value, not a
parameter of our own: the site's own analytics (Matomo, Plausible, GA) shows the same post in its
"content" dimension, privacy tools that keep UTM tags keep it, and a link already carrying a
``utm_content`` keeps its own (the post then counts as a click on the page, not on the post).
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from wagtail.models import Page

from ..conf import smo_settings

UTM_KEYS = ("utm_source", "utm_medium", "utm_campaign", "utm_content")

#: ``utm_content`` of a post's link: this prefix and the post's ``click_ref``.
POST_TAG_PREFIX = "smo-"
_POST_TAG = re.compile(r"smo-([a-z2-7]{8})")


def post_tag(click_ref: str) -> str:
    """The ``utm_content`` value naming a post ("smo-k3j9x2ab"); "" for a post without one."""
    return f"{POST_TAG_PREFIX}{click_ref}" if click_ref else ""


def click_ref_from(content: str) -> str | None:
    """The post reference in a ``utm_content`` value, or None when it is not one of ours."""
    match = _POST_TAG.fullmatch(content)
    return match.group(1) if match else None


def retag(value: str, old_ref: str, new_ref: str) -> str:
    """``value`` (a post's text or link) with the tag of ``old_ref`` replaced by ``new_ref``'s.

    A copied post's link names the copy, not the original; any other text is left as it is.
    """
    if not old_ref or not new_ref:
        return value
    return value.replace(f"utm_content={post_tag(old_ref)}", f"utm_content={post_tag(new_ref)}")


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

    wanted = zip(UTM_KEYS, (source, medium, campaign, content), strict=True)
    if "?" not in url and "#" not in url:
        # A page's own URL (every export row, feed item and draft): nothing to keep or parse.
        added = [(key, value) for key, value in wanted if value]
        return f"{url}?{urlencode(added)}" if added else url
    scheme, netloc, path, query, fragment = urlsplit(url)
    present = {key for key, _value in parse_qsl(query, keep_blank_values=True)}
    added = [(key, value) for key, value in wanted if value and key not in present]
    if not added:
        return url
    query = f"{query}&{urlencode(added)}" if query else urlencode(added)
    return urlunsplit((scheme, netloc, path, query, fragment))
