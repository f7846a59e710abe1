"""Django system checks of the ``WAGTAIL_SMO`` setting: every key, nested ones included.

Each value is held to its rule in ``conf.RULES`` (type and range), unknown keys are named with
the closest known one, and values that point elsewhere (a ``TASKS`` backend and its queue, a
cache, a rendition filter, page models) are looked up. Run-time code then reads the values as
they are. Ids:

- E001 unknown key (E030 inside FEEDS), E002 bad value (E032 for FEEDS.LIMIT), E003 not a dict
- E004 DELIVERY.TASK_BACKEND not in TASKS, E005 DELIVERY.QUEUE not a queue of that backend
- E006 META_CACHE not in CACHES, E007 IMAGE_FILTER/LOGO_FILTER not a rendition filter
- E008 CLICKS.CACHE not in CACHES, E009 a CLICKS.BOTS pattern that is not a regular expression
- E031 FEEDS.PAGE_TYPES names something that is not a page model
- E040 a CARDS font that cannot be read, E041 a CARDS layout that cannot be imported
- E120 a channel's common option (TIMEOUT, MAX_CHARACTERS, ...) of the wrong type
- E020-E022 share networks (share/checks.py), E100-E106 channels (providers/checks.py)
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext as _

from .analytics.bots import pattern_error
from .conf import CHECKED_ELSEWHERE, DEFAULTS, PROVIDER_OPTION_RULES, rule_for
from .images.checks import card_errors
from .providers.checks import check_providers
from .share.checks import check_share_networks, check_site_share_networks

#: Ids that FEEDS had before every setting was checked (kept: sites may silence them).
_FEEDS_IDS = {"unknown:FEEDS": "wagtail_smo.E030", "value:FEEDS.LIMIT": "wagtail_smo.E032"}


def setting_name(path: str) -> str:
    """``WAGTAIL_SMO['DELIVERY']['MAX_ATTEMPTS']`` for the path "DELIVERY.MAX_ATTEMPTS"."""
    return "WAGTAIL_SMO" + "".join(f"[{key!r}]" for key in path.split(".") if key)


def _unknown_key(section: str, key: Any, known: list[str]) -> checks.Error:
    close = difflib.get_close_matches(str(key), known, n=1)
    hint = f"Did you mean {close[0]!r}? " if close else ""
    return checks.Error(
        f"{setting_name(section)} has an unknown key {key!r}.",
        hint=f"{hint}Known keys: {', '.join(known)}.",
        id=_FEEDS_IDS.get(f"unknown:{section}", "wagtail_smo.E001"),
    )


def _bad_value(path: str, value: Any, expected: str, default: Any) -> checks.Error:
    return checks.Error(
        f"{setting_name(path)} must be {expected}, not {value!r}.",
        hint=f"Set {setting_name(path)} to {expected}, or remove it to use the default "
             f"({default!r}).",
        id=_FEEDS_IDS.get(f"value:{path}", "wagtail_smo.E002"),
    )


def _section_errors(path: str, values: Any, defaults: dict) -> list[checks.CheckMessage]:
    """Errors of one dict of settings (the top level, or a section such as DELIVERY)."""
    if not isinstance(values, dict):
        return [checks.Error(
            f"{setting_name(path)} must be a dict, not {type(values).__name__}.",
            hint=f"Use a dict with some of the keys {', '.join(defaults)}.",
            id="wagtail_smo.E003",
        )]
    errors: list[checks.CheckMessage] = []
    for key, value in values.items():
        sub = f"{path}.{key}" if path else str(key)
        if key not in defaults:
            errors.append(_unknown_key(path, key, list(defaults)))
        elif sub in CHECKED_ELSEWHERE:
            continue
        elif (rule := rule_for(sub)) is None:
            errors.extend(_section_errors(sub, value, defaults[key]))
        elif not rule.valid(value):
            errors.append(_bad_value(sub, value, rule.expected, defaults[key]))
    return errors


@checks.register()
def check_settings(
    app_configs: Sequence[AppConfig] | None = None, **kwargs: Any
) -> list[checks.CheckMessage]:
    """Check every ``WAGTAIL_SMO`` key: type, range, unknown keys, and what values point at."""
    from django.conf import settings

    user = getattr(settings, "WAGTAIL_SMO", None) or {}
    errors = _section_errors("", user, DEFAULTS)
    if not isinstance(user, dict):
        return errors
    return [*errors, *_task_errors(), *_cache_errors(), *_filter_errors(),
            *_page_type_errors(), *_provider_option_errors(), *_card_errors(),
            *_clicks_errors()]


def _card_errors() -> list[checks.CheckMessage]:
    """The card fonts and layouts (only the values of the right type: others are reported)."""
    cards = {key: _checked(f"CARDS.{key}") for key in DEFAULTS["CARDS"]}
    return card_errors(cards)


def _checked(path: str) -> Any:
    """The value of setting ``path`` (its default when unset) if it passed its rule, else None:
    a look-up is made only with a value of the right type (a wrong one is reported already)."""
    from .conf import smo_settings

    first, *rest = path.split(".")
    value = getattr(smo_settings, first)
    for key in rest:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    rule = rule_for(path)
    return value if rule is not None and rule.valid(value) else None


def _task_errors() -> list[checks.CheckMessage]:
    """DELIVERY.TASK_BACKEND must be a backend in TASKS, and QUEUE one of its queues."""
    from django_tasks import task_backends
    from django_tasks.exceptions import InvalidTaskBackendError

    alias, queue = _checked("DELIVERY.TASK_BACKEND"), _checked("DELIVERY.QUEUE")
    if alias is None:
        return []
    aliases = list(task_backends.settings)
    if alias not in aliases:
        close = difflib.get_close_matches(alias, aliases, n=1)
        hint = f"Did you mean {close[0]!r}? " if close else ""
        return [checks.Error(
            f"{setting_name('DELIVERY.TASK_BACKEND')} is {alias!r}, which is not a backend in "
            "TASKS: approved posts could never be queued.",
            hint=f"{hint}Use one of {', '.join(map(repr, aliases))}, or add {alias!r} to TASKS.",
            id="wagtail_smo.E004",
        )]
    try:
        queues = task_backends[alias].queues
    except InvalidTaskBackendError:
        return []  # a backend that cannot be imported: django_tasks' own check says so
    if queue is not None and queues and queue not in queues:
        return [checks.Error(
            f"{setting_name('DELIVERY.QUEUE')} is {queue!r}, which the task backend {alias!r} "
            "does not have: approved posts could never be queued.",
            hint=f"Use one of {', '.join(map(repr, sorted(queues)))}, or add {queue!r} to "
                 f"TASKS[{alias!r}]['QUEUES'].",
            id="wagtail_smo.E005",
        )]
    return []


def _cache_errors() -> list[checks.CheckMessage]:
    from django.conf import settings

    alias = _checked("META_CACHE")
    if alias is None or alias in settings.CACHES:
        return []
    return [checks.Error(
        f"{setting_name('META_CACHE')} is {alias!r}, which is not a cache in CACHES.",
        hint=f"Use one of {', '.join(map(repr, settings.CACHES))}, or add {alias!r} to CACHES.",
        id="wagtail_smo.E006",
    )]


def _clicks_errors() -> list[checks.CheckMessage]:
    """CLICKS.CACHE must be a cache in CACHES (or blank), each CLICKS.BOTS pattern a regex."""
    from django.conf import settings

    errors: list[checks.CheckMessage] = []
    alias = _checked("CLICKS.CACHE")
    if alias and alias not in settings.CACHES:
        errors.append(checks.Error(
            _("%(setting)s is %(alias)r, which is not a cache in CACHES.")
            % {"setting": setting_name("CLICKS.CACHE"), "alias": alias},
            hint=_("Use one of %(aliases)s, or \"\" to buffer clicks in each web process.")
            % {"aliases": ", ".join(map(repr, settings.CACHES))},
            id="wagtail_smo.E008",
        ))
    for pattern in _checked("CLICKS.BOTS") or []:
        problem = pattern_error(pattern)
        if problem is not None:
            errors.append(checks.Error(
                _("%(setting)s has %(pattern)r, which is not a regular expression (%(problem)s).")
                % {"setting": setting_name("CLICKS.BOTS"), "pattern": pattern,
                   "problem": problem},
                hint=_("Escape special characters with re.escape(), e.g. %(example)r.")
                % {"example": re.escape(pattern)},
                id="wagtail_smo.E009",
            ))
    return errors


def _filter_errors() -> list[checks.CheckMessage]:
    from wagtail.images.exceptions import InvalidFilterSpecError
    from wagtail.images.models import Filter

    errors: list[checks.CheckMessage] = []
    for name in ("IMAGE_FILTER", "LOGO_FILTER"):
        spec = _checked(name)
        if spec is None:
            continue
        try:
            Filter(spec).operations  # noqa: B018 -- parsing the spec is the check
        except InvalidFilterSpecError as exc:
            errors.append(checks.Error(
                f"{setting_name(name)} {spec!r} is not a rendition filter ({exc}).",
                hint=f"Use Wagtail's filter syntax, e.g. {DEFAULTS[name]!r}.",
                id="wagtail_smo.E007",
            ))
    return errors


def _page_type_errors() -> list[checks.CheckMessage]:
    """Every FEEDS.PAGE_TYPES entry must be "app_label.Model" of a Wagtail page model."""
    from django.apps import apps
    from wagtail.models import Page

    errors: list[checks.CheckMessage] = []
    for name in _checked("FEEDS.PAGE_TYPES") or []:
        try:
            model = apps.get_model(name)
        except (LookupError, ValueError):
            model = None
        if model is None or not issubclass(model, Page):
            errors.append(checks.Error(
                f"{setting_name('FEEDS.PAGE_TYPES')} names {name!r}, which is not a page model.",
                hint='Use "app_label.ModelName" of a Wagtail page model.', id="wagtail_smo.E031",
            ))
    return errors


def _provider_option_errors() -> list[checks.CheckMessage]:
    """The options every channel accepts (TIMEOUT, MAX_CHARACTERS, ...) must have their type."""
    from .conf import smo_settings

    providers = smo_settings.PROVIDERS
    errors: list[checks.CheckMessage] = []
    for alias, config in providers.items() if isinstance(providers, dict) else ():
        options = config.get("OPTIONS", {}) if isinstance(config, dict) else {}
        if not isinstance(options, dict):
            continue  # reported by check_providers (E104)
        for name, (rule, default) in PROVIDER_OPTION_RULES.items():
            if name in options and not rule.valid(options[name]):
                example = f" (the default is {default!r})" if default is not None else ""
                errors.append(checks.Error(
                    f"Channel {alias!r}: OPTIONS[{name!r}] must be {rule.expected}, "
                    f"not {options[name]!r}.",
                    hint=f"Set {setting_name('PROVIDERS')}[{alias!r}]['OPTIONS'][{name!r}] to "
                         f"{rule.expected}{example}, or remove it.",
                    id="wagtail_smo.E120",
                ))
    return errors


# Unknown share-button network names (wagtail_smo.E020/E021, W022 per site).
checks.register(check_share_networks)
checks.register(check_site_share_networks, checks.Tags.database)

# Channels in WAGTAIL_SMO["PROVIDERS"]: bad path, missing credentials, unknown option (E1xx).
checks.register(check_providers)
