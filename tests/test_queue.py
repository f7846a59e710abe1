"""The one enqueue helper: every task of the plugin goes to WAGTAIL_SMO["DELIVERY"]'s backend and
queue, after the commit, deferred with run_after where the backend can defer."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks import task_backends

from example_site.blog.models import BlogIndexPage, BlogPage
from wagtail_smo.feeds.tasks import ping_websub
from wagtail_smo.models import PostStatus, SocialPost
from wagtail_smo.posts import workflow
from wagtail_smo.posts.tasks import create_post_drafts, deliver_post
from wagtail_smo.providers.locmem import LocmemProvider
from wagtail_smo.queue import enqueue, enqueue_now

pytestmark = pytest.mark.django_db

#: Wagtail's own tasks keep running on "default"; the plugin's go to "smo", queue "social".
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "smo": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": ["social"]},
}
MEM = {"mem": {"BACKEND": "wagtail_smo.providers.locmem.LocmemProvider", "OPTIONS": {}}}


@pytest.fixture
def smo_backend(settings):
    """The dummy backend named by DELIVERY["TASK_BACKEND"]: it keeps what is enqueued."""
    settings.TASKS = TASKS
    settings.WAGTAIL_SMO = {**settings.WAGTAIL_SMO,
                            "DELIVERY": {"TASK_BACKEND": "smo", "QUEUE": "social"}}
    backend = task_backends["smo"]
    yield backend
    backend.clear()


def queued(backend, task) -> list:
    return [r for r in backend.results if r.task.module_path == task.module_path]


@pytest.fixture
def post(demo_content):
    page = BlogPage.objects.get(slug="social-cards-explained")
    return SocialPost.objects.create(page=page, site=demo_content, channel="x-demo",
                                     text="Hello https://example.com/", link="https://example.com/")


def test_every_task_goes_to_the_configured_backend_and_queue(
    smo_backend, post, settings, django_capture_on_commit_callbacks
):
    settings.WAGTAIL_SMO = {**settings.WAGTAIL_SMO,
                            "FEEDS": {"WEBSUB_HUB": "http://127.0.0.1:9/hub"}}
    with django_capture_on_commit_callbacks(execute=True):
        workflow.approve(post, None)
    with django_capture_on_commit_callbacks(execute=True):
        page = BlogPage(title="Queued everywhere", slug="queued-everywhere",
                        share_when_published=True)
        BlogIndexPage.objects.first().add_child(instance=page)
        page.save_revision().publish()
    [delivery] = queued(smo_backend, deliver_post)
    [drafts] = queued(smo_backend, create_post_drafts)
    pings = queued(smo_backend, ping_websub)
    assert list(delivery.args) == [post.pk] and drafts.args[0] == page.pk
    # The WebSub ping used the default backend before: it follows the plugin's setting now.
    assert len(pings) == 1 and pings[0].args[0] == "http://127.0.0.1:9/hub"
    assert {r.task.queue_name for r in (delivery, drafts, *pings)} == {"social"}
    assert {r.backend for r in (delivery, drafts, *pings)} == {"smo"}


def test_nothing_is_enqueued_before_the_commit(smo_backend, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        enqueue(create_post_drafts, 12345, None)
    assert queued(smo_backend, create_post_drafts) == []
    [callback] = callbacks
    callback()
    assert [list(r.args) for r in queued(smo_backend, create_post_drafts)] == [[12345, None]]


def test_run_after_defers_where_the_backend_can(smo_backend):
    when = timezone.now() + timedelta(hours=2)
    result = enqueue_now(deliver_post, 1, run_after=when)
    assert result is not None and result.task.run_after == when
    now = enqueue_now(deliver_post, 2, run_after=timezone.now() - timedelta(seconds=1))
    assert now is not None and now.task.run_after is None  # due already: not deferred


def test_a_backend_that_cannot_defer_leaves_a_later_post_to_the_sweeper(
    demo_content, settings, django_capture_on_commit_callbacks
):
    settings.WAGTAIL_SMO = {**settings.WAGTAIL_SMO, "PROVIDERS": MEM}
    LocmemProvider.reset()
    page = BlogPage.objects.get(slug="social-cards-explained")
    later = SocialPost.objects.create(page=page, channel="mem", text="Later",
                                      status=PostStatus.SCHEDULED,
                                      scheduled_at=timezone.now() + timedelta(hours=1))
    # The test settings' immediate backend would run the task at once: it is not enqueued.
    assert enqueue_now(deliver_post, later.pk, run_after=later.scheduled_at) is None
    assert LocmemProvider.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        workflow.queue_post(SocialPost.objects.get(pk=later.pk))
    assert SocialPost.objects.get(pk=later.pk).status == PostStatus.SCHEDULED
    assert LocmemProvider.outbox == []
    LocmemProvider.reset()


def test_a_queue_that_refuses_a_delivery_is_logged_not_raised(
    smo_backend, post, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    def refuse(self, task, args, kwargs):
        raise ConnectionError("queue is down")

    monkeypatch.setattr(type(smo_backend), "enqueue", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.approve(post, None)
    assert SocialPost.objects.get(pk=post.pk).status == PostStatus.APPROVED
    assert "could not be queued" in caplog.text and "queue is down" in caplog.text
    assert deliver_post.module_path in caplog.text
