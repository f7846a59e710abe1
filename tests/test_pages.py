"""wagtail_smo.pages: the Site for a URL, the public page at a URL, sections, visible pages.

Real pages of the demo content; URLs are the ones the site itself prints (Wagtail's ``full_url``
and the canonical link of the served HTML, read with the meta parser), never built by the code
under test.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from wagtail.models import Page, PageViewRestriction, Site

from example_site.blog.models import BlogIndexPage, BlogPage, NewsPage
from tests.meta_parsing import parse_head
from tests.translations import i18n, translate  # noqa: F401 (fixture)
from wagtail_smo.feeds import feed_links_for
from wagtail_smo.meta import resolve
from wagtail_smo.pages import (
    AddressError,
    is_public,
    page_at_url,
    section_of,
    section_pages,
    sections,
    site_for_host,
    site_for_url,
    visible_pages,
)
from wagtail_smo.share.read_next import read_next_pages

pytestmark = pytest.mark.django_db

POST = "/blog/social-cards-explained/"


def post() -> BlogPage:
    return BlogPage.objects.get(slug="social-cards-explained")


def add(parent: Page, page: Page, *, live: bool = True) -> Page:
    """``page`` saved under ``parent`` and published (or left a draft)."""
    page.live = False
    parent.add_child(instance=page)
    if live:
        page.save_revision().publish()
        page.refresh_from_db()
    return page


def canonical_link(client, page: Page) -> str:
    """The canonical URL the served page prints in its ``<head>``."""
    response = client.get(page.url)
    assert response.status_code == 200
    return parse_head(response.content.decode()).links["canonical"][0]


@pytest.fixture
def other_site(demo_content) -> Site:
    """A second site, other.example:8080, with a home page and one live post of its own."""
    home = add(Page.objects.get(depth=1), BlogIndexPage(title="Other home", slug="other-home"))
    add(home, BlogPage(title="Only on the other site", slug="only-there"))
    return Site.objects.create(hostname="other.example", port=8080, root_page=home)


# --- the Site for a URL ---------------------------------------------------------------------


@pytest.mark.parametrize("url", [
    "http://localhost/", "http://LOCALHOST/blog/", "http://LocalHost:80/", "http://localhost./",
    "http://localhost" + POST + "?utm_source=x#top",
])
def test_site_for_url_matches_host_case_insensitively_on_the_default_port(demo_content, url):
    assert site_for_url(url) == demo_content


def test_site_for_url_port_rules(demo_content, other_site):
    assert site_for_url("http://other.example:8080/") == other_site
    # The only site on a hostname answers on any port (as Wagtail), ...
    assert site_for_url("http://other.example/") == other_site
    second = Site.objects.create(hostname="other.example", port=443,
                                 root_page=other_site.root_page)
    assert site_for_url("https://other.example/") == second  # https means port 443
    assert site_for_url("http://other.example:8080/") == other_site
    # ... but of several sites on a hostname without the port asked for, none is guessed.
    assert site_for_url("http://other.example:9000/") is None
    # The hostname's default site answers for its other ports.
    Site.objects.filter(pk=second.pk).update(is_default_site=True)
    Site.objects.filter(pk=demo_content.pk).update(is_default_site=False)
    assert site_for_url("http://other.example:9000/") == second


def test_an_unknown_host_is_not_the_default_site(demo_content):
    # Wagtail serves unknown hosts from the default site; a URL of another host is not ours.
    assert demo_content.is_default_site
    assert site_for_url("http://elsewhere.example/blog/") is None
    assert page_at_url("http://elsewhere.example" + POST) is None


@pytest.mark.parametrize("saved,asked", [
    ("пример.рф", "http://xn--e1afmkfd.xn--p1ai/"),
    ("пример.рф", "http://ПРИМЕР.РФ/"),
    ("xn--e1afmkfd.xn--p1ai", "http://пример.рф/"),
    ("xn--e1afmkfd.xn--p1ai", "http://XN--E1AFMKFD.xn--P1AI/"),
])
def test_idn_hosts_match_in_unicode_or_punycode(demo_content, saved, asked):
    site = Site.objects.create(hostname=saved, port=80, root_page=demo_content.root_page)
    assert site_for_url(asked) == site
    assert site_for_host(asked.split("/")[2], 80) == site


@pytest.mark.parametrize("url", ["ftp://localhost/", "/blog/", "//localhost/blog/",
                                 "http:///blog/", "http://localhost:99999/"])
def test_site_for_url_refuses_what_is_not_an_absolute_http_url(demo_content, url):
    with pytest.raises(AddressError):
        site_for_url(url)


# --- the public page at a URL ---------------------------------------------------------------


def test_page_at_the_urls_the_site_prints(client, demo_content):
    page = post()
    assert page_at_url(page.full_url) == page
    assert page_at_url(canonical_link(client, page)) == page
    home = demo_content.root_page_id
    assert page_at_url("http://localhost").pk == page_at_url("http://localhost/").pk == home


@pytest.mark.parametrize("address", [
    POST, POST + "?utm_source=x&utm_medium=y", POST + "#comments", POST.rstrip("/"),
    "blog/social-cards-explained/",
])
def test_page_at_a_site_relative_path(demo_content, address):
    found = page_at_url(address, demo_content)
    assert found == post() and isinstance(found, BlogPage)  # the specific page, as routed


def test_a_path_needs_a_site(demo_content):
    with pytest.raises(AddressError):
        page_at_url(POST)


def test_percent_encoded_unicode_slug_as_the_site_prints_it(client, demo_content):
    blog = BlogIndexPage.objects.get(slug="blog")
    page = add(blog, BlogPage(title="Кошки и карточки", slug="кошки-и-карточки"))
    canonical = canonical_link(client, page)
    assert "%D0%BA%D0%BE%D1%88%D0%BA%D0%B8" in canonical  # the server's view: encoded
    assert page_at_url(canonical) == page
    assert page_at_url(page.full_url) == page
    assert page_at_url("http://localhost/blog/кошки-и-карточки/") == page
    assert page_at_url("/blog/%D0%BA%D0%BE%D1%88%D0%BA%D0%B8-%D0%B8-"
                       "%D0%BA%D0%B0%D1%80%D1%82%D0%BE%D1%87%D0%BA%D0%B8/", demo_content) == page


def test_no_page_for_drafts_unknown_paths_and_other_views(demo_content):
    blog = BlogIndexPage.objects.get(slug="blog")
    draft = add(blog, BlogPage(title="Draft", slug="a-draft"), live=False)
    assert page_at_url(f"http://localhost/blog/{draft.slug}/") is None
    unpublished = post()
    unpublished.unpublish()
    assert page_at_url("http://localhost" + POST) is None
    assert page_at_url("http://localhost/blog/no-such-post/") is None
    # URLs of other views of the site are no page's.
    assert page_at_url("/smo/feeds/rss.xml", demo_content) is None
    assert page_at_url("/smo/feeds/blog/rss.xml", demo_content) is None


@pytest.mark.parametrize("restriction", [
    {"restriction_type": PageViewRestriction.PASSWORD, "password": "s3cret"},
    {"restriction_type": PageViewRestriction.LOGIN},
    {"restriction_type": PageViewRestriction.GROUPS},
])
@pytest.mark.parametrize("on", ["post", "section"])
def test_no_page_under_a_view_restriction(demo_content, restriction, on):
    page = post()
    assert page_at_url(page.full_url) == page
    target = page if on == "post" else page.get_parent()
    view_restriction = PageViewRestriction.objects.create(page=target, **restriction)
    if restriction["restriction_type"] == PageViewRestriction.GROUPS:
        view_restriction.groups.add(Group.objects.get_or_create(name="Members")[0])
    assert page_at_url(page.full_url) is None
    assert not is_public(page)


def test_a_page_of_another_site_only_at_its_own_site(demo_content, other_site):
    there = BlogPage.objects.get(slug="only-there")
    assert there.full_url == "http://other.example:8080/only-there/"
    assert page_at_url(there.full_url) == there
    assert page_at_url("http://localhost/only-there/") is None
    assert page_at_url("/only-there/", demo_content) is None
    assert page_at_url("http://other.example:8080" + POST) is None


@pytest.fixture
def french(i18n, demo_content):  # noqa: F811 (fixture)
    """The post and its French translation, with Wagtail's site root paths read afresh."""
    page = post()
    translated = BlogPage.objects.get(pk=translate(page, "fr").pk)
    cache.clear()
    return page, translated


@pytest.mark.parametrize("urlconf,english_prefix", [
    ("tests.urls_i18n", "/en"), ("tests.urls_i18n_unprefixed", ""),
])
def test_locale_prefixes_of_i18n_patterns(settings, french, urlconf, english_prefix):
    settings.ROOT_URLCONF = urlconf
    english, translated = french
    assert english.full_url == f"http://localhost{english_prefix}{POST}"
    assert translated.full_url.startswith("http://localhost/fr/")
    assert page_at_url(english.full_url) == english
    assert page_at_url(translated.full_url) == translated
    assert page_at_url(f"{english_prefix}{POST}", Site.objects.get()) == english
    assert page_at_url("http://localhost/de" + POST) is None  # not a language of the site
    if english_prefix:  # the default language has a prefix too: without it, no page
        assert page_at_url("http://localhost" + POST) is None


# --- the section of a page ------------------------------------------------------------------


def test_section_at_several_depths(demo_content):
    home = Page.objects.get(pk=demo_content.root_page_id)
    blog = BlogIndexPage.objects.get(slug="blog")
    year = add(blog, BlogIndexPage(title="2026", slug="2026"))
    nested = add(year, BlogPage(title="Nested", slug="nested"))
    top_leaf = add(home, BlogPage(title="About", slug="about"))
    expected = {
        home: None,              # a home page is never a section
        top_leaf: None,          # a leaf right below the home page has none
        blog: blog,              # a page with child pages is its own section
        post(): blog,            # a leaf: its parent
        year: year,
        nested: year,
    }
    for page, section in expected.items():
        # The section as a base or a specific page: compare ids.
        assert getattr(section_of(page), "pk", None) == getattr(section, "pk", None), page.title
        found = section_of(page, demo_content)
        assert getattr(found, "pk", None) == getattr(section, "pk", None), page.title
        # Every output reads the same section: the meta (article:section) and the feed links.
        assert resolve(page.specific).section == (section.title if section else "")
        links = {(link.scope, link.kind): link.url for link in feed_links_for(page)}
        assert (("section", "rss") in links) == (section is not None)
        if section is not None:
            assert links["section", "rss"].endswith(f"/smo/feeds/{section.url_path[6:]}rss.xml")
        assert set(section_pages(page).values_list("pk", flat=True)) == (
            set(Page.objects.descendant_of(section).live().values_list("pk", flat=True))
            if section else set())


def test_section_of_a_translation_is_never_its_home_page(french):
    english, translated = french
    french_home = translated.get_ancestors().get(depth=2)
    leaf = add(french_home, BlogPage(title="À propos", slug="a-propos", locale=translated.locale))
    assert section_of(leaf) is None
    assert resolve(leaf).section == ""
    assert section_of(translated).pk == translated.get_parent().pk
    assert resolve(translated).section == translated.get_parent().title


def test_read_next_lists_the_section_of_the_page(demo_content):
    blog = BlogIndexPage.objects.get(slug="blog")
    year = add(blog, BlogIndexPage(title="2026", slug="2026"))
    nested = add(year, BlogPage(title="Nested", slug="nested"))
    # An index page's section is itself: its newest pages, not its sibling indexes.
    assert [p.pk for p in read_next_pages(year, 3)] == [nested.pk]
    assert nested.pk in [p.pk for p in read_next_pages(post(), 10)]


# --- the visible pages of a site ------------------------------------------------------------


def test_visible_pages_leave_out_drafts_restricted_and_other_sites(demo_content, other_site):
    blog = BlogIndexPage.objects.get(slug="blog")
    draft = add(blog, BlogPage(title="Draft", slug="a-draft"), live=False)
    private = add(blog, BlogIndexPage(title="Private", slug="private"))
    under_private = add(private, BlogPage(title="Under private", slug="under-private"))
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    excluded = add(blog, BlogPage(title="Not in feeds", slug="not-in-feeds",
                                  exclude_from_feeds=True))

    site_pages = set(visible_pages(demo_content))
    tree = Page.objects.descendant_of(demo_content.root_page, inclusive=True)
    assert Page.objects.get(pk=demo_content.root_page_id) in site_pages
    assert site_pages == {p for p in tree if p.live and p.pk not in (private.pk, under_private.pk)}
    assert {draft.pk, private.pk, under_private.pk}.isdisjoint(p.pk for p in site_pages)
    assert excluded.pk in {p.pk for p in site_pages}
    assert BlogPage.objects.get(slug="only-there").pk not in {p.pk for p in site_pages}

    section = {p.pk for p in visible_pages(demo_content, blog)}
    assert blog.pk not in section and post().pk in section and excluded.pk in section
    assert not section & {p.pk for p in NewsPage.objects.all()}
    listed = {p.pk for p in visible_pages(demo_content, blog, listed=True)}
    assert listed == section - {excluded.pk}
    everywhere = {p.pk for p in visible_pages()}
    assert BlogPage.objects.get(slug="only-there").pk in everywhere


# --- the callers ----------------------------------------------------------------------------


def test_endpoint_and_import_accept_the_links_the_site_prints(client, demo_content):
    import csv
    import datetime
    import io

    from django.utils import timezone

    from wagtail_smo.posts.importing import import_schedule

    blog = BlogIndexPage.objects.get(slug="blog")
    page = add(blog, BlogPage(title="Кошки", slug="кошки"))
    canonical = canonical_link(client, page)
    response = client.get("/smo/meta/", {"url": canonical})
    assert response.status_code == 200 and response.json()["url"] == canonical
    assert client.get("/smo/meta/", {"url": "HTTP://LOCALHOST" + POST}).status_code == 200
    assert client.get("/smo/meta/", {"path": "http://localhost" + POST}).status_code == 400

    when = (timezone.localtime() + datetime.timedelta(days=3)).strftime("%Y-%m-%d %H:%M")
    buffer = io.StringIO()
    csv.writer(buffer).writerows([
        ["channel", "datetime", "text", "link"],
        ["mastodon-demo", when, "Кошки", canonical],
        ["x-demo", when, "An upper-case host", "HTTP://LOCALHOST" + POST + "?utm_source=x"],
    ])
    result = import_schedule(buffer.getvalue(), dry_run=True)
    assert result.ok, result.problems
    assert [row.page.pk for row in result.rows] == [page.pk, post().pk]


def test_audit_duplicate_titles_count_only_visible_pages(demo_content):
    from wagtail_smo.audit import AuditContext

    shared = BlogPage.objects.get(slug="shared-without-an-image")
    other = BlogPage.objects.get(slug="hashtags-and-reach")
    title = "Hashtags and reach"
    assert other.pk in [pk for pk, _ in AuditContext().pages_sharing_title(shared, title)]
    PageViewRestriction.objects.create(page=other, restriction_type=PageViewRestriction.LOGIN)
    assert other.pk not in [pk for pk, _ in AuditContext().pages_sharing_title(shared, title)]


def test_render_meta_command_refuses_a_bad_address_as_a_real_process(tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    # A real process (system checks included) fails with one line and exit status 2 before it
    # reads the database: neither address can name a page.
    for address, message in [("ftp://localhost/x/", "not an absolute http(s) URL"),
                             ("blog/post/", "no site for the path")]:
        result = subprocess.run(
            [sys.executable, "manage.py", "smo_render_meta", address],
            cwd=Path(__file__).resolve().parent.parent, capture_output=True, text=True,
            env={"SMO_VAR_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"},
        )
        assert result.returncode == 2
        assert result.stderr.strip().count("\n") == 0 and message in result.stderr


def test_cached_meta_follows_a_page_becoming_a_section(client, demo_content):
    page = post()
    assert parse_head(client.get(POST).content.decode()).one("article:section") == "Blog"
    add(page, BlogPage(title="A reply", slug="a-reply"))  # the post's first child page
    head = parse_head(client.get(POST).content.decode())
    assert head.one("article:section") == resolve(post()).section == page.title
    BlogPage.objects.get(slug="a-reply").delete()
    assert parse_head(client.get(POST).content.decode()).one("article:section") == "Blog"


def test_sections_are_the_pages_section_of_returns(demo_content, other_site):
    """The post list's section filter offers exactly the pages that are some page's section."""
    blog = BlogIndexPage.objects.get(slug="blog")
    year = add(blog, BlogIndexPage(title="2026", slug="2026"))
    add(year, BlogPage(title="Nested", slug="nested"))
    every_section = {
        section.pk for page in Page.objects.filter(depth__gt=1)
        if (section := section_of(page)) is not None
    }
    assert {page.pk for page in sections()} == every_section
    assert blog.pk in every_section and demo_content.root_page_id not in every_section
    assert {page.pk for page in sections(other_site)} <= {
        page.pk for page in Page.objects.descendant_of(other_site.root_page)}


@pytest.mark.parametrize("value", ["пример.рф", "XN--E1AFMKFD.xn--P1AI", "ПРИМЕР.РФ:80"])
def test_commands_find_a_site_as_its_urls_do(demo_content, value):
    """``--site`` matches host names the way URLs of the site are matched (case, IDN forms)."""
    from wagtail_smo.management.options import find_site

    site = Site.objects.create(hostname="xn--e1afmkfd.xn--p1ai", port=80,
                               root_page=demo_content.root_page)
    assert find_site(value) == site
