"""Social posts: one draft per (page, channel), reviewed, approved, scheduled and delivered."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..core.networks import channel_label
from .analytics import MetricsState


class PostStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved")
    SCHEDULED = "scheduled", _("Scheduled")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


#: Statuses of a post that is still in play: at most one such post per (page, channel).
OPEN_STATUSES = (
    PostStatus.DRAFT,
    PostStatus.APPROVED,
    PostStatus.SCHEDULED,
    PostStatus.SENDING,
    PostStatus.FAILED,
)


#: Letters of a post's click reference: lower-case base32, safe in a URL and in any text.
CLICK_REF_ALPHABET = "abcdefghijklmnopqrstuvwxyz234567"
CLICK_REF_LENGTH = 8


def new_click_ref() -> str:
    """A random reference for a new post's tracked link (40 bits: unguessable, 8 characters)."""
    return "".join(secrets.choice(CLICK_REF_ALPHABET) for _ in range(CLICK_REF_LENGTH))


class SocialPost(models.Model):
    """A message for one channel about one page, from draft to sent."""

    page = models.ForeignKey(
        "wagtailcore.Page", verbose_name=_("page"), on_delete=models.CASCADE,
        related_name="smo_social_posts",
    )
    revision = models.ForeignKey(
        "wagtailcore.Revision", verbose_name=_("revision"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
        help_text=_("The page revision this post was composed from."),
    )
    site = models.ForeignKey(
        "wagtailcore.Site", verbose_name=_("site"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    channel = models.CharField(_("channel"), max_length=100, db_index=True)
    text = models.TextField(_("text"), blank=True)
    link = models.URLField(_("link"), max_length=2000, blank=True)
    image = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("image"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    image_url = models.URLField(
        _("image URL"), max_length=2000, blank=True,
        help_text=_("An image outside the image library, e.g. from a schedule import."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=PostStatus.choices, default=PostStatus.DRAFT,
        db_index=True,
    )
    scheduled_at = models.DateTimeField(_("scheduled for"), null=True, blank=True, db_index=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    remote_id = models.CharField(_("remote id"), max_length=255, blank=True)
    remote_url = models.URLField(_("remote URL"), max_length=2000, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    #: What the text was composed from: ``inputs`` (the page's social values the composer read)
    #: and the ``text``, ``link`` and ``image_id`` it produced. Empty for a post written by hand
    #: or imported. A post whose fields still equal the composed ones was not edited by hand.
    composed_from = models.JSONField(_("composed from"), default=dict, blank=True, editable=False)
    #: The page's social values that changed since this post was written, ``{name: [before,
    #: after]}``; non-empty: "page changed since this draft was written" (see posts/following.py).
    page_changed = models.JSONField(_("page changed"), default=dict, blank=True, editable=False)
    #: Id of the delivery attempt that holds the post while it is sending (see posts/delivery.py).
    attempt_id = models.CharField(max_length=64, blank=True, editable=False)
    #: Stable per post (a Bluesky TID): the idempotency key, rkey or guid sent on every attempt,
    #: so a retry the network already received is dropped by the network (see posts/delivery.py).
    delivery_key = models.CharField(max_length=32, blank=True, editable=False)
    #: When a failed attempt that will be retried automatically may run again (backoff).
    retry_at = models.DateTimeField(_("next retry"), null=True, blank=True, editable=False)
    #: On a failed post: the request may have reached the network (a worker stopped mid-send, an
    #: answer was lost) and could not be safely repeated. A person settles it (posts/workflow.py).
    outcome_unknown = models.BooleanField(_("outcome unknown"), default=False, editable=False)
    #: The metrics pull-back (``wagtail_smo.analytics``): where the post stands, how many
    #: scheduled fetches ran, when the next is due, and the latest engagement read (a copy of the
    #: last snapshot's total, so reports and the best-time heatmap need no subquery).
    metrics_state = models.CharField(
        _("metrics"), max_length=20, blank=True, editable=False,
        choices=[("", "")] + list(MetricsState.choices),
    )
    metrics_round = models.PositiveSmallIntegerField(default=0, editable=False)
    metrics_due_at = models.DateTimeField(null=True, blank=True, db_index=True, editable=False)
    #: The post's identifier in its link (``utm_content=smo-<click_ref>``), so that a click
    #: counts for this post (``wagtail_smo.analytics.clicks``). Set when the post is created,
    #: before its primary key exists: drafts are inserted in one ``bulk_create`` whose rows
    #: have no id yet when their text is composed. Blank on posts older than click counting.
    click_ref = models.CharField(_("click reference"), max_length=16, blank=True,
                                 default=new_click_ref, editable=False, db_index=True)
    engagement = models.PositiveIntegerField(_("engagement"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("approved by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("social post")
        verbose_name_plural = _("social posts")
        ordering = ["-created_at"]
        permissions = [
            ("approve_socialpost", "Can approve social posts"),
            ("send_socialpost", "Can send social posts"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["page", "channel"],
                condition=models.Q(status__in=list(OPEN_STATUSES)),
                name="wagtail_smo_one_open_post_per_page_channel",
            ),
        ]

    def __str__(self) -> str:
        """"Page title · Channel name", as people name a post."""
        title = self.page.title if self.page_id else _("(no page)")
        return f"{title} · {self.channel_label}"

    @property
    def channel_label(self) -> str:
        """The name of the post's channel (its LABEL setting, else its network's name)."""
        return channel_label(self.channel)

    @property
    def is_open(self) -> bool:
        """True while the post is not yet sent or cancelled."""
        return self.status in OPEN_STATUSES
