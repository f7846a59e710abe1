"""The example site's URLs with Wagtail's pages under ``i18n_patterns`` ("/en/…", "/fr/…")."""

from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from wagtail import urls as wagtail_urls

urlpatterns = [path("smo/", include("wagtail_smo.urls"))]
urlpatterns += i18n_patterns(path("", include(wagtail_urls)))
