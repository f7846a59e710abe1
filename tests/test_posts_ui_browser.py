"""The post screens in real headless Chromium: actions keep what was typed, drafts follow their
page, share again, the calendar's drag and keyboard rescheduling, menus, the demo's dashboard."""

from __future__ import annotations

import datetime
import os
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from example_site.blog.models import BlogPage
from wagtail_smo.models import PostStatus, SocialPost

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def base(live_server):
    """Demo content served by the live server and a superuser "boss"."""
    port = urlsplit(live_server.url).port
    call_command("load_demo_content", hostname="localhost", port=port, stdout=open(os.devnull, "w"))
    get_user_model().objects.create_superuser("boss", "boss@example.com", "secret-pw")
    return live_server.url


def login(page, base, username="boss", password="secret-pw"):
    page.goto(f"{base}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.click("button[type=submit]")


def open_draft(channel):
    """A fresh draft of a demo blog page for ``channel`` (closing any open post of the page)."""
    page = BlogPage.objects.get(slug="hashtags-and-reach")
    SocialPost.objects.filter(page=page, channel=channel).exclude(
        status__in=[PostStatus.SENT, PostStatus.CANCELLED]).update(status=PostStatus.CANCELLED)
    return SocialPost.objects.create(page=page, site=page.get_site(), channel=channel,
                                     text="Old text", link=page.full_url)


def test_each_action_sends_what_was_typed(browser_page, base, capsys, test_output_dir):
    page = browser_page
    login(page, base)
    when = (timezone.localtime() + datetime.timedelta(days=3)).replace(
        hour=9, minute=45, second=0, microsecond=0)
    dialogs = []  # a "leave this page?" warning would mean the form was not the one submitted
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    for action in ("approve", "schedule", "send", "duplicate", "cancel"):
        post = open_draft("mastodon-demo")
        typed = f"Typed for {action}, never saved before the click"
        page.goto(f"{base}/admin/social-posts/edit/{post.pk}/")
        page.fill("#id_text", typed)
        if action == "schedule":
            page.fill("#smo-schedule-at", when.strftime("%Y-%m-%dT%H:%M"))
        if action == "duplicate":
            page.select_option("#smo-duplicate-channel", "linkedin-demo")
        with page.expect_navigation():
            page.click(f"[data-smo-action='{action}']")
        assert dialogs == []
        post.refresh_from_db()
        assert post.text == typed, action
        expected = {"approve": PostStatus.APPROVED, "schedule": PostStatus.SCHEDULED,
                    "send": PostStatus.SENT, "duplicate": PostStatus.DRAFT,
                    "cancel": PostStatus.CANCELLED}[action]
        assert post.status == expected, action
        if action == "schedule":
            assert timezone.localtime(post.scheduled_at) == when
        if action == "send":
            # The console channel prints what it sent (immediate task backend, same process).
            assert f"[mastodon-demo] {typed}" in capsys.readouterr().out
        if action == "duplicate":
            copy = SocialPost.objects.get(page=post.page, channel="linkedin-demo",
                                          status=PostStatus.DRAFT)
            assert page.url.endswith(f"/admin/social-posts/edit/{copy.pk}/")
        if action != "cancel":
            post.status = PostStatus.CANCELLED
            post.save(update_fields=["status"])
            SocialPost.objects.filter(channel="linkedin-demo", status=PostStatus.DRAFT,
                                      page=post.page).update(status=PostStatus.CANCELLED)

    # A text over the limit: the action is refused, the typed text stays in the form.
    post = open_draft("x-demo")
    page.goto(f"{base}/admin/social-posts/edit/{post.pk}/")
    page.fill("#id_text", "日本" * 100)
    with page.expect_navigation():
        page.click("[data-smo-action='approve']")
    assert page.input_value("#id_text") == "日本" * 100
    assert "allows 280" in page.content()
    post.refresh_from_db()
    assert (post.text, post.status) == ("Old text", PostStatus.DRAFT)
    page.screenshot(path=str(test_output_dir / "posts-action-refused.png"), full_page=True)


def test_share_again_a_sent_post(browser_page, base, test_output_dir):
    page = browser_page
    login(page, base)
    sent = open_draft("x-demo")
    SocialPost.objects.filter(pk=sent.pk).update(
        status=PostStatus.SENT, sent_at=timezone.now(), remote_url="https://x.example/status/7")
    page.goto(f"{base}/admin/social-posts/edit/{sent.pk}/")  # a sent post opens its inspect view
    assert "/inspect/" in page.url
    with page.expect_navigation():
        page.click("[data-smo-action='share_again']")
    new = SocialPost.objects.get(page=sent.page, channel="x-demo", status=PostStatus.DRAFT)
    assert page.url.endswith(f"/admin/social-posts/edit/{new.pk}/")
    assert "utm_source=x" in new.link and new.text != "Old text"
    assert page.input_value("#id_text") == new.text
    sent.refresh_from_db()
    assert sent.status == PostStatus.SENT
    page.screenshot(path=str(test_output_dir / "posts-share-again.png"), full_page=True)


def test_republished_page_flags_an_edited_draft_and_recomposes_an_untouched_one(
        browser_page, base, test_output_dir):
    from example_site.blog.models import NewsIndexPage, NewsPage

    news_page = NewsPage(title="Following news", slug="following-news", body="<p>Hi.</p>",
                         live=False, social_title="Old social title")
    NewsIndexPage.objects.get(slug="news").add_child(instance=news_page)
    news_page.save_revision().publish()  # drafts made by the (immediate) task after the commit
    untouched = SocialPost.objects.get(page=news_page, channel="x-demo")
    edited = SocialPost.objects.get(page=news_page, channel="mastodon-demo")
    assert "Old social title" in untouched.text
    page = browser_page
    login(page, base)

    # The editor rewrites the Mastodon draft by hand.
    page.goto(f"{base}/admin/social-posts/edit/{edited.pk}/")
    page.fill("#id_text", "Written by hand about the old title")
    with page.expect_navigation():
        page.locator("footer button[type=submit]").first.click()

    # The page's social title changes and the page is published again.
    page.goto(f"{base}/admin/pages/{news_page.pk}/edit/")
    page.get_by_role("tab", name="Social").click()
    page.fill("input[name=social_title]", "New social title")
    page.locator("footer [data-w-dropdown-target='toggle'], footer .dropdown-toggle").first.click()
    with page.expect_navigation():
        page.locator("button[name='action-publish']").click()

    untouched.refresh_from_db()
    assert "New social title" in untouched.text and untouched.page_changed == {}
    edited.refresh_from_db()
    assert edited.text == "Written by hand about the old title"
    assert edited.page_changed == {"title": ["Old social title", "New social title"]}

    page.goto(f"{base}/admin/social-posts/edit/{untouched.pk}/")
    assert "New social title" in page.input_value("#id_text")
    assert page.locator("[data-smo-page-changed]").count() == 0

    page.goto(f"{base}/admin/social-posts/edit/{edited.pk}/")
    flag = page.locator("[data-smo-page-changed]")
    assert "Page changed since this draft was written" in flag.inner_text()
    assert "New social title" in flag.locator("dd[data-field='title']").inner_text()
    page.screenshot(path=str(test_output_dir / "posts-page-changed.png"), full_page=True)
    with page.expect_navigation():
        page.click("[data-smo-action='recompose']")
    edited.refresh_from_db()
    assert "New social title" in edited.text and edited.page_changed == {}
    assert page.input_value("#id_text") == edited.text
    assert page.locator("[data-smo-page-changed]").count() == 0


def test_an_editor_without_social_permissions_sees_no_menu_item_that_answers_403(
        browser_page, base, test_output_dir):
    from django.contrib.auth.models import Group, Permission

    user = get_user_model().objects.create_user("plain", "plain@example.com", "plain-pw")
    group = Group.objects.create(name="plain editors")
    group.permissions.set(Permission.objects.filter(codename="access_admin"))
    user.groups.add(group)
    page = browser_page
    login(page, base, "plain", "plain-pw")
    page.goto(f"{base}/admin/")
    page.locator("[data-wagtail-sidebar] a, aside a").first.wait_for()
    page.screenshot(path=str(test_output_dir / "posts-menu-no-permissions.png"), full_page=True)
    sidebar = page.locator("[data-wagtail-sidebar], aside").first
    assert "Social calendar" not in sidebar.inner_text()
    assert "Social posts" not in sidebar.inner_text()
    hrefs = {a.get_attribute("href") for a in sidebar.locator("a[href^='/admin/']").all()}
    assert hrefs  # the menu is there
    for href in sorted(hrefs):
        response = page.goto(f"{base}{href}")
        assert response.status != 403, href
