"""Every signal receiver of wagtail-smo, connected in one place from ``WagtailSmoConfig.ready()``.

As Wagtail's contrib apps do (``wagtail.contrib.frontend_cache.signal_handlers``): the receivers
live beside the code they serve, and ``register_signal_handlers`` connects them, each to the
senders it needs and no others:

- post drafts: ``page_published`` enqueues the ``create_post_drafts`` task after the commit;
- delivery: the workflow's ``post_queued`` enqueues ``deliver_post`` after the commit;
- the meta cache: page models, the tag models and tag links of pages, images, renditions, sites,
  locales, the social settings, view restrictions and page moves (nothing else: saving a post or
  a user leaves cached meta alone);
- feeds: publish, unpublish, view restrictions and sites (change stamp, purge, WebSub ping).

This module sits at the top: it imports the tasks and the parts whose signals it connects.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.db.models import Model
from django.db.models.signals import post_delete, post_save
from taggit.managers import TaggableManager
from wagtail.images import get_image_model
from wagtail.models import Locale, Page, PageViewRestriction, Revision, Site, get_page_models
from wagtail.signals import page_published, page_unpublished, post_page_move

from .feeds import changes as feeds
from .meta import cache as meta_cache
from .models import SocialMediaSettings, SocialPost
from .posts import drafts, workflow
from .posts.tasks import create_post_drafts, deliver_post
from .queue import enqueue


def create_drafts_on_publish(
    sender: type[Page], instance: Page, revision: Revision | None = None, **kwargs: Any
) -> None:
    """``page_published`` receiver: enqueue the page's post draft task after the commit."""
    if not instance.live or getattr(instance, "alias_of_id", None):
        return  # a page only *scheduled* to go live, or an alias: nothing is shared yet
    if not drafts.wants_drafts(instance):
        return  # cheap check on the instance at hand: no task for a page that will not share
    enqueue(create_post_drafts, instance.pk, revision.pk if revision is not None else None)


def enqueue_delivery(
    sender: type[SocialPost], post_id: int, run_after: datetime | None = None, **kwargs: Any
) -> None:
    """``post_queued`` receiver: enqueue the post's delivery task after the commit."""
    enqueue(deliver_post, post_id, run_after=run_after)


def _connect_both(receiver: Callable[..., Any], sender: type[Model], uid: str) -> None:
    """Connect ``receiver`` to ``post_save`` and ``post_delete`` of ``sender``."""
    post_save.connect(receiver, sender=sender, dispatch_uid=f"{uid}-save")
    post_delete.connect(receiver, sender=sender, dispatch_uid=f"{uid}-delete")


def page_tag_models() -> tuple[set[type[Model]], set[type[Model]]]:
    """(tag link models, tag models) of every page model's tag fields."""
    links, tags = set(), set()
    for model in get_page_models():
        for field in model._meta.get_fields():
            if isinstance(field, TaggableManager):
                links.add(field.through)
                tags.add(field.through.tag_model())
    return links, tags


def _connect_meta_cache() -> None:
    image_model = get_image_model()
    # Wide and rare: every page of every site. A rendition deleted (an image's file changed, or
    # renditions purged) leaves cached meta pointing at a file that is gone; a rendition created
    # (the resolver makes them) changes nothing.
    for model in (SocialMediaSettings, Site, Locale, image_model):
        _connect_both(meta_cache.invalidate, model, f"smo-meta-{model._meta.label_lower}")
    rendition_model = image_model.get_rendition_model()
    post_delete.connect(meta_cache.invalidate, sender=rendition_model,
                        dispatch_uid="smo-meta-rendition-delete")
    # A move rewrites the paths of the page and its descendants, and may be a sibling reorder.
    post_page_move.connect(meta_cache.invalidate, dispatch_uid="smo-meta-page-move")
    _connect_both(meta_cache.restriction_changed, PageViewRestriction, "smo-meta-restriction")
    # post_save is sent with the concrete class saved, so each page model is connected.
    for model in get_page_models():
        _connect_both(meta_cache.page_changed, model, f"smo-meta-page-{model._meta.label_lower}")
    links, tags = page_tag_models()
    for model in links:
        label = model._meta.label_lower
        _connect_both(meta_cache.tag_link_changed, model, f"smo-meta-link-{label}")
    for model in tags:
        _connect_both(meta_cache.tag_changed, model, f"smo-meta-tag-{model._meta.label_lower}")


def _connect_feeds() -> None:
    page_published.connect(feeds.on_page_published, dispatch_uid="wagtail_smo_feeds_published")
    page_unpublished.connect(feeds.on_page_unpublished,
                             dispatch_uid="wagtail_smo_feeds_unpublished")
    _connect_both(feeds.on_view_restriction_changed, PageViewRestriction,
                  "wagtail_smo_feeds_restriction")
    post_save.connect(feeds.on_site_changed, sender=Site, dispatch_uid="wagtail_smo_feeds_site")


def register_signal_handlers() -> None:
    """Connect every receiver of wagtail-smo (called once, from ``WagtailSmoConfig.ready``)."""
    page_published.connect(create_drafts_on_publish, dispatch_uid="wagtail_smo_post_drafts")
    workflow.post_queued.connect(enqueue_delivery, dispatch_uid="wagtail_smo_delivery")
    _connect_meta_cache()
    _connect_feeds()
