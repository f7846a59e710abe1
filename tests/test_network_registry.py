"""The network registry: a provider defined outside the package (tests/example_network.py) gets
its own counting rule, template, preview card and audit limit with no change to the package; an
incomplete declaration fails the system check; providers talk only to networks."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.core import checks
from django.test import override_settings
from wagtail.models import Page

from example_site.blog.models import BlogIndexPage, BlogPage
from tests.fakes import networks as fk
from wagtail_smo.audit import audit_page
from wagtail_smo.core.networks import (
    UnknownNetwork,
    all_networks,
    count_length,
    default_template,
    get_network,
    missing,
    network_for_channel,
    network_limit,
)
from wagtail_smo.editor.networks import counter_limits
from wagtail_smo.editor.preview import SOCIAL_PREVIEW_MODE
from wagtail_smo.models import SocialChannel, SocialPost
from wagtail_smo.providers import get_provider
from wagtail_smo.providers.base import REDACTED_LOGGERS, OutgoingPost, RedactSecretsFilter
from wagtail_smo.providers.checks import check_providers
from wagtail_smo.share.networks import NETWORKS as SHARE_BUTTONS

pytestmark = pytest.mark.django_db

EXAMPLE = {"PROVIDERS": {"example-main": {"BACKEND": "tests.example_network.ExampleProvider"}}}
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def example_channel():
    with override_settings(WAGTAIL_SMO=EXAMPLE):
        yield "example-main"


@pytest.fixture
def public_site(demo_content):
    """The demo site on a public host name: its links are URLs every network links."""
    demo_content.hostname, demo_content.port = "www.example.org", 443
    demo_content.save()
    return demo_content


def add_post(slug: str, **fields) -> BlogPage:
    blog = BlogIndexPage.objects.get(slug="blog")
    fields.setdefault("title", f"Post {slug}")
    fields.setdefault("intro", "An introduction that is long enough to make a good description.")
    page = BlogPage(slug=slug, **fields)
    blog.add_child(instance=page)
    page.save_revision().publish()
    return page


# --- counting and templates ---------------------------------------------------------------------

def test_a_site_network_is_unknown_until_a_channel_uses_its_provider():
    with pytest.raises(UnknownNetwork):
        get_network("example")
    with override_settings(WAGTAIL_SMO=EXAMPLE):
        assert network_for_channel("example-main").label == "Example Net"
        assert [n.key for n in all_networks()][-1] == "example"  # after the built-in ones


def test_a_site_network_counts_by_its_own_rule(example_channel):
    url = "https://www.example.org/a/long/path/that/goes/on/and/on/"
    text = f"🚀日 see {url}"
    # UTF-16 units (the rocket is 2, 日 is 1) and every URL 23: no built-in network counts so
    # (X weighs 日 2, Mastodon counts the rocket 1, the others count the URL in full).
    assert count_length(text, "example") == 2 + 1 + len(" see ") + 23
    assert {count_length(text, n.key) for n in all_networks() if n.counting and
            n.key != "example"}.isdisjoint({31})
    assert network_limit("example") == 42
    assert network_limit("example", with_image=True) == 30
    assert network_limit("example", options={"MAX_CHARACTERS": 100}) == 100


def test_a_composed_draft_uses_the_site_networks_template_and_limit(
        example_channel, public_site, django_capture_on_commit_callbacks):
    SocialChannel.objects.create(site=public_site, channel=example_channel)
    with django_capture_on_commit_callbacks(execute=True):
        page = add_post("composed-example", title="Post composed for a network of our own",
                        social_image_fallback=False)  # no image: the limit is 42, not 30
    [post] = SocialPost.objects.filter(page=page)
    assert post.channel == example_channel
    assert default_template("example") == "EXAMPLE: {title} → {link}"
    assert post.text.startswith("EXAMPLE: Post") and "… → https://www.example.org/" in post.text
    assert post.text.endswith(post.link) and "utm_source=example" in post.link
    # Fitted to 42 as the network counts (the URL is 23), far longer in code points.
    assert count_length(post.text, "example") <= 42 < len(post.text)


def test_a_draft_with_an_image_fits_the_site_networks_image_limit(
        example_channel, public_site, django_capture_on_commit_callbacks):
    SocialChannel.objects.create(site=public_site, channel=example_channel)
    with django_capture_on_commit_callbacks(execute=True):
        page = add_post("composed-with-image", title="Post with the site's default image")
    [post] = SocialPost.objects.filter(page=page)
    assert post.image_id is not None
    # 30 with an image: "EXAMPLE: → " and the URL (23) leave no room for the title, which
    # under the 42 of a post without an image keeps a word (the test above).
    assert post.text.startswith("EXAMPLE: → https://www.example.org/")
    assert count_length(post.text, "example") == len("EXAMPLE: → ") + 23


def test_the_channel_admin_shows_the_site_networks_template(example_channel, public_site):
    from wagtail_smo.posts.channel_views import SocialChannelForm

    channel = SocialChannel.objects.create(site=public_site, channel=example_channel)
    form = SocialChannelForm(instance=channel)
    template = form.fields["message_template"]
    assert template.widget.attrs["placeholder"] == "EXAMPLE: {title} → {link}"
    assert "Example Net" in str(template.help_text)
    assert ("example-main", "example-main (example)") in form.fields["channel"].widget.choices


# --- preview card, counters and audit -----------------------------------------------------------

def preview(page) -> BeautifulSoup:
    response = page.make_preview_request(preview_mode=SOCIAL_PREVIEW_MODE)
    assert response.status_code == 200
    response.render()
    return BeautifulSoup(response.content, "html.parser")


def test_the_site_network_has_its_own_card_in_the_social_cards_preview(public_site):
    page = BlogPage.objects.get(slug="social-cards-explained")
    assert not preview(page).select('article[data-network="example"]')
    with override_settings(WAGTAIL_SMO=EXAMPLE):
        soup = preview(Page.objects.get(pk=page.pk).specific)
    card = soup.select_one('article[data-network="example"]')
    assert card is not None and card["aria-label"] == "Example Net"
    assert card.select_one(".smo-card__network").get_text(strip=True) == "Example Net"
    title = card.select_one(".smo-card__title").get_text(strip=True)
    assert len(title) == 12 and title.endswith("…")  # its own title_max
    assert "smo-aspect-1" in card.select_one(".smo-card__media")["class"]
    assert "Example Net cuts the title after 12 characters." in " ".join(card.get_text().split())
    # The built-in networks' cards are all still there.
    assert {"facebook", "x", "linkedin", "telegram", "mastodon", "bluesky", "slack"} <= {
        a["data-network"] for a in soup.select("article.smo-card")}


def test_the_social_tab_counters_name_the_site_network(example_channel):
    title = counter_limits("title")["limits"]
    assert title[0] == {"max": 12, "label": "Example Net"}
    assert [limit["max"] for limit in title] == [12, 60, 70]


def test_an_audit_finding_uses_the_site_networks_title_limit(public_site):
    page = add_post("twenty-char-title", social_title="A title of 20 chars.")
    codes = {f.code for f in audit_page(Page.objects.get(pk=page.pk).specific).findings}
    assert "title-too-long" not in codes  # 20 characters fit every built-in network
    with override_settings(WAGTAIL_SMO=EXAMPLE):
        finding = next(f for f in audit_page(Page.objects.get(pk=page.pk).specific).findings
                       if f.code == "title-too-long")
    assert "20 characters: Example Net cuts it after 12" in finding.message
    assert "Facebook and LinkedIn show up to 60" in finding.message
    assert "at most 12 characters" in finding.fix


# --- share buttons read the registry -------------------------------------------------------------

def test_share_button_labels_are_the_networks_declared_labels():
    for key, button in SHARE_BUTTONS.items():
        if key not in ("copy", "native"):
            assert button.label == get_network(key).label


def test_the_share_buttons_setting_offers_a_site_networks_button(example_channel):
    # The site settings' chooser reads the registry (models import only core): the same buttons
    # as the share tags, in their order, a site's own network and the page actions included.
    from wagtail_smo.models import SocialMediaSettings

    field = SocialMediaSettings._meta.get_field("share_networks")
    choices = dict(field.stream_block.child_blocks["network"].field.choices)
    choices.pop("", None)  # the blank choice of an optional field
    assert list(choices) == list(SHARE_BUTTONS)
    assert choices["example"] == str(get_network("example").label)
    assert list(choices)[-2:] == ["copy", "native"]
    assert choices["copy"] == str(SHARE_BUTTONS["copy"].label)


# --- bad input: an incomplete declaration ---------------------------------------------------------

def test_an_incomplete_network_fails_the_system_check_naming_the_provider():
    broken = {"PROVIDERS": {"half-done-main": {
        "BACKEND": "tests.example_network.IncompleteProvider"}}}
    with override_settings(WAGTAIL_SMO=broken):
        [error] = [m for m in check_providers() if m.id == "wagtail_smo.E107"]
    assert "'half-done-main'" in error.msg
    assert "tests.example_network.IncompleteProvider" in error.msg
    assert "a counting rule" in error.msg
    assert missing(get_network("x")) == []


def test_manage_py_check_refuses_an_incomplete_network():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings_incomplete_network",
           "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    env.pop("DATABASE_URL", None)
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "wagtail_smo.E107" in result.stderr
    assert "'half-done-main'" in result.stderr
    assert "tests.example_network.IncompleteProvider" in result.stderr
    assert "lacks a counting rule" in result.stderr


def test_smo_export_refuses_a_network_the_registry_does_not_know(tmp_path):
    env = {"DJANGO_SETTINGS_MODULE": "tests.settings", "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [sys.executable, "manage.py", "smo_export", "--format", "buffer", "--network", "myspace",
         "--output", str(tmp_path / "x.csv")],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and "Unknown network 'myspace'" in result.stderr
    assert not (tmp_path / "x.csv").exists()


def test_imitating_an_unknown_or_share_only_network_is_a_configuration_error():
    for name in ("myspace", "whatsapp"):
        settings = {"PROVIDERS": {"fake": {
            "BACKEND": "wagtail_smo.providers.console.ConsoleProvider",
            "OPTIONS": {"NETWORK": name}}}}
        with override_settings(WAGTAIL_SMO=settings):
            assert [m.id for m in checks.run_checks() if "'fake'" in m.msg] == [
                "wagtail_smo.E109"]


# --- providers talk only to networks --------------------------------------------------------------

def test_mastodon_sends_with_one_request_and_no_instance_lookup():
    with fk.FakeMastodon() as server:
        settings = {"PROVIDERS": {"mastodon": fk.channel_settings("mastodon", server)}}
        with override_settings(WAGTAIL_SMO=settings):
            get_provider("mastodon").send(OutgoingPost(text="Hello", link=""), "key-1")
    assert [r.path for r in server.requests] == ["/api/v1/statuses"]


def test_log_filters_are_installed_once_from_app_ready():
    from wagtail_smo.providers.base import install_log_filters

    install_log_filters()  # a second call (ready() ran already) adds nothing
    for name in REDACTED_LOGGERS:
        filters = logging.getLogger(name).filters
        assert sum(isinstance(f, RedactSecretsFilter) for f in filters) == 1
