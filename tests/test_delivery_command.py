"""``manage.py smo_deliver_due`` as a real process (its module moved to wagtail_smo.posts)."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys

import pytest
from django.db import connection
from django.test import override_settings

from tests.fakes import networks as fk
from tests.test_delivery_workers import make_pages
from tests.workers import ROOT, worker_env
from wagtail_smo.models import PostStatus, SocialPost

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.mark.django_db(transaction=True)
def test_smo_deliver_due_sends_a_due_post_in_its_own_process(tmp_path):
    with fk.FakeWebhook() as fake:
        providers = {"hook": fk.channel_settings("webhook", fake)}
        [page] = make_pages(1)
        post = SocialPost.objects.create(page=page, channel="hook", status=PostStatus.APPROVED,
                                         text="Due now https://example.com/due")
        with override_settings(WAGTAIL_SMO={"PROVIDERS": providers}):
            env = worker_env(IMMEDIATE)
        copy = tmp_path / "db.sqlite3"
        if connection.vendor == "sqlite":
            # The test database lives in memory: the command gets a copy on disk.
            connection.ensure_connection()
            target = sqlite3.connect(copy)
            connection.connection.backup(target)
            target.close()
            env["SMO_TEST_DATABASE"] = json.dumps(
                {"ENGINE": "django.db.backends.sqlite3", "NAME": str(copy)})
        result = subprocess.run([sys.executable, "manage.py", "smo_deliver_due"], cwd=ROOT,
                                env=env, capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stderr[-3000:]
        assert result.stdout.strip() == "sent: 1"
        assert [body["post_id"] for body in fake.posts] == [post.pk]
    if connection.vendor == "sqlite":
        with sqlite3.connect(copy) as db:
            [(status,)] = db.execute("SELECT status FROM wagtail_smo_socialpost WHERE id = ?",
                                     (post.pk,)).fetchall()
    else:
        status = SocialPost.objects.get(pk=post.pk).status
    assert status == PostStatus.SENT
