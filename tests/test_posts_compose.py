"""Composing posts: each network's counting rule, limits, shortening, hashtags, templates."""

from __future__ import annotations

import pytest
import regex
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st
from twitter_text import parse_tweet

from wagtail_smo.core.networks import all_networks, count_length, default_template, network_limit
from wagtail_smo.core.text import parse, render, validate_template
from wagtail_smo.meta import SocialMeta
from wagtail_smo.posts.compose import compose_post, hashtags

FAMILY = "\U0001F468\u200D\U0001F469\u200D\U0001F467\u200D\U0001F466"  # 7 code points, 1 grapheme
THUMBS = "\U0001F44D\U0001F3FD"  # thumbs up + skin tone: 2 code points, 1 grapheme
E_ACUTE_DECOMPOSED = "e\u0301"  # NFC turns it into one code point
STACKED = "a\u0301\u0323"  # no precomposed form for both marks: 2 code points after NFC
URL = "https://example.com/a/very/long/path/that/goes/on?utm_source=x&utm_medium=social"
#: Every network posts can be composed for (read from the registry).
NETWORKS = [network.key for network in all_networks() if network.counting]


# --- counting: every network, hand-computed expectations ------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("Привет, мир", 11),                 # Cyrillic weighs 1
    ("日本語", 6),                        # CJK weighs 2
    (FAMILY, 2),                          # a ZWJ sequence is one emoji: 2
    (THUMBS + " hi", 5),
    (E_ACUTE_DECOMPOSED, 1),              # NFC first
    (STACKED, 3),                         # "a" plus two marks, each weighing 1
    (f"Read {URL}", 5 + 23),              # every URL is 23
    (f"{URL} and {URL}.", 23 + 5 + 23 + 1),
])
def test_x_weighted_length(text, expected):
    assert count_length(text, "x") == expected
    assert parse_tweet(text).weightedLength == expected  # the reference implementation agrees


@pytest.mark.parametrize("text, expected", [
    ("Привет, мир", 11),
    ("日本語", 3),
    (FAMILY, 1),
    (THUMBS, 1),
    (E_ACUTE_DECOMPOSED, 1),
    (STACKED, 1),
    (f"Read {URL}", 5 + 23),
])
def test_mastodon_graphemes_and_short_urls(text, expected):
    assert count_length(text, "mastodon") == expected


@pytest.mark.parametrize("text, expected", [
    (FAMILY, 1), (STACKED, 1), ("日本語", 3), (f"Read {URL}", 5 + len(URL)),
])
def test_bluesky_counts_graphemes_and_full_urls(text, expected):
    assert count_length(text, "bluesky") == expected


@pytest.mark.parametrize("network", ["threads", "linkedin", "facebook", "vk"])
def test_code_point_networks(network):
    assert count_length(FAMILY, network) == 7
    assert count_length("Привет", network) == 6
    assert count_length(f"a {URL}", network) == 2 + len(URL)


def test_telegram_counts_utf16_units():
    assert count_length(FAMILY, "telegram") == 11  # 4 astral emoji (2 units) + 3 ZWJ
    assert count_length("Привет", "telegram") == 6


@pytest.mark.parametrize("network, limit", [
    ("x", 280), ("mastodon", 500), ("bluesky", 300), ("threads", 500), ("linkedin", 3000),
    ("telegram", 4096), ("facebook", 63206), ("vk", 16384),
])
def test_limits(network, limit):
    assert network_limit(network) == limit


def test_telegram_caption_limit_and_mastodon_instance_limit():
    assert network_limit("telegram", with_image=True) == 1024
    assert network_limit("mastodon", options={"MAX_CHARACTERS": 5000}) == 5000


_pieces = st.sampled_from([
    "word", "Привет", "日本", FAMILY, THUMBS, E_ACUTE_DECOMPOSED, STACKED, "©", "🇩🇪", URL,
    "https://t.co/x", "#tag", "—", "…", "Ωμέγα",
])


@settings(max_examples=200, deadline=None)
@given(st.lists(_pieces, max_size=30))
def test_x_matches_twitter_text_on_mixed_text(pieces):
    text = " ".join(pieces)
    assert count_length(text, "x") == parse_tweet(text).weightedLength


# --- hashtags ---------------------------------------------------------------------------------

def test_hashtags_are_normalised_deduplicated_and_limited():
    tags = ["web design", "Web-Design", "Новости", "2024", "C++", "", "#already", "café au lait"]
    assert hashtags(tags) == ["#WebDesign", "#Новости", "#C", "#already", "#CaféAuLait"]
    assert hashtags(tags, 2) == ["#WebDesign", "#Новости"]
    assert hashtags(tags, 0) == []


# --- composing within limits ------------------------------------------------------------------

def meta(**values) -> SocialMeta:
    defaults = dict(
        title="Title", description="A description.", url="https://example.com/post/",
        og_type="article", site_name="Example", locale="en", image=None,
        tags=("news",), author="Ada", section="Blog",
    )
    return SocialMeta(**{**defaults, **values})


def compose(network, utm=False, **kwargs):
    values = {k: kwargs.pop(k) for k in list(kwargs) if k in SocialMeta.__dataclass_fields__}
    return compose_post(None, network, utm=utm, meta=meta(**values), **kwargs)


@pytest.mark.parametrize("network", NETWORKS)
def test_every_network_fits_a_very_long_title_and_many_tags(network):
    title = "Очень длинный заголовок 🚀 " * 40 + "日本語のタイトル" * 20
    description = ("Ein Satz mit Umlauten äöü und " + FAMILY + " Emoji. ") * 200
    post = compose(network, title=title, description=description,
                   tags=tuple(f"tag{i} word" for i in range(60)))
    assert post.length == count_length(post.text, network) <= network_limit(network)
    if "{link}" in default_template(network):
        assert "https://example.com/post/" in post.text  # the link is never cut
    else:  # Instagram captions (link in bio) and Pinterest pins (a field of its own)
        assert "https://example.com/post/" not in post.text
    assert not post.over_limit


def test_hashtags_dropped_before_the_description():
    description = "word " * 40
    full = compose("x", description=description.strip(), tags=("alpha", "beta", "gamma"),
                   template="{title} {description} {link} {hashtags}", limit=1000)
    assert full.hashtags == ("#alpha", "#beta", "#gamma")
    # A limit a little below the full length: the last hashtag goes, the description stays.
    tight = compose("x", description=description.strip(), tags=("alpha", "beta", "gamma"),
                    template="{title} {description} {link} {hashtags}", limit=full.length - 3)
    assert tight.hashtags == ("#alpha", "#beta")
    assert description.strip() in tight.text


def test_description_shortened_at_a_word_boundary_with_ellipsis():
    words = [f"word{i}" for i in range(100)]
    post = compose("x", description=" ".join(words), tags=("a", "b", "c"),
                   template="{title}\n\n{description}\n\n{link}\n\n{hashtags}")
    assert post.hashtags == ()
    shortened = post.text.split("\n\n")[1]
    assert shortened.endswith("…")
    kept = regex.search(r"(word\d+ )*word\d+…", post.text).group(0).rstrip("…").split(" ")
    assert kept == words[: len(kept)]  # whole words only, in order
    assert shortened
    assert post.length <= 280


def test_cjk_text_without_spaces_is_cut_between_graphemes():
    post = compose("bluesky", title="日本語" * 200, description="")
    assert post.length <= 300
    assert post.text.startswith("日本語")
    assert "…" in post.text


def test_zwj_sequences_are_never_split():
    post = compose("mastodon", title=FAMILY * 600, description="")
    body = post.text.split("\n\n")[0].rstrip("…")
    assert set(regex.findall(r"\X", body)) == {FAMILY}


def test_combining_marks_stay_with_their_letter():
    post = compose("bluesky", title=(STACKED * 400), description="")
    body = post.text.split("\n\n")[0].rstrip("…")
    assert body.count("a") * 3 == len(body)


def test_telegram_with_an_image_uses_the_caption_limit():
    from wagtail_smo.meta import SocialImage

    image = SocialImage("https://example.com/i.jpg", 1200, 630, "image/jpeg", "alt")
    post = compose("telegram", image=image, description="word " * 500)
    assert post.limit == 1024 and post.length <= 1024


def test_default_templates_differ_by_network():
    texts = {network: compose(network, description="Desc").text for network in NETWORKS}
    assert len(set(texts.values())) >= 4
    assert "#news" in texts["x"] and "#news" not in texts["bluesky"]


def test_utm_parameters_on_the_link(settings):
    post = compose_post(None, "mastodon", meta=meta(), campaign="launch")
    assert post.link.startswith("https://example.com/post/?")
    assert "utm_source=mastodon" in post.link and "utm_campaign=launch" in post.link
    assert post.link in post.text


# --- templates --------------------------------------------------------------------------------

def test_template_errors_have_positions():
    with pytest.raises(ValidationError) as info:
        validate_template("{title}\nHello {nope} and {link")
    messages = info.value.messages
    assert len(messages) == 2
    assert "line 2, column 7" in messages[0] and "{nope}" in messages[0]
    assert "line 2, column 18" in messages[1] and "never closed" in messages[1]


def test_single_closing_brace_is_an_error_and_doubled_braces_are_literal():
    assert parse("a } b")[1][0].column == 3
    assert render("{{literal}} {title}", {"title": "T"}) == "{literal} T"


def test_empty_values_leave_no_blank_lines():
    assert render("{title}\n\n{description}\n\n{link}\n\n{hashtags}", {
        "title": "T", "description": "", "link": "L", "hashtags": "",
    }) == "T\n\nL"


@pytest.mark.parametrize("text", [
    "http://localhost:8000/news/ is not a link on X",
    "see https://example.com/path?x=1, then https://sub.example.co.uk.",
    "https://пример.рф/путь works",
])
def test_x_url_detection_matches_twitter_text(text):
    assert count_length(text, "x") == parse_tweet(text).weightedLength


def test_max_characters_is_an_accepted_channel_option(settings):
    from django.core import checks

    settings.WAGTAIL_SMO = {"PROVIDERS": {"big-mastodon": {
        "BACKEND": "wagtail_smo.providers.console.ConsoleProvider",
        "OPTIONS": {"NETWORK": "mastodon", "MAX_CHARACTERS": 5000},
    }}}
    messages = [m for m in checks.run_checks() if "big-mastodon" in m.msg]
    assert messages == []
