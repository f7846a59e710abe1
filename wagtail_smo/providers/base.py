"""The base class every provider derives from: fixed steps, loud failure of unsupported features.

``send()`` runs the same steps for every network (the django-anymail pattern)::

    payload = build_payload(message)        # network-specific JSON/form body
    upload_media(message, payload)          # only when the post has an image
    response = create_post(payload, key)    # the one call that publishes
    return parse_result(response)           # -> SendResult(remote_id, remote_url)

A subclass implements those steps and sets ``declares`` (its module's ``NETWORK``: the network's
counting rule, template, card and features, see ``wagtail_smo.core.networks``), ``option_names``,
``required_options`` and ``deduplicates``. See ADDING_PROVIDERS.md.

Providers talk only to networks: they take an ``OutgoingPost`` (built on the posts side by
``wagtail_smo.posts.outgoing``) and import nothing but ``exceptions``, ``conf`` and ``core``.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import Any, ClassVar

from ..conf import smo_settings
from ..core.networks import FOREVER, Network
from ..exceptions import UnsupportedFeature

#: Options every provider accepts. MAX_CHARACTERS overrides the network's length limit (e.g. a
#: Mastodon instance allowing 5000), read by post composing and the editor's counter.
COMMON_OPTIONS = ("NETWORK", "TIMEOUT", "IGNORE_UNSUPPORTED_FEATURES", "MAX_CHARACTERS")
#: Option names whose values are secrets (redacted from every message), by pattern.
SECRET_NAME = re.compile(r"TOKEN|SECRET|PASSWORD|KEY", re.IGNORECASE)
REDACTED = "[redacted]"


@dataclass(frozen=True)
class SendResult:
    """What a network answered for a created post."""

    remote_id: str
    remote_url: str = ""
    raw: Any = None


@dataclass
class OutgoingPost:
    """What a provider needs of a post: text, link, optional image bytes and card data.

    Built from a SocialPost by ``wagtail_smo.posts.outgoing.outgoing_post``.
    """

    text: str
    link: str = ""
    title: str = ""
    description: str = ""
    image: bytes | None = None
    image_mime_type: str = "image/jpeg"
    image_alt: str = ""
    image_url: str = ""
    #: Why ``image_url`` is not public ("a loopback address (127.0.0.1)"); "" when it is. Set on
    #: the posts side (providers do not import ``net``): networks that fetch images refuse it.
    image_problem: str = ""
    pk: int | None = None
    extra: dict = field(default_factory=dict)


def secret_values(options: dict) -> list[str]:
    """The values of secret-looking options (tokens, passwords, keys) of one channel."""
    return [
        str(value) for name, value in options.items()
        if SECRET_NAME.search(name) and value and len(str(value)) >= 4
    ]


def redact(text: str, extra_secrets: list[str] | None = None) -> str:
    """``text`` with every configured channel secret replaced by "[redacted]"."""
    if not text:
        return text
    values = list(extra_secrets or [])
    for config in smo_settings.PROVIDERS.values():
        values.extend(secret_values(config.get("OPTIONS", {})))
    for value in sorted(set(values), key=len, reverse=True):
        text = text.replace(value, REDACTED)
    return text


def image_refusal(network: str, message: OutgoingPost) -> str:
    """Why ``message``'s image cannot be fetched by a network that fetches images ("" if it can)."""
    if not message.image_url:
        return (f"{network} posts need an image and this post has none: give the page a social "
                f"image, or turn on 'generated cards' (Settings > Social media).")
    if message.image_problem:
        return (f"{network} fetches the image from its URL, and {message.image_url} is on "
                f"{message.image_problem}: give the site a public root URL (Settings > Sites) or "
                f"serve media from a public MEDIA_URL.")
    return ""


class BaseProvider:
    """One network. Subclasses set ``declares`` and implement the steps they support."""

    #: The network this provider posts to, declared once in the provider's module.
    declares: ClassVar[Network | None] = None
    #: The declared network's key ("mastodon", "x", ...), set from ``declares``.
    network: ClassVar[str] = "generic"
    #: Option names this provider accepts (besides COMMON_OPTIONS); others are a config error.
    option_names: ClassVar[tuple[str, ...]] = ()
    #: Options without which the provider cannot work (checked at start-up).
    required_options: ClassVar[tuple[str, ...]] = ()
    #: True when the network drops a repeated create with the same key (safe to re-send).
    deduplicates: ClassVar[bool] = False
    #: True when the provider can attach an image to a post.
    supports_images: ClassVar[bool] = False
    #: True when ``look_up`` can tell whether a post with a given key exists on the network.
    can_look_up: ClassVar[bool] = False

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.declares is not None:
            cls.network = cls.declares.key  # the key is written once, in the declaration

    def __init__(self, alias: str, options: dict) -> None:
        self.alias = alias
        self.options = options

    @classmethod
    def accepted_options(cls) -> tuple[str, ...]:
        """Every option name this provider understands."""
        return COMMON_OPTIONS + cls.option_names

    @classmethod
    def option_problems(cls, options: dict) -> list[str]:
        """What is wrong with the values of a channel's options, in words (system check E110)."""
        return []

    @classmethod
    def deduplicates_with(cls, options: dict) -> bool:
        """Whether a channel with these options may safely repeat a create (see delivery.py)."""
        return cls.deduplicates

    @classmethod
    def dedup_window_with(cls, options: dict) -> float:
        """Seconds, from the first try, during which a repeated create with the post's key is
        dropped by the network (the registry's ``dedup_window``); 0 when it never is.

        A provider that de-duplicates without declaring a window (console, in-memory, a webhook
        whose receiver says it does) keeps the key for good.
        """
        if not cls.deduplicates_with(options):
            return 0
        declared = cls.declares.features.dedup_window if cls.declares is not None else 0
        return declared or FOREVER

    def look_up(self, idempotency_key: str) -> SendResult | None:
        """The post created with ``idempotency_key`` if the network has it, else None.

        Only for providers with ``can_look_up`` (Bluesky: getRecord of the rkey); reconciling
        asks before re-sending an interrupted post.
        """
        raise NotImplementedError

    @property
    def timeout(self) -> float:
        """Seconds to wait for the network (OPTIONS["TIMEOUT"], default 10)."""
        return float(self.options.get("TIMEOUT", 10))

    def unsupported_feature(self, feature: str) -> None:
        """Fail loudly unless OPTIONS["IGNORE_UNSUPPORTED_FEATURES"] allows dropping the feature."""
        if not self.options.get("IGNORE_UNSUPPORTED_FEATURES"):
            raise UnsupportedFeature(
                f"{self.network} channel {self.alias!r} cannot send {feature}; set "
                f"OPTIONS['IGNORE_UNSUPPORTED_FEATURES'] = True to send the post without it.",
                network=self.network, channel=self.alias,
            )

    # -- the fixed steps ------------------------------------------------------------------------

    def send(self, message: OutgoingPost, idempotency_key: str) -> SendResult:
        """Deliver ``message``; ``idempotency_key`` is stable across retries of the same post."""
        payload = self.build_payload(message)
        if message.image is not None:
            if self.supports_images:
                self.upload_media(message, payload)
            else:
                self.unsupported_feature("an image")
        response = self.create_post(payload, idempotency_key)
        return self.parse_result(response)

    def build_payload(self, message: OutgoingPost) -> dict:
        """The network's request body for ``message`` (without media)."""
        raise NotImplementedError

    def upload_media(self, message: OutgoingPost, payload: dict) -> None:
        """Upload ``message.image`` and reference it in ``payload``."""
        raise NotImplementedError

    def create_post(self, payload: dict, idempotency_key: str) -> Any:
        """Make the one call that publishes; returns the network's parsed answer."""
        raise NotImplementedError

    def parse_result(self, response: Any) -> SendResult:
        """Read the created post's id and public URL from the answer."""
        raise NotImplementedError

    def who_am_i(self) -> str:
        """Check the credentials; returns the account name the channel posts as."""
        return self.alias


class RedactSecretsFilter(logging.Filter):
    """Removes channel secrets from log records (a Telegram token is part of its URLs, and
    requests-oauthlib logs signed headers at DEBUG level)."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record's message and traceback without secrets; never drops a record."""
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            return True
        clean = redact(message)
        if clean != message:
            record.msg, record.args = clean, ()
        if record.exc_info:
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        return True


#: Loggers (filters apply to records of that exact logger) that may see URLs or signed headers.
REDACTED_LOGGERS = ("urllib3.connectionpool", "requests_oauthlib.oauth1_auth",
                    "oauthlib.oauth1.rfc5849", "oauthlib.oauth1.rfc5849.signature",
                    "wagtail_smo.delivery")


def install_log_filters() -> None:
    """Add the secret-redacting filter to ``REDACTED_LOGGERS``, once (from AppConfig.ready)."""
    for name in REDACTED_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactSecretsFilter) for f in logger.filters):
            logger.addFilter(RedactSecretsFilter())
