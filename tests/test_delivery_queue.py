"""Queue and exactly-once rules of wagtail_smo.posts.delivery, with the in-memory provider."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from wagtail_smo.exceptions import (
    AuthenticationError,
    InvalidPostState,
    RateLimited,
    TemporaryError,
    UncertainDelivery,
)
from wagtail_smo.models import AttemptOutcome, PostStatus, SocialPost
from wagtail_smo.posts import delivery, workflow
from wagtail_smo.providers.locmem import LocmemProvider

CHANNELS = {
    "mem": {"BACKEND": "wagtail_smo.providers.locmem.LocmemProvider", "OPTIONS": {}},
    "mem-nodedup": {"BACKEND": "tests.fakes.providers.NoDedupLocmem", "OPTIONS": {}},
}


@pytest.fixture(autouse=True)
def channels():
    LocmemProvider.reset()
    with override_settings(WAGTAIL_SMO={"PROVIDERS": CHANNELS}):
        yield
    LocmemProvider.reset()


def make_post(page, channel="mem", **fields) -> SocialPost:
    fields.setdefault("status", PostStatus.APPROVED)
    return SocialPost.objects.create(page=page, channel=channel, text=f"Hello {page.title}",
                                     link=page.full_url or "", **fields)


@pytest.fixture
def page(demo_content):
    from wagtail.models import Page

    return Page.objects.live().filter(depth__gt=2).first()


def test_queue_post_delivers_on_commit_once(page, django_capture_on_commit_callbacks):
    post = make_post(page)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.queue_post(post)
    post.refresh_from_db()
    assert post.status == PostStatus.SENT
    assert post.remote_url == "https://locmem.invalid/1"
    assert [m["text"] for m in LocmemProvider.outbox] == [post.text]
    attempt = post.attempts.get()
    assert attempt.outcome == AttemptOutcome.SENT and attempt.finished_at
    # A second task for the same post (duplicate enqueue) finds nothing to claim.
    assert delivery.deliver(post.pk) == "skipped"
    assert len(LocmemProvider.outbox) == 1


def test_nothing_is_enqueued_before_commit(page, django_capture_on_commit_callbacks):
    post = make_post(page)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        workflow.queue_post(post)
    assert len(callbacks) == 1
    assert LocmemProvider.outbox == []


def test_scheduled_post_waits_until_due(page):
    post = make_post(page, status=PostStatus.SCHEDULED,
                     scheduled_at=timezone.now() + timedelta(minutes=5))
    assert delivery.deliver(post.pk) == "skipped"
    assert delivery.due_post_ids() == []
    SocialPost.objects.filter(pk=post.pk).update(scheduled_at=timezone.now() - timedelta(seconds=1))
    assert delivery.due_post_ids() == [post.pk]
    assert delivery.deliver(post.pk) == PostStatus.SENT


def test_draft_and_cancelled_posts_are_never_sent(page):
    draft = make_post(page, status=PostStatus.DRAFT)
    assert delivery.deliver(draft.pk) == "skipped"
    draft.status = PostStatus.CANCELLED
    draft.save()
    assert delivery.deliver(draft.pk) == "skipped"
    assert LocmemProvider.outbox == []


def test_rate_limit_is_retried_after_retry_after(page):
    post = make_post(page)
    LocmemProvider.fail_next.append(RateLimited("Slow down", network="locmem", status=429,
                                                retry_after=120))
    assert delivery.deliver(post.pk) == PostStatus.SCHEDULED
    post.refresh_from_db()
    assert post.status == PostStatus.APPROVED
    wait = (post.retry_at - timezone.now()).total_seconds()
    assert 110 <= wait <= 135
    assert post.last_error == "Slow down"
    assert delivery.deliver(post.pk) == "skipped"  # not due yet
    SocialPost.objects.filter(pk=post.pk).update(retry_at=timezone.now())
    assert delivery.deliver(post.pk) == PostStatus.SENT
    outcomes = list(post.attempts.order_by("started_at", "id").values_list("outcome", "number"))
    assert outcomes == [(AttemptOutcome.RETRY, 1), (AttemptOutcome.SENT, 2)]


@override_settings(WAGTAIL_SMO={"PROVIDERS": CHANNELS, "DELIVERY": {"MAX_ATTEMPTS": 3}})
def test_gives_up_after_max_attempts(page):
    post = make_post(page)
    for _ in range(3):
        LocmemProvider.fail_next.append(TemporaryError("Bad gateway", network="locmem", status=502))
    for _ in range(3):
        SocialPost.objects.filter(pk=post.pk).update(retry_at=None)
        delivery.deliver(post.pk)
    post.refresh_from_db()
    assert post.status == PostStatus.FAILED
    assert "Bad gateway" in post.last_error and "3 tries" in post.last_error
    assert LocmemProvider.outbox == []


def test_authentication_error_is_permanent_and_retry_post_requeues(page, django_capture_on_commit_callbacks):
    post = make_post(page)
    LocmemProvider.fail_next.append(AuthenticationError("The access token is invalid",
                                                        network="locmem", status=401))
    assert delivery.deliver(post.pk) == PostStatus.FAILED
    post.refresh_from_db()
    assert post.last_error == "The access token is invalid"
    assert post.attempts.get().status_code == 401
    with django_capture_on_commit_callbacks(execute=True):
        workflow.retry(post, None)
    post.refresh_from_db()
    assert post.status == PostStatus.SENT
    assert post.attempts.filter(outcome=AttemptOutcome.SENT, number=1).exists()
    with pytest.raises(InvalidPostState):
        workflow.retry(post, None)


def test_retry_post_checks_permission(page, django_user_model):
    from django.core.exceptions import PermissionDenied

    post = make_post(page, status=PostStatus.FAILED)
    user = django_user_model.objects.create_user("nobody", password="x")
    with pytest.raises(PermissionDenied):
        workflow.retry(post, user)
    post.refresh_from_db()
    assert post.status == PostStatus.FAILED


def test_uncertain_delivery_fails_for_a_person_when_network_cannot_deduplicate(page):
    post = make_post(page, channel="mem-nodedup")
    LocmemProvider.fail_next.append(UncertainDelivery("Read timed out", network="locmem"))
    assert delivery.deliver(post.pk) == PostStatus.FAILED
    post.refresh_from_db()
    assert "may have been published" in post.last_error
    assert post.attempts.get().outcome == AttemptOutcome.UNKNOWN


def test_uncertain_delivery_is_retried_where_network_deduplicates(page):
    post = make_post(page)
    LocmemProvider.fail_next.append(UncertainDelivery("Read timed out", network="locmem"))
    assert delivery.deliver(post.pk) == PostStatus.SCHEDULED
    post.refresh_from_db()
    assert post.retry_at is not None


def test_reconcile_stuck_posts(page, django_capture_on_commit_callbacks):
    from wagtail.models import Page

    other = Page.objects.live().filter(depth__gt=2).exclude(pk=page.pk).first()
    dedup = make_post(page)
    nodedup = make_post(other, channel="mem-nodedup")
    # Two workers "killed" right after claiming.
    assert delivery.claim_post(dedup.pk) and delivery.claim_post(nodedup.pk)
    assert delivery.reconcile_stuck_posts() == {"requeued": 0, "failed": 0}  # not stuck yet
    with django_capture_on_commit_callbacks(execute=True):
        counts = delivery.reconcile_stuck_posts(older_than=timedelta(0))
    assert counts == {"requeued": 1, "failed": 1}
    dedup.refresh_from_db()
    nodedup.refresh_from_db()
    assert dedup.status == PostStatus.SENT
    assert nodedup.status == PostStatus.FAILED and "check the channel" in nodedup.last_error
    assert [o for o in dedup.attempts.order_by("started_at", "id").values_list("outcome", flat=True)] == [
        AttemptOutcome.INTERRUPTED, AttemptOutcome.SENT]


def test_delivery_key_is_stable_and_a_tid(page):
    post = make_post(page)
    LocmemProvider.fail_next.append(TemporaryError("oops", network="locmem", status=500))
    delivery.deliver(post.pk)
    post.refresh_from_db()
    key = post.delivery_key
    assert len(key) == 13 and set(key) <= set("234567abcdefghijklmnopqrstuvwxyz")
    SocialPost.objects.filter(pk=post.pk).update(retry_at=None)
    delivery.deliver(post.pk)
    post.refresh_from_db()
    assert post.delivery_key == key == LocmemProvider.outbox[0]["key"]


def test_backoff_grows_with_jitter_and_honours_retry_after():
    first = [delivery.backoff_seconds(1) for _ in range(50)]
    third = [delivery.backoff_seconds(3) for _ in range(50)]
    assert min(first) >= 15 and max(first) <= 45 and len(set(first)) > 1
    assert min(third) >= 60 and max(third) <= 180
    assert all(delivery.backoff_seconds(1, retry_after=600) >= 600 for _ in range(20))


def test_smo_deliver_due_command(page):
    import io

    from django.core.management import call_command
    from wagtail.models import Page

    other = Page.objects.live().filter(depth__gt=2).exclude(pk=page.pk).first()
    due = make_post(page)
    later = make_post(other, status=PostStatus.SCHEDULED,
                      scheduled_at=timezone.now() + timedelta(hours=1))
    out = io.StringIO()
    call_command("smo_deliver_due", stdout=out)
    assert out.getvalue().strip() == "sent: 1"
    due.refresh_from_db()
    later.refresh_from_db()
    assert (due.status, later.status) == (PostStatus.SENT, PostStatus.SCHEDULED)
    out = io.StringIO()
    call_command("smo_deliver_due", stdout=out)
    assert out.getvalue().strip() == "Nothing due."


def test_remote_url_from_the_network_is_only_kept_when_http():
    assert delivery.safe_remote_url("javascript:alert(1)") == ""
    assert delivery.safe_remote_url(" JaVaScRiPt:alert(1)") == ""
    assert delivery.safe_remote_url("data:text/html,<script>") == ""
    assert delivery.safe_remote_url("https://mastodon.example/@smo/1") == "https://mastodon.example/@smo/1"
