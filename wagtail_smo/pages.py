"""Page look-ups every output shares: the one place for each (DESIGN.md, module map).

- the Site serving a URL (``site_for_url``, ``site_for_host``), matched as Wagtail matches a
  request's Host header, but never falling back to the default site for an unknown host;
- the live public page at a URL or site-relative path (``page_at_url``), routed as Wagtail's serve
  view routes it (percent-decoded, locale prefix of ``i18n_patterns``, ``page.route()``);
- the section of a page (``section_of``, ``is_section``, ``section_pages``): a *section* is a
  page with child pages below its site's home page (docs/feeds.md); a page's section is the page
  itself when it has children, otherwise its parent, and never a home page;
- the pages the public may see (``visible_pages``, ``is_public``): live, with no view restriction
  on them or an ancestor, under a site's root or a section;
- the one date of a page in SQL (``with_page_date``, ``PAGE_DATE``), for orders and filters.

Imports Wagtail, Django and ``wagtail_smo.models`` only: meta, feeds, posts, share, api, editor and
audit build on it.
"""

from __future__ import annotations

from contextlib import nullcontext
from functools import cache
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.conf.urls.i18n import is_language_prefix_patterns_used
from django.core.exceptions import FieldDoesNotExist
from django.db.models import (
    DateField,
    DateTimeField,
    F,
    Model,
    OneToOneField,
    Q,
    QuerySet,
)
from django.db.models.expressions import Combinable
from django.db.models.functions import Cast, Coalesce, TruncDate
from django.http import Http404
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.encoding import punycode
from wagtail.models import Page, Site, get_page_models
from wagtail.query import PageQuerySet

__all__ = [
    "PAGE_DATE", "PAGE_DAY", "AddressError", "is_public", "is_section", "page_at_url", "section_of",
    "section_pages", "site_for_host", "site_for_url", "visible_pages", "with_page_date",
]


class AddressError(ValueError):
    """The address is malformed (not a missing page: that is ``None``)."""


# --- the Site for a URL ---------------------------------------------------------------------


def site_for_url(url: str) -> Site | None:
    """The Site serving the absolute http(s) ``url`` (None for a host no Site has).

    Raises ``AddressError`` when ``url`` is not an absolute http(s) URL or its port is invalid.
    """
    hostname, port, _path = _absolute_parts(url)
    return site_for_host(hostname, port)


def site_for_host(hostname: str, port: int) -> Site | None:
    """The Site for ``hostname`` and ``port`` as Wagtail picks it for a request to them.

    As ``wagtail.models.sites.get_site_for_hostname``: the site with this hostname and port, else
    this hostname's default site, else the only site with this hostname. Unlike a request, an
    unknown hostname does not fall back to the default site: a URL of another host is not a URL
    of this site. Hostnames compare case-insensitively and an IDN host matches in its Unicode or
    its punycode form, whichever the Site was saved with.
    """
    sites = list(sites_with_hostname(hostname))
    for matches in (
        lambda site: site.port == port,
        lambda site: site.is_default_site,
    ):
        found = [site for site in sites if matches(site)]
        if found:
            return found[0]
    return sites[0] if len(sites) == 1 else None


def sites_with_hostname(hostname: str) -> QuerySet[Site]:
    """Every Site saved with ``hostname``, in any letter case, in its Unicode or punycode form."""
    forms = _host_forms(hostname)
    if not forms:
        return Site.objects.none()
    query = Q()
    for form in forms:
        query |= Q(hostname__iexact=form)
    return Site.objects.filter(query).select_related("root_page").order_by("pk")


def _host_forms(hostname: str) -> set[str]:
    """``hostname`` lower-cased in its Unicode and punycode forms (empty when it is not valid)."""
    # A trailing dot names the same host (a fully qualified name), as Django's split_domain_port.
    host = hostname.strip().lower().rstrip(".")
    if not host:
        return set()
    try:
        ascii_form = punycode(host).lower()
        unicode_form = ascii_form.encode("ascii").decode("idna").lower()
    except UnicodeError:  # an empty or over-long label, or broken punycode
        return set()
    return {host, ascii_form, unicode_form}


def _absolute_parts(url: str) -> tuple[str, int, str]:
    """(hostname, port, path) of an absolute http(s) URL; ``AddressError`` otherwise."""
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise AddressError(f"not an absolute http(s) URL: {url!r}")
    try:
        port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
    except ValueError as exc:
        raise AddressError(f"bad port in {url!r}") from exc
    return parts.hostname, port, parts.path or "/"


# --- the live public page at a URL ----------------------------------------------------------


def page_at_url(url: str, site: Site | None = None) -> Page | None:
    """The live page the public sees at ``url`` (specific), or None.

    ``url`` is absolute (its own host and port pick the site; ``site`` is not used) or a path on
    ``site`` ("/blog/post/"; a query string or fragment is ignored). None when no page is routed
    there, or the page is not live or sits under a view restriction. Raises ``AddressError`` for a
    scheme other than http(s), a host without one ("//host/path"), or a path without a site.
    """
    parts = urlsplit(url.strip())
    if parts.scheme or parts.netloc:
        hostname, port, path = _absolute_parts(url)
        site = site_for_host(hostname, port)
        if site is None:
            return None
    elif site is None:
        raise AddressError(f"not an absolute http(s) URL, and no site for the path {url!r}")
    else:
        path = parts.path
    page = _route(site, path)
    return page if page is not None and is_public(page) else None


def is_public(page: Page) -> bool:
    """Whether anyone may see ``page``: live, no view restriction on it or an ancestor."""
    return bool(page.live) and not page.get_view_restrictions().exists()


def _route(site: Site, path: str) -> Page | None:
    """The page Wagtail's serve view routes ``path`` to on ``site`` (live or not), or None."""
    # The server decodes the path before Django resolves it: canonical links carry non-ASCII
    # slugs percent-encoded (reverse() encodes them), the page tree holds them decoded.
    path = unquote(path or "/")
    if not path.startswith("/"):
        path = "/" + path
    used, prefix_default = is_language_prefix_patterns_used(settings.ROOT_URLCONF)
    language = None
    if used:
        # The language the URL's prefix activates; without prefix_default_language an
        # unprefixed path is in the default language, else Django only redirects from it.
        language = translation.get_language_from_path(path) or (
            None if prefix_default else settings.LANGUAGE_CODE)
        if language is None:
            return None
    with translation.override(language) if language else nullcontext():
        page_path = _serve_path(path)
        if page_path is None:
            return None
        # As the serve view: the root's translation in the URL's language (with i18n_patterns).
        root = site.root_page.localized if language else site.root_page
        components = [component for component in page_path.split("/") if component]
        try:
            return root.specific.route(None, components)[0]
        except Http404:
            return None


def _serve_path(path: str) -> str | None:
    """The part of ``path`` after the prefix of Wagtail's serve URL ("/", "/fr/", "/pages/")."""
    try:
        prefix = reverse("wagtail_serve", args=("",))
    except NoReverseMatch:  # headless: no serve view, the path is the page's path on its site
        prefix = "/"
    if not path.startswith(prefix) and path + "/" != prefix:
        return None
    return path[len(prefix):]


# --- the section of a page ------------------------------------------------------------------


def is_section(page: Page) -> bool:
    """Whether ``page`` is a section (it has child pages): it has its own feed (docs/feeds.md)."""
    return page.numchild > 0


def section_of(
    page: Page, site: Site | None = None, ancestors: list[Page] | None = None
) -> Page | None:
    """The section of ``page``: itself when it has child pages, else its parent; never a home page.

    ``site`` is the page's site (found from Wagtail's site root paths when None). ``ancestors``,
    when the caller has them, are the page's ancestors from its site's home page down (as
    ``meta.tree.site_ancestors`` gives them): no query is made then.
    """
    # An unsaved page (a preview of a new one) has no place in the tree yet; no ancestors below
    # the home page means the page is a home page (or above one).
    if not page.pk or not page.depth or (ancestors is not None and not ancestors):
        return None
    place = _section_place(page, _home_depth(page, site, ancestors))
    if place is None:
        return None
    path, _depth = place
    if path == page.path:
        return page
    if ancestors and ancestors[-1].path == path:
        return ancestors[-1]
    return page.get_parent()


def section_pages(
    page: Page, pages: QuerySet | None = None, site: Site | None = None
) -> QuerySet:
    """The pages of ``page``'s section among ``pages`` (default ``visible_pages()``).

    The section's descendants, found without fetching the section; empty when the page has no
    section (a home page, or a leaf right below one).
    """
    pages = visible_pages() if pages is None else pages
    if not page.pk or not page.depth:
        return pages.none()
    place = _section_place(page, _home_depth(page, site, None))
    if place is None:
        return pages.none()
    path, depth = place
    return pages.filter(path__startswith=path, depth__gt=depth)


def _section_place(page: Page, home_depth: int) -> tuple[str, int] | None:
    """(path, depth) of ``page``'s section, or None; a home page is at ``home_depth``."""
    if page.depth <= home_depth:
        return None
    if is_section(page):
        return page.path, page.depth
    if page.depth - 1 <= home_depth:
        return None
    return page.path[: -page.steplen], page.depth - 1


def _home_depth(page: Page, site: Site | None, ancestors: list[Page] | None) -> int:
    """The depth of the home page of ``page``'s site (2, Wagtail's default, when none holds it)."""
    if ancestors:
        return ancestors[0].depth
    if site is not None:
        return site.root_page.depth
    # Most specific first, and cached by Wagtail: no query once warm. A translation of a site's
    # root page has its own root path, at the same depth.
    for root in Site.get_site_root_paths():
        if page.url_path and page.url_path.startswith(root.root_path):
            return root.root_path.count("/")
    return 2


def sections(site: Site | None = None) -> PageQuerySet:
    """Every section (a page with child pages below its site's home page), of ``site`` or all."""
    roots = [site] if site is not None else Site.objects.select_related("root_page")
    query = Q()
    for root in roots:
        home = root.root_page
        query |= Q(path__startswith=home.path, depth__gt=home.depth)
    return Page.objects.filter(query, numchild__gt=0) if query else Page.objects.none()


# --- the pages the public may see -----------------------------------------------------------


def visible_pages(
    site: Site | None = None, section: Page | None = None, *, listed: bool = False
) -> PageQuerySet:
    """Pages the public may see: live, no view restriction on them or an ancestor (base ``Page``).

    With ``section``, only its descendants (not the section itself); else with ``site``, its root
    page and the root's descendants; else every site's. ``listed``: leave out the pages whose
    editor ticked *exclude from feeds* (feeds, exports, read-next lists).
    """
    queryset = Page.objects.live().public()
    if section is not None:
        queryset = queryset.descendant_of(section)
    elif site is not None:
        queryset = queryset.descendant_of(site.root_page, inclusive=True)
    if listed:
        excluded = _excluded_from_feeds()
        if excluded is not None:
            queryset = queryset.exclude(excluded)
    return queryset


def _excluded_from_feeds() -> Q | None:
    """A filter on the base Page table matching pages whose editor ticked exclude_from_feeds.

    ``exclude_from_feeds`` lives on each concrete page model (the ``SocialMetaMixin``); pages
    whose model lacks it are never excluded.
    """
    query = None
    for lookup in _excluded_lookups():
        clause = Q(**{lookup: True})
        query = clause if query is None else query | clause
    return query


@cache
def _excluded_lookups() -> tuple[str, ...]:
    """The lookup from ``Page`` of each model's own ``exclude_from_feeds`` column: a LEFT JOIN of
    that model's table (shared with the page date's joins), not a subquery per model."""
    lookups = []
    for model in get_page_models():
        if model._meta.abstract or model is Page or not _has_own_field(model, "exclude_from_feeds"):
            continue
        path = _path_from_page(model)
        if path:
            lookups.append(f"{path}__exclude_from_feeds")
    return tuple(lookups)


def _has_own_field(model: type[Page], name: str) -> bool:
    return any(field.name == name for field in model._meta.get_fields())


# --- the one date of a page -----------------------------------------------------------------

#: The annotations ``with_page_date`` adds: the moment (orders, filters) and the day (display).
PAGE_DATE = "smo_date"
PAGE_DAY = "smo_day"


@cache
def _date_lookups() -> tuple[tuple[str, bool], ...]:
    """(lookup from ``Page``, is a datetime) of each date field a page model names in
    ``smo_published_field``; page models are fixed once Django has started."""
    found: dict[str, bool] = {}
    for model in get_page_models():
        name = getattr(model, "smo_published_field", None)
        if model._meta.abstract or not name:
            continue
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue  # a callable attribute: Python only, pages keep their first publication
        if not isinstance(field, DateField):  # DateTimeField is a DateField too
            continue
        path = _path_from_page(field.model)
        if path is not None:  # a subclass naming its parent's field shares the parent's column
            found.setdefault(f"{path}__{field.name}", isinstance(field, DateTimeField))
    return tuple(found.items())


def _path_from_page(model: type[Model]) -> str | None:
    """The lookup from ``Page`` down to ``model`` through the parent links ("blogpage")."""
    steps = []
    while model is not Page:
        parent = next((p for p in model._meta.parents if issubclass(p, Page)), None)
        link = model._meta.parents[parent] if parent is not None else None
        if parent is None or not isinstance(link, OneToOneField):
            return None
        steps.append(link.related_query_name())
        model = parent
    return "__".join(reversed(steps))


def with_page_date(queryset: QuerySet) -> QuerySet:
    """``queryset`` (base ``Page`` rows) annotated with each page's one date.

    The date docs/meta.md#dates defines, as the resolver's ``published_time`` reads it: the field
    the page's model names in ``smo_published_field`` when it is a date or datetime field with a
    value, else the first publication. ``smo_date`` is a datetime (feeds and read-next lists
    order by it, exports filter by it); ``smo_day`` the calendar day to show, in the current
    time zone (a date field's own day, not midnight UTC moved into another zone).
    """
    moments: list[Combinable] = []
    days: list[Combinable] = []
    for lookup, is_datetime in _date_lookups():
        value = F(lookup)
        if is_datetime:
            moments.append(value)
            days.append(TruncDate(value))
        else:
            moments.append(Cast(value, output_field=DateTimeField()))
            days.append(value)
    return queryset.annotate(**{
        PAGE_DATE: Coalesce(*moments, F("first_published_at"), output_field=DateTimeField()),
        PAGE_DAY: Coalesce(*days, TruncDate("first_published_at"), output_field=DateField()),
    })
