"""A person can always settle a post: stuck "sending" or failed with an unknown outcome.

Mark as sent (with a validated URL), mark as failed, retry and cancel: each a TRANSITIONS row,
needing the send permission (403 and no change without it), recorded in the post's history,
confirmed with a message; the listing filters the posts that need attention.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from example_site.blog.models import BlogPage
from tests.test_posts_admin import make_user, snapshot
from wagtail_smo.models import AttemptOutcome, DeliveryAttempt, PostStatus, SocialPost
from wagtail_smo.posts import workflow

pytestmark = pytest.mark.django_db

ACTIONS = ["mark_sent", "mark_failed", "settle_retry", "settle_cancel"]
EXPECTED = {"mark_sent": PostStatus.SENT, "mark_failed": PostStatus.FAILED,
            "settle_retry": PostStatus.APPROVED, "settle_cancel": PostStatus.CANCELLED}
LOGGED = {"mark_sent": "wagtail_smo.post.mark_sent", "mark_failed": "wagtail_smo.post.mark_failed",
          "settle_retry": "wagtail_smo.post.retry", "settle_cancel": "wagtail_smo.post.cancel"}
MESSAGES = {"mark_sent": "Marked as sent", "mark_failed": "Marked as failed",
            "settle_retry": "Queued again", "settle_cancel": "Cancelled"}


@pytest.fixture
def users(db):
    base = ("add_socialpost", "change_socialpost", "view_socialpost")
    return {
        "editor": make_user("editor", *base),
        "approver": make_user("approver", *base, "approve_socialpost"),
        "sender": make_user("sender", *base, "send_socialpost"),
    }


def make(demo_content, slug, kind):
    """A post stuck "sending" for 20 minutes (kind "stuck") or failed, outcome unknown."""
    page = BlogPage.objects.get(slug=slug)
    post = SocialPost.objects.create(page=page, site=demo_content, channel="x-demo",
                                     text="Stuck https://example.com/", delivery_key="3kabc",
                                     attempt_id=f"a{page.pk}", approved_by=None,
                                     status=PostStatus.SENDING if kind == "stuck"
                                     else PostStatus.FAILED,
                                     outcome_unknown=kind == "unknown",
                                     last_error="may have been published" if kind == "unknown"
                                     else "")
    DeliveryAttempt.objects.create(post=post, attempt_id=post.attempt_id, channel="x-demo",
                                   outcome=AttemptOutcome.SENDING if kind == "stuck"
                                   else AttemptOutcome.UNKNOWN)
    SocialPost.objects.filter(pk=post.pk).update(
        updated_at=timezone.now() - timedelta(minutes=20))
    post.refresh_from_db()
    return post


@pytest.fixture(params=["stuck", "unknown"])
def post(request, demo_content):
    return make(demo_content, "social-cards-explained", request.param)


def settle(client, post, name, **data):
    return client.post(reverse("wagtail_smo_posts:action", args=(post.pk, name)), data)


@pytest.mark.parametrize("name", ACTIONS)
def test_each_settle_action_by_a_sender(client, users, post, name):
    client.force_login(users["sender"])
    data = {"remote_url": "https://x.com/smo/status/123"} if name == "mark_sent" else {}
    response = settle(client, post, name, **data)
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.status == EXPECTED[name]
    assert not post.outcome_unknown
    entry = ModelLogEntry.objects.get(object_id=str(post.pk), action=LOGGED[name])
    assert entry.user == users["sender"]
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    assert message.startswith(MESSAGES[name])
    attempt = post.attempts.get(attempt_id=post.attempt_id)
    assert attempt.outcome in (AttemptOutcome.SETTLED, AttemptOutcome.UNKNOWN)
    if name == "mark_sent":
        assert post.remote_url == "https://x.com/smo/status/123" and post.sent_at
        assert entry.data["remote_url"] == post.remote_url
    if post.attempts.get(attempt_id=post.attempt_id).outcome == AttemptOutcome.SETTLED:
        assert "sender" in attempt.message  # the open attempt of the stopped worker is closed


@pytest.mark.parametrize("role", ["editor", "approver"])
@pytest.mark.parametrize("name", ACTIONS)
def test_settle_refused_without_the_send_permission(client, users, post, name, role):
    client.force_login(users[role])
    before = snapshot(post)
    response = settle(client, post, name, remote_url="https://x.com/smo/status/1")
    assert response.status_code == 403
    assert snapshot(post) == before
    assert not ModelLogEntry.objects.filter(object_id=str(post.pk)).exists()


@pytest.mark.parametrize("url", ["", "javascript:alert(1)", "ftp://x.com/1", "not a url",
                                 "https://" + "a" * 2000 + ".com/"])
def test_mark_sent_needs_a_valid_url(client, users, post, url):
    client.force_login(users["sender"])
    before = snapshot(post)
    response = settle(client, post, "mark_sent", remote_url=url)
    assert response.status_code == 302
    assert snapshot(post) == before
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    assert "https://" in message or "too long" in message


def test_a_post_sending_for_a_short_while_cannot_be_settled(client, users, demo_content):
    post = make(demo_content, "social-cards-explained", "stuck")
    SocialPost.objects.filter(pk=post.pk).update(updated_at=timezone.now())
    client.force_login(users["sender"])
    before = snapshot(post)
    response = settle(client, post, "settle_cancel")
    assert response.status_code == 302
    assert snapshot(post) == before
    post.refresh_from_db()
    assert not workflow.allows(users["sender"], "settle_cancel", post)


def test_a_plain_failure_is_not_settled_but_retried(users, demo_content):
    post = make(demo_content, "social-cards-explained", "unknown")
    SocialPost.objects.filter(pk=post.pk).update(outcome_unknown=False)
    post.refresh_from_db()
    assert not workflow.allows(users["sender"], "mark_sent", post)
    assert workflow.allows(users["sender"], "retry", post)


def test_the_panel_offers_the_four_actions_to_a_sender_only(client, users, post):
    url = reverse("wagtail_smo_posts:inspect" if post.status == PostStatus.SENDING
                  else "wagtail_smo_posts:edit", args=(post.pk,))
    client.force_login(users["sender"])
    html = client.get(url).content.decode()
    found = set(re.findall(r'data-smo-action="(\w+)"', html))
    assert set(ACTIONS) <= found
    assert "send" not in found and "cancel" not in found  # no second Retry or Cancel
    assert "data-smo-attention" in html
    client.force_login(users["approver"])
    html = client.get(url).content.decode()
    assert not set(ACTIONS) & set(re.findall(r'data-smo-action="(\w+)"', html))
    assert "data-smo-attention" in html  # still told the post needs someone


def test_the_listing_filters_posts_that_need_attention(client, users, demo_content):
    stuck = make(demo_content, "social-cards-explained", "stuck")
    unknown = make(demo_content, "only-a-body-image", "unknown")
    fine = SocialPost.objects.create(page=stuck.page, site=demo_content, channel="mastodon-demo",
                                     text="Fine", status=PostStatus.FAILED, last_error="401")
    young = SocialPost.objects.create(page=unknown.page, site=demo_content,
                                      channel="mastodon-demo", text="Young",
                                      status=PostStatus.SENDING)
    assert set(SocialPost.objects.filter(workflow.attention_q())) == {stuck, unknown}
    client.force_login(users["sender"])
    html = client.get(reverse("wagtail_smo_posts:list") + "?attention=on").content.decode()
    edit = lambda p: reverse("wagtail_smo_posts:edit", args=(p.pk,))  # noqa: E731
    assert edit(stuck) in html and edit(unknown) in html
    assert edit(fine) not in html and edit(young) not in html
    assert "Failed: outcome unknown" in html and "Sending: stuck" in html
