"""The meta cache listens only to what changes meta: pages, page tags, images and renditions,
sites, locales, the social settings and view restrictions; saving anything else leaves it alone."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.db.models.signals import post_delete, post_save
from wagtail.images import get_image_model
from wagtail.models import Page, Site

from example_site.blog.models import BlogPage, BlogPageTag
from tests.meta_parsing import fresh_caches  # noqa: F401 (fixture)
from tests.test_meta_cache import pk, view, warm
from wagtail_smo.meta import cache
from wagtail_smo.models import DeliveryAttempt, PostStatus, SocialChannel, SocialPost

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_caches")]


def meta_receivers(signal, sender) -> set:
    """The receivers of the meta cache module that ``signal`` would call for ``sender``."""
    live = signal._live_receivers(sender)
    live = live[0] if isinstance(live, tuple) else live  # (sync, async) on Django 5+
    return {receiver for receiver in live
            if getattr(receiver, "__module__", "") == cache.__name__}


@pytest.mark.parametrize("model", [SocialPost, SocialChannel, DeliveryAttempt, get_user_model()])
def test_unrelated_models_have_no_meta_cache_receiver(model):
    assert meta_receivers(post_save, model) == set()
    assert meta_receivers(post_delete, model) == set()


@pytest.mark.parametrize("model", [Page, BlogPage, BlogPageTag, Site, get_image_model()])
def test_what_meta_reads_has_its_receivers(model):
    assert meta_receivers(post_save, model) and meta_receivers(post_delete, model)


def test_saving_a_post_or_a_user_keeps_cached_meta(demo_content):
    post_page, other = pk("social-cards-explained"), pk("demo-launched")
    warm(post_page, other)
    epoch = cache._local_epoch
    social = SocialPost.objects.create(page_id=post_page, channel="x-demo", text="Hi")
    social.status = PostStatus.CANCELLED
    social.save()
    social.delete()
    user = get_user_model().objects.create_user("reader", "reader@example.com", "pw")
    user.first_name = "Renamed"
    user.save()
    assert cache._local_epoch == epoch  # no invalidation ran
    assert view(post_page)[0] == 0 and view(other)[0] == 0  # still served from the cache


def test_page_image_site_and_settings_changes_still_invalidate(demo_content):
    from wagtail_smo.models import SocialMediaSettings

    page_id = pk("only-a-body-image")
    changes = [
        lambda: BlogPage.objects.get(pk=page_id).save(),  # a page, as its concrete model
        lambda: Page.objects.get(pk=page_id).save(),  # a page, as a plain Page
        lambda: get_image_model().objects.get(pk=view(page_id)[2].image.image_id).save(),
        lambda: Site.objects.get(pk=demo_content.pk).save(),
        lambda: SocialMediaSettings.for_site(demo_content).save(),
    ]
    for number, change in enumerate(changes):
        warm(page_id)
        change()
        assert view(page_id)[0] > 0, f"change {number} left the cached meta in place"


def test_a_deleted_rendition_invalidates(demo_content):
    """Cached meta names a rendition's file: once the rendition is gone, it is resolved anew."""
    page_id = pk("only-a-body-image")
    warm(page_id)
    image = get_image_model().objects.get(pk=view(page_id)[2].image.image_id)
    rendition = image.renditions.first()
    assert rendition is not None  # the resolver made the og:image rendition
    rendition.delete()
    assert view(page_id)[0] > 0
