"""First-party clicks (analytics/clicks.py): real requests through the test client with our
links, counted per page, post, network and day once flushed, read back from ``ClickCount``.

The in-process buffer is the test settings' path (their cache is local memory); the shared-cache
path runs against the real Redis at 127.0.0.1:6379, under a key prefix of its own that is
deleted afterwards.
"""

from __future__ import annotations

import logging
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction

from tests.redis_clicks import clicks_caches, keys_of, redis_prefix
from wagtail_smo.analytics import clicks
from wagtail_smo.models import ClickCount, PostStatus, SocialPost
from wagtail_smo.posts import drafts

pytestmark = pytest.mark.django_db

BROWSER = ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
           "Chrome/131.0.0.0 Safari/537.36")
IP = "203.0.113.77"
MEMORY = {"CLICKS": {"CACHE": ""}}


@pytest.fixture(autouse=True)
def empty_buffer():
    """The in-process buffer is per process: no test sees another's counts."""
    clicks.MEMORY.take()
    yield
    clicks.MEMORY.take()


@pytest.fixture
def page(demo_content):
    return Page.objects.get(slug="social-cards-explained").specific


@pytest.fixture
def post(page):
    """A sent Mastodon post of the page, its link composed as a draft's is."""
    created = SocialPost(page=page, site=page.get_site(), channel="mastodon-demo",
                         status=PostStatus.SENT, sent_at=timezone.now())
    fields = drafts.composed_fields(page, "mastodon-demo", created.click_ref)
    created.text, created.link = fields["text"], fields["link"]
    created.save()
    return created


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def visit(client, url: str, *, method: str = "get", agent: str = BROWSER, **headers):
    return getattr(client, method)(path_of(url), HTTP_USER_AGENT=agent, REMOTE_ADDR=IP,
                                   **headers)


def rows() -> list[tuple]:
    return sorted(ClickCount.objects.values_list("page_id", "post_id", "network", "day",
                                                 "count"), key=str)


# --- counted -------------------------------------------------------------------------------------

@override_settings(WAGTAIL_SMO=MEMORY)
def test_views_through_our_links_count_per_page_post_network_and_day(client, page, post):
    assert parse_qs(urlsplit(post.link).query)["utm_content"] == [f"smo-{post.click_ref}"]
    share = page.full_url + "?" + urlencode(
        {"utm_source": "x", "utm_medium": "social", "utm_campaign": page.slug})
    for url in (post.link, post.link, post.link, share, share):
        assert visit(client, url).status_code == 200
    assert ClickCount.objects.count() == 0  # buffered: nothing written on the request path
    assert clicks.flush() == {"rows": 2}
    today = timezone.localdate()
    assert rows() == sorted([(page.pk, post.pk, "mastodon", today, 3),
                             (page.pk, None, "x", today, 2)], key=str)
    # Flushed once: a second flush adds nothing; new views add to the same rows.
    assert clicks.flush() == {"rows": 0}
    visit(client, post.link)
    clicks.flush()
    assert ClickCount.objects.get(post=post).count == 4 and ClickCount.objects.count() == 2


@override_settings(WAGTAIL_SMO={"CLICKS": {"CACHE": "", "FLUSH_HITS": 2}})
def test_the_process_flushes_its_buffer_after_a_response_when_due(client, page, post):
    visit(client, post.link)
    assert ClickCount.objects.count() == 0
    visit(client, post.link)  # the second click: the flush runs once the response is sent
    assert ClickCount.objects.get().count == 2


# --- not counted ---------------------------------------------------------------------------------

PREVIEW_FETCHERS = [
    "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
    "Twitterbot/1.0",
    "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
    "TelegramBot (like TwitterBot)",
    "Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)",
    "LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)",
    "WhatsApp/2.23.20.0",
    "http.rb/5.1.1 (Mastodon/4.2.1; +https://mastodon.social/)",
    "Mozilla/5.0 (compatible; Bluesky Cardyb/1.1; +mailto:support@bsky.app)",
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
    "Mozilla/5.0 (compatible; GPTBot/1.2; +https://openai.com/gptbot)",
    "python-requests/2.32.3",
    "",
]


@override_settings(WAGTAIL_SMO=MEMORY)
@pytest.mark.parametrize("agent", PREVIEW_FETCHERS)
def test_bots_and_link_preview_fetchers_count_nothing(client, post, agent):
    assert visit(client, post.link, agent=agent).status_code == 200
    assert clicks.flush() == {"rows": 0} and not ClickCount.objects.exists()


@override_settings(WAGTAIL_SMO={"CLICKS": {"CACHE": "", "BOTS": [r"ACME-Monitor/\d"]}})
def test_a_sites_own_bot_pattern_is_left_out_too(client, post):
    visit(client, post.link, agent="ACME-Monitor/3 (uptime)")
    visit(client, post.link)  # a browser still counts
    clicks.flush()
    assert ClickCount.objects.get().count == 1


@override_settings(WAGTAIL_SMO=MEMORY)
def test_other_requests_through_our_link_count_nothing(client, page, post):
    query = urlsplit(post.link).query
    assert visit(client, post.link, method="head").status_code == 200
    assert visit(client, post.link, method="post").status_code in (200, 405)
    assert visit(client, post.link, HTTP_SEC_PURPOSE="prefetch;prerender").status_code == 200
    assert visit(client, post.link, HTTP_PURPOSE="prefetch").status_code == 200
    assert visit(client, f"/no-such-page/?{query}").status_code == 404
    # A draft (never published) page: Wagtail answers 404.
    draft = page.get_parent().add_child(instance=Page(title="Draft", slug="draft-x", live=False))
    assert visit(client, f"/blog/draft-x/?{query}").status_code == 404
    assert draft.pk
    # Links without our tags, malformed or forged values.
    for params in ({"utm_source": "newsletter", "utm_medium": "email"},
                   {"utm_medium": "social"},
                   {"utm_source": "<script>", "utm_medium": "social"},
                   {"utm_source": "x" * 300, "utm_medium": "social"},
                   {"utm_source": "mastodon", "utm_content": "smo-toolong!!"}):
        assert visit(client, page.url + "?" + urlencode(params)).status_code == 200
    assert clicks.flush() == {"rows": 0} and not ClickCount.objects.exists()


@override_settings(WAGTAIL_SMO=MEMORY)
def test_a_forged_reference_or_another_pages_post_counts_nothing(client, page, post):
    other = Page.objects.get(slug="hashtags-and-reach")
    forged = {"utm_source": "mastodon", "utm_medium": "social", "utm_content": "smo-aaaaaaaa"}
    assert visit(client, page.url + "?" + urlencode(forged)).status_code == 200
    # The post's own tags on another page: the reference names no post of that page.
    assert visit(client, other.url + "?" + urlsplit(post.link).query).status_code == 200
    assert len(clicks.MEMORY.take()) == 2  # buffered as seen...
    clicks.MEMORY.give_back({(page.pk, "aaaaaaaa", "mastodon", "2026-12-05"): 1,
                             (other.pk, post.click_ref, "mastodon", "2026-12-05"): 1})
    assert clicks.flush() == {"rows": 0}  # ...and refused when written
    assert not ClickCount.objects.exists()


@override_settings(WAGTAIL_SMO=MEMORY)
def test_pages_under_a_view_restriction_count_nothing(client, page, post, django_user_model):
    PageViewRestriction.objects.create(page=page, restriction_type="password", password="pw")
    response = visit(client, post.link)
    assert response.status_code == 200 and b"password" in response.content.lower()
    assert clicks.MEMORY.empty()  # Wagtail answered with its form: the page was not served
    # A visitor allowed in (a group restriction, a member logged in) sees the page: the view is
    # buffered, and left out when written, as the page is not public.
    PageViewRestriction.objects.all().delete()
    group = Group.objects.create(name="Members")
    restriction = PageViewRestriction.objects.create(page=page, restriction_type="groups")
    restriction.groups.add(group)
    member = django_user_model.objects.create_user("member", password="pw")
    member.groups.add(group)
    client.force_login(member)
    assert visit(client, post.link).status_code == 200
    assert not clicks.MEMORY.empty()
    assert clicks.flush() == {"rows": 0} and not ClickCount.objects.exists()


@override_settings(WAGTAIL_SMO={"CLICKS": {"ENABLED": False, "CACHE": ""}})
def test_switched_off_counts_nothing(client, post):
    visit(client, post.link)
    assert clicks.MEMORY.empty()


# --- nothing about the visitor, nothing on the request path ---------------------------------

@override_settings(WAGTAIL_SMO=MEMORY)
def test_nothing_about_the_visitor_is_stored_and_no_cookie_is_set(client, page, post):
    response = visit(client, post.link, HTTP_REFERER="https://mastodon.social/@someone/1")
    assert not response.cookies and "Set-Cookie" not in response
    assert list(clicks.MEMORY._counts) == [
        (page.pk, post.click_ref, "mastodon", timezone.localdate().isoformat())]
    clicks.flush()
    columns = {field.column for field in ClickCount._meta.concrete_fields}
    assert columns == {"id", "page_id", "post_id", "network", "day", "count"}
    values = [str(value) for value in ClickCount.objects.values_list(
        "id", "page_id", "post_id", "network", "day", "count").get()]
    assert not any(IP in value or "Chrome" in value or "mastodon.social" in value
                   for value in values)


def queries_of(client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        assert visit(client, url).status_code == 200
    return [query["sql"] for query in captured.captured_queries]


@pytest.mark.parametrize("mode", ["memory", "redis"])
def test_a_counted_view_makes_no_extra_query(client, page, post, mode, request):
    smo = MEMORY if mode == "memory" else request.getfixturevalue("redis_clicks")
    with override_settings(**({"WAGTAIL_SMO": smo} if mode == "memory" else smo)):
        for _ in range(2):  # warm: caches filled, the period's counter created
            queries_of(client, page.full_url)
            queries_of(client, post.link)
        plain, tracked = queries_of(client, page.full_url), queries_of(client, post.link)
        assert len(tracked) == len(plain), tracked
        assert not any("clickcount" in sql.lower() for sql in tracked)
        assert clicks.flush(everything=True)["rows"] == 1
    assert ClickCount.objects.get().count == 3


# --- the shared cache (Redis) ---------------------------------------------------------------

@pytest.fixture
def redis_clicks():
    """Settings with a Redis cache for clicks under a prefix of its own, deleted afterwards."""
    with redis_prefix() as prefix:
        yield {"CACHES": clicks_caches(prefix), "WAGTAIL_SMO": {"CLICKS": {"CACHE": "clicks"}}}


def test_redis_buffers_the_counts_and_the_flush_writes_them(client, page, post, redis_clicks):
    prefix = redis_clicks["CACHES"]["clicks"]["KEY_PREFIX"]
    with override_settings(**redis_clicks):
        assert clicks.chain_interval() == 60
        for _ in range(3):
            visit(client, post.link)
        visit(client, post.link, agent="Twitterbot/1.0")
        keys = keys_of(prefix)
        # A counter, its period's slot count and one slot: no visitor data in names or values.
        assert len(keys) == 3, keys
        assert not any(IP in text or "Chrome" in text or "Twitterbot" in text
                       for item in keys.items() for text in item)
        counter = next(value for key, value in keys.items() if ":c:" in key)
        assert counter == "3"
        assert clicks.MEMORY.empty()  # not in the process: in Redis
        # The period is still open: the periodic flush leaves it; --all takes it.
        assert clicks.flush() == {"rows": 0}
        assert clicks.flush(everything=True) == {"rows": 1}
        assert clicks.flush(everything=True) == {"rows": 0}
    assert rows() == [(page.pk, post.pk, "mastodon", timezone.localdate(), 3)]


def test_a_cache_that_is_down_loses_the_count_not_the_page(client, post, caplog):
    broken = clicks_caches("down", location="redis://127.0.0.1:1/0")  # nothing listens there
    clicks._state["failing"] = False
    with override_settings(CACHES=broken, WAGTAIL_SMO={"CLICKS": {"CACHE": "clicks"}}):
        with caplog.at_level(logging.ERROR, logger="wagtail_smo.analytics"):
            for _ in range(3):
                assert visit(client, post.link).status_code == 200
    logged = [r for r in caplog.records if "click cache is not answering" in r.getMessage()]
    assert len(logged) == 1
    clicks._state["failing"] = False


# --- the post identifier in our links -------------------------------------------------------

def test_drafts_links_name_their_own_post_and_a_hand_written_tag_is_kept(demo_content):
    from example_site.blog.models import BlogIndexPage, BlogPage
    from wagtail_smo.models import SocialChannel
    from wagtail_smo.posts.drafts import create_drafts_for
    from wagtail_smo.share.utm import build_utm_url

    site = demo_content
    SocialChannel.objects.all().delete()
    for alias in ("mastodon-demo", "x-demo", "linkedin-demo"):
        SocialChannel.objects.create(site=site, channel=alias, enabled=True)
    blog = BlogIndexPage.objects.filter(slug="blog").order_by("pk").first()
    new = blog.add_child(instance=BlogPage(title="Tagged links", slug="tagged-links", intro="x"))
    revision = new.save_revision()
    revision.publish()
    SocialPost.objects.filter(page=new).delete()  # the publish's own task may have run
    made = create_drafts_for(new.pk, revision.pk)
    assert len(made) == 3 and len({post.click_ref for post in made}) == 3
    for post in made:
        query = parse_qs(urlsplit(post.link).query)
        assert query["utm_content"] == [f"smo-{post.click_ref}"]
        assert post.link in post.text and post.composed_from["link"] == post.link
    # A link that already has a utm_content (an editor's) keeps it: the post is not named.
    own = "https://example.com/?utm_content=spring-issue"
    assert build_utm_url(own, "x", content="smo-abcdefgh").count("utm_content") == 1


@override_settings(WAGTAIL_SMO=MEMORY, USE_TZ=False)
def test_a_site_without_time_zones_counts_on_its_local_date(client, post):
    import datetime

    visit(client, post.link)
    [(_page, _ref, _network, day)] = list(clicks.MEMORY._counts)
    assert day == datetime.date.today().isoformat()


IN_APP_BROWSERS = [
    # People reading our links inside the networks' apps: never bots.
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
    "Gecko) Mobile/15E148 [FBAN/FBIOS;FBAV/470.0.0.38.109;FBBV/612345678;FBDV/iPhone15,2]",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Mobile Safari/537.36 Instagram 337.0.0.35.102 Android",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
    "Gecko) Mobile/15E148 [LinkedInApp]/9.29.8",
    "Mozilla/5.0 (Linux; Android 13; SM-S911B) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/125.0.0.0 Mobile Safari/537.36 Telegram-Android/10.14.5",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.5 Safari/605.1.15",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0",
]


@pytest.mark.parametrize("agent", IN_APP_BROWSERS)
def test_people_in_the_networks_apps_and_browsers_are_not_bots(agent):
    from wagtail_smo.analytics.bots import is_bot

    assert not is_bot(agent)
    assert all(is_bot(fetcher) for fetcher in PREVIEW_FETCHERS)
