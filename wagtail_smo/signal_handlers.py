"""Every signal receiver of wagtail-smo, connected in one place from ``WagtailSmoConfig.ready()``.

As Wagtail's contrib apps do (``wagtail.contrib.frontend_cache.signal_handlers``): the receivers
live beside the code they serve, and ``register_signal_handlers`` connects them, each to the
senders it needs and no others:

- post drafts: ``page_published`` enqueues the ``create_post_drafts`` task after the commit, and
  ``follow_page_posts`` when the page has open posts (they follow the page);
- delivery: the workflow's ``post_queued`` enqueues ``deliver_post`` after the commit;
- self-healing delivery (``posts/healing.py``): a worker process starting (``db_worker``,
  ``rqworker``: django_tasks has no worker-started signal, so the command is read from argv),
  django_tasks' ``task_started`` and ``post_queued`` make sure one chain of ``heal_deliveries``
  lives;
- the meta cache: page models, the tag models and tag links of pages, images, renditions, sites,
  locales, the social settings, view restrictions and page moves (nothing else: saving a post or
  a user leaves cached meta alone);
- the network registry: Django's ``setting_changed`` for ``WAGTAIL_SMO`` (the configured
  backends are read once, not per lookup);
- feeds: publish, unpublish, view restrictions and sites (change stamp, purge, WebSub ping);
- first-party clicks (``analytics/clicks.py``): ``request_finished`` flushes this process's
  buffered counts when due, and so does the process's exit; the workers start the
  ``flush_clicks`` chain beside the self-healing one when counts wait in a shared cache.

This module sits at the top: it imports the tasks and the parts whose signals it connects.
"""

from __future__ import annotations

import atexit
import logging
import sys
import threading
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.apps import apps
from django.core.signals import request_finished
from django.db import connections
from django.db.models import Model
from django.db.models.signals import post_delete, post_save
from django.test.signals import setting_changed
from django_tasks.signals import task_started
from taggit.managers import TaggableManager
from wagtail.images import get_image_model
from wagtail.models import Locale, Page, PageViewRestriction, Revision, Site, get_page_models
from wagtail.signals import page_published, page_unpublished, post_page_move

from .analytics import clicks
from .core import networks
from .feeds import changes as feeds
from .meta import cache as meta_cache
from .models import SocialMediaSettings, SocialPost
from .posts import drafts, following, healing, workflow
from .posts.tasks import create_post_drafts, deliver_post, follow_page_posts, heal_deliveries
from .queue import enqueue

logger = logging.getLogger("wagtail_smo")

#: Management commands that run a task worker: the self-healing chain is checked at their start.
WORKER_COMMANDS = ("db_worker", "rqworker")


def create_drafts_on_publish(
    sender: type[Page], instance: Page, revision: Revision | None = None, **kwargs: Any
) -> None:
    """``page_published`` receiver: enqueue the page's post draft task after the commit."""
    if not instance.live or getattr(instance, "alias_of_id", None):
        return  # a page only *scheduled* to go live, or an alias: nothing is shared yet
    if SocialPost.objects.filter(page_id=instance.pk, status__in=following.FOLLOWING).exists():
        enqueue(follow_page_posts, instance.pk)  # its open posts follow the page
    if not drafts.wants_drafts(instance):
        return  # cheap check on the instance at hand: no task for a page that will not share
    if not drafts.has_listening_channel(instance):
        return  # one small query: no task (11 queries in the worker) when no channel listens
    enqueue(create_post_drafts, instance.pk, revision.pk if revision is not None else None)


def enqueue_delivery(
    sender: type[SocialPost], post_id: int, run_after: datetime | None = None, **kwargs: Any
) -> None:
    """``post_queued`` receiver: enqueue the post's delivery task after the commit (and check,
    now and then, that the self-healing chain lives)."""
    enqueue(deliver_post, post_id, run_after=run_after)
    healing.ensure_chain_now_and_then(heal_deliveries)


def check_chain_on_task(sender: type, **kwargs: object) -> None:
    """django_tasks' ``task_started`` receiver (in workers): the chains live, now and then."""
    healing.ensure_chain_now_and_then(heal_deliveries)
    clicks.FLUSHING.ensure_now_and_then(clicks.flush_clicks)


def _start_chain_when_ready() -> None:
    """In a starting worker: once every app is ready, make sure a chain lives."""
    deadline = time.monotonic() + 60
    while not apps.ready and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        healing.ensure_chain(heal_deliveries)
    except Exception:
        logger.exception("Self-healing delivery: the chain could not be started")
    try:
        clicks.FLUSHING.ensure(clicks.flush_clicks)
    except Exception:
        logger.exception("Click counts: the flush chain could not be started")
    finally:
        connections.close_all()  # this thread's connections only


def start_chain_in_worker(argv: list[str] | None = None) -> threading.Thread | None:
    """When this process is a task worker (``manage.py db_worker`` / ``rqworker``), start the
    self-healing chain from a short-lived thread (the database is not to be used during
    ``ready()``); the thread, or None in any other process."""
    argv = sys.argv if argv is None else argv
    if len(argv) < 2 or argv[1] not in WORKER_COMMANDS:
        return None
    thread = threading.Thread(target=_start_chain_when_ready, name="smo-heal-start", daemon=True)
    thread.start()
    return thread


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
    task_started.connect(check_chain_on_task, dispatch_uid="wagtail_smo_heal_on_task")
    setting_changed.connect(networks.settings_changed, dispatch_uid="wagtail_smo_registry")
    _connect_meta_cache()
    _connect_feeds()
    request_finished.connect(clicks.flush_memory_if_due, dispatch_uid="wagtail_smo_clicks_flush")
    atexit.register(clicks.flush_memory_at_exit)
