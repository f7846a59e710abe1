"""Wagtail i18n for tests: a fixture turning it on with three languages, and page translations."""

from __future__ import annotations

import pytest
from wagtail.models import Locale


@pytest.fixture
def i18n(settings):
    """Wagtail i18n on, with English, French and Brazilian Portuguese as content languages."""
    settings.WAGTAIL_I18N_ENABLED = True
    settings.LANGUAGE_CODE = "en"
    settings.LANGUAGES = settings.WAGTAIL_CONTENT_LANGUAGES = [
        ("en", "English"), ("fr", "French"), ("pt-br", "Portuguese (Brazil)"),
    ]


def translate(page, code: str, live: bool = True):
    """A translation of ``page`` into ``code`` (published unless ``live`` is False)."""
    locale = Locale.objects.get_or_create(language_code=code)[0]
    # The parents are translated first (a translation lives under the parent's translation).
    for ancestor in page.get_ancestors().filter(depth__gt=1):
        if not ancestor.get_translations().filter(locale=locale).exists():
            ancestor.specific.copy_for_translation(locale).save_revision().publish()
    copy = page.copy_for_translation(locale)
    if live:
        copy.save_revision().publish()
    return copy
