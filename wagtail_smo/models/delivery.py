"""Delivery attempts: one row per try to send a post, shown to editors on the post."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AttemptOutcome(models.TextChoices):
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    RETRY = "retry", _("Will be retried")
    FAILED = "failed", _("Failed")
    #: The request may have reached the network: a person must check before retrying.
    UNKNOWN = "unknown", _("Outcome unknown")
    #: The request may have reached the network (the worker stopped mid-attempt, or the answer
    #: was lost) and the network de-duplicates within its window: queued again.
    INTERRUPTED = "interrupted", _("Interrupted, queued again")
    #: A person settled the post (marked it sent or failed, retried or cancelled it).
    SETTLED = "settled", _("Settled by a person")


class DeliveryAttempt(models.Model):
    """One try to deliver a :class:`SocialPost`; ``message`` is the network's text, no tokens."""

    post = models.ForeignKey(
        "wagtail_smo.SocialPost", verbose_name=_("post"), on_delete=models.CASCADE,
        related_name="attempts",
    )
    attempt_id = models.CharField(_("attempt id"), max_length=64, unique=True)
    #: 1 for the first try after approval (or a manual retry), then 2, 3... for automatic retries.
    number = models.PositiveSmallIntegerField(_("try"), default=1)
    channel = models.CharField(_("channel"), max_length=100)
    started_at = models.DateTimeField(_("started at"), default=timezone.now, db_index=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=AttemptOutcome.choices,
        default=AttemptOutcome.SENDING,
    )
    status_code = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    message = models.TextField(_("message"), blank=True)
    retry_at = models.DateTimeField(_("retry at"), null=True, blank=True)

    #: A log row, not content: keeping it out of Wagtail's reference index also spares one
    #: background task per attempt.
    wagtail_reference_index_ignore = True

    class Meta:
        verbose_name = _("delivery attempt")
        verbose_name_plural = _("delivery attempts")
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.channel} #{self.number}: {self.outcome}"


class DeliveryLease(models.Model):
    """A named lease held by one chain of a periodic task (the self-healing delivery check).

    Whoever finds the lease expired takes it with a new ``token`` and starts a chain; a task
    carrying another token stops. So however many workers start, one chain lives.
    """

    name = models.CharField(_("name"), max_length=64, unique=True)
    token = models.CharField(_("token"), max_length=64)
    expires_at = models.DateTimeField(_("expires at"))
    #: A log row, not content (see DeliveryAttempt).
    wagtail_reference_index_ignore = True

    class Meta:
        verbose_name = _("delivery lease")
        verbose_name_plural = _("delivery leases")

    def __str__(self) -> str:
        return f"{self.name} until {self.expires_at:%Y-%m-%d %H:%M:%S}"
