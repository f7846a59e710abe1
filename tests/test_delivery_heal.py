"""Bounded, window-aware reconciling and the self-healing chain (posts/delivery.py, healing.py).

The clock is the rows' own: a "killed worker" is a post left "sending" by ``claim_post``, and
time passing is ``updated_at`` / ``started_at`` moved back in the database.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from tests.fakes import networks as fk
from wagtail_smo.models import (
    AttemptOutcome,
    DeliveryAttempt,
    DeliveryLease,
    PostStatus,
    SocialPost,
)
from wagtail_smo.posts import delivery, healing
from wagtail_smo.posts.outgoing import outgoing_post
from wagtail_smo.posts.tasks import heal_deliveries
from wagtail_smo.providers import get_provider
from wagtail_smo.providers.bluesky import BlueskyProvider


@pytest.fixture
def page(db):
    from wagtail.models import Page, Site

    root = Site.objects.get(is_default_site=True).root_page
    return root.add_child(instance=Page(title="Healing", slug="healing"))


def approved(page, alias):
    return SocialPost.objects.create(page=page, channel=alias, status=PostStatus.APPROVED,
                                     text=f"Post for {alias} https://example.com/h/",
                                     link="https://example.com/h/")


def kill_mid_send(post, *, publish=True):
    """Claim, maybe publish, and die before the answer is recorded (as SIGKILL would)."""
    claim = delivery.claim_post(post.pk)
    assert claim is not None
    if publish:
        get_provider(post.channel).send(outgoing_post(claim.post), claim.post.delivery_key)
    return claim


def age(post, seconds):
    """Move the post's clock back: it has been "sending", and tried first, ``seconds`` ago."""
    then = timezone.now() - timedelta(seconds=seconds)
    SocialPost.objects.filter(pk=post.pk).update(updated_at=then)
    DeliveryAttempt.objects.filter(post=post).update(started_at=then)


@pytest.fixture
def mastodon():
    with fk.FakeMastodon() as fake:
        with override_settings(WAGTAIL_SMO={
                "PROVIDERS": {"mastodon": fk.channel_settings("mastodon", fake)},
                "DELIVERY": {"MAX_ATTEMPTS": 5}}):
            yield fake


@pytest.fixture
def telegram():
    with fk.FakeTelegram() as fake:
        with override_settings(WAGTAIL_SMO={
                "PROVIDERS": {"telegram": fk.channel_settings("telegram", fake)}}):
            yield fake


@pytest.fixture
def bluesky():
    with fk.FakeBluesky() as fake:
        with override_settings(WAGTAIL_SMO={
                "PROVIDERS": {"bluesky": fk.channel_settings("bluesky", fake)}}):
            BlueskyProvider._sessions.clear()
            yield fake
            BlueskyProvider._sessions.clear()


def test_nine_interruptions_with_max_attempts_5_stop_at_the_fifth(page, mastodon):
    """Issue 15, why 2: each interruption is a try; the fifth is the last, never a tenth."""
    post = approved(page, "mastodon")
    rounds = []
    for _ in range(9):
        if delivery.claim_post(post.pk) is None:
            break
        age(post, 700)
        rounds.append(delivery.reconcile_stuck_posts())
    post.refresh_from_db()
    assert rounds[:4] == [{"requeued": 1, "failed": 0}] * 4
    assert rounds[4] == {"requeued": 0, "failed": 1}
    assert len(rounds) == 5, "a failed post is never claimed again"
    assert post.status == PostStatus.FAILED and post.outcome_unknown
    assert "gave up after 5 tries" in post.last_error and "may have been published" in post.last_error
    numbers = list(post.attempts.order_by("started_at", "id").values_list("number", "outcome"))
    assert numbers == [(n, AttemptOutcome.INTERRUPTED) for n in range(1, 5)] + [
        (5, AttemptOutcome.UNKNOWN)]
    assert mastodon.posts == []


def test_interrupted_within_the_window_is_resent_once(page, mastodon):
    post = approved(page, "mastodon")
    kill_mid_send(post)
    age(post, 3000)  # 50 minutes: inside Mastodon's one hour
    assert delivery.reconcile_stuck_posts() == {"requeued": 1, "failed": 0}
    assert delivery.deliver(post.pk) == PostStatus.SENT
    post.refresh_from_db()
    assert len(mastodon.posts) == 1 and post.remote_url.startswith("https://mastodon.example/")
    assert len(mastodon.requests_to("/api/v1/statuses")) == 2  # the repeat was dropped


def test_interrupted_past_the_window_is_not_resent(page, mastodon):
    post = approved(page, "mastodon")
    kill_mid_send(post)
    age(post, 3700)  # just past the hour: Mastodon would post it a second time
    assert delivery.reconcile_stuck_posts() == {"requeued": 0, "failed": 1}
    post.refresh_from_db()
    assert post.status == PostStatus.FAILED and post.outcome_unknown
    assert "de-duplication window" in post.last_error
    assert len(mastodon.requests_to("/api/v1/statuses")) == 1


def test_window_is_measured_from_the_first_try(page, mastodon):
    """Requeued at 50 minutes, the queue reaches the post at 65: not sent again."""
    post = approved(page, "mastodon")
    kill_mid_send(post)
    age(post, 3000)
    assert delivery.reconcile_stuck_posts()["requeued"] == 1
    DeliveryAttempt.objects.filter(post=post).update(
        started_at=timezone.now() - timedelta(seconds=3900))
    assert delivery.deliver(post.pk) == PostStatus.FAILED
    post.refresh_from_db()
    assert post.outcome_unknown and "de-duplication window" in post.last_error
    assert len(mastodon.requests_to("/api/v1/statuses")) == 1


def test_lost_answer_retry_past_the_window_becomes_unknown(page, mastodon):
    """A timeout after publishing: the retry would fall after the hour, so it is not made."""
    post = approved(page, "mastodon")
    delivery.claim_post(post.pk)
    SocialPost.objects.filter(pk=post.pk).update(status=PostStatus.APPROVED)
    DeliveryAttempt.objects.filter(post=post).update(
        started_at=timezone.now() - timedelta(seconds=3590), outcome=AttemptOutcome.RETRY)
    mastodon.add_fault("/api/v1/statuses", "drop")
    assert delivery.deliver(post.pk) == PostStatus.FAILED  # backoff >= 30 s: past 3600
    post.refresh_from_db()
    assert post.outcome_unknown and "may have been published" in post.last_error


def test_network_that_cannot_deduplicate_is_unknown_at_once(page, telegram):
    post = approved(page, "telegram")
    kill_mid_send(post)
    age(post, 700)
    assert delivery.reconcile_stuck_posts() == {"requeued": 0, "failed": 1}
    post.refresh_from_db()
    assert post.status == PostStatus.FAILED and post.outcome_unknown
    assert post.attempts.get().outcome == AttemptOutcome.UNKNOWN
    assert len(telegram.posts) == 1


def test_bluesky_record_found_is_marked_sent_with_its_url(page, bluesky):
    post = approved(page, "bluesky")
    claim = kill_mid_send(post)
    age(post, 700)
    assert delivery.reconcile_stuck_posts() == {"requeued": 0, "failed": 0, "sent": 1}
    post.refresh_from_db()
    assert post.status == PostStatus.SENT
    assert post.remote_url == (f"https://bsky.app/profile/{fk.BLUESKY_HANDLE}/post/"
                               f"{claim.post.delivery_key}")
    assert [r.query["rkey"] for r in bluesky.requests_to("getRecord")] == [[post.delivery_key]]
    assert len(bluesky.requests_to("createRecord")) == 1 and len(bluesky.posts) == 1


def test_bluesky_record_not_found_is_sent_again(page, bluesky):
    post = approved(page, "bluesky")
    kill_mid_send(post, publish=False)  # killed before the request left
    age(post, 10 * 86400)  # long ago: the rkey is ours for good
    assert delivery.reconcile_stuck_posts() == {"requeued": 1, "failed": 0}
    assert len(bluesky.requests_to("getRecord")) == 1
    assert delivery.deliver(post.pk) == PostStatus.SENT
    assert len(bluesky.posts) == 1


def test_bluesky_not_found_without_tries_left_is_a_plain_failure(page, bluesky):
    post = approved(page, "bluesky")
    kill_mid_send(post, publish=False)
    DeliveryAttempt.objects.filter(post=post).update(number=5)
    age(post, 700)
    assert delivery.reconcile_stuck_posts() == {"requeued": 0, "failed": 1}
    post.refresh_from_db()
    assert post.status == PostStatus.FAILED and not post.outcome_unknown
    assert "no such post" in post.last_error


# --- the chain -------------------------------------------------------------------------------

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def queued_heal_tasks():
    from django_tasks_db.models import DBTaskResult

    return list(DBTaskResult.objects.filter(task_path=heal_deliveries.module_path))


@override_settings(TASKS=DB_TASKS)
def test_one_chain_however_many_workers_start(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        started = [healing.ensure_chain(heal_deliveries) for _ in range(5)]
    assert started == [True, False, False, False, False]
    [lease] = DeliveryLease.objects.all()
    assert [task.args_kwargs["args"] for task in queued_heal_tasks()] == [[lease.token]]


@override_settings(TASKS=DB_TASKS)
def test_a_round_reenqueues_itself_later_and_a_stale_chain_stops(
        db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert healing.ensure_chain(heal_deliveries)
        token = DeliveryLease.objects.get().token
        before = timezone.now()
        assert "requeued" in healing.heal_round(heal_deliveries, token)
    tasks = sorted(queued_heal_tasks(), key=lambda t: t.run_after or before)
    assert len(tasks) == 2 and tasks[-1].run_after >= before + timedelta(seconds=59)
    # Another chain took an expired lease: the old one's next round stops, enqueues nothing.
    DeliveryLease.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert healing.ensure_chain(heal_deliveries)
        assert healing.heal_round(heal_deliveries, token) == {"stopped": 1}
    assert len(queued_heal_tasks()) == 3


@override_settings(TASKS=DB_TASKS)
def test_a_dead_chain_is_replaced_once_its_lease_expires(db):
    assert healing.ensure_chain(heal_deliveries)
    assert not healing.ensure_chain(heal_deliveries)
    DeliveryLease.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert healing.ensure_chain(heal_deliveries)


def test_no_chain_on_the_immediate_backend_or_when_turned_off(db):
    assert not healing.ensure_chain(heal_deliveries)  # the test settings' immediate backend
    with override_settings(TASKS=DB_TASKS, WAGTAIL_SMO={"DELIVERY": {"HEAL_EVERY_SECONDS": 0}}):
        assert not healing.ensure_chain(heal_deliveries)
    assert not DeliveryLease.objects.exists()


def test_a_round_requeues_a_post_whose_task_was_lost(page, django_capture_on_commit_callbacks):
    from django_tasks_db.models import DBTaskResult

    mem = {"mem": {"BACKEND": "wagtail_smo.providers.locmem.LocmemProvider"}}
    with override_settings(WAGTAIL_SMO={"PROVIDERS": mem}):
        # Saved before switching TASKS: Wagtail enqueues its own tasks on every save.
        post = approved(page, "mem")
        SocialPost.objects.filter(pk=post.pk).update(
            updated_at=timezone.now() - timedelta(seconds=700))
        with override_settings(TASKS=DB_TASKS):
            healing.ensure_chain(heal_deliveries)
            token = DeliveryLease.objects.get().token
            with django_capture_on_commit_callbacks(execute=True):
                counts = healing.heal_round(heal_deliveries, token)
            assert counts["lost_requeued"] == 1
            assert DBTaskResult.objects.filter(task_path__endswith="deliver_post",
                                               args_kwargs__args=[post.pk]).exists()


def test_worker_start_is_recognised_from_the_command():
    from wagtail_smo.signal_handlers import start_chain_in_worker

    assert start_chain_in_worker(["manage.py", "runserver"]) is None
    assert start_chain_in_worker(["manage.py"]) is None


@pytest.mark.parametrize("value", ["sixty", -1, True, None])
def test_heal_every_seconds_is_checked_at_startup(value):
    from wagtail_smo.checks import check_settings

    with override_settings(WAGTAIL_SMO={"DELIVERY": {"HEAL_EVERY_SECONDS": value}}):
        [error] = check_settings()
    assert error.id == "wagtail_smo.E002" and "HEAL_EVERY_SECONDS" in error.msg
    assert "at least 0" in error.msg
