"""Every SMO check, on real pages of the demo site (real database, real images)."""

from __future__ import annotations

import io

import pytest
from django.core.files.images import ImageFile
from django.test import override_settings
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.models import Page, Site

from example_site.blog.models import BlogIndexPage, BlogPage, NewsIndexPage, NewsPage
from wagtail_smo.audit import AuditContext, Level, audit_page, describe_source, is_public_host
from wagtail_smo.meta import Source
from wagtail_smo.models import SocialMediaSettings

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_caches():
    """Image ids are reused after each test's rollback: drop cached renditions and meta."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()


def codes(page) -> dict[str, Level]:
    """Codes of the findings on ``page`` (fresh from the database), with their level."""
    page = Page.objects.get(pk=page.pk).specific
    return {f.code: f.level for f in audit_page(page).findings}


def make_image(title, size=(1600, 900), fmt="PNG", ext="png"):
    buffer = io.BytesIO()
    PILImage.new("RGB", size, "#336699").save(buffer, fmt)
    return get_image_model().objects.create(
        title=title, file=ImageFile(buffer, name=f"{title.replace(' ', '-')}.{ext}")
    )


def publish(page):
    page.save_revision().publish()
    return page


def add_post(demo_site, slug, **fields):
    blog = BlogIndexPage.objects.get(slug="blog")
    fields.setdefault("title", f"Post {slug}")
    fields.setdefault("intro", "An introduction that is long enough to make a good description.")
    page = BlogPage(slug=slug, **fields)
    blog.add_child(instance=page)
    return publish(page)


@pytest.fixture
def public_site(demo_content):
    """The demo site on a public host name, so that the site check stays quiet."""
    demo_content.hostname, demo_content.port = "www.example.org", 443
    demo_content.save()
    return demo_content


# --- image -------------------------------------------------------------------------------------

def test_image_missing_when_fallback_is_turned_off(public_site):
    page = add_post(public_site, "no-image", social_image_fallback=False)
    found = codes(page)
    assert found["image-missing"] == Level.ERROR
    # the other image checks need an image, so they stay quiet
    assert not {"image-too-small", "image-format", "image-alt-missing"} & set(found)


def test_image_missing_names_the_reason_in_words(public_site):
    page = add_post(public_site, "no-image-2", social_image_fallback=False)
    finding = next(f for f in audit_page(page).findings if f.code == "image-missing")
    assert "turned off for this page" in finding.message
    assert finding.fix


def test_large_image_with_alt_text_is_fine(public_site):
    image = make_image("big enough", (1600, 900))
    page = add_post(public_site, "big-image", social_image=image,
                    social_image_alt="A plain blue rectangle")
    found = codes(page)
    assert not {"image-missing", "image-too-small", "image-format", "image-alt-missing"} & set(found)


def test_image_smaller_than_1200x630(public_site):
    small = make_image("small one", (1199, 700))
    page = add_post(public_site, "small-image", social_image=small, social_image_alt="Small")
    assert codes(page)["image-too-small"] == Level.WARNING
    short = make_image("short one", (1400, 629))
    page2 = add_post(public_site, "short-image", social_image=short, social_image_alt="Short")
    assert "image-too-small" in codes(page2)
    exact = make_image("exact one", (1200, 630))
    page3 = add_post(public_site, "exact-image", social_image=exact, social_image_alt="Exact")
    assert "image-too-small" not in codes(page3)


def test_demo_small_thumbnail_is_reported(public_site):
    page = BlogPage.objects.get(slug="quotes-and-brackets")
    assert "image-too-small" in codes(page)


def test_webp_original_converted_to_jpeg_is_fine(public_site):
    webp = make_image("webp original", (1600, 900), fmt="WEBP", ext="webp")
    page = add_post(public_site, "webp-converted", social_image=webp, social_image_alt="WebP")
    assert "image-format" not in codes(page)


@override_settings(WAGTAIL_SMO={"IMAGE_FILTER": "fill-1200x630"})
def test_webp_served_as_webp_is_rejected(public_site):
    webp = make_image("webp kept", (1600, 900), fmt="WEBP", ext="webp")
    page = add_post(public_site, "webp-kept", social_image=webp, social_image_alt="WebP")
    finding = next(f for f in audit_page(Page.objects.get(pk=page.pk).specific).findings
                   if f.code == "image-format")
    assert finding.level == Level.ERROR
    assert "WEBP" in finding.message


def test_unreadable_image_file(public_site):
    image = make_image("gone missing", (1600, 900))
    image.file.storage.delete(image.file.name)
    page = add_post(public_site, "broken-image", social_image=image, social_image_alt="Gone")
    found = codes(page)
    assert found["image-unreadable"] == Level.ERROR
    assert "image-missing" not in found


def test_missing_alt_text(public_site):
    image = make_image("no alt", (1600, 900))
    page = add_post(public_site, "no-alt", social_image=image, social_image_alt="")
    assert codes(page)["image-alt-missing"] == Level.WARNING
    page.social_image_alt = "Blue"
    publish(page)
    assert "image-alt-missing" not in codes(page)


# --- title -------------------------------------------------------------------------------------

def test_title_longer_than_60_but_within_x_limit(public_site):
    page = add_post(public_site, "title-65", social_title="x" * 65)
    finding = next(f for f in audit_page(page).findings if f.code == "title-too-long")
    assert "65 characters" in finding.message and "X shows up to 70" in finding.message
    assert "title-too-long" not in codes(add_post(public_site, "title-60",
                                                   social_title="y" * 60))


def test_title_longer_than_70(public_site):
    page = BlogPage.objects.get(slug="very-long-title")
    finding = next(f for f in audit_page(page).findings if f.code == "title-too-long")
    assert f"{len(page.title)} characters" in finding.message
    assert "X cuts it after 70" in finding.message
    assert "from the page's title" in finding.message


def test_same_social_title_as_another_live_page(public_site):
    first = add_post(public_site, "twin-1", social_title="Twins share a title")
    second = add_post(public_site, "twin-2", title="Twins share a title")  # via the page title
    finding = next(f for f in audit_page(first).findings if f.code == "title-duplicate")
    assert f"(id {second.pk})" in finding.message
    assert "title-duplicate" in codes(second)


def test_duplicate_ignores_drafts_and_other_sites(public_site):
    page = add_post(public_site, "lonely", social_title="Only one of me")
    blog = BlogIndexPage.objects.get(slug="blog")
    draft = BlogPage(slug="draft-twin", title="Only one of me", live=False)
    blog.add_child(instance=draft)
    other_home = Page.get_first_root_node().add_child(
        instance=NewsIndexPage(title="Only one of me", slug="other-home"))
    Site.objects.create(hostname="other.example.org", root_page=other_home)
    assert "title-duplicate" not in codes(page)


# --- description -------------------------------------------------------------------------------

def test_description_missing(public_site):
    settings = SocialMediaSettings.for_site(public_site)
    settings.default_description = ""
    settings.save()
    news = NewsIndexPage.objects.get(slug="news")
    page = NewsPage(slug="empty-news", title="Nothing to say", body="")
    news.add_child(instance=page)
    publish(page)
    assert codes(page)["description-missing"] == Level.WARNING


def test_description_too_short_and_too_long(public_site):
    short = add_post(public_site, "short-desc", social_description="x" * 49)
    assert codes(short)["description-too-short"] == Level.WARNING
    ok = add_post(public_site, "ok-desc", social_description="x" * 50)
    assert not {"description-too-short", "description-too-long"} & set(codes(ok))
    limit = add_post(public_site, "limit-desc", social_description="x" * 200)
    assert not {"description-too-short", "description-too-long"} & set(codes(limit))
    long = add_post(public_site, "long-desc", social_description="x" * 201)
    assert codes(long)["description-too-long"] == Level.WARNING


def test_description_message_names_its_source(public_site):
    page = add_post(public_site, "intro-short", intro="Too short an intro.")
    finding = next(f for f in audit_page(page).findings if f.code == "description-too-short")
    assert "from the page's intro" in finding.message


# --- page and site -----------------------------------------------------------------------------

def test_page_outside_every_site_is_not_routable(public_site):
    orphan = Page.get_first_root_node().add_child(
        instance=BlogIndexPage(title="Orphan section", slug="orphan", intro="x" * 80))
    found = codes(orphan)
    assert found["page-not-routable"] == Level.ERROR
    assert "site-root-url" not in found


def test_site_without_a_usable_root_url(demo_content):
    page = BlogPage.objects.get(slug="social-cards-explained")
    demo_content.hostname = "localhost"
    demo_content.save()
    finding = next(f for f in audit_page(page).findings if f.code == "site-root-url")
    assert finding.level == Level.WARNING and finding.scope == "site"
    assert "http://localhost" in finding.message
    demo_content.hostname = "www.example.org"
    demo_content.save()
    assert "site-root-url" not in codes(page)


@pytest.mark.parametrize("host, public", [
    ("www.example.org", True), ("blog.example.co.uk", True), ("93.184.216.34", True),
    ("localhost", False), ("127.0.0.1", False), ("10.1.2.3", False), ("192.168.0.10", False),
    ("[::1]", False), ("intranet", False), ("demo.local", False), ("site.test", False), ("", False),
])
def test_is_public_host(host, public):
    assert is_public_host(host) is public


# --- failures ----------------------------------------------------------------------------------

def break_resolver(monkeypatch, model, only_pk=None, message="author lookup exploded"):
    """Make ``resolve()`` raise for pages of ``model`` (all, or only ``only_pk``)."""

    def broken_author(self):
        if only_pk is None or self.pk == only_pk:
            raise RuntimeError(message)
        return ""

    monkeypatch.setattr(model, "smo_author_field", "smo_test_broken_author", raising=False)
    monkeypatch.setattr(model, "smo_test_broken_author", broken_author, raising=False)


def test_resolver_failure_becomes_an_error_finding(public_site, monkeypatch):
    page = BlogPage.objects.get(slug="social-cards-explained")
    break_resolver(monkeypatch, BlogPage)
    result = audit_page(page)
    assert result.meta is None
    assert [(f.code, f.level) for f in result.findings] == [("resolver-failed", Level.ERROR)]
    assert "author lookup exploded" in result.findings[0].message


def test_failing_check_is_reported_and_others_still_run(public_site):
    page = BlogPage.objects.get(slug="very-long-title")

    def exploding_check(page, meta, context):
        raise ValueError("boom")
        yield  # pragma: no cover

    from wagtail_smo.audit.checks import check_title

    result = audit_page(page, checks=(exploding_check, check_title))
    assert {"check-failed", "title-too-long"} <= {f.code for f in result.findings}


def test_findings_are_sorted_errors_first(public_site):
    page = add_post(public_site, "many-problems", social_image_fallback=False, title="t" * 80,
                    intro="short")
    levels = [f.level for f in audit_page(page).findings]
    assert levels == sorted(levels, reverse=True) and levels[0] == Level.ERROR


def test_describe_source_in_words(public_site):
    page = BlogPage.objects.get(slug="social-cards-explained")
    blog = Page.objects.get(slug="blog")
    assert describe_source(page, Source("page_field", "intro")) == "from the page's intro"
    assert describe_source(page, Source("page_field", "main_image")) == "from the page's main image"
    assert describe_source(page, Source("site_setting", "default_image")).startswith("site default")
    assert describe_source(
        page, Source("ancestor_image", "social_image", page_id=blog.pk)) == "inherited from Blog"
    assert describe_source(page, Source("own_field", "social_title")) == (
        "from the Social title field (Social tab)")
    assert describe_source(page, Source("something_new")) == "something_new"
    assert describe_source(page, Source("page_field", "main_image", "unusable_image")) == (
        "from the page's main image, but the file cannot be read, so it is left out")
    assert describe_source(page, Source("none", "social_image_fallback", "turned_off")) == (
        "turned off for this page")


def test_image_lookups_are_cached_within_one_context(public_site, django_assert_max_num_queries):
    context = AuditContext()
    image = make_image("cached", (1600, 900))
    context.image(image.pk)
    with django_assert_max_num_queries(0):
        assert context.image(image.pk) == image


def test_svg_image_is_rejected_format(public_site):
    from django.core.files.base import ContentFile

    svg = (b'<svg xmlns="http://www.w3.org/2000/svg" width="1600" height="900">'
           b'<rect width="1600" height="900" fill="#369"/></svg>')
    image = get_image_model().objects.create(
        title="vector logo", file=ContentFile(svg, name="vector-logo.svg"), width=1600, height=900)
    page = add_post(public_site, "svg-image", social_image=image, social_image_alt="Logo")
    finding = next(f for f in audit_page(Page.objects.get(pk=page.pk).specific).findings
                   if f.code == "image-format")
    assert finding.level == Level.ERROR and "SVG" in finding.message
