"""Only public image URLs leave the site: internal addresses in every notation are refused at
import (command and admin) and never reach a network, a webhook or the post feed."""

from __future__ import annotations

import csv
import datetime
import io

import feedparser
import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page

from example_site.blog.models import BlogPage
from tests.fakes import networks as fk
from wagtail_smo.meta import resolve
from wagtail_smo.models import PostStatus, SocialPost
from wagtail_smo.net import host_problem, is_public_url
from wagtail_smo.posts import delivery
from wagtail_smo.posts.feed import feed_path

#: Internal addresses, each in a notation a URL fetcher accepts, with what the refusal names.
INTERNAL = [
    ("http://169.254.169.254/latest/meta-data/", "link-local address (169.254.169.254)"),
    ("http://127.0.0.1/a.jpg", "loopback address (127.0.0.1)"),
    ("http://10.0.0.5/a.jpg", "private address (10.0.0.5)"),
    ("https://192.168.1.20:8443/a.jpg", "private address (192.168.1.20)"),
    ("http://172.16.0.1/a.jpg", "private address (172.16.0.1)"),
    ("http://[::1]/a.jpg", "loopback address (::1)"),
    ("http://[fd00::1]/a.jpg", "private address (fd00::1)"),
    ("http://[fe80::1%25eth0]/a.jpg", "link-local address (fe80::1)"),
    ("http://[::ffff:169.254.169.254]/a.jpg", "link-local address (169.254.169.254)"),
    ("http://[2002:7f00:1::]/a.jpg", "loopback address (127.0.0.1)"),  # 6to4
    ("http://0.0.0.0/a.jpg", "unspecified address (0.0.0.0)"),
    ("http://[::]/a.jpg", "unspecified address (::)"),
    ("http://2130706433/a.jpg", "loopback address (127.0.0.1)"),  # decimal
    ("http://0x7f000001/a.jpg", "loopback address (127.0.0.1)"),  # hex
    ("http://0xA9.0xFE.0xA9.0xFE/a.jpg", "link-local address (169.254.169.254)"),
    ("http://0177.0.0.1/a.jpg", "loopback address (127.0.0.1)"),  # octal
    ("http://127.1/a.jpg", "loopback address (127.0.0.1)"),  # shortened
    ("http://10.1/a.jpg", "private address (10.0.0.1)"),
    ("http://127.0.0.1./a.jpg", "loopback address (127.0.0.1)"),  # trailing dot
    ("http://%31%32%37.0.0.1/a.jpg", "loopback address (127.0.0.1)"),  # percent-encoded
    ("http://\uff11\uff12\uff17.0.0.1/a.jpg", "loopback address (127.0.0.1)"),  # full-width
    ("http://100.64.0.1/a.jpg", "non-public address (100.64.0.1)"),  # carrier-grade NAT
    ("http://224.0.0.1/a.jpg", "multicast address (224.0.0.1)"),
    ("http://240.0.0.1/a.jpg", "reserved address (240.0.0.1)"),
    ("http://localhost/a.jpg", "local host name (localhost)"),
    ("http://media.localhost/a.jpg", "local host name (media.localhost)"),
    ("http://metadata.google.internal/a.jpg", "local host name (metadata.google.internal)"),
    ("http://printer.local/a.jpg", "local host name (printer.local)"),
    ("http://intranet/a.jpg", "local host name (intranet)"),
]

PUBLIC = [
    "https://cdn.example.com/a.jpg",
    "http://93.184.215.14/a.jpg",
    "https://[2606:4700:4700::1111]/a.jpg",
    "https://images.example.org./a.jpg",
    "https://xn--80ak6aa92e.com/a.jpg",
]


@pytest.mark.parametrize("url, reason", INTERNAL)
def test_internal_addresses_are_not_public(url, reason):
    assert not is_public_url(url)
    assert host_problem(url).endswith(reason)


@pytest.mark.parametrize("url", PUBLIC)
def test_public_addresses_are_public(url):
    assert host_problem(url) is None and is_public_url(url)


@pytest.mark.parametrize("url", [
    "", "/media/a.jpg", "ftp://cdn.example.com/a.jpg", "javascript:alert(1)",
    "http://127.0.0.1\\@cdn.example.com/a.jpg",  # "\" ends the host for browsers, not urlsplit
    "http://256.0.0.1/a.jpg", "http://1.2.3.4.5/a.jpg", "http://[::1/a.jpg",
])
def test_other_urls_are_not_public(url):
    assert not is_public_url(url)


# --- import ---------------------------------------------------------------------------------------

def schedule_csv(image_urls):
    when = (timezone.localtime() + datetime.timedelta(days=3)).strftime("%Y-%m-%d %H:%M")
    links = [page.full_url for page in Page.objects.live().public().filter(depth__gt=2)
             .order_by("pk")]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["channel", "datetime", "text", "link", "image_url"])
    for n, image_url in enumerate(image_urls):
        writer.writerow([["x-demo", "mastodon-demo", "linkedin-demo"][n % 3], when, f"Post {n}",
                         links[n // 3], image_url])
    return buffer.getvalue()


@pytest.mark.django_db
def test_command_refuses_every_internal_image_url_and_imports_nothing(
        demo_content, tmp_path, capsys):
    urls = [url for url, _reason in INTERNAL]
    path = tmp_path / "schedule.csv"
    path.write_text(schedule_csv(["https://cdn.example.com/ok.jpg", *urls]), encoding="utf-8")
    with pytest.raises(CommandError) as info:
        call_command("smo_import_schedule", str(path))
    assert info.value.returncode == 2 and "nothing was imported" in str(info.value)
    err = capsys.readouterr().err.splitlines()
    for row, (url, reason) in enumerate(INTERNAL, start=3):
        [line] = [line for line in err if line.startswith(f"row {row}:")]
        assert f"image URL {url!r} is on a" in line and reason in line, line
        assert "only images on public addresses" in line
    assert not any(line.startswith("row 2:") for line in err)
    assert not SocialPost.objects.exists()


@pytest.mark.django_db
def test_command_imports_public_image_urls(demo_content, tmp_path):
    path = tmp_path / "schedule.csv"
    path.write_text(schedule_csv(PUBLIC), encoding="utf-8")
    call_command("smo_import_schedule", str(path), stdout=io.StringIO())
    assert sorted(SocialPost.objects.values_list("image_url", flat=True)) == sorted(PUBLIC)


@pytest.mark.django_db
@pytest.mark.parametrize("url, reason", [INTERNAL[0], INTERNAL[5], INTERNAL[12], INTERNAL[6]])
def test_admin_upload_refuses_an_internal_image_url(client, demo_content, url, reason):
    admin = get_user_model().objects.create_superuser("root", "root@example.com", "pw")
    client.force_login(admin)
    content = schedule_csv(["https://cdn.example.com/ok.jpg", url]).encode()
    response = client.post(reverse("wagtail_smo_posts:import"), {
        "file": SimpleUploadedFile("s.csv", content), "file_format": "csv"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "row 3: image URL" in html and reason in html
    assert not SocialPost.objects.exists()


# --- delivery and the post feed -------------------------------------------------------------------

@pytest.fixture
def webhook(db):
    with fk.FakeWebhook() as fake:
        providers = {"webhook": fk.channel_settings("webhook", fake)}
        with override_settings(WAGTAIL_SMO={"PROVIDERS": providers}):
            yield fake


@pytest.fixture
def page(db):
    from wagtail.models import Site

    root = Site.objects.get(is_default_site=True).root_page
    return root.add_child(instance=Page(title="Image test", slug="image-test"))


@pytest.mark.parametrize("url", [url for url, _reason in INTERNAL[:14]])
def test_an_internal_image_url_never_reaches_the_webhook(webhook, page, url):
    # A post saved before imports were checked (or written some other way).
    post = SocialPost.objects.create(page=page, channel="webhook", status=PostStatus.APPROVED,
                                     text="With an image", link="https://example.com/p/",
                                     image_url=url)
    assert delivery.deliver(post.pk) == PostStatus.SENT
    [received] = webhook.posts
    # The page's own social image instead (a generated card, as the page has no image of its
    # own), never the internal address.
    meta = resolve(page)
    assert received["image_url"] == (meta.image.url if meta.image else "")
    assert url not in str(received)


def test_a_public_image_url_reaches_the_webhook(webhook, page):
    post = SocialPost.objects.create(page=page, channel="webhook", status=PostStatus.APPROVED,
                                     text="With an image", link="https://example.com/p/",
                                     image_url="https://cdn.example.com/a.jpg")
    assert delivery.deliver(post.pk) == PostStatus.SENT
    assert [p["image_url"] for p in webhook.posts] == ["https://cdn.example.com/a.jpg"]


@pytest.mark.django_db
def test_the_post_feed_has_no_enclosure_on_an_internal_address(client, demo_content):
    pages = BlogPage.objects.live().order_by("pk")
    inside = SocialPost.objects.create(page=pages[0], site=demo_content, channel="x-demo",
                                       text="Inside", status=PostStatus.APPROVED,
                                       image_url="http://169.254.169.254/latest/meta-data/")
    outside = SocialPost.objects.create(page=pages[1], site=demo_content, channel="x-demo",
                                        text="Outside", status=PostStatus.APPROVED,
                                        image_url="https://cdn.example.com/a.jpg")
    parsed = feedparser.parse(client.get(feed_path("x-demo")).content)
    enclosures = {entry.id: [e.href for e in entry.enclosures] for entry in parsed.entries}
    assert enclosures == {f"wagtail-smo-post-{inside.pk}": [],
                          f"wagtail-smo-post-{outside.pk}": ["https://cdn.example.com/a.jpg"]}
