"""Share links of a page: the configured networks, in order, each a ready-made plain link."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass

from django.http import HttpRequest
from wagtail.models import Page, Site

from ..conf import smo_settings
from ..meta import resolve_for_request
from ..meta.resolver import SocialMeta
from ..models import SocialMediaSettings
from .icons import icon_svg
from .networks import ShareTarget, share_targets
from .utm import build_utm_url

logger = logging.getLogger("wagtail_smo")


@dataclass(frozen=True)
class ShareLink:
    """One share button: where it points and how it is named and drawn."""

    network: str
    label: str
    name: str
    href: str
    kind: str
    icon: str  # inline SVG markup (safe)


def parse_networks(value: str | Iterable[str] | None) -> list[str] | None:
    """Network keys from a template argument: a comma/space separated string or a list."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        value = value.replace(",", " ").split()
    return [str(name).strip().lower() for name in value if str(name).strip()]


def site_networks(site: Site | None) -> list[str]:
    """The share networks of ``site``: its setting when filled in, else ``SHARE_NETWORKS``."""
    if site is not None:
        # Of the page's own site (not the request's): one query for the one column it needs
        # (the settings row is wide: cards, images, profiles).
        stored = (SocialMediaSettings.objects.filter(site=site)
                  .values_list("share_networks", flat=True).first())
        chosen = [block.value for block in stored or ()]
        if chosen:
            return chosen
    return list(smo_settings.SHARE_NETWORKS)


def share_links(
    page: Page,
    networks: str | Iterable[str] | None = None,
    *,
    request: HttpRequest | None = None,
    meta: SocialMeta | None = None,
) -> list[ShareLink]:
    """Share links of ``page`` for ``networks`` (default: the site's list), in that order.

    A page with no URL (not routable) has no share links. Unknown names are left out with a
    warning: the system check reports them in settings, and a template typo never breaks a page.
    """
    meta = meta or resolve_for_request(page, request)
    if not meta.url:
        return []
    keys = parse_networks(networks)
    if keys is None:
        keys = site_networks(page.get_site())
    links = []
    targets = share_targets()  # once per call, not once per button
    for key in dict.fromkeys(keys):  # keep the order, drop repeats
        network = targets.get(key)
        if network is None:
            logger.warning("wagtail-smo: unknown share network %r left out", key)
            continue
        links.append(_link(network, meta, meta.url, page))
    return links


def _link(network: ShareTarget, meta: SocialMeta, url: str, page: Page) -> ShareLink:
    """The share link of ``network`` for the page at ``url`` (tagged with UTM when it wants)."""
    url = build_utm_url(url, network.key, page=page) if network.utm else url
    return ShareLink(
        network=network.key,
        label=str(network.label),
        name=network.accessible_name,
        href=network.build(meta, url),
        kind=network.kind,
        icon=icon_svg(network.key),
    )
