"""System checks of ``WAGTAIL_SMO["PROVIDERS"]``: each error names the channel and the fix."""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig
from django.core import checks
from django.utils.module_loading import import_string

from ..core import networks
from .base import BaseProvider


def _error(alias: str, msg: str, hint: str, code: int) -> checks.Error:
    return checks.Error(f"Channel {alias!r}: {msg}", hint=hint, id=f"wagtail_smo.E1{code:02d}")


def check_channel(alias: str, config: object) -> list[checks.CheckMessage]:
    """The configuration errors of one channel."""
    if not isinstance(config, dict) or not config.get("BACKEND"):
        return [_error(alias, "has no BACKEND.", "Give it {'BACKEND': "
                       "'wagtail_smo.providers.mastodon.MastodonProvider', 'OPTIONS': {...}}.", 1)]
    path = config["BACKEND"]
    try:
        backend = import_string(path)
    except ImportError as exc:
        return [_error(alias, f"BACKEND {path!r} cannot be imported ({exc}).",
                       "Fix the dotted path; docs/providers.md lists the providers shipped "
                       "(e.g. 'wagtail_smo.providers.telegram.TelegramProvider').", 2)]
    if not (isinstance(backend, type) and issubclass(backend, BaseProvider)):
        return [_error(alias, f"BACKEND {path!r} is not a provider class.",
                       "Point BACKEND at a subclass of "
                       "wagtail_smo.providers.base.BaseProvider.", 3)]
    options = config.get("OPTIONS", {})
    if not isinstance(options, dict):
        return [_error(alias, "OPTIONS must be a dict.", "Use {'OPTION': value, ...}.", 4)]
    errors = check_network(alias, path, backend, options)
    missing = [name for name in backend.required_options if not options.get(name)]
    if missing:
        names = ", ".join(missing)
        errors.append(_error(
            alias, f"missing credentials or options: {names}.",
            f"Set OPTIONS {names} in WAGTAIL_SMO['PROVIDERS'][{alias!r}], read from the "
            "environment (e.g. os.environ['SMO_...']); never store them in the database.", 5))
    errors.extend(_error(alias, problem, "Fix the option in WAGTAIL_SMO['PROVIDERS'].", 10)
                  for problem in backend.option_problems(options))
    accepted = backend.accepted_options()
    for name in options:
        if name not in accepted:
            close = difflib.get_close_matches(name, accepted, n=1)
            hint = f"Did you mean {close[0]!r}? " if close else ""
            errors.append(_error(alias, f"unknown option {name!r} for {backend.__name__}.",
                                 f"{hint}Options it accepts: {', '.join(accepted)}.", 6))
    return errors


def check_network(alias: str, path: str, backend: type[BaseProvider],
                  options: dict) -> list[checks.CheckMessage]:
    """The network a channel posts to must be declared completely (E107), be the one network
    declared under its key (E108), and OPTIONS["NETWORK"] must name a network that posts (E109)."""
    declared = backend.declares
    lacks = networks.missing(declared)
    if lacks or declared is None:
        return [_error(alias, f"{path} declares an incomplete network "
                       f"{getattr(declared, 'key', None)!r}: it lacks {'; '.join(lacks)}.",
                       "Give the provider class `declares = NETWORK`, a module-level "
                       "Network(key, label, counting=CountingRule(...), template=...) from "
                       "wagtail_smo.core.networks (see ADDING_PROVIDERS.md).", 7)]
    errors: list[checks.CheckMessage] = []
    registered = next((n for n in networks.all_networks() if n.key == declared.key), None)
    if registered is not None and registered != declared:
        errors.append(_error(alias, f"{path} declares network {declared.key!r}, which another "
                             "provider or wagtail-smo already declares differently.",
                             "Give the network a key of its own, or point `declares` at the "
                             "existing declaration.", 8))
    imitated = options.get("NETWORK")
    if imitated:
        try:
            network = networks.get_network(imitated)
        except networks.UnknownNetwork as exc:
            network, reason = None, str(exc)
        else:
            reason = f"{imitated!r} is only shared to or previewed, nobody posts to it."
        if network is None or network.share_only:
            errors.append(_error(alias, f"OPTIONS['NETWORK'] names no network to imitate: "
                                 f"{reason}", "Use the key of a network with a provider.", 9))
    return errors


def check_providers(
    app_configs: Sequence[AppConfig] | None = None, **kwargs: Any
) -> list[checks.CheckMessage]:
    """Check every configured channel (registered from wagtail_smo/checks.py)."""
    from ..conf import smo_settings

    providers = smo_settings.PROVIDERS
    if not isinstance(providers, dict):
        return [checks.Error("WAGTAIL_SMO['PROVIDERS'] must be a dict of channels.",
                             hint="{'alias': {'BACKEND': ..., 'OPTIONS': {...}}}",
                             id="wagtail_smo.E100")]
    errors: list[checks.CheckMessage] = []
    for alias, config in providers.items():
        errors.extend(check_channel(alias, config))
    return errors
