"""The admin cannot be talked round: ``next`` stays on this site, and ``auto_approve`` is set only
by people who may approve posts (real admin views, real users and groups)."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from example_site.blog.models import BlogPage, NewsIndexPage, NewsPage
from wagtail_smo.models import PostStatus, SocialChannel, SocialPost

pytestmark = pytest.mark.django_db

CHANNEL_PERMS = ("change_socialchannel", "view_socialchannel", "add_socialchannel")


def make_user(name, *codenames):
    user = get_user_model().objects.create_user(name, f"{name}@example.com", "pw")
    group = Group.objects.create(name=f"group-{name}")
    group.permissions.set(Permission.objects.filter(codename__in=["access_admin", *codenames]))
    user.groups.add(group)
    return user


# --- next: only to this site -------------------------------------------------------------------

@pytest.fixture
def approver(db):
    return make_user("approver", "add_socialpost", "change_socialpost", "view_socialpost",
                     "approve_socialpost")


@pytest.fixture
def post(demo_content):
    page = BlogPage.objects.get(slug="social-cards-explained")
    return SocialPost.objects.create(page=page, site=demo_content, channel="x-demo",
                                     text="Hello https://example.com/", link="https://example.com/")


def approve(client, post, secure=False, **data):
    return client.post(reverse("wagtail_smo_posts:action", args=(post.pk, "approve")), data,
                       secure=secure)


@pytest.mark.parametrize("next_url", [
    "https://evil.example/phish",
    "javascript:alert(1)",
    "//evil.example",
    "///evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "wagtail_smo_posts:nope",
    "nope",
    "http://testserver.evil.example/",
    "data:text/html,<script>alert(1)</script>",
])
def test_a_bad_next_falls_back_to_the_post_list(client, approver, post, next_url):
    client.force_login(approver)
    response = approve(client, post, next=next_url)
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtail_smo_posts:list")
    post.refresh_from_db()
    assert post.status == PostStatus.APPROVED  # the action itself was taken


@pytest.mark.parametrize("next_url", [
    "/admin/pages/", "http://testserver/admin/pages/?q=1",
])
def test_a_next_on_this_site_is_followed(client, approver, post, next_url):
    client.force_login(approver)
    response = approve(client, post, next=next_url)
    assert response.status_code == 302 and response["Location"] == next_url


def test_no_next_goes_back_to_the_post(client, approver, post):
    client.force_login(approver)
    response = approve(client, post)
    assert response["Location"] == reverse("wagtail_smo_posts:edit", args=(post.pk,))


def test_an_http_next_is_refused_on_an_https_request(client, approver, post):
    client.force_login(approver)
    response = approve(client, post, secure=True, next="http://testserver/admin/pages/")
    assert response["Location"] == reverse("wagtail_smo_posts:list")
    post.status = PostStatus.DRAFT
    post.save(update_fields=["status"])
    response = approve(client, post, secure=True, next="https://testserver/admin/pages/")
    assert response["Location"] == "https://testserver/admin/pages/"


def test_a_refused_action_with_a_bad_next_still_stays_on_the_site(client, approver, post):
    """A WorkflowError (already sent) takes the same redirect path: never a 500."""
    client.force_login(approver)
    SocialPost.objects.filter(pk=post.pk).update(status=PostStatus.SENT)
    response = approve(client, post, next="javascript:alert(1)")
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtail_smo_posts:list")


# --- auto_approve: only with the approve permission ---------------------------------------------

@pytest.fixture
def roles(db):
    return {
        "manager": make_user("manager", *CHANNEL_PERMS),
        "approver": make_user("channel_approver", *CHANNEL_PERMS, "approve_socialpost"),
    }


@pytest.fixture
def channel(demo_content):
    return SocialChannel.objects.get(site=demo_content, channel="x-demo")


def channel_form(current, **changes):
    """The edit form's fields as a browser posts them (a checkbox is absent when unticked)."""
    data = {
        "site": current.site_id, "channel": current.channel, "enabled": "on",
        "message_template": current.message_template, "max_hashtags": current.max_hashtags,
        "fixed_hashtags": current.fixed_hashtags, "utm_campaign": current.utm_campaign,
        "utm_enabled": "on",
    }
    if current.auto_approve:
        data["auto_approve"] = "on"
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def channel_page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html5lib")


def auto_approve_input(client, url):
    return channel_page(client, url).find("input", attrs={"name": "auto_approve"})


def test_channel_manager_sees_auto_approve_disabled(client, roles, channel):
    client.force_login(roles["manager"])
    field = auto_approve_input(client, reverse("wagtail_smo_channels:edit", args=(channel.pk,)))
    assert field is not None and field.has_attr("disabled")
    assert "Only users who may approve social posts" in client.get(
        reverse("wagtail_smo_channels:edit", args=(channel.pk,))).content.decode()
    client.force_login(roles["approver"])
    field = auto_approve_input(client, reverse("wagtail_smo_channels:edit", args=(channel.pk,)))
    assert field is not None and not field.has_attr("disabled")


def test_forged_post_cannot_switch_auto_approve_on(client, roles, channel):
    client.force_login(roles["manager"])
    response = client.post(reverse("wagtail_smo_channels:edit", args=(channel.pk,)),
                           channel_form(channel, auto_approve="on", max_hashtags=1))
    assert response.status_code == 302
    channel.refresh_from_db()
    assert channel.max_hashtags == 1  # the rest of the form was saved...
    assert channel.auto_approve is False  # ...but not the switch


def test_forged_post_cannot_switch_auto_approve_off(client, roles, channel):
    SocialChannel.objects.filter(pk=channel.pk).update(auto_approve=True)
    channel.refresh_from_db()
    client.force_login(roles["manager"])
    response = client.post(reverse("wagtail_smo_channels:edit", args=(channel.pk,)),
                           channel_form(channel, auto_approve=None, max_hashtags=2))
    assert response.status_code == 302
    channel.refresh_from_db()
    assert channel.max_hashtags == 2 and channel.auto_approve is True


def test_a_new_channel_by_a_manager_never_approves_automatically(client, roles, channel):
    SocialChannel.objects.filter(pk=channel.pk).update(auto_approve=True)
    channel.refresh_from_db()
    mastodon = SocialChannel.objects.get(site=channel.site, channel="mastodon-demo")
    mastodon.delete()
    client.force_login(roles["manager"])
    # The copy view pre-fills the form from x-demo (auto_approve on) ...
    page = channel_page(client, reverse("wagtail_smo_channels:copy", args=(channel.pk,)))
    assert page.find("input", attrs={"name": "auto_approve"}).has_attr("disabled")
    # ... and the view it posts to keeps the default of a new channel, whatever is posted.
    action = page.find("form", id="w-editor-form")["action"]
    response = client.post(action, channel_form(channel, channel="mastodon-demo",
                                                auto_approve="on"))
    assert response.status_code == 302
    assert SocialChannel.objects.get(site=channel.site, channel="mastodon-demo").auto_approve is False


def test_approver_switches_auto_approve_on_and_off(client, roles, channel):
    client.force_login(roles["approver"])
    url = reverse("wagtail_smo_channels:edit", args=(channel.pk,))
    assert client.post(url, channel_form(channel, auto_approve="on")).status_code == 302
    channel.refresh_from_db()
    assert channel.auto_approve is True
    assert client.post(url, channel_form(channel, auto_approve=None)).status_code == 302
    channel.refresh_from_db()
    assert channel.auto_approve is False


@pytest.mark.parametrize("role, approved", [("manager", False), ("approver", True)])
def test_drafts_are_approved_only_when_an_approver_switched_it_on(
    client, roles, channel, role, approved, django_capture_on_commit_callbacks
):
    client.force_login(roles[role])
    client.post(reverse("wagtail_smo_channels:edit", args=(channel.pk,)),
                channel_form(channel, auto_approve="on"))
    news = NewsIndexPage.objects.get(slug="news")
    page = NewsPage(title="Approval test", slug="approval-test", body="<p>Hi.</p>", live=False)
    news.add_child(instance=page)
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    post = SocialPost.objects.get(page=page, channel="x-demo")
    assert (post.status != PostStatus.DRAFT) is approved
