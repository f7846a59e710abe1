"""Bad input never breaks a page: broken images, unroutable pages, sites without a root URL."""

from __future__ import annotations

import logging

import pytest
from django.template import Context, Template
from wagtail.images import get_image_model
from wagtail.models import Page, Site

from example_site.blog.models import BlogIndexPage, BlogPage
from tests.meta_parsing import fresh_caches, parse_head  # noqa: F401 (fixture)
from wagtail_smo.meta import Source, resolve

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_caches")]

TEMPLATE = Template("{% load wagtail_smo_tags %}{% social_meta page %}")


def smo_warnings(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records
            if r.name == "wagtail_smo" and r.levelno == logging.WARNING]


def break_image_file(image) -> None:
    """Delete the original file and every rendition, as a lost upload would leave them."""
    image.renditions.all().delete()
    image.file.storage.delete(image.file.name)


def test_missing_image_file_leaves_the_image_out_and_warns_once(client, demo_content, caplog):
    image = get_image_model().objects.get(title="Demo: small thumbnail")
    break_image_file(image)
    caplog.set_level(logging.WARNING, logger="wagtail_smo")
    for _ in range(3):
        response = client.get("/blog/quotes-and-brackets/")
        assert response.status_code == 200
        head = parse_head(response.content.decode())
        assert "og:image" not in head.og and head.one("twitter:card") == "summary"
        assert head.one("og:title") == "\"Quotes\", 'apostrophes' & <angle> brackets"
    page = BlogPage.objects.get(slug="quotes-and-brackets")
    assert resolve(page).sources["image"] == Source("page_field", "main_image", "unusable_image")
    warnings = [w for w in smo_warnings(caplog) if f"image {image.pk}" in w]
    assert len(warnings) == 1


def test_corrupt_image_file_leaves_the_image_out(demo_content):
    # Only the tag is rendered: the demo's own {% image %} tags are not wagtail-smo's concern.
    image = get_image_model().objects.get(title="Demo: newsroom")
    image.renditions.all().delete()
    with image.file.storage.open(image.file.name, "wb") as handle:
        handle.write(b"this is not an image")
    page = BlogPage.objects.get(slug="kak-sdelat-kartochki")
    head = parse_head(TEMPLATE.render(Context({"page": page})))
    assert "og:image" not in head.og and head.one("twitter:card") == "summary"


def test_page_outside_any_site_renders_without_url_and_warns_once(demo_content, caplog):
    orphan_parent = Page.get_first_root_node().add_child(
        instance=BlogIndexPage(title="Orphans", slug="orphans")
    )
    page = orphan_parent.add_child(instance=BlogPage(title="Nowhere", slug="nowhere",
                                                     intro="Not under any site."))
    caplog.set_level(logging.WARNING, logger="wagtail_smo")
    for _ in range(2):
        head = parse_head(TEMPLATE.render(Context({"page": page})))
        assert head.one("og:title") == "Nowhere"
        assert head.one("og:description") == "Not under any site."
        assert "og:url" not in head.og and "canonical" not in head.links
        assert "og:image" not in head.og  # no site: no absolute URL, and no site default either
    assert len([w for w in smo_warnings(caplog) if "not routable" in w]) == 1
    assert resolve(page).url is None and resolve(page).sources["url"] == Source("not_routable")


def test_site_without_hostname_renders_without_urls(client, demo_content, caplog):
    Site.objects.filter(pk=demo_content.pk).update(hostname="")
    caplog.set_level(logging.WARNING, logger="wagtail_smo")
    response = client.get("/blog/social-cards-explained/")
    assert response.status_code == 200
    head = parse_head(response.content.decode())
    assert head.one("og:title") == "Social cards explained in five minutes"
    assert "og:url" not in head.og and "og:image" not in head.og
    assert not [doc for doc in head.json_ld if doc["@type"] == "BreadcrumbList"]
    assert any("no absolute URL" in w for w in smo_warnings(caplog))


def test_remote_storage_urls_pass_through(demo_content, settings):
    """Absolute MEDIA_URL (a CDN or remote storage) is used as it is, never prefixed."""
    settings.MEDIA_URL = "https://cdn.example.net/media/"
    page = BlogPage.objects.get(slug="social-cards-explained")
    head = parse_head(TEMPLATE.render(Context({"page": page})))
    assert head.one("og:image").startswith("https://cdn.example.net/media/images/")
    assert head.one("og:image:secure_url") == head.one("og:image")


@pytest.mark.parametrize("spec", ["fill-1200x630|format-webp", "fill-1200x630|format-avif"])
def test_webp_or_avif_filters_never_reach_crawler_tags(demo_content, settings, caplog, spec):
    settings.WAGTAIL_SMO = {"IMAGE_FILTER": spec}
    caplog.set_level(logging.WARNING, logger="wagtail_smo")
    page = BlogPage.objects.get(slug="social-cards-explained")
    head = parse_head(TEMPLATE.render(Context({"page": page})))
    assert "og:image" not in head.og
    assert any("crawlers do not read" in w for w in smo_warnings(caplog))


def test_svg_image_is_left_out(demo_content):
    from django.core.files.base import ContentFile

    svg = get_image_model().objects.create(
        title="Vector", width=100, height=100,
        file=ContentFile(b'<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100"/>',
                         name="vector.svg"),
    )
    page = BlogPage.objects.get(slug="inherits-section-image")
    page.social_image = svg
    page.save_revision().publish()
    head = parse_head(TEMPLATE.render(Context({"page": page})))
    image = head.og.get("og:image", [])
    assert not any(url.endswith(".svg") for url in image)


def test_template_without_page_renders_nothing():
    assert TEMPLATE.render(Context({})) == ""
