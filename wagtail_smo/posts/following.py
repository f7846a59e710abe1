"""Drafts follow their page: what a republished page does to its open posts.

Each composed post records what it was composed from (``SocialPost.composed_from``: the page's
social values it read, and the text, link and image they gave) and the page revision. When the
page is published again (the ``follow_page_posts`` task, enqueued after the commit):

- a draft nobody edited by hand (its text, link and image still the composed ones) is composed
  again from the page as it is now;
- any other open post whose inputs changed (a draft edited by hand, an approved, scheduled or
  failed post) keeps its text and is flagged: ``page_changed`` holds what changed, shown as
  "page changed since this draft was written" on its screen, in the listing, the calendar and
  the dashboard, with a one-click "Recompose from page".

An approved or scheduled post is never recomposed by itself: what is sent is what a person
approved. Saving the post's form (the screen shows what changed) takes the change as seen.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..meta import resolve
from ..models import PostStatus, SocialPost
from . import drafts, workflow

#: Open posts that follow their page (not one a worker is sending).
FOLLOWING = (PostStatus.DRAFT, PostStatus.APPROVED, PostStatus.SCHEDULED, PostStatus.FAILED)

#: The words for each input, as the flag lists them.
INPUT_LABELS = {
    "title": gettext_lazy("Title"), "description": gettext_lazy("Description"),
    "url": gettext_lazy("Link"), "image": gettext_lazy("Image"), "tags": gettext_lazy("Tags"),
    "author": gettext_lazy("Author"), "section": gettext_lazy("Section"),
    "site_name": gettext_lazy("Site name"),
}


def changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list]:
    """``{name: [before, after]}`` for each input that differs."""
    return {name: [before.get(name), value] for name, value in after.items()
            if before.get(name) != value}


def edited_by_hand(post: SocialPost) -> bool:
    """True when the post's text, link or image is no longer what was composed."""
    record = post.composed_from
    return (post.text != record.get("text") or post.link != record.get("link")
            or post.image_id != record.get("image_id"))


def follow_page(page_id: int) -> dict[str, int]:
    """Recompose the untouched drafts of a republished page, flag its other open posts.

    Returns ``{"recomposed": n, "flagged": n}``. Posts without a record (written by hand,
    imported) are left alone: nothing says what they came from.
    """
    counts = {"recomposed": 0, "flagged": 0}
    posts = list(SocialPost.objects.filter(page_id=page_id, status__in=FOLLOWING)
                 .exclude(composed_from={}))
    if not posts:
        return counts
    page = posts[0].page.specific
    if not page.live:
        return counts
    inputs = drafts.page_inputs(resolve(page))
    for post in posts:
        changed = changes(post.composed_from.get("inputs", {}), inputs)
        if not changed:
            continue
        with transaction.atomic():
            if post.status == PostStatus.DRAFT and not edited_by_hand(post):
                fields = drafts.composed_fields(page, post.channel, post.click_ref)
                # Only if it is still an untouched draft: an edit saved meanwhile wins.
                same_image = (Q(image__isnull=True) if post.image_id is None
                              else Q(image_id=post.image_id))
                updated = SocialPost.objects.filter(
                    same_image, pk=post.pk, status=PostStatus.DRAFT, text=post.text,
                    link=post.link,
                ).update(updated_at=timezone.now(), **fields)
                counts["recomposed"] += updated
            else:
                counts["flagged"] += SocialPost.objects.filter(
                    pk=post.pk, status__in=FOLLOWING).update(page_changed=changed)
    return counts


def recompose(post: SocialPost, user: AbstractBaseUser | AnonymousUser) -> SocialPost:
    """"Recompose from page": the post's text, link and image composed from the page as now.

    A queued post goes back to draft: its new text has not been approved.
    """
    workflow.require(user, "back_to_draft")
    if post.status not in workflow.EDITABLE:
        raise workflow.WorkflowError(
            _("This post is %(status)s: it cannot change any more.")
            % {"status": post.get_status_display().lower()})
    fields = drafts.composed_fields(post.page, post.channel, post.click_ref)
    with transaction.atomic():
        if post.status in workflow.QUEUED:
            workflow.transition(post, "back_to_draft", user, approved_by=None, **fields)
        else:
            SocialPost.objects.filter(pk=post.pk).update(updated_at=timezone.now(), **fields)
            for name, value in fields.items():
                setattr(post, name, value)
    return post


def acknowledge(post: SocialPost) -> None:
    """The person saving the post saw what changed: the current inputs become its record."""
    if not post.page_changed:
        return
    inputs = dict(post.composed_from.get("inputs", {}))
    inputs.update({name: after for name, (_before, after) in post.page_changed.items()})
    post.composed_from = {**post.composed_from, "inputs": inputs}
    post.page_changed = {}
    SocialPost.objects.filter(pk=post.pk).update(composed_from=post.composed_from,
                                                 page_changed={})


def describe(post: SocialPost) -> list[dict[str, Any]]:
    """What changed on the page, for the screen: label, before and after of each input."""
    return [
        {"name": name, "label": INPUT_LABELS.get(name, name), "before": _shown(before),
         "after": _shown(after)}
        for name, (before, after) in post.page_changed.items()
    ]


def _shown(value: Any) -> str:
    """An input as words: tags joined, an image by its id or address, nothing as a dash."""
    if isinstance(value, list):
        return ", ".join(str(item) for item in value) or "—"
    if isinstance(value, int):
        return _("image #%(id)s") % {"id": value}
    return str(value) if value not in (None, "") else "—"
