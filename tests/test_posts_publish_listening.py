"""No work when nothing is listening: a publish with no enabled channel queues no draft task.

The tasks go to django_tasks' database backend, so what the publish left for a worker is read
back from its task table; the check costs the publish one small query.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult
from wagtail.models import Page, Site

from example_site.blog.models import NewsIndexPage, NewsPage
from wagtail_smo.models import SocialChannel
from wagtail_smo.posts.tasks import create_post_drafts
from wagtail_smo.signal_handlers import create_drafts_on_publish

pytestmark = pytest.mark.django_db

# wagtail-smo's tasks go to django_tasks' database backend, read back from its table. Wagtail's
# own tasks (search index, references) stay on the immediate backend: on Django 6.x its search
# task is a django.tasks Task, which django_tasks_db refuses to store ("does not point to a
# Task"), so they cannot share the table there.
DATABASE_QUEUE = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "smo": {"BACKEND": "django_tasks_db.DatabaseBackend"},
}
SMO_ON_THE_QUEUE = {**settings.WAGTAIL_SMO,
                    "DELIVERY": {**settings.WAGTAIL_SMO.get("DELIVERY", {}),
                                 "TASK_BACKEND": "smo"}}


@pytest.fixture
def unpublished(demo_content):
    """A news page saved as a draft with "share when published" on, never published."""
    page = NewsPage(title="Quiet news", slug="quiet-news", body="<p>Shh.</p>", live=False)
    NewsIndexPage.objects.get(slug="news").add_child(instance=page)
    page.save_revision()
    return page


def publish(page, django_capture_on_commit_callbacks) -> None:
    """Publish ``page``'s latest revision into the database queue, commit callbacks run."""
    with override_settings(TASKS=DATABASE_QUEUE, WAGTAIL_SMO=SMO_ON_THE_QUEUE), \
            django_capture_on_commit_callbacks(execute=True):
        NewsPage.objects.get(pk=page.pk).get_latest_revision().publish()


def draft_task_rows(page) -> list[DBTaskResult]:
    """Rows of the task table that would create drafts for ``page``."""
    return [row for row in DBTaskResult.objects.filter(task_path=create_post_drafts.module_path)
            if row.args_kwargs["args"][0] == page.pk]


def test_no_enabled_channel_queues_no_draft_task(unpublished, django_capture_on_commit_callbacks):
    assert unpublished.share_when_published is True
    SocialChannel.objects.update(enabled=False)
    publish(unpublished, django_capture_on_commit_callbacks)
    # The same queue and settings take one draft task when a channel is enabled (the next test):
    # here nothing was queued for the page.
    assert draft_task_rows(unpublished) == []


def test_an_enabled_channel_queues_one_draft_task(unpublished, django_capture_on_commit_callbacks):
    SocialChannel.objects.exclude(channel="x-demo").update(enabled=False)
    publish(unpublished, django_capture_on_commit_callbacks)
    assert len(draft_task_rows(unpublished)) == 1


def test_a_channel_enabled_only_on_another_site_queues_nothing(
    unpublished, django_capture_on_commit_callbacks
):
    site = Site.objects.get(is_default_site=True)
    other_root = Page.get_first_root_node().add_child(
        instance=NewsIndexPage(title="Elsewhere", slug="elsewhere"))
    other = Site.objects.create(hostname="other.example", root_page=other_root)
    SocialChannel.objects.filter(site=site).update(enabled=False)
    SocialChannel.objects.create(site=other, channel="x-demo", enabled=True)
    publish(unpublished, django_capture_on_commit_callbacks)
    assert draft_task_rows(unpublished) == []


def test_the_check_is_one_small_query(unpublished, django_capture_on_commit_callbacks):
    SocialChannel.objects.update(enabled=False)
    page = NewsPage.objects.get(pk=unpublished.pk)
    page.live = True
    revision = page.get_latest_revision()
    with override_settings(TASKS=DATABASE_QUEUE, WAGTAIL_SMO=SMO_ON_THE_QUEUE), \
            django_capture_on_commit_callbacks(execute=True), \
            CaptureQueriesContext(connection) as queries:
        create_drafts_on_publish(NewsPage, page, revision=revision)
    sqls = [q["sql"] for q in queries.captured_queries]
    # The open-posts check (posts follow their page) and the channel check; no task inserted.
    assert len(sqls) == 2, sqls
    assert sum("wagtail_smo_socialchannel" in sql for sql in sqls) == 1
    assert not any("django_tasks_db" in sql for sql in sqls)
