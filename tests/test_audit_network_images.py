"""The audit's image and alt-text checks read each network's declaration (the registry): the
networks the "Social cards" preview shows plus the site's enabled channels' networks. A network
declared in tests/example_network.py with unusual needs gets its own, named findings."""

from __future__ import annotations

import io
import random

import pytest
from django.core.files.images import ImageFile
from django.test import override_settings
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.models import Page

from tests.test_audit_checks import add_post, make_image
from wagtail_smo.audit import Level, audit_page
from wagtail_smo.core.networks import ImageNeeds, Network, missing
from wagtail_smo.models import SocialChannel

pytestmark = pytest.mark.django_db

EXAMPLE = {"PROVIDERS": {"example-main": {"BACKEND": "tests.example_network.ExampleProvider"}}}
POSTER = {"PROVIDERS": {"poster-main": {"BACKEND": "tests.example_network.PosterProvider"}}}
IMAGE_CODES = {"image-too-small", "image-aspect", "image-format", "image-too-large",
               "image-alt-too-long"}


@pytest.fixture(autouse=True)
def fresh_caches():
    """Image ids are reused after each test's rollback: drop cached renditions and meta."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()


@pytest.fixture
def public_site(demo_content):
    """The demo site on a public host name, so that the site check stays quiet."""
    demo_content.hostname, demo_content.port = "www.example.org", 443
    demo_content.save()
    return demo_content


def findings(page) -> dict:
    """The findings on ``page`` (fresh from the database) by code."""
    page = Page.objects.get(pk=page.pk).specific
    return {f.code: f for f in audit_page(page).findings}


def noise_image(title: str, size=(1600, 1000)):
    """A PNG of random pixels: its JPEG rendition stays large (hundreds of kB)."""
    rng = random.Random(title)
    image = PILImage.frombytes("RGB", size, rng.randbytes(size[0] * size[1] * 3))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return get_image_model().objects.create(
        title=title, file=ImageFile(buffer, name=f"{title.replace(' ', '-')}.png"))


def test_a_good_image_passes_every_built_in_network(public_site):
    image = make_image("good for all", (1600, 900))
    page = add_post(public_site, "good-for-all", social_image=image,
                    social_image_alt="A plain blue rectangle")
    assert not IMAGE_CODES & set(findings(page))


def test_the_site_network_gets_its_own_size_aspect_and_format_findings(public_site):
    image = make_image("wide one", (1600, 900))
    page = add_post(public_site, "wide-one", social_image=image, social_image_alt="Blue")
    with override_settings(WAGTAIL_SMO=EXAMPLE):
        found = findings(page)
    small, aspect, fmt = found["image-too-small"], found["image-aspect"], found["image-format"]
    assert small.level == Level.WARNING
    assert "1600×900 pixels" in small.message
    assert "Example Net (1080×1080)" in small.message
    assert "Facebook" not in small.message  # 1600×900 is a good card for every built-in network
    assert small.fix == "Choose an image of at least 1080×1080 pixels."
    # The JPEG rendition is 1200×630: Example Net crops it square.
    assert aspect.level == Level.WARNING
    assert "1200×630" in aspect.message and "Example Net (1:1)" in aspect.message
    assert "X" not in aspect.message.replace("Example Net", "")
    assert "1:1" in aspect.fix
    assert fmt.level == Level.ERROR
    assert "JPEG file, which Example Net do" in fmt.message
    assert "PNG" in fmt.fix and "|format-png" in fmt.fix


def test_a_network_over_its_declared_file_size_is_named(public_site):
    image = noise_image("noisy one")
    page = add_post(public_site, "noisy-one", social_image=image, social_image_alt="Noise")
    assert "image-too-large" not in findings(page)  # a few hundred kB: fine for X's 5 MB
    with override_settings(WAGTAIL_SMO=EXAMPLE):
        finding = findings(page)["image-too-large"]
    assert finding.level == Level.ERROR
    message = finding.message.replace("\xa0", " ")  # filesizeformat joins with a no-break space
    assert "over the limit of Example Net (100.0 KB)" in message
    assert "X" not in finding.message.replace("Example Net", "")
    assert "IMAGE_FILTER" in finding.fix


def test_size_findings_name_only_the_networks_whose_card_is_bigger(public_site):
    image = make_image("just short", (1400, 629))
    page = add_post(public_site, "just-short", social_image=image, social_image_alt="Short")
    finding = findings(page)["image-too-small"]
    # VK is previewed since issue 18 (its link snippet), so its 1200×630 card is in play too.
    assert "Facebook, Mastodon, Bluesky and VK (1200×630)" in finding.message
    assert "LinkedIn" not in finding.message and "(1200×600)" not in finding.message
    assert finding.fix == "Choose an image of at least 1200×630 pixels."


@override_settings(WAGTAIL_SMO={"IMAGE_FILTER": "fill-1200x630|format-gif"})
def test_a_gif_is_refused_by_the_networks_that_declare_no_gif(public_site):
    image = make_image("gif one", (1600, 900))
    page = add_post(public_site, "gif-one", social_image=image, social_image_alt="GIF")
    finding = findings(page)["image-format"]
    assert finding.message.startswith("The card image is a GIF file, which ")
    assert "Telegram" in finding.message and "Bluesky" in finding.message
    assert "Facebook" not in finding.message and "LinkedIn" not in finding.message
    assert "|format-jpeg" in finding.fix


def test_a_network_without_a_card_counts_only_where_a_channel_of_it_is_enabled(public_site):
    image = make_image("card size", (1600, 900))
    page = add_post(public_site, "card-size", social_image=image, social_image_alt="Card")
    with override_settings(WAGTAIL_SMO=POSTER):
        assert "image-too-small" not in findings(page)  # configured, but no site uses it
        channel = SocialChannel.objects.create(site=public_site, channel="poster-main",
                                               enabled=False)
        assert "image-too-small" not in findings(page)  # disabled
        channel.enabled = True
        channel.save()
        finding = findings(page)["image-too-small"]
    assert "Poster Net (2400×1260)" in finding.message
    assert finding.fix == "Choose an image of at least 2400×1260 pixels."


def test_alt_text_as_long_as_x_takes_passes_and_the_shorter_site_network_is_named(public_site):
    # The Social tab's field stops at X's 420 (its max_length): at the limit nothing is said.
    image = make_image("long alt", (1600, 900))
    page = add_post(public_site, "long-alt", social_image=image, social_image_alt="a" * 420)
    assert "image-alt-too-long" not in findings(page)
    with override_settings(WAGTAIL_SMO=EXAMPLE):
        finding = findings(page)["image-alt-too-long"]
    assert finding.level == Level.WARNING
    assert finding.message == ("The image's alt text is 420 characters: Example Net cuts it after 30 "
                               "(X shows up to 420).")


def test_alt_text_limit_of_the_site_network(public_site):
    image = make_image("medium alt", (1600, 900))
    page = add_post(public_site, "medium-alt", social_image=image, social_image_alt="b" * 31)
    assert "image-alt-too-long" not in findings(page)
    with override_settings(WAGTAIL_SMO=EXAMPLE):
        finding = findings(page)["image-alt-too-long"]
    assert "31 characters: Example Net cuts it after 30 (X shows up to 420)" in finding.message
    assert "at most 30 characters" in finding.fix


@pytest.mark.parametrize(("images", "problem"), [
    (ImageNeeds(aspect="wide"), "an image aspect written as 'W:H'"),
    (ImageNeeds(aspect="1:0"), "an image aspect written as 'W:H'"),
    (ImageNeeds(formats=("jpeg", "svg")), "image formats among"),
    (ImageNeeds(sizes=(("card", 0, 630),)), "positive image sizes"),
    (ImageNeeds(max_bytes=0), "a positive image max_bytes"),
])
def test_a_bad_image_declaration_is_named(images, problem):
    network = Network("bad-images", "Bad", share_only=True, images=images)
    assert any(p.startswith(problem) for p in missing(network))
    assert missing(Network("fine", "Fine", share_only=True, images=ImageNeeds())) == []
