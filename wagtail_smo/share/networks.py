"""Share URL builders, one per network: plain links that work with JavaScript off.

Each builder takes the page's resolved ``SocialMeta`` and the URL to share (already UTM-tagged)
and returns the network's share URL with every value URL-encoded (``%20`` for spaces, so that
``mailto:`` bodies and networks that do not read ``+`` as a space all agree).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import quote, urlencode

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ..core.networks import get_network
from ..meta.resolver import SocialMeta

# Where a visitor without a remembered Mastodon instance is sent: the official chooser.
MASTODON_FALLBACK = "https://share.joinmastodon.org/"


def _url(base: str, params: list[tuple[str, str]]) -> str:
    """``base`` with ``params`` appended, every value percent-encoded; empty values left out."""
    query = urlencode([(k, v) for k, v in params if v], quote_via=quote, safe="")
    return f"{base}?{query}" if query else base


def _title_and_url(meta: SocialMeta, url: str) -> str:
    return f"{meta.title} {url}".strip()


def x_url(meta: SocialMeta, url: str) -> str:
    """X (Twitter) web intent; ``via`` is the site's X handle without "@"."""
    via = meta.x_site.lstrip("@")
    return _url(
        "https://twitter.com/intent/tweet", [("text", meta.title), ("url", url), ("via", via)]
    )


def facebook_url(meta: SocialMeta, url: str) -> str:
    """Facebook sharer: the card comes from the page's Open Graph tags."""
    return _url("https://www.facebook.com/sharer/sharer.php", [("u", url)])


def linkedin_url(meta: SocialMeta, url: str) -> str:
    """LinkedIn share-offsite: the card comes from the page's Open Graph tags."""
    return _url("https://www.linkedin.com/sharing/share-offsite/", [("url", url)])


def telegram_url(meta: SocialMeta, url: str) -> str:
    """Telegram share dialog."""
    return _url("https://t.me/share/url", [("url", url), ("text", meta.title)])


def whatsapp_url(meta: SocialMeta, url: str) -> str:
    """WhatsApp click-to-chat: the URL goes inside the text."""
    return _url("https://wa.me/", [("text", _title_and_url(meta, url))])


def vk_url(meta: SocialMeta, url: str) -> str:
    """VK share page, with the page image when there is one."""
    image = meta.image.url if meta.image else ""
    return _url("https://vk.com/share.php", [("url", url), ("title", meta.title), ("image", image)])


def reddit_url(meta: SocialMeta, url: str) -> str:
    """Reddit submit form."""
    return _url("https://www.reddit.com/submit", [("url", url), ("title", meta.title)])


def pinterest_url(meta: SocialMeta, url: str) -> str:
    """Pinterest pin builder with the page image as the pin's media."""
    image = meta.image.url if meta.image else ""
    description = meta.description or meta.title
    return _url(
        "https://www.pinterest.com/pin/create/button/",
        [("url", url), ("media", image), ("description", description)],
    )


def bluesky_url(meta: SocialMeta, url: str) -> str:
    """Bluesky compose intent: the URL goes inside the text."""
    return _url("https://bsky.app/intent/compose", [("text", _title_and_url(meta, url))])


def threads_url(meta: SocialMeta, url: str) -> str:
    """Threads post intent."""
    return _url("https://www.threads.net/intent/post", [("text", meta.title), ("url", url)])


def mastodon_url(meta: SocialMeta, url: str, instance: str = "") -> str:
    """Mastodon: the instance's /share form, or share.joinmastodon.org to pick an instance."""
    base = f"https://{instance}/share" if instance else MASTODON_FALLBACK
    return _url(base, [("text", _title_and_url(meta, url))])


def email_url(meta: SocialMeta, url: str) -> str:
    """A ``mailto:`` link with the title as subject and the description and URL as body."""
    body = "\n\n".join(part for part in (meta.description, url) if part)
    return _url("mailto:", [("subject", meta.title), ("body", body)])


def page_url(meta: SocialMeta, url: str) -> str:
    """The page itself: the no-JavaScript form of "copy link" and the native share sheet."""
    return url


@dataclass(frozen=True)
class ShareTarget:
    """A share button: its key (used in settings), how to build its link, and its label.

    For a network, the key is the network's registry key and the label is the one it declares
    (``wagtail_smo.core.networks``); "copy" and "native" are page actions with labels of their own.
    """

    key: str
    build: Callable[[SocialMeta, str], str]
    # "link": a plain link to a third party; "copy"/"native": enhanced by share.js.
    kind: str = "link"
    # Whether the shared URL gets UTM parameters (not for "copy": people paste it anywhere).
    utm: bool = True
    # Accessible name when it is not "Share on <label>".
    action: str | Promise = ""
    # The label of a page action (a network's label comes from the registry).
    own_label: str | Promise = ""

    @property
    def label(self) -> str | Promise:
        """The visible name: the registry's label of the network, or the action's own."""
        return self.own_label or get_network(self.key).label

    @property
    def accessible_name(self) -> str:
        """What a screen reader announces, e.g. "Share on Telegram"."""
        return str(self.action or _("Share on %(network)s") % {"network": self.label})


#: Share buttons in the order admin choosers list them. Networks are keyed as in the registry.
NETWORKS: dict[str, ShareTarget] = {
    target.key: target
    for target in (
        ShareTarget("x", x_url),
        ShareTarget("facebook", facebook_url),
        ShareTarget("linkedin", linkedin_url),
        ShareTarget("telegram", telegram_url),
        ShareTarget("whatsapp", whatsapp_url),
        ShareTarget("vk", vk_url),
        ShareTarget("reddit", reddit_url),
        ShareTarget("pinterest", pinterest_url),
        ShareTarget("bluesky", bluesky_url),
        ShareTarget("threads", threads_url),
        ShareTarget("mastodon", mastodon_url, kind="mastodon"),
        ShareTarget("email", email_url, action=_("Share by e-mail")),
        ShareTarget("copy", page_url, kind="copy", utm=False, action=_("Copy link"),
                    own_label=_("Copy link")),
        ShareTarget("native", page_url, kind="native", utm=False, action=_("Share…"),
                    own_label=_("Share…")),
    )
}


def network_choices() -> list[tuple[str, str]]:
    """``(key, label)`` pairs of every share button, for admin choosers."""
    return [(n.key, str(n.label)) for n in NETWORKS.values()]


def unknown_networks(names: Iterable[str]) -> list[str]:
    """The names in ``names`` that are not known share buttons."""
    return [name for name in names if name not in NETWORKS]
