"""Locales: og:locale from language codes, and the languages of a page's translations."""

from __future__ import annotations

import locale as pylocale
from typing import Any

from django.conf import settings
from wagtail.models import Page

from . import cache
from .context import ResolveContext
from .sources import PAGE_FIELD, PROJECT_SETTING, SITE_SETTING, Source


def og_locale(code: str) -> str:
    """An Open Graph locale ("en_US") from a language code ("en-us", "ru" -> "ru_RU")."""
    lang, _, region = (code or "").replace("_", "-").partition("-")
    lang = lang.lower()
    if not region and lang:
        # A bare language takes the region of LANGUAGE_CODE when it is the same language,
        # else the usual one from the C library's locale aliases ("ru" -> "ru_RU").
        default_lang, _, default_region = settings.LANGUAGE_CODE.replace("_", "-").partition("-")
        if default_lang.lower() == lang and default_region:
            region = default_region
        else:
            normal = pylocale.normalize(lang).split(".")[0]
            region = normal.partition("_")[2] if normal.startswith(lang + "_") else ""
    return f"{lang}_{region.upper()}" if region else lang


def page_locale(
    page: Page, site_settings: Any, language_code: str, context: ResolveContext | None = None
) -> tuple[str, Source]:
    """The og:locale of ``page`` and its source.

    The page's own Wagtail locale (with Wagtail i18n on), else the site's content language
    (Settings → Social media → locale), else ``LANGUAGE_CODE``.
    """
    if getattr(settings, "WAGTAIL_I18N_ENABLED", False):
        code = _language_code(page, context) or language_code
        if code:
            return og_locale(code), Source(PAGE_FIELD, "locale")
    # Without Wagtail i18n every page is in the site's language: no query for the page's locale.
    if site_settings and site_settings.locale:
        return og_locale(site_settings.locale), Source(SITE_SETTING, "locale")
    return og_locale(settings.LANGUAGE_CODE), Source(PROJECT_SETTING, "LANGUAGE_CODE")


def _language_code(page: Page, context: ResolveContext | None) -> str:
    """The language code of the page's Wagtail locale, without a query on a page request."""
    locale_id = getattr(page, "locale_id", None)
    if locale_id is None or "locale" in page._state.fields_cache or context is None:
        return getattr(getattr(page, "locale", None), "language_code", "")
    codes = context.locale_codes
    if codes is None or locale_id not in codes:
        codes = cache.shared_get("locales", context)
        if codes is None or locale_id not in codes:
            from wagtail.models import Locale

            codes = dict(Locale.objects.values_list("pk", "language_code"))
            cache.shared_set("locales", codes, context)
        context.locale_codes = codes
    return codes.get(locale_id, "")


def locale_alternates(
    page: Page, locale: str, context: ResolveContext | None = None
) -> tuple[str, ...]:
    """og:locale:alternate for each live translation of the page (Wagtail i18n).

    Reads the translations ``prefetch_translations`` put in ``context`` when there are any.
    """
    if not getattr(settings, "WAGTAIL_I18N_ENABLED", False) or not page.pk:
        return ()
    found = context.translations.get(page.translation_key) if context is not None else None
    if found is None:
        # Not cached across requests: publishing the page changes its translations' answer too
        # (its own live state), so a cached answer would be stale exactly when it is needed.
        found = list(
            Page.objects.filter(translation_key=page.translation_key, live=True)
            .values_list("pk", "locale__language_code")
        )
    codes = (code for pk, code in found if pk != page.pk)
    return tuple(sorted({og_locale(code) for code in codes} - {locale}))


def prefetch_translations(pages: list[Page], context: ResolveContext) -> None:
    """Read the live translations of ``pages`` into ``context`` in one query (a batch of pages)."""
    keys = {page.translation_key for page in pages} - {None}
    for key in keys:
        context.translations[key] = []
    rows = Page.objects.filter(translation_key__in=keys, live=True).values_list(
        "translation_key", "pk", "locale__language_code"
    )
    for key, pk, code in rows:
        context.translations[key].append((pk, code))
