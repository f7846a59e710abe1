"""Test settings: the example site, an in-memory SQLite database unless DATABASE_URL is set."""

import os
import tempfile

from example_site.settings import *  # noqa: F403

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
