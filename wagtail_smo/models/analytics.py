"""What each post brought back: engagement read from the networks and first-party clicks.

Written by ``wagtail_smo.analytics`` (the metrics pull-back and the click counter), read by its
reports and the best-time heatmap. Data only: no network is ever called from here.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

#: The engagement counts a network may report. ``None`` in a snapshot means "this network does
#: not tell" (shown as "not available"), never zero.
METRIC_FIELDS = ("likes", "reposts", "replies", "quotes", "views")


class MetricsState(models.TextChoices):
    """Where a sent post stands in the metrics pull-back."""

    #: Snapshots are still due on the decaying schedule (``metrics_due_at``).
    ACTIVE = "active", _("Collecting")
    #: Every scheduled fetch ran: the last snapshot is final.
    DONE = "done", _("Complete")
    #: The network cannot report counts for its posts (Telegram's Bot API, a webhook).
    UNAVAILABLE = "unavailable", _("Not available for this network")
    #: The network says the post no longer exists: never asked again.
    DELETED = "deleted", _("Deleted on the network")
    #: The channel's credentials were refused while reading: a channel problem, retried later.
    CHANNEL_PROBLEM = "channel_problem", _("Channel problem")


class MetricSnapshot(models.Model):
    """One reading of a sent post's public counts, taken at ``fetched_at`` (a time series)."""

    post = models.ForeignKey(
        "wagtail_smo.SocialPost", verbose_name=_("post"), on_delete=models.CASCADE,
        related_name="metric_snapshots",
    )
    fetched_at = models.DateTimeField(_("fetched at"), db_index=True)
    likes = models.PositiveIntegerField(_("likes"), null=True, blank=True)
    reposts = models.PositiveIntegerField(_("reposts"), null=True, blank=True)
    replies = models.PositiveIntegerField(_("replies"), null=True, blank=True)
    quotes = models.PositiveIntegerField(_("quotes"), null=True, blank=True)
    views = models.PositiveIntegerField(_("views"), null=True, blank=True)
    #: likes + reposts + replies + quotes, counting the ones the network reports.
    engagement = models.PositiveIntegerField(_("engagement"), default=0)

    class Meta:
        verbose_name = _("metric snapshot")
        verbose_name_plural = _("metric snapshots")
        ordering = ["post", "fetched_at"]
        indexes = [models.Index(fields=["post", "-fetched_at"], name="wagtail_smo_snapshot_latest")]

    def __str__(self) -> str:
        """"post #id at time: engagement"."""
        return f"post #{self.post_id} at {self.fetched_at:%Y-%m-%d %H:%M}: {self.engagement}"

    def save(self, *args: object, **kwargs: object) -> None:
        """Store the engagement total with the counts it sums."""
        self.engagement = sum(
            getattr(self, name) or 0 for name in ("likes", "reposts", "replies", "quotes")
        )
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class ClickCount(models.Model):
    """Visits that arrived through one of our links, per page, post, network and day.

    First party: no cookie, IP address or user agent is stored, only these counters. ``post`` is
    set when the link carried a post identifier, ``network`` is the link's ``utm_source`` (a
    share button's network, a channel's network, "rss"...).
    """

    page = models.ForeignKey(
        "wagtailcore.Page", verbose_name=_("page"), on_delete=models.CASCADE,
        related_name="+",
    )
    post = models.ForeignKey(
        "wagtail_smo.SocialPost", verbose_name=_("post"), null=True, blank=True,
        on_delete=models.CASCADE, related_name="click_counts",
    )
    network = models.CharField(_("network"), max_length=100, blank=True)
    day = models.DateField(_("day"), db_index=True)
    count = models.PositiveIntegerField(_("clicks"), default=0)

    class Meta:
        verbose_name = _("click count")
        verbose_name_plural = _("click counts")
        ordering = ["-day"]
        constraints = [
            # NULLS NOT DISTINCT is not portable: page-level clicks (no post) use their own
            # condition so that each (page, network, day) has one row either way.
            models.UniqueConstraint(
                fields=["page", "post", "network", "day"],
                condition=models.Q(post__isnull=False),
                name="wagtail_smo_one_click_row_per_post_day",
            ),
            models.UniqueConstraint(
                fields=["page", "network", "day"],
                condition=models.Q(post__isnull=True),
                name="wagtail_smo_one_click_row_per_page_day",
            ),
        ]

    def __str__(self) -> str:
        """"page #id, network, day: count"."""
        return f"page #{self.page_id}, {self.network or '-'}, {self.day}: {self.count}"
