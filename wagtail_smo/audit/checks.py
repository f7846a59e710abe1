"""The SMO checks: plain functions of (page, SocialMeta, AuditContext) yielding findings.

The editor's checks panel, the "Social cards" preview and ``manage.py smo_audit`` all run this
one list (``CHECKS``), so an editor and a CI job always see the same problems.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterable, Iterator
from urllib.parse import urlsplit

from django.utils.translation import gettext as _
from wagtail.models import Page

from ..images.layouts import get_layout
from ..images.spec import LARGE_CARD_MIN, CardError
from ..meta.cards import card_spec
from ..meta.resolver import SocialMeta
from ..meta.sources import GENERATED, MISSING, SMALL_IMAGE, Source
from ..meta.text import DESCRIPTION_TAG_MAX
from . import limits
from .context import AuditContext
from .findings import Finding, Level
from .images import check_alt_length, check_image_needs
from .images import extension as _extension
from .sources import describe_source, image_of_source
from .wording import cut_by

Check = Callable[..., Iterable[Finding]]

# Host names that no crawler on the internet can reach.
_LOCAL_SUFFIXES = (".localhost", ".local", ".internal", ".lan", ".home", ".test", ".invalid",
                   ".example")


def check_image(page: Page, meta: SocialMeta, context: AuditContext) -> Iterator[Finding]:
    """No image, an unreadable image, an image that is too small or in a rejected format."""
    source = meta.sources.get("image", MISSING)
    if meta.image is None:
        if source.is_left_out:
            yield _left_out_finding(page, source, context)
        else:
            yield Finding(
                Level.ERROR, "image-missing",
                _("No image (%(reason)s): networks show a plain link, or pick a random image.")
                % {"reason": describe_source(page, source)},
                _("Choose a Social image in the Social tab, or set a site default image."),
            )
        return
    original = context.image(meta.image.image_id)
    title = " ".join(str(getattr(original, "title", "")).split())
    if not meta.image.alt or (title and meta.image.alt == title):
        yield Finding(
            Level.WARNING, "image-alt-missing",
            _("The image has no alt text: people using screen readers hear only its file title."),
            _("Describe the image in “Social image alt text” (Social tab)."),
        )


def check_alt_image(page: Page, meta: SocialMeta, context: AuditContext) -> Iterator[Finding]:
    """An alt text written for another image than the page's social image now is."""
    written_for = getattr(page, "social_image_alt_for", None)
    image_id = getattr(page, "social_image_id", None)
    if written_for is None or image_id is None or written_for == image_id:
        return
    if not (getattr(page, "social_image_alt", "") or "").strip():
        return
    yield Finding(
        Level.WARNING, "image-alt-other-image",
        _("The social image alt text was written for another image: the card describes a "
          "picture it does not show."),
        _("Describe the current image in “Social image alt text” (Social tab)."),
    )


def check_title(page: Page, meta: SocialMeta, context: AuditContext) -> Iterator[Finding]:
    """Titles longer than the networks show, and titles shared with another live page."""
    length = len(meta.title)
    where = describe_source(page, meta.sources.get("title", MISSING))
    groups = limits.field_limits("title")
    cut = [(limit, networks) for limit, networks in reversed(groups) if length > limit]
    if cut:
        shown = [(limit, networks) for limit, networks in groups if length <= limit]
        yield Finding(
            Level.WARNING, "title-too-long",
            _("The title (%(where)s) is %(n)s characters: %(cut)s.")
            % {"where": where, "n": length, "cut": cut_by(cut, shown)},
            _("Write a Social title of at most %(max)s characters in the Social tab.")
            % {"max": groups[0][0]},
        )
    shared = context.pages_sharing_title(page, meta.title)
    if shared:
        names = ", ".join(f"“{title}” (id {pk})" for pk, title in shared)
        yield Finding(
            Level.WARNING, "title-duplicate",
            _("Another live page has the same social title: %(pages)s.") % {"pages": names},
            _("Give this page its own Social title so that shares can be told apart."),
        )


def check_description(page: Page, meta: SocialMeta, context: AuditContext) -> Iterator[Finding]:
    """Description missing, or outside the 50–200 characters that cards show well."""
    if not meta.description:
        yield Finding(
            Level.WARNING, "description-missing",
            _("No description: networks show only the title, or text they pick themselves."),
            _("Write a Social description (50–200 characters) in the Social tab."),
        )
        return
    length = len(meta.description)
    where = describe_source(page, meta.sources.get("description", MISSING))
    # The longest description a network declares it shows (networks' own limits, registry).
    longest = limits.longest("description") or length
    if length < limits.DESCRIPTION_MIN:
        yield Finding(
            Level.WARNING, "description-too-short",
            _("The description (%(where)s) is only %(n)s characters; %(min)s–%(max)s work best.")
            % {"where": where, "n": length, "min": limits.DESCRIPTION_MIN, "max": longest},
            _("Write a Social description of 50–200 characters in the Social tab."),
        )
    elif length > longest:
        yield Finding(
            Level.WARNING, "description-too-long",
            _("The description (%(where)s) is %(n)s characters: networks cut it after about "
              "%(max)s.") % {"where": where, "n": length, "max": longest}
            + (" " + _("The page's tags carry its first %(tag)s characters, cut at a word.")
               % {"tag": DESCRIPTION_TAG_MAX} if length > DESCRIPTION_TAG_MAX else ""),
            _("Shorten the Social description to at most %(max)s characters.") % {"max": longest},
        )


def check_routable(page: Page, meta: SocialMeta, context: AuditContext) -> Iterator[Finding]:
    """A page without a public URL (outside every site's tree) cannot be shared at all."""
    if meta.url is None:
        yield Finding(
            Level.ERROR, "page-not-routable",
            _("The page has no public address (it is not under any site's home page), so it "
              "cannot be shared."),
            _("Move it under the site's home page, or add a site for its tree in Settings › "
              "Sites."),
        )


def check_site(page: Page, meta: SocialMeta, context: AuditContext) -> Iterator[Finding]:
    """The page's site must have a root URL that crawlers on the internet can reach."""
    site = context.site_for(page)
    if site is None:
        return  # no site at all: check_routable reports the page
    host = (urlsplit(site.root_url).hostname or "").lower()
    if not is_public_host(host):
        yield Finding(
            Level.WARNING, "site-root-url",
            _("The site's address %(url)s cannot be reached by the networks' crawlers, so "
              "cards show no image or no preview at all.") % {"url": site.root_url},
            _("Set the site's hostname in Settings › Sites to its public domain name."),
            scope="site",
        )


def check_generated_card(page: Page, meta: SocialMeta, context: AuditContext) -> Iterator[Finding]:
    """A generated card shared instead of a too-small image, and a title the card's layout
    has to cut."""
    source = meta.sources.get("image", MISSING)
    if meta.image is None or source.kind != GENERATED:
        return
    if source.detail == SMALL_IMAGE:
        yield Finding(
            Level.WARNING, "image-too-small",
            _("The page's image is smaller than %(w)s×%(h)s pixels, too small for a large card, "
              "so a generated card is shared instead.")
            % {"w": LARGE_CARD_MIN[0], "h": LARGE_CARD_MIN[1]},
            _("Choose an image of at least 1200×630 pixels, or keep the generated card."),
        )
    from ..models import SocialMediaSettings  # at call time, as describe_source does

    site = context.site_for(page)
    settings = SocialMediaSettings.for_site(site) if site else None
    try:
        spec = card_spec(settings, title=meta.title, section=meta.section,
                         published=meta.published_time, site_name=meta.site_name)
        fitted = get_layout(spec.layout).fit_title(spec)
    except CardError:
        return  # the resolver has logged the setting at fault, and shares no card then
    if fitted.cut:
        shown = " ".join(fitted.lines)
        yield Finding(
            Level.WARNING, "card-title-cut",
            _("The title is too long for the generated card's layout: the card shows “%(shown)s”.")
            % {"shown": shown},
            _("Write a shorter Social title in the Social tab (about %(n)s characters fit).")
            % {"n": max(1, len(shown) - 1)},
        )


def _left_out_finding(page: Page, source: Source, context: AuditContext) -> Finding:
    """Say why the image named by ``source`` cannot be used: a missing file or its format."""
    found_in = Source(source.kind, source.field, page_id=source.page_id)  # where, not the fault
    image = image_of_source(page, found_in, context)
    where = describe_source(page, found_in)
    name = getattr(getattr(image, "file", None), "name", "") or ""
    if image is not None and name and image.file.storage.exists(name):
        ext = _extension(name)
        if ext not in limits.CRAWLER_EXTENSIONS:
            return Finding(
                Level.ERROR, "image-format",
                _("The image (%(where)s) is a %(fmt)s file, which crawlers (LinkedIn, Facebook, "
                  "X) reject, so cards show no image.") % {"where": where, "fmt": ext.upper()},
                _("Upload a JPEG or PNG, or add |format-jpeg to WAGTAIL_SMO['IMAGE_FILTER']."),
            )
    return Finding(
        Level.ERROR, "image-unreadable",
        _("The image (%(where)s) cannot be read, so cards show no image.") % {"where": where},
        _("Choose another image, or upload the file again in Images."),
    )


def is_public_host(host: str) -> bool:
    """True when ``host`` looks reachable from the internet (not local, private or bare)."""
    if not host or host == "localhost" or host.endswith(_LOCAL_SUFFIXES):
        return False
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return "." in host  # a bare name like "intranet" only resolves inside a network
    return address.is_global


#: Every check, in the order their findings are shown.
CHECKS: tuple[Check, ...] = (
    check_routable,
    check_site,
    check_image,
    check_alt_image,
    check_image_needs,
    check_alt_length,
    check_generated_card,
    check_title,
    check_description,
)
