"""Implementations of the share, follow and read-next template tags (subscribe: ``feeds.tags``).

They are registered in ``wagtail_smo.templatetags.wagtail_smo_tags``; every argument is
documented in ``docs/share.md``.
"""

from __future__ import annotations

from collections.abc import Callable

from django.template import Context
from django.utils.translation import gettext as _
from wagtail.models import Page, Site

from ..meta import resolve_for_request
from .icons import icon_svg
from .links import share_links
from .read_next import read_next_pages

VARIANTS = ("labels", "icons")


def context_page(context: Context, page: Page | None = None) -> Page | None:
    """``page``, else the template context's ``page`` or ``self``, when it is a Wagtail page."""
    page = page or context.get("page") or context.get("self")
    return page if isinstance(page, Page) else None


def variant_name(variant: str) -> str:
    """``variant`` when it is a known one ("labels", "icons"), else "labels"."""
    return variant if variant in VARIANTS else VARIANTS[0]


def share_buttons_context(
    context: Context, page: Page | None = None, networks: str | list[str] | None = None,
    variant: str = "labels", large: bool = False,
) -> dict:
    """Context of ``{% share_buttons %}``: nothing to render when the page has no URL."""
    page = context_page(context, page)
    if page is None:
        return {"links": []}
    meta = resolve_for_request(page, context.get("request"))
    return {
        "links": share_links(page, networks, request=context.get("request"), meta=meta),
        "title": meta.title,
        "variant": variant_name(variant),
        "large": large,
    }


def _site(context: Context, page: Page | None) -> Site | None:
    if page is not None:
        return page.get_site()
    request = context.get("request")
    return Site.find_for_request(request) if request is not None else None


def follow_links_context(
    context: Context, page: Page | None = None, variant: str = "labels", large: bool = False
) -> dict:
    """Context of ``{% follow_links %}``: the site's profiles, each a ``rel="me"`` link."""
    from ..models import SocialMediaSettings

    site = _site(context, context_page(context, page))
    if site is None:
        return {"profiles": []}
    profiles = []
    for block in SocialMediaSettings.for_site(site).profile_links:
        network, label = block.value.get("network", ""), block.value.get("label", "")
        label = label or network or block.value["url"]
        profiles.append(
            {
                "url": block.value["url"],
                "label": label,
                "name": _("%(network)s profile") % {"network": label},
                "icon": icon_svg(network.strip().lower()),
            }
        )
    return {"profiles": profiles, "variant": variant_name(variant), "large": large}


def read_next_context(
    context: Context, page: Page | None = None, count: int = 3, heading: str | None = None
) -> dict:
    """Context of ``{% read_next %}``: up to ``count`` related, then latest, pages."""
    page = context_page(context, page)
    request = context.get("request")
    # A page outside every site (not routable) has no neighbours worth suggesting.
    routable = page is not None and page.get_url(request=request) is not None
    pages = read_next_pages(page, int(count)) if routable else []
    items = [{"title": p.title, "url": p.get_url(request=request), "page": p} for p in pages]
    return {
        "items": [item for item in items if item["url"]],
        "heading": _("Read next") if heading is None else heading,
    }


def share_assets_context(context: Context) -> dict:
    """Context of ``{% share_assets %}``: the stylesheet and the optional script, no inline code."""
    return {}


# Tag name -> context function; each renders templates/wagtail_smo/share/<name>.html.
# ``subscribe_links`` lists feeds, so it lives in ``feeds.tags``.
INCLUSION_TAGS: dict[str, Callable[..., dict]] = {
    "share_buttons": share_buttons_context,
    "follow_links": follow_links_context,
    "read_next": read_next_context,
    "share_assets": share_assets_context,
}
