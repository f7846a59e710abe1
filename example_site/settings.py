"""Settings of the wagtail-smo example site (a demo: not for production as it is)."""

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
SITE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("SMO_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)  # the demo keeps its database and media here

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "demo-only-not-secret")
DEBUG = os.environ.get("DJANGO_DEBUG", "1") == "1"
ALLOWED_HOSTS = ["*"]

INSTALLED_APPS = [
    "example_site.home",
    "example_site.blog",
    "wagtail_smo",
    "wagtail.contrib.settings",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail.api.v2",
    "wagtail",
    "rest_framework",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_tasks",
    "django_tasks_db",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "example_site.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SITE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

WSGI_APPLICATION = "example_site.wsgi.application"


# SQLite for a site that serves requests at the same time (the admin's autosave beside a preview
# refresh, a worker beside the web process); docs/configuration.md explains each line.
SQLITE_OPTIONS = {
    # A write transaction takes the write lock when it begins: a transaction that read first and
    # writes later cannot find the lock taken and fail at once with "database is locked".
    "transaction_mode": "IMMEDIATE",
    # Wait this many seconds for the write lock instead of failing at once.
    "timeout": 20,
    # WAL: readers do not block the writer nor the writer the readers. NORMAL sync is safe with
    # WAL (a power cut may lose the last commits, never corrupt the file).
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
}


def _database_from_env():
    url = os.environ.get("DATABASE_URL")
    if url:
        import dj_database_url

        return dj_database_url.parse(url)
    return {"ENGINE": "django.db.backends.sqlite3", "NAME": VAR_DIR / "db.sqlite3",
            "OPTIONS": SQLITE_OPTIONS}


DATABASES = {"default": _database_from_env()}
_POSTGRES_APP = "django.contrib.postgres"
if "postgresql" in DATABASES["default"]["ENGINE"] and _POSTGRES_APP not in INSTALLED_APPS:
    # Wagtail's search index uses PostgreSQL's full-text fields there; Django 6.1 checks that
    # their app is installed (postgres.E005) before migrate or runserver start.
    INSTALLED_APPS.append(_POSTGRES_APP)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
# Wagtail i18n with English and Russian: the demo's Russian post lives in a Russian tree
# (/ru/...), so its og:locale is ru_RU; English pages keep their unprefixed URLs.
WAGTAIL_I18N_ENABLED = os.environ.get("SMO_DEMO_I18N", "1") == "1"
LANGUAGES = WAGTAIL_CONTENT_LANGUAGES = [("en", "English"), ("ru", "Русский")]
if WAGTAIL_I18N_ENABLED:
    MIDDLEWARE.insert(MIDDLEWARE.index("django.middleware.common.CommonMiddleware"),
                      "django.middleware.locale.LocaleMiddleware")

STATIC_URL = "/static/"
STATICFILES_DIRS = [SITE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

WAGTAIL_SITE_NAME = "SMO Demo"
# The admin's address for links made outside a request (smo_audit's edit_url, emails). Unset, the
# demo's admin is where its site is (Site records the host and port `make demo PORT=...` used):
# smo_audit then links there, and Wagtail's warning that the setting is missing is silenced.
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL")
SILENCED_SYSTEM_CHECKS = [] if WAGTAILADMIN_BASE_URL else ["wagtailadmin.W003"]
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}

# Background work: the database backend, run by `manage.py db_worker` (make demo starts one).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        # The worker logs a line per task started and finished at INFO (it sets the level itself
        # from --verbosity): the console shows only warnings and failures of tasks. What was sent
        # or failed is logged by wagtail_smo, above.
        "task_problems": {"class": "logging.StreamHandler", "level": "WARNING"},
    },
    "loggers": {
        "wagtail_smo": {"handlers": ["console"], "level": "INFO"},
        **{name: {"handlers": ["task_problems"], "propagate": False}
           for name in ("django_tasks", "django.tasks", "django_tasks_db")},
    },
}

# wagtail-smo. Channel secrets come from the environment, never from the database.
# The demo's channels print posts to the console, each imitating a network's counting and
# default template; the demo loader enables them on the demo site.
WAGTAIL_SMO = {
    "PROVIDERS": {
        "mastodon-demo": {
            "BACKEND": "wagtail_smo.providers.console.ConsoleProvider",
            "OPTIONS": {"NETWORK": "mastodon"},
        },
        "x-demo": {
            "BACKEND": "wagtail_smo.providers.console.ConsoleProvider",
            "OPTIONS": {"NETWORK": "x"},
        },
        "linkedin-demo": {
            "BACKEND": "wagtail_smo.providers.console.ConsoleProvider",
            "OPTIONS": {"NETWORK": "linkedin"},
        },
    },
}

# Real channels, each added only when its variables are set in the environment (secrets never go
# in the database). A channel with some variables missing is reported by `manage.py check`.
# `manage.py smo_check_providers` then calls each network's "who am I" endpoint.
_ENV_CHANNELS = {
    "mastodon": ("wagtail_smo.providers.mastodon.MastodonProvider",
                 {"API_URL": "SMO_MASTODON_URL", "ACCESS_TOKEN": "SMO_MASTODON_TOKEN"}),
    "bluesky": ("wagtail_smo.providers.bluesky.BlueskyProvider",
                {"HANDLE": "SMO_BLUESKY_HANDLE", "APP_PASSWORD": "SMO_BLUESKY_APP_PASSWORD"}),
    "telegram": ("wagtail_smo.providers.telegram.TelegramProvider",
                 {"BOT_TOKEN": "SMO_TELEGRAM_BOT_TOKEN", "CHAT_ID": "SMO_TELEGRAM_CHAT_ID"}),
    "linkedin": ("wagtail_smo.providers.linkedin.LinkedInProvider",
                 {"ACCESS_TOKEN": "SMO_LINKEDIN_TOKEN", "AUTHOR": "SMO_LINKEDIN_AUTHOR"}),
    "facebook": ("wagtail_smo.providers.facebook.FacebookProvider",
                 {"PAGE_ID": "SMO_FACEBOOK_PAGE_ID",
                  "PAGE_ACCESS_TOKEN": "SMO_FACEBOOK_PAGE_TOKEN"}),
    "x": ("wagtail_smo.providers.x.XProvider",
          {"CONSUMER_KEY": "SMO_X_CONSUMER_KEY", "CONSUMER_SECRET": "SMO_X_CONSUMER_SECRET",
           "ACCESS_TOKEN": "SMO_X_ACCESS_TOKEN",
           "ACCESS_TOKEN_SECRET": "SMO_X_ACCESS_TOKEN_SECRET"}),
    "vk": ("wagtail_smo.providers.vk.VKProvider",
           {"ACCESS_TOKEN": "SMO_VK_TOKEN", "GROUP_ID": "SMO_VK_GROUP_ID"}),
    "threads": ("wagtail_smo.providers.threads.ThreadsProvider",
                {"USER_ID": "SMO_THREADS_USER_ID", "ACCESS_TOKEN": "SMO_THREADS_TOKEN"}),
    "webhook": ("wagtail_smo.providers.webhook.WebhookProvider",
                {"URL": "SMO_WEBHOOK_URL", "SECRET": "SMO_WEBHOOK_SECRET"}),
}
for _alias, (_backend, _variables) in _ENV_CHANNELS.items():
    _options = {option: os.environ[name] for option, name in _variables.items()
                if os.environ.get(name)}
    if _options:
        WAGTAIL_SMO["PROVIDERS"][_alias] = {"BACKEND": _backend, "OPTIONS": _options}

# Scale-out: with REDIS_URL set, tasks go through Redis and `manage.py rqworker default
# --job-class django_tasks_rq.Job --with-scheduler` workers (any number, on any machine).
if os.environ.get("REDIS_URL"):
    INSTALLED_APPS.append("django_rq")
    RQ_QUEUES = {"default": {"URL": os.environ["REDIS_URL"]}}
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend"}}
    # One cache for every process: the meta cache and the HTTP validators' change stamp must be
    # seen by all the application server's workers (docs/deployment.md).
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                          "LOCATION": os.environ["REDIS_URL"]}}
