"""Share buttons: plain links that work with JavaScript off, one per network that declares one.

A network's share link is data in its registry declaration (``Network.share``, a ``ShareLink``
URL template, ``wagtail_smo.core.share``), so a network a site declares in its own provider module
gets a share button without a change to the package. Code is kept only where a link needs logic:
Mastodon's is sent to a visitor's own instance when one is known. "copy" and "native" are page
actions, not networks.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ..core.networks import PAGE_ACTIONS, Network, all_networks, configured_backends, get_network
from ..meta.resolver import SocialMeta


def share_values(meta: SocialMeta, url: str) -> dict[str, str]:
    """The values of a share link's placeholders (``SHARE_PLACEHOLDERS``) for a page."""
    return {
        "url": url,
        "title": meta.title,
        "description": meta.description,
        "summary": meta.description or meta.title,
        "text": f"{meta.title} {url}".strip(),
        "image": meta.image.url if meta.image else "",
        "via": meta.x_site.lstrip("@"),
    }


def declared_link(network: Network) -> Callable[[SocialMeta, str], str]:
    """The builder of ``network``'s declared share link: ``build(meta, url) -> href``."""
    share = network.share
    if share is None:
        raise ValueError(f"Network {network.key!r} declares no share link.")

    def build(meta: SocialMeta, url: str) -> str:
        return share.render(share_values(meta, url))

    build.__doc__ = f"{network.label} share link ({share.template})."
    return build


def mastodon_url(meta: SocialMeta, url: str, instance: str = "") -> str:
    """Mastodon: the instance's /share form, or the declared chooser to pick an instance."""
    share = get_network("mastodon").share
    if share is None:
        raise ValueError("The mastodon network declares no share link.")
    base = f"https://{instance}/share" if instance else None
    return share.render(share_values(meta, url), base=base)


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
    build: Callable[..., str]
    # "link": a plain link to a third party; "copy"/"native": enhanced by share.js.
    kind: str = "link"
    # Whether the shared URL gets UTM parameters (not for "copy": people paste it anywhere).
    utm: bool = True
    # Accessible name when it is not "Share on <label>" (a lazy translation).
    action: str | Promise = ""
    # The visible name: the action's own, or the network's label as the registry declared it
    # when the targets were built (they are rebuilt with the registry: no lookup per render).
    own_label: str | Promise = ""

    @property
    def label(self) -> str | Promise:
        """The visible name: the registry's label of the network, or the action's own."""
        return self.own_label or get_network(self.key).label

    @property
    def accessible_name(self) -> str:
        """What a screen reader announces, e.g. "Share on Telegram"."""
        return str(self.action or _("Share on %(network)s") % {"network": self.label})


#: Accessible names of network buttons that do not "share on" a network.
_ACTIONS = {"email": _("Share by e-mail")}
# "copy" and "native" (core.networks.PAGE_ACTIONS): their kind is their key, share.js does the rest.
_PAGE_ACTIONS = tuple(
    ShareTarget(key, page_url, kind=key, utm=False, action=label, own_label=label)
    for key, label in PAGE_ACTIONS
)


@lru_cache(maxsize=16)
def _targets(backends: tuple[str, ...]) -> dict[str, ShareTarget]:
    # Keyed like the registry itself (core.networks._registry): rebuilt when settings change.
    targets = {network.key: _target(network) for network in all_networks() if network.share}
    targets.update((action.key, action) for action in _PAGE_ACTIONS)
    return targets


def _target(network: Network) -> ShareTarget:
    if network.key == "mastodon":  # the one link with logic: a visitor's own instance
        return ShareTarget("mastodon", mastodon_url, kind="mastodon", own_label=network.label)
    return ShareTarget(network.key, declared_link(network), action=_ACTIONS.get(network.key, ""),
                       own_label=network.label)


def share_targets() -> dict[str, ShareTarget]:
    """Every share button, keyed as in the registry: each network declaring a share link (in
    registry order, a site's own networks included), then "copy" and "native"."""
    return _targets(configured_backends())


class _ShareTargets(Mapping[str, ShareTarget]):
    """A read-only view of ``share_targets()`` as it is now (the registry follows settings)."""

    def __getitem__(self, key: str) -> ShareTarget:
        return share_targets()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(share_targets())

    def __len__(self) -> int:
        return len(share_targets())


#: Share buttons by key (a live view: a network configured in settings appears in it).
NETWORKS: Mapping[str, ShareTarget] = _ShareTargets()


def unknown_networks(names: Iterable[str]) -> list[str]:
    """The names in ``names`` that are not known share buttons."""
    return [name for name in names if name not in NETWORKS]
