"""As ``tests.urls_i18n``, but the default language's pages carry no prefix ("/…", "/fr/…")."""

from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from wagtail import urls as wagtail_urls

urlpatterns = [path("smo/", include("wagtail_smo.urls"))]
urlpatterns += i18n_patterns(path("", include(wagtail_urls)), prefix_default_language=False)
