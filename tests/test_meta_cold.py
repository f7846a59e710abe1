"""The cold resolve of a page request (its entry gone, as after a publish): site-wide values,
ancestors, locales and chosen images come from the meta cache, stale the moment they change."""

from __future__ import annotations

import pytest
from wagtail.images import get_image_model
from wagtail.models import Page

from example_site.blog.models import BlogIndexPage, BlogPage
from tests.meta_parsing import fresh_caches  # noqa: F401 (fixture)
from tests.test_meta_cache import pk, publish, view
from wagtail_smo.meta import cache
from wagtail_smo.models import SocialMediaSettings

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_caches")]


def cold_view(page_id: int):
    """A page view right after the page's entry was invalidated as a publish does it."""
    cache.invalidate_page(Page.objects.get(pk=page_id))
    return view(page_id)


def nest(parent: Page, levels: int, name: str) -> BlogPage:
    """The same post ``levels`` levels below ``parent`` (indexes in between)."""
    for level in range(levels - 1):
        parent = parent.add_child(instance=BlogIndexPage(title=f"{name} {level}",
                                                         slug=f"{name}-{level}"))
    return parent.add_child(instance=BlogPage(title="A post", slug=f"{name}-post",
                                              intro="Somewhere in the tree."))


@pytest.mark.parametrize("image", [True, False], ids=["own image", "inherited image"])
def test_cold_resolve_runs_the_same_queries_at_any_depth(demo_content, image):
    blog = Page.objects.get(slug="blog")
    shallow, deep = nest(blog, 1, "shallow"), nest(blog, 6, "deep")
    assert deep.depth - shallow.depth == 5
    counts = []
    for post in (shallow, deep):
        if image:
            post.social_image = get_image_model().objects.first()
            post.save_revision().publish()
        view(post.pk)  # the first view ever: site values and ancestors read and kept
        counts.append(cold_view(post.pk)[0])
    # What is left is the page's own data, its tag links; the chosen or inherited image, the
    # ancestors and the site's settings come from the cache.
    assert counts == [1, 1]


def test_first_view_of_a_site_reads_its_settings_once(demo_content):
    first, second = pk("social-cards-explained"), pk("only-a-body-image")
    queries_first = view(first)[0]
    queries_second = view(second)[0]
    # The second page shares the site's settings, their images and the locales with the first.
    assert queries_second < queries_first


def test_a_settings_change_reaches_the_next_cold_view(demo_content):
    post = pk("social-cards-explained")
    view(post)
    settings = SocialMediaSettings.objects.get()
    settings.x_handle = "@renamed_handle"
    settings.save()  # replaces the global generation: the cached settings are stale
    assert cold_view(post)[1].one("twitter:site") == "@renamed_handle"


def test_an_ancestor_renamed_reaches_the_next_cold_view(demo_content):
    post = pk("social-cards-explained")
    view(post)
    publish(pk("blog"), title="Journal")
    assert cold_view(post)[1].one("article:section") == "Journal"


def test_an_image_changed_reaches_the_next_cold_view(demo_content):
    post = BlogPage.objects.get(slug="social-cards-explained")
    post.social_image_alt = ""  # og:image:alt falls back to the chosen image's title
    post.save_revision().publish()
    image = get_image_model().objects.get(pk=post.social_image_id)
    assert cold_view(post.pk)[1].one("og:image:alt") == image.title  # the image is now cached
    image.title = "A new title for the image"
    image.save()  # replaces the global generation: the cached image is stale
    assert cold_view(post.pk)[1].one("og:image:alt") == "A new title for the image"


def test_unsaved_edits_are_never_replaced_by_cached_rows(demo_content):
    """A preview (no page lookup) reads the page as it is in memory, never the cache."""
    from wagtail_smo.meta import resolve

    post = BlogPage.objects.get(slug="social-cards-explained")
    view(post.pk)
    other = get_image_model().objects.exclude(pk=post.social_image_id).first()
    post.social_image = other  # not saved
    assert resolve(post, use_cache=False).image.image_id == other.pk
