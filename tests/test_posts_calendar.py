"""Times people can read (the user's time zone, never "just now"), the calendar (today,
status by colour, icon and text, rescheduling by form under the workflow's rules) and the demo
posts in every state."""

from __future__ import annotations

import datetime
import re
import zoneinfo

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.users.models import UserProfile

from example_site.blog.models import BlogPage
from tests.test_posts_admin import make_user
from wagtail_smo.models import DeliveryAttempt, PostStatus, SocialPost

pytestmark = pytest.mark.django_db

EDITOR = ("add_socialpost", "change_socialpost", "view_socialpost")
TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")


@pytest.fixture
def page(demo_content):
    return BlogPage.objects.get(slug="social-cards-explained")


@pytest.fixture
def approver(db):
    user = make_user("approver", *EDITOR, "approve_socialpost")
    profile = UserProfile.get_for_user(user)
    profile.current_time_zone = "Asia/Tokyo"
    profile.save()
    return user


def scheduled(page, when, channel="x-demo", status=PostStatus.SCHEDULED):
    return SocialPost.objects.create(page=page, site=page.get_site(), channel=channel,
                                     text="Soon", status=status, scheduled_at=when)


def test_listing_writes_dates_out_in_the_users_time_zone(client, page, approver):
    when = datetime.datetime(2099, 1, 1, 20, 30, tzinfo=datetime.UTC)  # 2 Jan, 05:30 in Tokyo
    post = scheduled(page, when)
    client.force_login(approver)
    html = client.get(reverse("wagtail_smo_posts:list")).content.decode()
    row = html.split(reverse("wagtail_smo_posts:edit", args=(post.pk,)), 1)[1].split("</tr>")[0]
    assert '<time datetime="2099-01-02T05:30:00+09:00">Fri 2 Jan 2099, 05:30</time>' in row
    assert "just now" not in row.lower()
    edit = client.get(reverse("wagtail_smo_posts:edit", args=(post.pk,))).content.decode()
    assert "Fri 2 Jan 2099, 05:30" in edit


def test_calendar_marks_today_and_shows_status_by_icon_and_text(client, page, approver):
    now = timezone.now().astimezone(TOKYO)
    sent = SocialPost.objects.create(page=page, site=page.get_site(), channel="mastodon-demo",
                                     text="Out", status=PostStatus.SENT, sent_at=now)
    client.force_login(approver)
    html = client.get(reverse("wagtail_smo_posts:calendar"), {"view": "week"}).content.decode()
    today = now.date().isoformat()
    cell = re.search(rf'<td data-date="{today}" class="([^"]*)">(.*?)</td>', html, re.S)
    assert "smo-today" in cell.group(1)
    assert 'aria-current="date"' in cell.group(2) and "Today" in cell.group(2)
    assert html.count('<td data-date="') == 7 and html.count('class="smo-calendar-col"') == 7
    item = cell.group(2).split(f'data-post-id="{sent.pk}"', 1)[1].split("</li>", 1)[0]
    assert 'class="smo-status smo-status--sent" data-status="sent"' in item
    assert "#icon-success" in item and "Sent" in item
    assert 'data-channel="mastodon-demo">Mastodon<' in item
    assert 'draggable="true"' not in item  # a sent post does not move


def test_calendar_places_posts_on_the_users_local_day(client, page, approver):
    when = datetime.datetime(2099, 1, 1, 20, 0, tzinfo=datetime.UTC)  # 2 Jan in Tokyo
    post = scheduled(page, when)
    client.force_login(approver)
    html = client.get(reverse("wagtail_smo_posts:calendar"),
                      {"view": "week", "date": "2099-01-02"}).content.decode()
    cell = html.split('data-date="2099-01-02"', 1)[1].split("</td>", 1)[0]
    assert f'data-post-id="{post.pk}"' in cell and 'data-time="05:00"' in cell


def test_reschedule_from_the_calendar_form(client, page, approver):
    when = (timezone.now() + datetime.timedelta(days=3)).astimezone(TOKYO).replace(
        hour=10, minute=30, second=0, microsecond=0)
    post = scheduled(page, when)
    client.force_login(approver)
    url = reverse("wagtail_smo_posts:calendar") + f"?view=month&date={when.date()}"
    html = client.get(url).content.decode()
    item = html.split(f'data-post-id="{post.pk}"', 1)[1].split("</li>", 1)[0]
    assert 'draggable="true"' in item and 'data-smo-action="reschedule"' in item
    target = when + datetime.timedelta(days=2)
    response = client.post(reverse("wagtail_smo_posts:action", args=(post.pk, "schedule")), {
        "scheduled_at": target.strftime("%Y-%m-%dT%H:%M"), "next": url})
    assert response.status_code == 302 and response["Location"] == url
    post.refresh_from_db()
    assert post.scheduled_at == target and post.status == PostStatus.SCHEDULED


def test_reschedule_into_the_past_is_refused_with_a_message(client, page, approver):
    when = timezone.now() + datetime.timedelta(days=1)
    post = scheduled(page, when)
    client.force_login(approver)
    url = reverse("wagtail_smo_posts:calendar")
    yesterday = (timezone.now() - datetime.timedelta(days=1)).astimezone(TOKYO)
    response = client.post(reverse("wagtail_smo_posts:action", args=(post.pk, "schedule")), {
        "scheduled_at": yesterday.strftime("%Y-%m-%dT%H:%M"), "next": url}, follow=True)
    assert "The schedule time is in the past" in response.content.decode()
    post.refresh_from_db()
    assert post.scheduled_at == when


def test_without_the_approve_permission_nothing_moves(client, page):
    post = scheduled(page, timezone.now() + datetime.timedelta(days=1))
    client.force_login(make_user("editor", *EDITOR))
    html = client.get(reverse("wagtail_smo_posts:calendar"), {"view": "week"}).content.decode()
    assert 'draggable="true"' not in html and "smo-reschedule" not in html
    later = (timezone.localtime() + datetime.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(reverse("wagtail_smo_posts:action", args=(post.pk, "schedule")),
                           {"scheduled_at": later})
    assert response.status_code == 403


def test_demo_posts_in_every_state(demo_content):
    call_command("load_demo_content", hostname="localhost", with_posts=True,
                 stdout=open("/dev/null", "w"))
    posts = SocialPost.objects.all()
    statuses = {p.status for p in posts}
    assert {PostStatus.DRAFT, PostStatus.SCHEDULED, PostStatus.SENT, PostStatus.FAILED,
            PostStatus.CANCELLED} <= statuses
    now = timezone.now()
    coming = posts.filter(status=PostStatus.SCHEDULED)
    assert coming.count() >= 3 and all(p.scheduled_at > now for p in coming)
    assert len({timezone.localtime(p.scheduled_at).date() for p in coming}) >= 3
    for sent in posts.filter(status=PostStatus.SENT):
        assert sent.remote_url.startswith("https://") and sent.sent_at < now
        assert DeliveryAttempt.objects.filter(post=sent, outcome="sent").exists()
    failed = posts.get(status=PostStatus.FAILED)
    assert "429" in failed.last_error
    assert posts.exclude(page_changed={}).filter(status=PostStatus.SCHEDULED).count() == 1
    # Every demo post was composed from its page and records it.
    assert all(p.composed_from.get("inputs") for p in posts)
    count = posts.count()
    call_command("load_demo_content", hostname="localhost", with_posts=True,
                 stdout=open("/dev/null", "w"))
    assert SocialPost.objects.count() == count  # once only


def test_make_demo_loads_the_demo_posts():
    from pathlib import Path

    makefile = (Path(__file__).resolve().parent.parent / "Makefile").read_text()
    assert re.search(r"load_demo_content [^\n]*--with-posts", makefile)
