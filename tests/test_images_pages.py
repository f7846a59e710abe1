"""Generated cards on the demo's pages: og:image read with extruct, files read with Pillow."""

from __future__ import annotations

import io
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image
from wagtail.images import get_image_model

from example_site.blog.models import BlogPage
from tests.meta_parsing import fresh_caches, parse_head  # noqa: F401 (fixture)
from tests.test_editor import admin_client  # noqa: F401 (fixture)
from wagtail_smo.audit import audit_page
from wagtail_smo.images import store
from wagtail_smo.meta import Source, resolve
from wagtail_smo.models import SocialMediaSettings

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_caches")]


def head_of(client, path):
    response = client.get(path)
    assert response.status_code == 200
    return parse_head(response.content.decode())


def card_files() -> list[str]:
    return sorted(store.stored_names())


def stored_card(url: str) -> Image.Image:
    name = url.split("/media/", 1)[1]
    with default_storage.open(name, "rb") as handle:
        image = Image.open(io.BytesIO(handle.read()))
        image.load()
    return image


def test_page_shared_without_an_image_carries_a_generated_card(client, demo_content):
    page = BlogPage.objects.get(slug="shared-without-an-image")
    head = head_of(client, page.url)
    url = head.one("og:image")
    assert "/media/smo-cards/" in url
    assert (head.one("og:image:width"), head.one("og:image:height")) == ("1200", "630")
    assert head.one("og:image:type") == "image/png"
    assert head.one("og:image:alt") == "Hashtags and reach"  # built from the (social) title
    assert head.one("twitter:card") == "summary_large_image"
    image = stored_card(url)
    assert image.format == "PNG" and image.size == (1200, 630)
    assert resolve(page).sources["image"] == Source("generated", "social_card")
    findings = {f.code for f in audit_page(page).findings}
    assert "image-missing" not in findings


def test_400px_image_falls_back_to_a_generated_card(client, demo_content):
    page = BlogPage.objects.get(slug="quotes-and-brackets")
    assert page.main_image.width == 400
    head = head_of(client, page.url)
    assert "/media/smo-cards/" in head.one("og:image")
    assert stored_card(head.one("og:image")).size == (1200, 630)
    assert resolve(page).sources["image"] == Source("generated", "", "small_image")
    finding = next(f for f in audit_page(page).findings if f.code == "image-too-small")
    assert "generated card" in finding.message


def test_a_second_render_generates_nothing(client, demo_content, monkeypatch):
    page = BlogPage.objects.get(slug="shared-without-an-image")
    first = head_of(client, page.url).one("og:image")
    files = card_files()
    assert len(files) >= 1

    def no_drawing(spec):
        raise AssertionError("a card was drawn again")

    monkeypatch.setattr(store, "render", no_drawing)
    with CaptureQueriesContext(connection) as warm:
        assert head_of(client, page.url).one("og:image") == first
    from django.core.cache import caches

    for cache in caches.all(initialized_only=True):
        cache.clear()  # even without the meta cache: only an exists() check, no drawing
    assert head_of(client, page.url).one("og:image") == first
    with CaptureQueriesContext(connection) as again:
        head_of(client, page.url)
    assert card_files() == files
    assert len(again) == len(warm)


def test_a_new_title_makes_a_new_card_and_clean_removes_the_old(demo_content):
    from django.core.management import call_command

    page = BlogPage.objects.get(slug="shared-without-an-image")
    old = resolve(page).image.url
    page.social_title = "A brand new title"
    page.save_revision().publish()
    new = resolve(BlogPage.objects.get(pk=page.pk)).image.url
    assert new != old
    out = io.StringIO()
    call_command("smo_generate_images", "--clean", "--no-progress", stdout=out)
    names = card_files()
    assert new.split("/media/", 1)[1] in names and old.split("/media/", 1)[1] not in names
    assert "unused card file(s) deleted" in out.getvalue()


def test_a_corrupt_logo_or_unknown_layout_leaves_the_image_out(client, demo_content, caplog):
    page = BlogPage.objects.get(slug="shared-without-an-image")
    settings = SocialMediaSettings.objects.get()
    buffer = io.BytesIO()
    Image.new("RGB", (40, 40), "#ff0000").save(buffer, "PNG")
    logo = get_image_model().objects.create(
        title="broken logo", file=ContentFile(buffer.getvalue(), name="broken-logo.png"))
    with logo.file.storage.open(logo.file.name, "wb") as handle:
        handle.write(b"this is not an image")  # corrupted after the upload
    settings.card_logo = logo
    settings.save()
    caplog.set_level(logging.WARNING, logger="wagtail_smo")
    head = head_of(client, page.url)
    assert "og:image" not in head.og
    assert any("card logo (Settings › Social media)" in r.getMessage() for r in caplog.records)
    settings.card_logo = None
    settings.card_layout = "removed-layout"
    settings.save()
    head = head_of(client, page.url)
    assert "og:image" not in head.og
    assert any("'removed-layout'" in r.getMessage() for r in caplog.records)


def test_static_build_includes_the_card(demo_content):
    from django.core.management import call_command

    out = io.StringIO()
    call_command("smo_render_meta", "/blog/shared-without-an-image/", stdout=out)
    url = parse_head(out.getvalue()).one("og:image")
    assert stored_card(url).size == (1200, 630)


def test_instagram_gets_a_card_in_its_own_size(demo_content):
    from wagtail_smo.meta.cards import network_card

    page = BlogPage.objects.get(slug="social-cards-explained")
    card, content = network_card(page, resolve(page), "instagram")
    assert (card.width, card.height) == (1080, 1350)
    assert Image.open(io.BytesIO(content)).size == (1080, 1350)
    assert network_card(page, resolve(page), "mastodon") is None  # an image is optional there


def test_command_as_a_process(tmp_path):
    root = Path(__file__).resolve().parent.parent
    env = {**os.environ, "SMO_VAR_DIR": str(tmp_path),
           "DJANGO_SETTINGS_MODULE": "example_site.settings"}
    env.pop("DATABASE_URL", None)

    def run(*args):
        return subprocess.run([sys.executable, "manage.py", *args], cwd=root, env=env,
                              capture_output=True, text=True, timeout=600)

    assert run("migrate", "--noinput", "-v", "0").returncode == 0
    assert run("load_demo_content").returncode == 0
    good = run("smo_generate_images", "--no-progress")
    assert good.returncode == 0, good.stderr
    assert "card(s) ready for" in good.stdout
    assert list((tmp_path / "media" / "smo-cards").rglob("*.png"))
    bad = run("smo_generate_images", "--site", "nowhere.example")
    assert bad.returncode == 2 and "nowhere.example" in bad.stderr
    clean = run("smo_generate_images", "--clean", "--section", "/blog/")
    assert clean.returncode == 2 and "--clean needs every site" in clean.stderr


def test_the_social_cards_preview_shows_the_generated_card(demo_content):
    from tests.test_editor import preview

    page = BlogPage.objects.get(slug="shared-without-an-image")
    soup = preview(page)
    sources = {img["src"] for img in soup.select("img.smo-card__image")}
    assert len(sources) == 1 and next(iter(sources)).startswith("/media/smo-cards/")
    assert not soup.select('[data-smo-finding="image-missing"]')


def test_audit_flags_a_title_the_card_has_to_cut(demo_content):
    page = BlogPage.objects.get(slug="shared-without-an-image")
    page.social_title = ("A title far too long for any card " * 7).strip()
    page.save_revision().publish()
    page = BlogPage.objects.get(pk=page.pk)
    finding = next(f for f in audit_page(page).findings if f.code == "card-title-cut")
    assert "…" in finding.message
    short = BlogPage.objects.get(slug="quotes-and-brackets")  # a card with a title that fits
    assert "card-title-cut" not in {f.code for f in audit_page(short).findings}


def test_settings_offer_the_card_choices(admin_client):  # noqa: F811 (fixture)
    from wagtail_smo.models import SocialMediaSettings

    settings = SocialMediaSettings.objects.get()
    response = admin_client.get(
        f"/admin/settings/wagtail_smo/socialmediasettings/{settings.site_id}/")
    assert response.status_code == 200
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(response.content, "html.parser")
    layouts = [o["value"] for o in soup.select('select[name="card_layout"] option')]
    assert layouts == ["classic", "photo"]
    modes = [o["value"] for o in soup.select('select[name="card_mode"] option')]
    assert modes == ["off", "missing", "always"]
    assert soup.select('[name="card_logo"]')


def test_a_post_to_an_image_only_network_carries_a_card_of_its_size(demo_content, settings):
    from wagtail_smo.models import SocialPost
    from wagtail_smo.posts.outgoing import outgoing_post

    settings.WAGTAIL_SMO = {**settings.WAGTAIL_SMO, "PROVIDERS": {
        **settings.WAGTAIL_SMO["PROVIDERS"],
        "pins": {"BACKEND": "wagtail_smo.providers.locmem.LocmemProvider",
                 "OPTIONS": {"NETWORK": "pinterest"}},
    }}
    page = BlogPage.objects.get(slug="social-cards-explained")
    pin = SocialPost(page=page, channel="pins", text="A pin")
    message = outgoing_post(pin)
    assert Image.open(io.BytesIO(message.image)).size == (1000, 1500)
    assert message.image_mime_type == "image/png" and message.image_alt
    assert "/media/smo-cards/" in message.image_url
    toot = outgoing_post(SocialPost(page=page, channel="mastodon-demo", text="A toot"))
    assert toot.image is None  # an image is optional there: the page's own is linked
