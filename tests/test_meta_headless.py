"""Headless outputs: the API v2 field and the JSON endpoint give what the HTML tags say."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from wagtail.api import APIField
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.models import Page, PageViewRestriction

from example_site.blog.models import BlogPage
from tests.meta_parsing import fresh_caches, parse_head  # noqa: F401 (fixture)
from wagtail_smo.api.fields import SocialMetaAPIField
from wagtail_smo.models import SocialMetaMixin

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_caches")]

SOCIAL_PREFIXES = ("og:", "article:", "fb:", "twitter:", "fediverse:")
PAGES = ["/", "/blog/", "/blog/social-cards-explained/", "/blog/only-a-body-image/",
         "/blog/quotes-and-brackets/", "/blog/kak-sdelat-kartochki/", "/news/no-image-at-all/"]


def social_elements(head) -> list[dict]:
    """The social tags a crawler found in the page, in document order."""
    keep = []
    for element in head.elements:
        key = element.get("property") or element.get("name") or element.get("rel")
        if key.startswith(SOCIAL_PREFIXES) or key in ("description", "canonical", "me"):
            keep.append(element)
    return keep


@pytest.mark.parametrize("path", PAGES)
def test_api_field_and_endpoint_match_the_html_tags(client, demo_content, path):
    html_head = parse_head(client.get(path).content.decode())
    page = Page.objects.get(url_path="/home" + path)
    api = client.get(f"/api/v2/pages/{page.pk}/")
    assert api.status_code == 200
    field = api.json()["social_meta"]
    endpoint = client.get("/smo/meta/", {"path": path})
    assert endpoint.status_code == 200 and endpoint["Content-Type"] == "application/json"
    by_url = client.get("/smo/meta/", {"url": "http://localhost" + path}).json()
    assert endpoint.json() == field == by_url

    assert field["head"] == social_elements(html_head)
    assert field["json_ld"] == html_head.json_ld
    assert field["title"] == html_head.one("og:title")
    assert field["description"] == html_head.one("og:description")
    assert field["url"] == html_head.one("og:url") == html_head.links["canonical"][0]
    assert field["og_type"] == html_head.one("og:type")
    assert field["site_name"] == html_head.one("og:site_name")
    assert field["locale"] == html_head.one("og:locale")
    image = field["image"]
    assert image["url"] == html_head.one("og:image")
    assert str(image["width"]) == html_head.one("og:image:width")
    assert str(image["height"]) == html_head.one("og:image:height")
    assert image["alt"] == html_head.one("og:image:alt")
    assert image["type"] == html_head.one("og:image:type")
    assert field["tags"] == html_head.og.get("article:tag", [])
    assert field["sources"]["title"] and field["sources"]["image"]


def test_api_listing_can_ask_for_the_field(client, demo_content):
    response = client.get("/api/v2/pages/", {"type": "blog.BlogPage", "fields": "social_meta"})
    assert response.status_code == 200
    items = response.json()["items"]
    assert items and all(item["social_meta"]["og_type"] == "article" for item in items)
    by_slug = {item["meta"]["slug"]: item["social_meta"] for item in items}
    assert by_slug["only-a-body-image"]["sources"]["image"] == {
        "kind": "body_image", "field": "body", "detail": "", "page_id": None}
    blog = Page.objects.get(slug="blog")
    assert by_slug["inherits-section-image"]["sources"]["image"] == {
        "kind": "ancestor_image", "field": "social_image", "detail": "", "page_id": blog.pk}


def test_api_fields_composed_in_a_class_body_keep_the_social_meta_field():
    # docs/headless.md: a model adds its own fields to the mixin's list in its class body, which
    # runs before the API part plugs its serializer into the mixin at start-up.
    class ComposedPage:
        api_fields = SocialMetaMixin.api_fields + [APIField("intro")]

    assert PagesAPIViewSet.get_body_fields_names(ComposedPage)[-2:] == ["social_meta", "intro"]
    overrides = PagesAPIViewSet.get_field_serializer_overrides(ComposedPage)
    assert isinstance(overrides["social_meta"], SocialMetaAPIField)
    assert "intro" not in overrides


def test_endpoint_unknown_path_is_a_json_404(client, demo_content):
    response = client.get("/smo/meta/", {"path": "/blog/no-such-post/"})
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"error": "No public page at this address."}
    response = client.get("/smo/meta/", {"url": "http://unknown.example/blog/"})
    assert response.status_code == 404 and "error" in response.json()


@pytest.mark.parametrize("query", [{}, {"path": "/", "url": "http://localhost/"},
                                   {"url": "ftp://localhost/"}, {"url": "/relative/"}])
def test_endpoint_bad_parameters_are_a_json_400(client, demo_content, query):
    response = client.get("/smo/meta/", query)
    assert response.status_code == 400 and "error" in response.json()


def test_endpoint_refuses_other_methods(client, demo_content):
    assert client.post("/smo/meta/?path=/").status_code == 405


def test_endpoint_hides_pages_that_are_not_live(client, demo_content):
    page = BlogPage.objects.get(slug="social-cards-explained")
    page.unpublish()
    response = client.get("/smo/meta/", {"path": "/blog/social-cards-explained/"})
    assert response.status_code == 404 and "error" in response.json()
    assert client.get(f"/api/v2/pages/{page.pk}/").status_code == 404


@pytest.mark.parametrize("restriction", [
    {"restriction_type": PageViewRestriction.PASSWORD, "password": "s3cret"},
    {"restriction_type": PageViewRestriction.LOGIN},
    {"restriction_type": PageViewRestriction.GROUPS},
])
@pytest.mark.parametrize("on", ["post", "section"])
def test_endpoint_hides_restricted_pages(client, demo_content, restriction, on):
    post = BlogPage.objects.get(slug="social-cards-explained")
    target = post if on == "post" else post.get_parent()
    view_restriction = PageViewRestriction.objects.create(page=target, **restriction)
    if restriction["restriction_type"] == PageViewRestriction.GROUPS:
        view_restriction.groups.add(Group.objects.get_or_create(name="Members")[0])
    assert client.get("/blog/social-cards-explained/").status_code in (200, 302)
    response = client.get("/smo/meta/", {"path": "/blog/social-cards-explained/"})
    assert response.status_code == 404
    assert response.json() == {"error": "No public page at this address."}
    by_url = client.get("/smo/meta/", {"url": "http://localhost/blog/social-cards-explained/"})
    assert by_url.status_code == 404
    assert client.get(f"/api/v2/pages/{post.pk}/").status_code == 404
