"""Settings of benchmarks/meta.py: the example site plus wagtail-metadata and django-meta."""

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("SMO_VAR_DIR", tempfile.mkdtemp(prefix="smo-bench-meta-"))
# The bench model's migration is generated at start-up (it follows the mixins' fields) into a
# throw-away package, so that no migration file of the benchmark can go stale.
_MIGRATIONS = Path(os.environ["SMO_VAR_DIR"]) / "bench_migrations"
(_MIGRATIONS / "smo_bench_meta_migrations").mkdir(parents=True, exist_ok=True)
(_MIGRATIONS / "smo_bench_meta_migrations" / "__init__.py").touch()
sys.path.insert(0, str(_MIGRATIONS))
os.environ["DJANGO_DEBUG"] = "0"
# Wagtail i18n off unless asked for (SMO_DEMO_I18N=1): the bench page has no translations, the
# peers emit no og:locale:alternate, and commits before the demo turned i18n on ran without it,
# so side-by-side runs against them (benchmarks/_against.py) compare the same work.
os.environ.setdefault("SMO_DEMO_I18N", "0")

from example_site.settings import *  # noqa: E402,F403

INSTALLED_APPS = [  # noqa: F405
    "benchmarks._meta_app",
    "wagtailmetadata",
    "meta",
    *INSTALLED_APPS,  # noqa: F405
]
MIGRATION_MODULES = {"_meta_app": "smo_bench_meta_migrations"}
DEBUG = False
LOGGING = {"version": 1, "disable_existing_loggers": False}

# The same crawler-safe rendition for every contender, so that none pays for a bigger image.
WAGTAILMETADATA_IMAGE_FILTER = "fill-1200x630|format-jpeg|jpegquality-85"

# django-meta: everything it can emit turned on.
META_SITE_PROTOCOL = "http"
META_SITE_DOMAIN = "localhost"
META_USE_OG_PROPERTIES = True
META_USE_TWITTER_PROPERTIES = True
META_USE_FACEBOOK_PROPERTIES = True
META_USE_SCHEMAORG_PROPERTIES = True
META_USE_JSON_LD_SCHEMA = True
META_USE_TITLE_TAG = False
META_TWITTER_SITE = "@smodemo"
META_FB_APPID = "1234567890"
