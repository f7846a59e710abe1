"""Public URLs of wagtail-smo: ``path("smo/", include("wagtail_smo.urls"))``."""

app_name = "wagtail_smo"

urlpatterns: list = []
