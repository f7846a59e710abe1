"""Translations (Wagtail i18n): og:locale from the page, og:locale:alternate for each translation."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from wagtail.models import Locale

from example_site.blog.models import BlogPage
from tests.meta_parsing import fresh_caches, parse_head  # noqa: F401 (fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_caches")]

TEMPLATE = Template("{% load wagtail_smo_tags %}{% social_meta page %}")


@pytest.fixture
def i18n(settings):
    settings.WAGTAIL_I18N_ENABLED = True
    settings.LANGUAGE_CODE = "en"
    settings.LANGUAGES = settings.WAGTAIL_CONTENT_LANGUAGES = [
        ("en", "English"), ("fr", "French"), ("pt-br", "Portuguese (Brazil)"),
    ]


def translate(page, code: str, live: bool = True):
    locale = Locale.objects.get_or_create(language_code=code)[0]
    # The parents are translated first (a translation lives under the parent's translation).
    for ancestor in page.get_ancestors().filter(depth__gt=1):
        if not ancestor.get_translations().filter(locale=locale).exists():
            ancestor.specific.copy_for_translation(locale).save_revision().publish()
    copy = page.copy_for_translation(locale)
    if live:
        copy.save_revision().publish()
    return copy


def test_translations_give_locale_alternates(demo_content, i18n):
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


def test_draft_translation_is_not_announced(demo_content, i18n):
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
