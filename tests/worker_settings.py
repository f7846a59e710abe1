"""Settings of worker subprocesses started by the delivery tests: the test run's database, tasks
backend and channels, passed as JSON in the environment (see tests/workers.py)."""

import json
import os

from tests.settings import *  # noqa: F403

DATABASES = {"default": json.loads(os.environ["SMO_TEST_DATABASE"])}
TASKS = json.loads(os.environ["SMO_TEST_TASKS"])
WAGTAIL_SMO = json.loads(os.environ["SMO_TEST_WAGTAIL_SMO"])
if ("postgresql" in DATABASES["default"]["ENGINE"]
        and "django.contrib.postgres" not in INSTALLED_APPS):  # noqa: F405
    # Django 6.1's checks want it for wagtailsearch's PostgreSQL index (run by rqworker); the
    # example settings add it already when DATABASE_URL names PostgreSQL.
    INSTALLED_APPS = [*INSTALLED_APPS, "django.contrib.postgres"]  # noqa: F405
# The test's media folder (demo images), when a process must read or render them (runserver).
MEDIA_ROOT = os.environ.get("SMO_TEST_MEDIA_ROOT", MEDIA_ROOT)  # noqa: F405
RQ_QUEUES = json.loads(os.environ.get("SMO_TEST_RQ_QUEUES", "{}"))
if os.environ.get("SMO_TEST_CACHES"):  # a shared cache (the click counter's Redis)
    CACHES = json.loads(os.environ["SMO_TEST_CACHES"])
if RQ_QUEUES:
    INSTALLED_APPS = [*INSTALLED_APPS, "django_rq"]  # noqa: F405  (its rqworker command)
LOGGING = {"version": 1, "disable_existing_loggers": False}
