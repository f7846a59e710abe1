"""Settings → Social media refuses values that are not what the field says, with a clear message.

Every field goes through the admin's own form (the one an editor submits); a refused value
changes nothing in the database.
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from wagtail_smo.models import SocialMediaSettings

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, demo_content):
    user = get_user_model().objects.create_superuser("root", "root@example.com", "pw")
    client.force_login(user)
    return client


def edit_url(site) -> str:
    return reverse("wagtailsettings:edit", args=["wagtail_smo", "socialmediasettings", site.pk])


def form_data(site, **changes) -> dict:
    """The form as the demo's settings fill it, with ``changes``."""
    smo = SocialMediaSettings.for_site(site)
    data = {
        "site_name": smo.site_name, "default_description": smo.default_description,
        "default_image": smo.default_image_id or "", "default_image_alt": smo.default_image_alt,
        "x_handle": smo.x_handle, "fediverse_creator": smo.fediverse_creator,
        "facebook_app_id": smo.facebook_app_id, "organisation_name": smo.organisation_name,
        "organisation_logo": smo.organisation_logo_id or "", "locale": smo.locale,
        "profile_links-count": 0, "share_networks-count": 0,
        "card_mode": smo.card_mode, "card_layout": smo.card_layout,
        "card_background": smo.card_background, "card_text_colour": smo.card_text_colour,
        "card_accent": smo.card_accent, "card_logo": smo.card_logo_id or "",
        "card_subtitle": smo.card_subtitle,
    }
    if smo.card_site_name:
        data["card_site_name"] = "on"
    data.update(changes)
    return data


def submit(client, site, **changes):
    return client.post(edit_url(site), form_data(site, **changes))


def field_errors(response, name: str) -> list[str]:
    form = response.context["form"]
    return [str(error) for error in form.errors.get(name, [])]


def test_the_demo_settings_are_valid_and_save(admin_client, demo_content):
    response = submit(admin_client, demo_content, locale="ru_RU", facebook_app_id="1234567890")
    assert response.status_code == 302, response.context["form"].errors
    smo = SocialMediaSettings.for_site(demo_content)
    assert (smo.locale, smo.facebook_app_id, smo.x_handle) == ("ru_RU", "1234567890", "@smodemo")


@pytest.mark.parametrize("field,value,message", [
    ("x_handle", "not a handle <script>", "An X handle is @ followed by 1 to 15"),
    ("x_handle", "@a_handle_far_too_long", "An X handle is @ followed by 1 to 15"),
    ("x_handle", "smodemo", "An X handle is @ followed by 1 to 15"),
    ("fediverse_creator", "@demo", "A fediverse account is @user@server"),
    ("fediverse_creator", "demo@mastodon.example", "A fediverse account is @user@server"),
    ("fediverse_creator", "@demo@mastodon.example/<b>", "A fediverse account is @user@server"),
    ("locale", "klingon!!", "Give a language code such as en"),
    ("locale", "tlh", "tlh is not a known language code"),
    ("locale", "en_GBR", "Give a language code such as en"),
    ("facebook_app_id", "app-123", "A Facebook app id is a number"),
    ("site_name", "SMO\nDemo", "Line breaks and control characters are not allowed"),
    ("organisation_name", "SMO\x07Demo", "Line breaks and control characters are not allowed"),
    ("default_image_alt", "A card\r\nwith a break", "Line breaks and control characters"),
    ("card_background", "red", "Enter a colour as #rrggbb."),
    ("card_text_colour", "#fff", "Enter a colour as #rrggbb."),
    ("card_accent", "#e9c46g", "Enter a colour as #rrggbb."),
])
def test_a_bad_value_is_refused_with_a_message_and_nothing_changes(
        admin_client, demo_content, field, value, message):
    before = SocialMediaSettings.for_site(demo_content)
    response = submit(admin_client, demo_content, **{field: value})
    assert response.status_code == 200
    errors = field_errors(response, field)
    assert any(message in error for error in errors), response.context["form"].errors
    after = SocialMediaSettings.objects.get(pk=before.pk)
    assert getattr(after, field) == getattr(before, field)


@pytest.mark.parametrize("field,value", [
    ("x_handle", "@Some_Body_123"), ("x_handle", "@a"),
    ("fediverse_creator", "@news@mastodon.social"),
    ("fediverse_creator", "@first.last@xn--e1afmkfd.xn--p1ai"),
    ("locale", "en"), ("locale", "en_GB"), ("locale", "pt-br"), ("locale", "fy_NL"),
    ("facebook_app_id", "987654321012345"),
])
def test_good_values_are_kept(admin_client, demo_content, field, value):
    response = submit(admin_client, demo_content, **{field: f"  {value} "})
    assert response.status_code == 302, response.context["form"].errors
    assert getattr(SocialMediaSettings.for_site(demo_content), field) == value


def test_a_profile_link_needs_a_web_address(admin_client, demo_content):
    response = submit(admin_client, demo_content, **{
        "profile_links-count": 1, "profile_links-0-type": "profile",
        "profile_links-0-deleted": "", "profile_links-0-order": 0,
        "profile_links-0-value-network": "Mastodon",
        "profile_links-0-value-url": "javascript:alert(1)",
        "profile_links-0-value-label": "",
    })
    assert response.status_code == 200
    assert "profile_links" in response.context["form"].errors
    assert len(SocialMediaSettings.for_site(demo_content).profile_links) == 2  # the demo's two


def test_a_share_network_must_be_one_the_registry_knows(admin_client, demo_content):
    response = submit(admin_client, demo_content, **{
        "share_networks-count": 1, "share_networks-0-type": "network",
        "share_networks-0-deleted": "", "share_networks-0-order": 0,
        "share_networks-0-value": "myspace",
    })
    assert response.status_code == 200
    assert "share_networks" in response.context["form"].errors
    assert not SocialMediaSettings.for_site(demo_content).share_networks
