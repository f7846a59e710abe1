"""Menu items, buttons and links of social posts follow the user's permissions: nothing shown
answers 403."""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from django.urls import reverse
from wagtail.admin.menu import admin_menu, settings_menu

from example_site.blog.models import BlogPage
from tests.test_posts_admin import make_user
from wagtail_smo.models import PostStatus, SocialPost

pytestmark = pytest.mark.django_db

ROLES = {
    "nothing": (),
    "viewer": ("view_socialpost",),
    "editor": ("add_socialpost", "change_socialpost", "view_socialpost"),
    "approver": ("add_socialpost", "change_socialpost", "view_socialpost", "approve_socialpost"),
}


def menu_urls(user) -> dict[str, str]:
    """Label -> URL of every admin (and settings) menu item ``user`` is shown."""
    request = RequestFactory().get("/admin/")
    request.user = user
    found = {}
    for menu in (admin_menu, settings_menu):
        for item in menu.menu_items_for_request(request):
            if getattr(item, "url", None):
                found[str(item.label)] = item.url
    return found


@pytest.mark.parametrize("role", list(ROLES))
def test_every_social_menu_item_shown_opens(client, demo_content, role):
    user = make_user(role, *ROLES[role])
    client.force_login(user)
    urls = {label: url for label, url in menu_urls(user).items()
            if "social" in label.lower() or "social" in url}
    for label, url in urls.items():
        assert client.get(url).status_code == 200, (role, label, url)
    # The calendar is in the menu exactly for those who may open it.
    assert ("Social calendar" in urls) == (role != "nothing")
    if role == "nothing":
        assert client.get(reverse("wagtail_smo_posts:calendar")).status_code == 403


def test_import_button_only_for_those_who_may_add(client, demo_content):
    client.force_login(make_user("viewer", "view_socialpost"))
    html = client.get(reverse("wagtail_smo_posts:list")).content.decode()
    assert reverse("wagtail_smo_posts:calendar") in html
    assert reverse("wagtail_smo_posts:import") not in html
    client.force_login(make_user("editor", *ROLES["editor"]))
    html = client.get(reverse("wagtail_smo_posts:list")).content.decode()
    assert reverse("wagtail_smo_posts:import") in html
    assert client.get(reverse("wagtail_smo_posts:import")).status_code == 200


def test_a_viewer_following_a_post_link_gets_the_read_only_view(client, demo_content):
    page = BlogPage.objects.get(slug="social-cards-explained")
    post = SocialPost.objects.create(page=page, site=demo_content, channel="x-demo", text="Hi",
                                     status=PostStatus.DRAFT)
    client.force_login(make_user("viewer", "view_socialpost"))
    response = client.get(reverse("wagtail_smo_posts:edit", args=(post.pk,)), follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse("wagtail_smo_posts:inspect", args=(post.pk,))
    html = response.content.decode()
    # No button the viewer could not use.
    assert "data-smo-action" not in html
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "smo-dashboard-panel" in home
