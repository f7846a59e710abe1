"""Compose the text of a post for one network from the page's resolved social values.

Everything about the page comes from ``wagtail_smo.meta.resolve``; links are tagged by the one
UTM builder. When the text is longer than the network allows, hashtags are dropped first (last
one first), then the description is shortened at a word boundary with an ellipsis, then the
title; the link is never cut.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import regex
from wagtail.models import Page

from ..core.networks import (
    Network,
    counting_rule,
    default_template,
    get_network,
    network_limit,
)
from ..core.text import count, hashtags, render
from ..meta import SocialMeta, resolve
from ..share.utm import build_utm_url, post_tag

__all__ = ["ComposedPost", "compose_post", "fit", "hashtags"]

ELLIPSIS = "…"

#: The (text, length) of the post with one field set to a candidate value.
Attempt = Callable[[str], tuple[str, int]]


@dataclass(frozen=True)
class ComposedPost:
    """A composed message: its text, the tagged link, the hashtags used, length and limit."""

    text: str
    link: str
    hashtags: tuple[str, ...]
    length: int
    limit: int
    network: str = ""

    @property
    def over_limit(self) -> bool:
        """True when even the shortest form is longer than the network allows."""
        return self.length > self.limit


def compose_post(
    page: Page,
    network: str | Network,
    *,
    template: str | None = None,
    utm: bool = True,
    max_hashtags: int | None = None,
    limit: int | None = None,
    meta: SocialMeta | None = None,
    source: str | None = None,
    campaign: str | None = None,
    with_image: bool | None = None,
    tags: Iterable[str] | None = None,
    click_ref: str = "",
) -> ComposedPost:
    """Compose the post of ``page`` for ``network`` ("x", "mastodon", ...).

    ``template`` defaults to the network's default; ``limit`` to the network's limit (shorter
    for Telegram with an image). ``source``/``campaign`` override the UTM source (default: the
    network) and campaign. ``meta`` may pass an already resolved ``SocialMeta``; ``tags``
    replaces the page's tags as the source of hashtags. ``click_ref`` (the post's reference)
    is added to the tagged link as ``utm_content=smo-<click_ref>``, so that a click on it counts
    for that post.
    """
    network = get_network(network)  # the registry's declaration: counting rule and template
    meta = meta if meta is not None else resolve(page)
    link = meta.url or ""
    if link and utm:
        link = build_utm_url(link, source or network.key, page=page, campaign=campaign,
                             content=post_tag(click_ref) or None)
    if with_image is None:
        with_image = meta.image is not None
    if limit is None:
        limit = network_limit(network, with_image=with_image)
    values = {
        "title": meta.title,
        "description": meta.description,
        "link": link,
        "site_name": meta.site_name,
        "author": meta.author,
        "section": meta.section,
    }
    page_tags = hashtags(meta.tags if tags is None else tags, max_hashtags)
    return fit(template or default_template(network), values, page_tags, network, limit)


def fit(template: str, values: dict, tags: list[str], network: str | Network,
        limit: int) -> ComposedPost:
    """Render ``template`` within ``limit``: drop hashtags, then shorten description and title."""
    tags = list(tags)
    rule = counting_rule(network)  # looked up once: the loop below counts many candidates

    def attempt(**overrides: str) -> tuple[str, int]:
        text = render(template, {**values, "hashtags": " ".join(tags), **overrides})
        return text, count(text, rule)

    text, length = attempt()
    while length > limit and tags:
        tags.pop()
        text, length = attempt()
    for field in ("description", "title"):
        if length <= limit:
            break
        def with_value(value: str, name: str = field) -> tuple[str, int]:
            return attempt(**{name: value})  # a def: mypy infers no lambda with a default

        shortened = _shorten_to_fit(values[field], with_value, limit)
        values = {**values, field: shortened}
        text, length = attempt()
    return ComposedPost(text, values["link"], tuple(tags), length, limit, str(network))


def _shorten_to_fit(value: str, attempt: Attempt, limit: int) -> str:
    """The longest word-boundary prefix of ``value`` (plus an ellipsis) whose text fits.

    Text without spaces (Chinese, Japanese, one very long word) is cut between graphemes.
    """
    best = _longest_fitting(value.split(" "), " ", attempt, limit)
    if not best and value:
        best = _longest_fitting(regex.findall(r"\X", value), "", attempt, limit)
    return best


def _longest_fitting(pieces: list[str], joiner: str, attempt: Attempt, limit: int) -> str:
    # Binary search over the number of pieces kept (all but the last: this one is too long).
    low, high, best = 1, len(pieces) - 1, ""
    while low <= high:
        middle = (low + high) // 2
        kept = joiner.join(pieces[:middle]).rstrip(" ,;:.-–—")
        candidate = kept + ELLIPSIS if kept else ""
        if attempt(candidate)[1] <= limit:
            best, low = candidate, middle + 1
        else:
            high = middle - 1
    return best
