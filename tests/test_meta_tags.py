"""Rendered pages of the example site, read back with extruct and bs4: every social tag."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.conf import settings
from PIL import Image as PILImage
from wagtail.images import get_image_model

from example_site.blog.models import BlogIndexPage, BlogPage, NewsIndexPage, NewsPage
from tests.meta_parsing import fresh_caches, parse_head  # noqa: F401 (fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_caches")]


def head_of(client, path: str):
    response = client.get(path)
    assert response.status_code == 200, path
    return parse_head(response.content.decode())


def image_titled(title: str):
    return get_image_model().objects.get(title=title)


def rendition_behind(url: str):
    """The rendition whose file the absolute ``url`` serves, opened from storage with Pillow."""
    assert url.startswith("http://localhost" + settings.MEDIA_URL), url
    relative = url.removeprefix("http://localhost" + settings.MEDIA_URL)
    rendition = get_image_model().get_rendition_model().objects.get(file=relative)
    with PILImage.open(Path(settings.MEDIA_ROOT) / relative) as img:
        return rendition, img.format, img.size


def assert_card_image(head, source_image, alt: str):
    url = head.one("og:image")
    rendition, fmt, size = rendition_behind(url)
    assert rendition.image_id == source_image.pk
    assert fmt == "JPEG" and size == (1200, 630)
    assert head.one("og:image:type") == "image/jpeg"
    assert (head.one("og:image:width"), head.one("og:image:height")) == ("1200", "630")
    assert head.one("og:image:alt") == alt
    assert head.one("twitter:card") == "summary_large_image"
    assert head.one("twitter:image") == url
    assert head.one("twitter:image:alt") == alt
    assert "og:image:secure_url" not in head.og  # the demo site is plain http


def test_post_with_its_own_social_image(client, demo_content):
    head = head_of(client, "/blog/social-cards-explained/")
    assert head.one("og:title") == "Social cards explained in five minutes"  # social_title
    assert head.one("twitter:title") == "Social cards explained in five minutes"
    assert head.one("og:description") == "How a page becomes a link card on every network."
    assert head.one("description") == head.one("og:description")
    assert head.one("og:url") == "http://localhost/blog/social-cards-explained/"
    assert head.links["canonical"] == ["http://localhost/blog/social-cards-explained/"]
    assert head.one("og:type") == "article"
    assert head.one("og:site_name") == "SMO Demo"
    assert head.one("og:locale") == "en_US"
    assert_card_image(head, image_titled("Demo: harbour at dawn"),
                      "A harbour at dawn, drawn in blue and orange")
    # By name, whatever order the database returns them in (the resolver decides it).
    assert head.og["article:tag"] == ["howto", "open graph", "social"]
    assert head.one("article:author") == "Ada Lovelace"
    assert head.one("article:section") == "Blog"
    assert head.one("article:published_time").startswith("2026-11-02T00:00:00")
    page = BlogPage.objects.get(slug="social-cards-explained")
    modified = datetime.datetime.fromisoformat(head.one("article:modified_time"))
    assert modified == page.last_published_at
    assert head.one("twitter:site") == "@smodemo"
    assert head.one("twitter:creator") == "@smodemo"
    assert (head.one("twitter:label1"), head.one("twitter:data1")) == ("Written by", "Ada Lovelace")
    assert head.one("twitter:label2") == "Est. reading time"
    assert head.one("twitter:data2").endswith(("minute", "minutes"))
    assert head.one("fediverse:creator") == "@demo@mastodon.example"
    assert head.links["me"] == ["https://mastodon.example/@demo",
                                "https://bsky.app/profile/smodemo.example"]
    article = head.ld("Article")
    assert article["headline"] == "Social cards explained in five minutes"
    assert article["image"] == [head.one("og:image")]
    assert article["author"] == {"@type": "Person", "name": "Ada Lovelace"}
    assert article["datePublished"] == head.one("article:published_time")
    assert article["dateModified"] == head.one("article:modified_time")
    publisher = article["publisher"]
    assert publisher["name"] == "SMO Demo Ltd"
    logo, fmt, size = rendition_behind(publisher["logo"]["url"])
    assert logo.image_id == image_titled("Demo: organisation logo").pk
    assert fmt == "PNG" and size == (publisher["logo"]["width"], publisher["logo"]["height"])
    crumbs = head.ld("BreadcrumbList")["itemListElement"]
    assert [(c["position"], c["name"], c["item"]) for c in crumbs] == [
        (1, "SMO Demo", "http://localhost/"),
        (2, "Blog", "http://localhost/blog/"),
        (3, "Social cards, explained", "http://localhost/blog/social-cards-explained/"),
    ]


def test_post_whose_only_image_is_in_its_body(client, demo_content):
    head = head_of(client, "/blog/only-a-body-image/")
    assert_card_image(head, image_titled("Demo: diagram in the body"),
                      "Demo: diagram in the body")  # no alt of its own: the image's title
    # No intro, no search description: the first paragraph of the body.
    assert head.one("og:description") == (
        "The first paragraph of this post becomes its description because it has no intro "
        "and no social description."
    )


def test_post_without_image_inherits_its_sections(client, demo_content):
    head = head_of(client, "/blog/inherits-section-image/")
    assert_card_image(head, image_titled("Demo: blog section banner"),
                      "Green and yellow banner of the blog section")


def test_news_item_with_text_only_gets_the_site_default_image(client, demo_content):
    head = head_of(client, "/news/no-image-at-all/")
    assert_card_image(head, image_titled("Demo: site default card"),
                      "The SMO Demo card: dark teal with an orange disc")
    assert head.one("og:description") == (
        "Nothing here but text, so the site default image is used."
    )
    # No author: the reading time moves up to the first label.
    assert "article:author" not in head.og
    assert head.one("twitter:label1") == "Est. reading time"
    assert "twitter:label2" not in head.names


def test_page_with_nothing_at_all_gets_site_defaults(client, demo_content):
    news = NewsIndexPage.objects.get(slug="news")
    page = news.add_child(instance=NewsPage(title="Empty", slug="empty"))
    page.save_revision().publish()
    head = head_of(client, "/news/empty/")
    assert head.one("og:title") == "Empty"
    assert head.one("og:description") == (
        "A demo site for wagtail-smo, the social media toolkit for Wagtail."
    )
    assert_card_image(head, image_titled("Demo: site default card"),
                      "The SMO Demo card: dark teal with an orange disc")
    assert "twitter:label2" not in head.names  # no words, no reading time


def test_image_fallback_switched_off_gives_a_summary_card(client, demo_content):
    page = BlogPage.objects.get(slug="inherits-section-image")
    page.social_image_fallback = False
    page.save_revision().publish()
    head = head_of(client, "/blog/inherits-section-image/")
    assert "og:image" not in head.og and "twitter:image" not in head.names
    assert head.one("twitter:card") == "summary"


def test_russian_post(client, demo_content):
    head = head_of(client, "/blog/kak-sdelat-kartochki/")
    assert head.one("og:title") == "Как сделать карточки для соцсетей 🚀"
    assert head.one("og:description") == (
        "Карточка ссылки собирается из тегов страницы: заголовок, описание, картинка 🙂."
    )
    assert head.og["article:tag"] == ["русский", "соцсети"]
    assert head.one("article:author") == "Лев Толстой"
    assert head.one("og:url") == "http://localhost/blog/kak-sdelat-kartochki/"
    assert head.ld("Article")["headline"] == "Как сделать карточки для соцсетей 🚀"
    assert_card_image(head, image_titled("Demo: newsroom"), "Demo: newsroom")


def test_post_with_quotes_ampersand_and_brackets(client, demo_content):
    response = client.get("/blog/quotes-and-brackets/")
    html = response.content.decode()
    head = parse_head(html)
    title = "\"Quotes\", 'apostrophes' & <angle> brackets"
    assert head.one("og:title") == title
    assert head.one("twitter:title") == title
    # The intro is a plain-text field: its "<b>" is text, not markup to strip.
    intro = 'Escaping matters: "quotes" & <b>tags</b> must stay text.'
    assert head.one("og:description") == intro
    assert head.one("description") == intro
    assert head.one("article:author") == "O'Brien & Sons"
    assert head.ld("Article")["headline"] == title
    assert head.ld("Article")["description"] == intro
    assert "<angle>" not in html and "<b>tags" not in html


def test_home_page_is_a_website_with_website_json_ld(client, demo_content):
    head = head_of(client, "/")
    assert head.one("og:type") == "website"
    assert "article:published_time" not in head.og
    website = head.ld("WebSite")
    assert website["url"] == "http://localhost/" and website["name"] == "SMO Demo"
    assert website["publisher"]["name"] == "SMO Demo Ltd"
    assert not [doc for doc in head.json_ld if doc["@type"] in ("Article", "BreadcrumbList")]


def test_index_page_is_a_website_with_breadcrumbs(client, demo_content):
    head = head_of(client, "/blog/")
    assert head.one("og:type") == "website"
    assert head.one("og:description") == "Notes on making pages travel well through social networks."
    assert [c["name"] for c in head.ld("BreadcrumbList")["itemListElement"]] == ["SMO Demo", "Blog"]


def test_https_site_adds_secure_url_and_fb_app_id(client, demo_content):
    from wagtail_smo.models import SocialMediaSettings

    site = demo_content
    site.port = 443
    site.save()
    smo = SocialMediaSettings.for_site(site)
    smo.facebook_app_id = "1234567890"
    smo.save()
    response = client.get("/blog/social-cards-explained/", secure=True, HTTP_HOST="localhost")
    head = parse_head(response.content.decode(), base_url="https://localhost/")
    image = head.one("og:image")
    assert image.startswith("https://localhost/media/")
    assert head.one("og:image:secure_url") == image
    assert head.one("og:url") == "https://localhost/blog/social-cards-explained/"
    assert head.properties["fb:app_id"] == ["1234567890"]


def test_multisite_urls_come_from_the_pages_own_site(client, demo_content):
    from wagtail.models import Site

    other_root = BlogIndexPage.objects.get(slug="blog")
    Site.objects.create(hostname="blog.example.org", port=443, root_page=other_root,
                        site_name="Other")
    # Asked through the default site's host, the post's canonical URL is still its own site's.
    response = client.get("/blog/social-cards-explained/")
    if response.status_code == 200:
        head = parse_head(response.content.decode())
        assert head.one("og:url") == "https://blog.example.org/social-cards-explained/"
    response = client.get("/social-cards-explained/", HTTP_HOST="blog.example.org", secure=True)
    head = parse_head(response.content.decode())
    assert head.one("og:url") == "https://blog.example.org/social-cards-explained/"
    assert head.one("og:image").startswith("https://blog.example.org/media/")
    assert head.one("og:site_name") == "Other"


def test_model_can_choose_schema_type_and_x_creator(client, demo_content, monkeypatch):
    monkeypatch.setattr(BlogPage, "smo_schema_type", "BlogPosting")
    monkeypatch.setattr(BlogPage, "smo_x_creator_field", "x_handle_of_author", raising=False)
    monkeypatch.setattr(BlogPage, "x_handle_of_author", lambda self: "@ada", raising=False)
    head = head_of(client, "/blog/social-cards-explained/")
    posting = head.ld("BlogPosting")
    assert posting["headline"] == "Social cards explained in five minutes"
    assert head.one("twitter:creator") == "@ada" and head.one("twitter:site") == "@smodemo"


def test_a_very_long_description_is_cut_on_a_word_in_the_tags_only(client, demo_content):
    from wagtail_smo.audit import audit_page
    from wagtail_smo.meta import resolve
    from wagtail_smo.meta.text import DESCRIPTION_TAG_MAX

    words = [f"word{n}" for n in range(900)]
    long_text = " ".join(words)  # about 6,000 characters, as the newsroom's pasted article
    post = BlogPage.objects.get(slug="hashtags-and-reach")
    post.social_description = long_text
    post.save_revision().publish()
    head = head_of(client, "/blog/hashtags-and-reach/")
    for value, limit in [(head.one("og:description"), DESCRIPTION_TAG_MAX),
                         (head.one("description"), DESCRIPTION_TAG_MAX),
                         (head.one("twitter:description"), 200),
                         (head.ld("Article")["description"], DESCRIPTION_TAG_MAX)]:
        assert len(value) <= limit and value.endswith("…"), (limit, value)
        kept = value.removesuffix("…").split(" ")
        assert kept == words[:len(kept)]  # whole words only, in order
        assert len(value) > limit - 15  # cut near the limit, not far before it
    # The resolver, the audit and the editor's preview keep the whole text and say it was cut.
    meta = resolve(BlogPage.objects.get(pk=post.pk))
    assert meta.description == long_text
    findings = {f.code: f.message for f in audit_page(post).findings}
    assert f"is {len(long_text)} characters" in findings["description-too-long"]
    assert f"carry its first {DESCRIPTION_TAG_MAX} characters" in findings["description-too-long"]
