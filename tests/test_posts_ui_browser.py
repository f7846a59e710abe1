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
from tests import browser
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


def login(page, base: str, username: str = "boss", password: str = "secret-pw") -> None:
    browser.login(page, base, username, password)


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
        # Approved and sent-now posts go out at once (the tests' immediate task backend).
        expected = {"approve": PostStatus.SENT, "schedule": PostStatus.SCHEDULED,
                    "send": PostStatus.SENT, "duplicate": PostStatus.DRAFT,
                    "cancel": PostStatus.CANCELLED}[action]
        assert post.status == expected, action
        if action == "schedule":
            assert timezone.localtime(post.scheduled_at) == when
        if action in ("approve", "send"):
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


def test_drag_a_post_to_another_day_and_the_keyboard_alternative(browser_page, base,
                                                                 test_output_dir):
    from wagtail_smo.posts.calendar import calendar_days

    post = open_draft("x-demo")
    when = (timezone.localtime() + datetime.timedelta(days=2)).replace(
        hour=10, minute=30, second=0, microsecond=0)
    SocialPost.objects.filter(pk=post.pk).update(status=PostStatus.SCHEDULED, scheduled_at=when)
    days = calendar_days("month", when.date())
    target = when.date() + datetime.timedelta(days=1)
    if target not in days:
        target = when.date() - datetime.timedelta(days=1)  # tomorrow: still in the future
    page = browser_page
    login(page, base)
    calendar = f"{base}/admin/social-posts/calendar/?view=month&date={when.date().isoformat()}"
    page.goto(calendar)
    item = page.locator(f"li[data-post-id='{post.pk}']")
    assert item.get_attribute("draggable") == "true"
    assert page.locator("td.smo-today [aria-current='date']").count() == (
        1 if timezone.localdate() in days else 0)

    # Drag and drop: same time of day, on the day it was dropped on.
    with page.expect_navigation():
        item.drag_to(page.locator(f"td[data-date='{target.isoformat()}']"))
    post.refresh_from_db()
    assert timezone.localtime(post.scheduled_at) == when.replace(
        year=target.year, month=target.month, day=target.day)
    assert post.status == PostStatus.SCHEDULED
    moved = page.locator(f"td[data-date='{target.isoformat()}'] li[data-post-id='{post.pk}']")
    assert moved.count() == 1
    page.screenshot(path=str(test_output_dir / "posts-calendar-dragged.png"), full_page=True)

    # The keyboard alternative: open "Reschedule", type a time, press Enter on "Move".
    new_time = when.replace(hour=16, minute=45)
    page.locator(f"li[data-post-id='{post.pk}'] summary").focus()
    page.keyboard.press("Enter")
    field = page.locator(f"#smo-move-{post.pk}")
    field.wait_for(state="visible")
    field.fill(new_time.strftime("%Y-%m-%dT%H:%M"))
    page.locator(f"li[data-post-id='{post.pk}'] [data-smo-action='reschedule']").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    post.refresh_from_db()
    assert timezone.localtime(post.scheduled_at) == new_time
    assert page.url == calendar

    # Into the past: refused with the form's own rule, nothing moves.
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    if yesterday in days:
        with page.expect_navigation():
            page.locator(f"li[data-post-id='{post.pk}']").drag_to(
                page.locator(f"td[data-date='{yesterday.isoformat()}']"))
        assert "The schedule time is in the past" in page.content()
        post.refresh_from_db()
        assert timezone.localtime(post.scheduled_at) == new_time


def test_a_fresh_demo_shows_posts_in_every_state(browser_page, tmp_path, test_output_dir):
    """As ``make demo`` does: migrate a new database, load the demo content with its posts,
    run the site; the dashboard and the calendar show drafts, scheduled, sent and failed posts."""
    import socket
    import subprocess
    import sys
    import time
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**os.environ, "SMO_VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE":
           "example_site.settings"}
    env.pop("DATABASE_URL", None)
    manage = [sys.executable, "manage.py"]
    for args in (["migrate", "--noinput", "-v", "0"],
                 ["load_demo_content", "--create-admin", "--with-posts", "--port", str(port)]):
        done = subprocess.run(manage + args, cwd=root, env=env, capture_output=True, text=True,
                              timeout=900)
        assert done.returncode == 0, done.stderr[-2000:]
    server = subprocess.Popen(manage + ["runserver", "--noreload", f"127.0.0.1:{port}"],
                              cwd=root, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        page = browser_page
        login(page, base, "admin", "changeme")
        page.goto(f"{base}/admin/")
        panel = page.locator("#smo-social-posts-section")
        counts = {item.get_attribute("data-status"): item.inner_text()
                  for item in panel.locator("li[data-status]").all()}
        for status in ("draft", "scheduled", "sent", "failed"):
            assert not counts[status].strip().startswith("0"), (status, counts)
        assert panel.locator("[data-page-changed]").count() >= 1
        assert panel.locator("tr[data-post-id]").count() >= 3
        page.screenshot(path=str(test_output_dir / "demo-dashboard.png"), full_page=True)
        page.goto(f"{base}/admin/social-posts/calendar/")
        page.screenshot(path=str(test_output_dir / "demo-calendar.png"), full_page=True)
        shown = set()
        # The demo's posts lie from two days ago to five days ahead: the weeks around them.
        for days in (-2, -1, 1, 3, 5):
            day = timezone.localdate() + datetime.timedelta(days=days)
            page.goto(f"{base}/admin/social-posts/calendar/?view=week&date={day.isoformat()}")
            shown |= {li.get_attribute("data-status")
                      for li in page.locator("li[data-status]").all()}
            if page.locator("li [data-page-changed]").count():
                shown.add("page changed")
        assert {"scheduled", "sent", "failed", "page changed"} <= shown, shown
    finally:
        server.terminate()
        server.wait(timeout=30)
