"""A failed post in real headless Chromium: the editor reads the network's message in the
attempts table, clicks Retry, and the post is delivered once to the fake network."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import override_settings

from tests.browser import login
from tests.fakes import networks as fk
from wagtail_smo.models import AttemptOutcome, PostStatus, SocialPost

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_editor_sees_attempt_and_retries(browser_page, live_server, test_output_dir):
    from wagtail.models import Page, Site

    from wagtail_smo.posts import delivery

    get_user_model().objects.create_superuser("boss", "boss@example.com", "secret-pw")
    root = Site.objects.get(is_default_site=True).root_page
    article = root.add_child(instance=Page(title="Retry me", slug="retry-me"))
    with fk.FakeMastodon() as fake, override_settings(WAGTAIL_SMO={"PROVIDERS": {
            "mastodon": fk.channel_settings("mastodon", fake)}}):
        fake.add_fault("/api/v1/statuses", "status", status=503,
                       body={"error": "Mastodon is down for maintenance"})
        post = SocialPost.objects.create(page=article, channel="mastodon", text="Retry me please",
                                         status=PostStatus.APPROVED)
        with override_settings(WAGTAIL_SMO={"PROVIDERS": {"mastodon": fk.channel_settings(
                "mastodon", fake)}, "DELIVERY": {"MAX_ATTEMPTS": 1}}):
            assert delivery.deliver(post.pk) == PostStatus.FAILED

        page = browser_page
        login(page, live_server.url, "boss", "secret-pw")
        page.goto(f"{live_server.url}/admin/social-posts/edit/{post.pk}/")
        row = page.locator(".smo-attempts-table tbody tr")
        assert row.count() == 1
        assert "Mastodon is down for maintenance" in row.inner_text()
        assert "503" in row.inner_text()
        page.screenshot(path=str(test_output_dir / "delivery-failed-attempt.png"), full_page=True)
        # Wait for the page the form's POST leads to: the page already loaded would not wait.
        with page.expect_navigation():
            page.locator("button[data-smo-action='send']").click()
        post.refresh_from_db()
        assert post.status == PostStatus.SENT
        assert len(fake.posts) == 1
        assert list(post.attempts.order_by("started_at", "id").values_list("outcome", flat=True)) == [
            AttemptOutcome.FAILED, AttemptOutcome.SENT]


def test_person_settles_a_post_left_sending(browser_page, live_server, test_output_dir):
    """A worker stopped mid-send 20 minutes ago: the panel says the post needs attention, the
    person enters the post's address on the network and clicks "Mark as sent"."""
    from datetime import timedelta

    from django.utils import timezone
    from wagtail.models import Page, Site

    get_user_model().objects.create_superuser("boss", "boss@example.com", "secret-pw")
    root = Site.objects.get(is_default_site=True).root_page
    article = root.add_child(instance=Page(title="Left sending", slug="left-sending"))
    with override_settings(WAGTAIL_SMO={"PROVIDERS": {"mastodon": {
            "BACKEND": "wagtail_smo.providers.console.ConsoleProvider",
            "OPTIONS": {"NETWORK": "mastodon"}}}}):
        post = SocialPost.objects.create(page=article, channel="mastodon", text="Half sent",
                                         status=PostStatus.SENDING, attempt_id="killed")
        SocialPost.objects.filter(pk=post.pk).update(
            updated_at=timezone.now() - timedelta(minutes=20))
        page = browser_page
        login(page, live_server.url, "boss", "secret-pw")
        page.goto(f"{live_server.url}/admin/social-posts/?attention=on")
        assert "Sending: stuck" in page.inner_text("main")
        page.goto(f"{live_server.url}/admin/social-posts/edit/{post.pk}/")  # -> inspect
        assert "sending for too long" in page.inner_text("[data-smo-attention]")
        page.fill("#smo-remote-url", "https://mastodon.example/@smo/1")
        page.screenshot(path=str(test_output_dir / "delivery-settle-stuck.png"), full_page=True)
        with page.expect_navigation():
            page.locator("button[data-smo-action='mark_sent']").click()
        assert "Marked as sent" in page.inner_text("body")
        post.refresh_from_db()
        assert post.status == PostStatus.SENT
        assert post.remote_url == "https://mastodon.example/@smo/1"
