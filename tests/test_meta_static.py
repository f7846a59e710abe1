"""Static builds: the tags rendered with no request are exactly those the site serves."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.template import Context, Template

from example_site.blog.models import BlogPage
from tests.meta_parsing import fresh_caches, parse_head  # noqa: F401 (fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_caches")]

PATHS = ["/", "/blog/", "/blog/social-cards-explained/", "/blog/quotes-and-brackets/",
         "/blog/kak-sdelat-kartochki/", "/news/demo-launched/"]


def command_output(*args) -> str:
    out = StringIO()
    call_command("smo_render_meta", *args, stdout=out)
    return out.getvalue()


@pytest.mark.parametrize("path", PATHS)
def test_command_prints_exactly_the_served_tags(client, demo_content, path):
    baked = command_output(path)
    served = client.get(path).content.decode()
    assert baked.strip() and baked in served  # byte for byte, absolute URLs included
    head = parse_head(baked)
    assert head.one("og:url") == "http://localhost" + path
    assert head.one("og:url") == parse_head(served).one("og:url")


def test_command_by_url_and_by_id_give_the_same_output(demo_content):
    page = BlogPage.objects.get(slug="social-cards-explained")
    by_path = command_output("/blog/social-cards-explained/")
    assert command_output(str(page.pk)) == by_path
    assert command_output("http://localhost/blog/social-cards-explained/") == by_path


def test_command_json_matches_the_endpoint(client, demo_content):
    data = json.loads(command_output("/blog/social-cards-explained/", "--format", "json"))
    endpoint = client.get("/smo/meta/", {"path": "/blog/social-cards-explained/"}).json()
    assert data == endpoint


def test_template_tag_without_request_renders_the_same(client, demo_content):
    """A baking tool rendering templates itself (no request) gets identical tags."""
    page = BlogPage.objects.get(slug="only-a-body-image")
    html = Template("{% load wagtail_smo_tags %}{% social_meta page %}").render(
        Context({"page": page})
    )
    served = client.get("/blog/only-a-body-image/").content.decode()
    assert html.strip() and html in served


def test_json_ld_can_be_left_out(demo_content):
    html = command_output("/blog/social-cards-explained/", "--no-json-ld")
    assert "<script" not in html and parse_head(html).one("og:type") == "article"


@pytest.mark.parametrize("address", ["/blog/no-such-post/", "999999", "ftp://localhost/x/",
                                     "http://unknown.example/"])
def test_command_bad_address_exits_2_with_one_line(demo_content, address):
    with pytest.raises(CommandError) as error:
        command_output("/", address)
    assert error.value.returncode == 2
    assert "\n" not in str(error.value) and address in str(error.value)


def test_command_refuses_unpublished_pages(demo_content):
    page = BlogPage.objects.get(slug="social-cards-explained")
    page.unpublish()
    with pytest.raises(CommandError):
        command_output("/blog/social-cards-explained/")
