"""Post drafts on publish through a real queue: the publish only enqueues, a worker composes.

The test settings run tasks immediately; here a backend that keeps tasks until they are run
(django_tasks' DummyBackend) shows what the editor's publish request does and what is left for the
worker, and what the task re-checks when it finally runs.
"""

from __future__ import annotations

import json

import pytest
from django.test import override_settings
from django_tasks import task_backends
from wagtail.models import PageViewRestriction

from example_site.blog.models import NewsIndexPage, NewsPage
from wagtail_smo.models import PostStatus, SocialPost
from wagtail_smo.posts.tasks import create_post_drafts
from wagtail_smo.providers import channel_aliases

pytestmark = pytest.mark.django_db

QUEUE = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@pytest.fixture
def queue():
    """A task backend that keeps what is enqueued until the test runs it, as a worker would."""
    with override_settings(TASKS=QUEUE):
        backend = task_backends["default"]
        yield backend
        backend.clear()


@pytest.fixture
def unpublished(demo_content):
    """A news page saved as a draft, never published: its first publish shares it."""
    page = NewsPage(title="Queued news", slug="queued-news", body="<p>Later.</p>", live=False)
    NewsIndexPage.objects.get(slug="news").add_child(instance=page)
    page.save_revision()
    return page


def draft_tasks(backend) -> list:
    """The ``create_post_drafts`` tasks waiting in ``backend`` (Wagtail enqueues its own too)."""
    return [r for r in backend.results if r.task.module_path == create_post_drafts.module_path]


def run(result) -> list[int]:
    """Run a queued task the way a worker does: arguments back from JSON, then the function."""
    args = json.loads(json.dumps(result.args))
    kwargs = json.loads(json.dumps(result.kwargs))
    return result.task.call(*args, **kwargs)


def publish(page, django_capture_on_commit_callbacks):
    """Publish ``page``'s latest revision and let the commit callbacks run (they enqueue)."""
    with django_capture_on_commit_callbacks(execute=True):
        revision = NewsPage.objects.get(pk=page.pk).get_latest_revision()
        revision.publish()
    return revision


def test_publish_enqueues_one_task_and_the_worker_creates_the_drafts(
    queue, unpublished, django_capture_on_commit_callbacks
):
    revision = publish(unpublished, django_capture_on_commit_callbacks)
    [queued] = draft_tasks(queue)
    assert list(queued.args) == [unpublished.pk, revision.pk]
    assert queued.task.queue_name == "default"
    # The publish is done and answered: no draft yet, the switch still on until the worker runs.
    assert not SocialPost.objects.filter(page=unpublished).exists()
    assert NewsPage.objects.get(pk=unpublished.pk).share_when_published is True
    made = run(queued)
    posts = SocialPost.objects.filter(page=unpublished)
    assert sorted(made) == sorted(posts.values_list("pk", flat=True))
    assert sorted(posts.values_list("channel", flat=True)) == sorted(channel_aliases())
    assert {p.status for p in posts} == {PostStatus.DRAFT}
    assert {p.revision_id for p in posts} == {revision.pk}
    assert NewsPage.objects.get(pk=unpublished.pk).share_when_published is False
    # A task delivered twice (or replayed) creates nothing more.
    assert run(queued) == []
    assert posts.count() == len(channel_aliases())


def test_page_unpublished_before_the_task_runs_gets_no_draft(
    queue, unpublished, django_capture_on_commit_callbacks
):
    publish(unpublished, django_capture_on_commit_callbacks)
    [queued] = draft_tasks(queue)
    NewsPage.objects.get(pk=unpublished.pk).unpublish()
    assert run(queued) == []
    assert not SocialPost.objects.filter(page=unpublished).exists()
    # Nothing was shared, so the switch stays on for the next publish.
    assert NewsPage.objects.get(pk=unpublished.pk).share_when_published is True


def test_page_made_private_before_the_task_runs_gets_no_draft(
    queue, unpublished, django_capture_on_commit_callbacks
):
    publish(unpublished, django_capture_on_commit_callbacks)
    [queued] = draft_tasks(queue)
    PageViewRestriction.objects.create(page=unpublished, restriction_type=PageViewRestriction.LOGIN)
    assert run(queued) == []
    assert not SocialPost.objects.filter(page=unpublished).exists()


def test_switch_turned_off_before_the_task_runs_gets_no_draft(
    queue, unpublished, django_capture_on_commit_callbacks
):
    publish(unpublished, django_capture_on_commit_callbacks)
    [queued] = draft_tasks(queue)
    page = NewsPage.objects.get(pk=unpublished.pk)
    page.share_when_published = False  # the editor unticks it and publishes again
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    assert draft_tasks(queue) == [queued]  # the second publish asked for nothing
    assert run(queued) == []
    assert not SocialPost.objects.filter(page=unpublished).exists()


def test_two_publishes_before_the_worker_share_once_with_the_latest_text(
    queue, unpublished, django_capture_on_commit_callbacks
):
    publish(unpublished, django_capture_on_commit_callbacks)
    page = NewsPage.objects.get(pk=unpublished.pk)
    page.title = "Queued news, corrected"  # the switch is still on: the worker has not run
    with django_capture_on_commit_callbacks(execute=True):
        second = page.save_revision()
        second.publish()
    first_task, second_task = draft_tasks(queue)
    run(first_task)
    assert run(second_task) == []  # a republished page is not shared again
    posts = SocialPost.objects.filter(page=unpublished)
    assert posts.count() == len(channel_aliases())
    # Composed from the page as it is live when the worker runs, and recording that revision.
    assert all("corrected" in p.text for p in posts)
    assert {p.revision_id for p in posts} == {second.pk}


def test_a_queue_that_refuses_the_task_never_breaks_the_publish(
    queue, unpublished, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    accept = type(queue).enqueue

    def refuse_drafts(self, task, args, kwargs):
        if task.module_path == create_post_drafts.module_path:
            raise ConnectionError("queue is down")
        return accept(self, task, args, kwargs)  # Wagtail's own tasks are still taken

    monkeypatch.setattr(type(queue), "enqueue", refuse_drafts)
    publish(unpublished, django_capture_on_commit_callbacks)
    assert NewsPage.objects.get(pk=unpublished.pk).live
    assert "could not be queued" in caplog.text and "queue is down" in caplog.text


def test_a_form_loaded_before_the_worker_ran_does_not_re_share_later(
    queue, unpublished, django_capture_on_commit_callbacks
):
    publish(unpublished, django_capture_on_commit_callbacks)
    # The editor reopens the page at once: the worker has not run, the switch is still ticked.
    stale = NewsPage.objects.get(pk=unpublished.pk).get_latest_revision_as_object()
    assert stale.share_when_published is True
    run(draft_tasks(queue)[0])  # drafts made, switch off
    stale.title = "Queued news, typo fixed"
    with django_capture_on_commit_callbacks(execute=True):
        stale.save_revision().publish()  # saved from the stale form: ticked again
    run(draft_tasks(queue)[1])
    posts = SocialPost.objects.filter(page=unpublished)
    assert posts.count() == len(channel_aliases())  # the open drafts are the share
    page = NewsPage.objects.get(pk=unpublished.pk)
    assert page.share_when_published is False
    assert page.get_latest_revision_as_object().share_when_published is False
    # Once the posts are sent, an ordinary publish (not ticked) shares nothing.
    posts.update(status=PostStatus.SENT)
    page.title = "Queued news, second edit"
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    assert len(draft_tasks(queue)) == 2  # not ticked: nothing even enqueued
    assert not SocialPost.objects.filter(page=unpublished, status=PostStatus.DRAFT).exists()
