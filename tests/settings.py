"""Test settings: the example site, an in-memory SQLite database unless DATABASE_URL is set."""

import os
import tempfile

from example_site.settings import *  # noqa: F403

# The suite runs without Wagtail i18n (tests turn it on with tests.translations.i18n); the demo's
# Russian post then stays in the English tree. Set before example_site.urls is imported.
WAGTAIL_I18N_ENABLED = False
if "django.middleware.locale.LocaleMiddleware" in MIDDLEWARE:  # noqa: F405
    MIDDLEWARE = [m for m in MIDDLEWARE if m != "django.middleware.locale.LocaleMiddleware"]  # noqa: F405
del LANGUAGES, WAGTAIL_CONTENT_LANGUAGES  # noqa: F821  (Django's and Wagtail's defaults)

DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
if os.environ.get("DATABASE_URL"):
    import dj_database_url

    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"])}
    # One test database per test run, so that runs in parallel do not collide.
    DATABASES["default"]["TEST"] = {"NAME": f"test_smo_{os.getpid()}"}

MEDIA_ROOT = tempfile.mkdtemp(prefix="smo-test-media-")
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
DEBUG = False
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
WAGTAILADMIN_BASE_URL = "http://testserver"
LOGGING = {"version": 1, "disable_existing_loggers": False}
