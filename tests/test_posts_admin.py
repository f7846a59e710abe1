"""Admin of social posts: every action, every permission, history, listing, calendar, panels."""

from __future__ import annotations

import datetime
import json

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from example_site.blog.models import BlogPage
from wagtail_smo.core.networks import count_length
from wagtail_smo.models import PostStatus, SocialChannel, SocialPost

pytestmark = pytest.mark.django_db


def make_user(name, *perms):
    user = get_user_model().objects.create_user(name, f"{name}@example.com", "pw")
    group = Group.objects.create(name=f"group-{name}")
    codenames = ["access_admin", *perms]
    group.permissions.set(Permission.objects.filter(codename__in=codenames))
    user.groups.add(group)
    return user


@pytest.fixture
def users(db):
    base = ("add_socialpost", "change_socialpost", "view_socialpost")
    return {
        "outsider": make_user("outsider"),
        "editor": make_user("editor", *base),
        "approver": make_user("approver", *base, "approve_socialpost"),
        "sender": make_user("sender", *base, "send_socialpost"),
        "viewer_approver": make_user("viewer_approver", "view_socialpost", "approve_socialpost"),
    }


@pytest.fixture
def post(demo_content):
    page = BlogPage.objects.get(slug="social-cards-explained")
    return SocialPost.objects.create(
        page=page, site=demo_content, channel="x-demo", text="Hello world https://example.com/",
        link="https://example.com/",
    )


def action(client, post, name, **data):
    return client.post(reverse("wagtail_smo_posts:action", args=(post.pk, name)), data)


def snapshot(post):
    return SocialPost.objects.filter(pk=post.pk).values().get()


def logged(post, action_name):
    return ModelLogEntry.objects.filter(object_id=str(post.pk), action=action_name)


# --- permissions: a role without the permission gets 403 and nothing changes -----------------

@pytest.mark.parametrize("name, role, data", [
    ("approve", "editor", {}),
    ("approve", "sender", {}),
    ("schedule", "editor", {"scheduled_at": "2099-01-01T10:00"}),
    ("send", "editor", {}),
    ("send", "approver", {}),
    ("cancel", "viewer_approver", {}),
    ("duplicate", "viewer_approver", {}),
    ("approve", "outsider", {}),
])
def test_action_without_permission_is_403_and_changes_nothing(client, users, post, name, role,
                                                              data):
    before = snapshot(post)
    posts_before = SocialPost.objects.count()
    client.force_login(users[role])
    response = action(client, post, name, **data)
    assert response.status_code == 403 or (role == "outsider" and response.status_code == 302)
    assert snapshot(post) == before
    assert SocialPost.objects.count() == posts_before
    assert not ModelLogEntry.objects.filter(action__startswith="wagtail_smo.post.").exists()


def test_actions_need_post(client, users, post):
    client.force_login(users["approver"])
    response = client.get(reverse("wagtail_smo_posts:action", args=(post.pk, "approve")))
    assert response.status_code == 405
    assert snapshot(post)["status"] == PostStatus.DRAFT


def test_outsider_cannot_see_the_listing_or_edit(client, users, post):
    client.force_login(users["outsider"])
    for url in (reverse("wagtail_smo_posts:list"), reverse("wagtail_smo_posts:edit", args=(post.pk,))):
        response = client.get(url)
        assert response.status_code in (302, 403)
    response = client.get(reverse("wagtail_smo_posts:count"), {"channel": "x-demo", "text": "a"})
    assert response.status_code == 403


# --- every action with the permission ----------------------------------------------------------

def test_approve(client, users, post, django_capture_on_commit_callbacks):
    client.force_login(users["approver"])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = action(client, post, "approve")
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.status == PostStatus.APPROVED and post.approved_by == users["approver"]
    assert logged(post, "wagtail_smo.post.approve").get().user == users["approver"]
    assert callbacks  # delivery is queued after the commit


def test_approve_twice_does_not_act_twice(client, users, post):
    client.force_login(users["approver"])
    action(client, post, "approve")
    SocialPost.objects.filter(pk=post.pk).update(status=PostStatus.SENT)
    response = action(client, post, "approve", next=reverse("wagtail_smo_posts:list"))
    assert response.status_code == 302
    assert snapshot(post)["status"] == PostStatus.SENT
    assert logged(post, "wagtail_smo.post.approve").count() == 1


def test_schedule_in_the_future(client, users, post):
    client.force_login(users["approver"])
    when = timezone.localtime() + datetime.timedelta(days=2)
    response = action(client, post, "schedule", scheduled_at=when.strftime("%Y-%m-%dT%H:%M"))
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.status == PostStatus.SCHEDULED
    assert abs((post.scheduled_at - when).total_seconds()) < 60
    assert logged(post, "wagtail_smo.post.schedule").exists()


@pytest.mark.parametrize("value", ["2001-01-01T10:00", "not a date", ""])
def test_schedule_in_the_past_or_invalid_is_refused(client, users, post, value):
    client.force_login(users["approver"])
    before = snapshot(post)
    response = action(client, post, "schedule", scheduled_at=value)
    assert response.status_code == 302
    assert snapshot(post) == before
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("past" in m or "valid date" in m for m in messages)


def test_send_now(client, users, post, django_capture_on_commit_callbacks):
    client.force_login(users["sender"])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        action(client, post, "send")
    post.refresh_from_db()
    assert post.status == PostStatus.APPROVED and post.scheduled_at is None
    assert logged(post, "wagtail_smo.post.send_now").exists()
    assert callbacks


def test_send_now_on_a_failed_post_retries(client, users, post):
    SocialPost.objects.filter(pk=post.pk).update(status=PostStatus.FAILED, last_error="boom")
    client.force_login(users["sender"])
    action(client, post, "send")
    post.refresh_from_db()
    assert post.status == PostStatus.APPROVED and post.last_error == ""
    assert logged(post, "wagtail_smo.post.retry").exists()


def test_cancel_and_duplicate(client, users, post):
    client.force_login(users["editor"])
    response = action(client, post, "duplicate")
    assert SocialPost.objects.count() == 1  # an open post for the channel already exists
    assert any("already has an open post" in str(m) for m in response.wsgi_request._messages)
    action(client, post, "cancel")
    assert snapshot(post)["status"] == PostStatus.CANCELLED
    action(client, post, "duplicate")
    copy = SocialPost.objects.exclude(pk=post.pk).get()
    assert copy.status == PostStatus.DRAFT and copy.text == post.text
    assert copy.created_by == users["editor"]
    assert logged(post, "wagtail_smo.post.cancel").exists()
    assert logged(copy, "wagtail_smo.post.duplicate").exists()
    # Duplicating to another channel works while this one is open.
    action(client, copy, "duplicate", channel="mastodon-demo")
    assert SocialPost.objects.filter(channel="mastodon-demo", status=PostStatus.DRAFT).exists()


def test_sent_post_cannot_be_cancelled_or_edited(client, users, post):
    SocialPost.objects.filter(pk=post.pk).update(status=PostStatus.SENT)
    client.force_login(users["approver"])
    action(client, post, "cancel")
    assert snapshot(post)["status"] == PostStatus.SENT
    response = client.get(reverse("wagtail_smo_posts:edit", args=(post.pk,)))
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtail_smo_posts:inspect", args=(post.pk,))


# --- editing -------------------------------------------------------------------------------------

def edit(client, post, text):
    return client.post(reverse("wagtail_smo_posts:edit", args=(post.pk,)), {
        "text": text, "link": post.link, "image": "",
    })


def test_editor_edits_a_draft_but_an_approved_post_goes_back_to_review(client, users, post):
    client.force_login(users["editor"])
    response = edit(client, post, "Rewritten for X")
    assert response.status_code == 302
    assert snapshot(post)["text"] == "Rewritten for X"
    assert ModelLogEntry.objects.filter(object_id=str(post.pk), action="wagtail.edit").exists()
    SocialPost.objects.filter(pk=post.pk).update(status=PostStatus.APPROVED)
    edit(client, post, "Changed after approval")
    assert snapshot(post)["status"] == PostStatus.DRAFT


def test_text_over_the_network_limit_is_refused(client, users, post):
    client.force_login(users["editor"])
    before = snapshot(post)
    response = edit(client, post, "日本" * 100)  # 400 weighted characters on X
    assert response.status_code == 200
    assert "X allows 280" in response.content.decode() or "x allows 280" in response.content.decode()
    assert snapshot(post) == before


def test_edit_page_shows_counter_preview_and_actions(client, users, post):
    client.force_login(users["approver"])
    html = client.get(reverse("wagtail_smo_posts:edit", args=(post.pk,))).content.decode()
    assert f'id="smo-length" aria-live="polite">{count_length(post.text, "x")}<' in html
    assert 'id="smo-limit">280<' in html
    assert 'data-smo-action="approve"' in html and 'data-smo-action="send"' not in html
    assert "smo-card-preview" in html and "Social cards explained in five minutes" in html


def test_counter_endpoint(client, users):
    client.force_login(users["editor"])
    response = client.get(reverse("wagtail_smo_posts:count"),
                          {"channel": "x-demo", "text": "日本 https://example.com/long/path"})
    assert json.loads(response.content) == {"network": "x", "length": 4 + 1 + 23, "limit": 280}
    bad = client.get(reverse("wagtail_smo_posts:count"), {"channel": "nope", "text": "a"})
    assert bad.status_code == 400


# --- listing, bulk actions, calendar, dashboard, page editor ------------------------------------

def test_listing_filters_and_search(client, users, post, demo_content):
    other_page = BlogPage.objects.get(slug="hashtags-and-reach")
    other = SocialPost.objects.create(page=other_page, site=demo_content, channel="mastodon-demo",
                                      text="Different words", status=PostStatus.SENT)
    client.force_login(users["editor"])
    url = reverse("wagtail_smo_posts:list")

    def listed(**params):
        html = client.get(url, params).content.decode()
        return {p.pk for p in (post, other)
                if reverse("wagtail_smo_posts:edit", args=(p.pk,)) in html}

    assert listed() == {post.pk, other.pk}
    assert listed(status="sent") == {other.pk}
    assert listed(channel="x-demo") == {post.pk}
    assert listed(q="Different") == {other.pk}
    assert listed(page_id=post.page_id) == {post.pk}
    assert listed(section=post.page.get_parent().pk) == {post.pk, other.pk}


def test_bulk_approve_and_schedule(client, users, post, demo_content):
    second = SocialPost.objects.create(page=post.page, site=demo_content, channel="mastodon-demo",
                                       text="Second")
    url = reverse("wagtail_bulk_action", args=("wagtail_smo", "socialpost", "approve"))
    query = f"?id={post.pk}&id={second.pk}"
    client.force_login(users["editor"])  # no approve permission: nothing changes
    client.post(url + query)
    assert set(SocialPost.objects.values_list("status", flat=True)) == {PostStatus.DRAFT}
    client.force_login(users["approver"])
    schedule_url = reverse("wagtail_bulk_action", args=("wagtail_smo", "socialpost", "schedule"))
    response = client.post(schedule_url + query, {"start": "2001-01-01T10:00",
                                                  "interval_minutes": 30})
    assert response.status_code == 200  # form error: in the past
    assert set(SocialPost.objects.values_list("status", flat=True)) == {PostStatus.DRAFT}
    start = (timezone.localtime() + datetime.timedelta(days=1)).replace(second=0, microsecond=0)
    response = client.post(schedule_url + query, {"start": start.strftime("%Y-%m-%dT%H:%M"),
                                                  "interval_minutes": 30})
    assert response.status_code == 302
    assert "2 posts scheduled." in [str(m).strip() for m in get_messages(response.wsgi_request)]
    times = sorted(SocialPost.objects.values_list("scheduled_at", flat=True))
    assert times[1] - times[0] == datetime.timedelta(minutes=30)
    assert set(SocialPost.objects.values_list("status", flat=True)) == {PostStatus.SCHEDULED}
    SocialPost.objects.update(status=PostStatus.DRAFT, scheduled_at=None)
    response = client.post(url + query)
    assert response.status_code == 302
    assert "2 posts approved." in [str(m).strip() for m in get_messages(response.wsgi_request)]
    assert set(SocialPost.objects.values_list("status", flat=True)) == {PostStatus.APPROVED}


def test_calendar_month_and_week(client, users, post):
    when = timezone.localtime() + datetime.timedelta(days=3)
    SocialPost.objects.filter(pk=post.pk).update(status=PostStatus.SCHEDULED, scheduled_at=when)
    client.force_login(users["editor"])
    url = reverse("wagtail_smo_posts:calendar")
    day = when.date().isoformat()
    for view in ("month", "week"):
        html = client.get(url, {"view": view, "date": day}).content.decode()
        cell = html.split(f'data-date="{day}"', 1)[1].split("</td>", 1)[0]
        assert f'data-post-id="{post.pk}"' in cell
    far = client.get(url, {"view": "week", "date": "2001-01-01"}).content.decode()
    assert f'data-post-id="{post.pk}"' not in far


def test_dashboard_panel_counts_drafts_and_failures(client, users, post, demo_content):
    SocialPost.objects.create(page=post.page, site=demo_content, channel="mastodon-demo",
                              text="x", status=PostStatus.FAILED, last_error="Rate limited")
    client.force_login(users["editor"])
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "1 draft awaiting approval" in html and "1 failed post" in html
    assert "Rate limited" in html
    client.force_login(make_user("plain_editor", "access_admin"))
    assert "awaiting approval" not in client.get(reverse("wagtailadmin_home")).content.decode()


def test_page_editor_shows_the_pages_posts(client, users, post):
    admin = get_user_model().objects.create_superuser("root", "root@example.com", "pw")
    client.force_login(admin)
    html = client.get(reverse("wagtailadmin_pages:edit", args=(post.page_id,))).content.decode()
    assert "Social posts (Draft: 1)" in html
    assert f"?page_id={post.page_id}" in html


def test_demo_blog_editor_lists_the_pages_posts_and_states(client, post, demo_content):
    """The demo BlogPage's Social tab carries SocialPostsPanel: each post, its state, its link."""
    import re

    sent = SocialPost.objects.create(
        page=post.page, site=demo_content, channel="mastodon-demo", text="Sent",
        status=PostStatus.SENT, sent_at=timezone.now(), remote_url="https://m.example/@demo/1")
    scheduled = SocialPost.objects.create(
        page=post.page, site=demo_content, channel="linkedin-demo", text="Later",
        status=PostStatus.SCHEDULED, scheduled_at=timezone.now() + datetime.timedelta(days=2))
    other_page = BlogPage.objects.get(slug="hashtags-and-reach")
    elsewhere = SocialPost.objects.create(page=other_page, site=demo_content,
                                          channel="x-demo", text="Not this page")
    admin = get_user_model().objects.create_superuser("root", "root@example.com", "pw")
    client.force_login(admin)
    response = client.get(reverse("wagtailadmin_pages:edit", args=(post.page_id,)))
    assert response.status_code == 200
    html = response.content.decode()
    [listing] = re.findall(r'<ul class="smo-page-posts">(.*?)</ul>', html, re.S)
    items = {
        status: item for status, item in
        re.findall(r'<li data-status="(\w+)">(.*?)</li>', listing, re.S)
    }
    assert set(items) == {PostStatus.DRAFT, PostStatus.SENT, PostStatus.SCHEDULED}
    for status, p in ((PostStatus.DRAFT, post), (PostStatus.SENT, sent),
                      (PostStatus.SCHEDULED, scheduled)):
        assert reverse("wagtail_smo_posts:edit", args=(p.pk,)) in items[status]
        assert p.channel in items[status] and p.get_status_display() in items[status]
    assert "https://m.example/@demo/1" in items[PostStatus.SENT]
    assert reverse("wagtail_smo_posts:edit", args=(elsewhere.pk,)) not in listing


def test_channel_template_errors_are_shown_with_position(client, demo_content):
    admin = get_user_model().objects.create_superuser("root", "root@example.com", "pw")
    client.force_login(admin)
    channel = SocialChannel.objects.get(channel="x-demo")
    response = client.post(reverse("wagtail_smo_channels:edit", args=(channel.pk,)), {
        "site": channel.site_id, "channel": "x-demo", "enabled": "on",
        "message_template": "{title} {sumary}", "max_hashtags": 2, "fixed_hashtags": "",
        "utm_campaign": "",
    })
    assert response.status_code == 200
    assert "line 1, column 9" in response.content.decode()
    channel.refresh_from_db()
    assert channel.message_template == ""


def test_social_posts_panel_lists_the_pages_posts(rf, post):
    from wagtail.admin.panels import ObjectList

    from wagtail_smo.posts.admin_ui import SocialPostsPanel

    admin = get_user_model().objects.create_superuser("root", "root@example.com", "pw")
    request = rf.get("/")
    request.user = admin
    handler = ObjectList([SocialPostsPanel()]).bind_to_model(BlogPage)
    page = post.page.specific
    form = handler.get_form_class()(instance=page, for_user=admin)
    html = handler.get_bound_panel(instance=page, request=request, form=form).render_html()
    assert reverse("wagtail_smo_posts:edit", args=(post.pk,)) in html
    assert "x-demo" in html and "Draft" in html


def test_add_a_post_by_hand(client, users, demo_content):
    page = BlogPage.objects.get(slug="hashtags-and-reach")
    client.force_login(users["editor"])
    data = {"page": page.pk, "channel": "linkedin-demo", "text": "Written by hand", "link": "",
            "image": ""}
    response = client.post(reverse("wagtail_smo_posts:add"), data)
    assert response.status_code == 302
    post = SocialPost.objects.get()
    assert (post.created_by, post.site, post.status) == (users["editor"], demo_content,
                                                         PostStatus.DRAFT)
    # A second open post for the same page and channel is refused by the form.
    response = client.post(reverse("wagtail_smo_posts:add"), {**data, "text": "Again"})
    assert response.status_code == 200
    assert SocialPost.objects.count() == 1
    client.force_login(users["viewer_approver"])  # no add permission
    response = client.post(reverse("wagtail_smo_posts:add"), {**data, "channel": "x-demo"})
    assert response.status_code in (302, 403)
    assert SocialPost.objects.count() == 1


def test_inspect_view_of_a_sent_post_shows_delivery_and_duplicate(client, users, post):
    SocialPost.objects.filter(pk=post.pk).update(
        status=PostStatus.SENT, sent_at=timezone.now(), remote_url="https://x.example/status/1")
    client.force_login(users["editor"])
    html = client.get(reverse("wagtail_smo_posts:inspect", args=(post.pk,))).content.decode()
    assert "https://x.example/status/1" in html  # from the delivery attempts fragment
    assert 'data-smo-action="duplicate"' in html
    assert 'data-smo-action="approve"' not in html and 'data-smo-action="cancel"' not in html
