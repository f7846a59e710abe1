"""Translations (Wagtail i18n): og:locale from the page, og:locale:alternate for each translation."""

from __future__ import annotations

import pytest
from django.template import Context, Template

from example_site.blog.models import BlogPage
from tests.meta_parsing import fresh_caches, parse_head  # noqa: F401 (fixture)
from tests.translations import i18n, translate  # noqa: F401 (fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_caches")]

TEMPLATE = Template("{% load wagtail_smo_tags %}{% social_meta page %}")


@pytest.mark.usefixtures("i18n")
def test_translations_give_locale_alternates(demo_content):
    post = BlogPage.objects.get(slug="social-cards-explained")
    french = translate(post, "fr")
    translate(post, "pt-br")
    head = parse_head(TEMPLATE.render(Context({"page": post})))
    assert head.one("og:locale") == "en_US"
    assert sorted(head.og["og:locale:alternate"]) == ["fr_FR", "pt_BR"]
    french_head = parse_head(TEMPLATE.render(Context({"page": BlogPage.objects.get(pk=french.pk)})))
    assert french_head.one("og:locale") == "fr_FR"
    assert sorted(french_head.og["og:locale:alternate"]) == ["en_US", "pt_BR"]
    assert french_head.ld("Article")["inLanguage"] == "fr-FR"


@pytest.mark.usefixtures("i18n")
def test_draft_translation_is_not_announced(demo_content):
    post = BlogPage.objects.get(slug="social-cards-explained")
    translate(post, "fr", live=False)
    head = parse_head(TEMPLATE.render(Context({"page": post})))
    assert "og:locale:alternate" not in head.og


def test_site_setting_locale_wins(demo_content):
    from wagtail_smo.models import SocialMediaSettings

    smo = SocialMediaSettings.for_site(demo_content)
    smo.locale = "en-gb"
    smo.save()
    post = BlogPage.objects.get(slug="social-cards-explained")
    assert parse_head(TEMPLATE.render(Context({"page": post}))).one("og:locale") == "en_GB"


@pytest.fixture
def i18n_en_ru(settings):
    """Wagtail i18n on with English and Russian, as a Russian-language newsroom runs it."""
    settings.WAGTAIL_I18N_ENABLED = True
    settings.LANGUAGE_CODE = "en"
    settings.LANGUAGES = settings.WAGTAIL_CONTENT_LANGUAGES = [("en", "English"), ("ru", "Russian")]


@pytest.mark.usefixtures("i18n_en_ru")
def test_a_russian_page_says_ru_RU_whatever_the_site_language(demo_content):
    from wagtail_smo.models import SocialMediaSettings

    smo = SocialMediaSettings.for_site(demo_content)
    smo.locale = "en_GB"  # the site's content language: a page's own locale comes first
    smo.save()
    original = BlogPage.objects.get(slug="kak-sdelat-kartochki")
    russian = BlogPage.objects.get(pk=translate(original, "ru").pk)
    head = parse_head(TEMPLATE.render(Context({"page": russian})))
    assert head.one("og:locale") == "ru_RU"
    assert head.og["og:locale:alternate"] == ["en_US"]
    assert head.ld("Article")["inLanguage"] == "ru-RU"
    english = parse_head(TEMPLATE.render(Context({"page": original})))
    assert english.one("og:locale") == "en_US" and english.og["og:locale:alternate"] == ["ru_RU"]


def test_without_i18n_the_site_content_language_is_every_pages(demo_content):
    from wagtail_smo.models import SocialMediaSettings

    smo = SocialMediaSettings.for_site(demo_content)
    smo.locale = "ru"
    smo.save()
    post = BlogPage.objects.get(slug="kak-sdelat-kartochki")
    head = parse_head(TEMPLATE.render(Context({"page": post})))
    assert head.one("og:locale") == "ru_RU" and head.ld("Article")["inLanguage"] == "ru-RU"


def test_the_demo_russian_post_is_a_russian_page_on_the_example_site(client, demo_content,
                                                                      settings):
    # As the example site runs (example_site/settings.py): Wagtail i18n with English and Russian,
    # LocaleMiddleware, Russian pages under /ru/. The loader puts the Russian post in a Russian
    # translation of the blog, so it is a Russian page, whatever the site's language.
    from django.core.management import call_command
    from django.urls import clear_url_caches

    settings.WAGTAIL_I18N_ENABLED = True
    settings.LANGUAGES = settings.WAGTAIL_CONTENT_LANGUAGES = [("en", "English"),
                                                               ("ru", "Russian")]
    settings.MIDDLEWARE = ["django.middleware.locale.LocaleMiddleware", *settings.MIDDLEWARE]
    settings.ROOT_URLCONF = "tests.urls_i18n_unprefixed"
    clear_url_caches()
    call_command("load_demo_content", hostname=demo_content.hostname, port=demo_content.port,
                 stdout=open("/dev/null", "w"))
    post = BlogPage.objects.get(slug="kak-sdelat-kartochki", locale__language_code="ru")
    assert post.get_parent().locale.language_code == "ru"  # in the Russian tree
    response = client.get("/ru/blog/kak-sdelat-kartochki/")
    assert response.status_code == 200
    head = parse_head(response.content.decode(), base_url="http://localhost/")
    assert head.one("og:locale") == "ru_RU"
    assert head.ld("Article")["inLanguage"] == "ru-RU"
    assert head.ld("BreadcrumbList")["itemListElement"][0]["name"] == "SMO Демо"
    assert head.one("og:url").endswith("/ru/blog/kak-sdelat-kartochki/")
    english = parse_head(client.get("/blog/social-cards-explained/").content.decode())
    assert english.one("og:locale") == "en_US"
