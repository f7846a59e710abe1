"""Property-based: any text in any field comes back from the parsed tags, and escapes nothing."""

from __future__ import annotations

import re

import pytest
from django.template import Context, Template
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from example_site.blog.models import BlogPage
from tests.meta_parsing import fresh_caches, parse_head  # noqa: F401 (fixture)
from wagtail_smo.models import SocialMediaSettings

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_caches")]

TEMPLATE = Template("{% load wagtail_smo_tags %}{% social_meta page %}")
TRICKY = [
    '"><script>alert(1)</script>',
    "</script><script>alert(1)</script>",
    "<!--",
    "&amp; &lt; &#x27; ' \"",
    "\u202eRTL override \u05e9\u05dc\u05d5\u05dd \u0645\u0631\u062d\u0628\u0627",
    "emoji 👍🏽🚀 and ZWJ 👩‍👩‍👧",
    "NUL\x00 BEL\x07 ESC\x1b DEL\x7f C1\x85\x9b",
    "line\nbreak\ttab\r\nCRLF",
    "\u2028\u2029 separators",
    "{{ page.title }} {% now 'Y' %}",
]
text = st.one_of(st.sampled_from(TRICKY), st.text(min_size=1, max_size=60))
# Cs (surrogates) cannot be stored as UTF-8 at all; everything else may reach a field.
text = text | st.tuples(st.sampled_from(TRICKY), st.text(max_size=20)).map("".join)
# What can be stored: PostgreSQL refuses NUL in text (Django's forms refuse it too).
storable = text.map(lambda value: value.replace("\x00", ""))


def expected(value: str) -> str:
    """What a crawler should read back: control characters dropped, whitespace folded."""
    value = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]", "", value)
    return " ".join(value.split())


def render(page) -> str:
    return TEMPLATE.render(Context({"page": page}))


@pytest.fixture
def post(demo_content):
    return BlogPage.objects.get(slug="social-cards-explained")


@pytest.fixture
def baseline(post):
    """The structure of the tags with plain values: the same elements must come out always."""
    head = parse_head(render(post))
    return [(e["element"], e.get("property") or e.get("name") or e.get("rel"))
            for e in head.elements], head.scripts


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(title=text, description=text, alt=text, author=text)
def test_page_fields_come_back_intact(post, baseline, title, description, alt, author):
    values = [title, description, alt, author]
    if not all(expected(v) for v in values):
        return  # nothing left once cleaned: the fallback applies (covered elsewhere)
    post.social_title, post.social_description = title, description
    post.social_image_alt, post.author = alt, author
    html = render(post)  # no request: resolved afresh from the in-memory page
    head = parse_head(html)
    assert head.one("og:title") == head.one("twitter:title") == expected(title)
    assert head.one("og:description") == head.one("description") == expected(description)
    assert head.one("og:image:alt") == head.one("twitter:image:alt") == expected(alt)
    assert head.one("article:author") == head.one("twitter:data1") == expected(author)
    article = head.ld("Article")
    assert article["headline"][:100] == expected(title)[:100]
    assert article["description"] == expected(description)
    assert article["author"]["name"] == expected(author)
    structure = [(e["element"], e.get("property") or e.get("name") or e.get("rel"))
                 for e in head.elements]
    assert (structure, head.scripts) == baseline  # no attribute or script was broken out of
    assert html.count("<script") == html.count("</script>") == baseline[1]


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(intro=text)
def test_plain_text_description_field_comes_back_intact(post, intro):
    """The intro (a plain CharField) is text: "<b>" or "&amp;" in it stay exactly that."""
    if not expected(intro):
        return
    post.social_description = ""
    post.search_description = ""
    post.intro = intro
    head = parse_head(render(post))
    assert head.one("og:description") == head.one("twitter:description") == expected(intro)
    assert head.ld("Article")["description"] == expected(intro)


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(site_name=storable, x_handle=storable, creator=storable, organisation=storable)
def test_site_settings_come_back_intact(post, baseline, site_name, x_handle, creator,
                                        organisation):
    if not all(expected(v) for v in (site_name, x_handle, creator, organisation)):
        return
    smo = SocialMediaSettings.for_site(post.get_site())
    smo.site_name, smo.x_handle = site_name[:255], x_handle[:50]
    smo.fediverse_creator, smo.organisation_name = creator[:255], organisation[:255]
    smo.save()
    head = parse_head(render(post))
    assert head.one("og:site_name") == expected(site_name[:255])
    assert head.one("twitter:site") == expected(x_handle[:50])
    assert head.one("fediverse:creator") == expected(creator[:255])
    assert head.ld("Article")["publisher"]["name"] == expected(organisation[:255])
    structure = [(e["element"], e.get("property") or e.get("name") or e.get("rel"))
                 for e in head.elements]
    assert (structure, head.scripts) == baseline


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(tags=st.lists(storable, min_size=1, max_size=5))
def test_tags_come_back_intact(post, tags):
    wanted = list(dict.fromkeys(expected(t)[:100] for t in tags if expected(t)))
    post.tags.set([t[:100] for t in tags])
    head = parse_head(render(post))
    # Tag names are stored by taggit; compare as sets of what was stored, then cleaned.
    stored = list(dict.fromkeys(expected(t.name) for t in post.tags.all() if expected(t.name)))
    assert sorted(head.og.get("article:tag", [])) == sorted(stored)
    assert set(head.ld("Article").get("keywords", [])) == set(stored)
    assert set(stored) <= set(wanted)
