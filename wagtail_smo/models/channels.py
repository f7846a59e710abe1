"""Per-site channel settings: which configured channels a site posts to, and how.

A *channel* is one alias of ``WAGTAIL_SMO["PROVIDERS"]`` (credentials stay in settings). Each
site enables the channels it uses and gives each a message template, hashtag and UTM rules, and
whether its drafts need approval.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.models import Site

from ..core.networks import (
    channel_aliases,
    channel_config,
    channel_label,
    channel_network,
    default_template,
)
from ..core.text import PLACEHOLDERS, validate_template

TEMPLATE_HELP = _("Empty: the network's default template. Placeholders: ") + ", ".join(
    f"{{{name}}}" for name in PLACEHOLDERS
)


class SocialChannelQuerySet(models.QuerySet):
    def enabled_for_site(self, site: Site) -> SocialChannelQuerySet:
        """Enabled channels of ``site`` that are still configured in settings."""
        return self.filter(site=site, enabled=True, channel__in=channel_aliases())


class SocialChannel(models.Model):
    """One channel as used by one site: enabled or not, message template, hashtags, UTM."""

    site = models.ForeignKey(
        "wagtailcore.Site", verbose_name=_("site"), on_delete=models.CASCADE,
        related_name="smo_channels",
    )
    channel = models.CharField(
        _("channel"), max_length=100,
        help_text=_("A channel configured in WAGTAIL_SMO['PROVIDERS']."),
    )
    enabled = models.BooleanField(
        _("enabled"), default=True,
        help_text=_("Create a post draft for this channel when a page of the site is published."),
    )
    message_template = models.TextField(
        _("message template"), blank=True, validators=[validate_template], help_text=TEMPLATE_HELP,
    )
    max_hashtags = models.PositiveSmallIntegerField(
        _("maximum hashtags"), default=3,
        help_text=_("Hashtags made from the page's tags, at most this many (0: none)."),
    )
    fixed_hashtags = models.CharField(
        _("fixed hashtags"), max_length=255, blank=True,
        help_text=_("Always added before the page's own, e.g. “#news #wagtail”."),
    )
    utm_enabled = models.BooleanField(
        _("add UTM parameters"), default=True,
        help_text=_("Tag links with utm_source (the network), utm_medium and utm_campaign."),
    )
    utm_campaign = models.CharField(
        _("UTM campaign"), max_length=255, blank=True,
        help_text=_("Empty: the site-wide campaign template. {slug}, {network}, {site} allowed."),
    )
    auto_approve = models.BooleanField(
        _("approve automatically"), default=False,
        help_text=_(
            "Off (recommended): drafts wait for a person with the approve permission. On: drafts "
            "are approved and sent as soon as the page is published."
        ),
    )

    objects = SocialChannelQuerySet.as_manager()

    class Meta:
        verbose_name = _("social channel")
        verbose_name_plural = _("social channels")
        ordering = ["site", "channel"]
        constraints = [
            models.UniqueConstraint(
                fields=["site", "channel"], name="wagtail_smo_channel_per_site"
            ),
        ]

    def __str__(self) -> str:
        return f"{channel_label(self.channel)} ({self.site})"

    def clean(self) -> None:
        """Refuse a channel alias that is not configured in settings."""
        if self.channel and self.channel not in channel_aliases():
            message = _("Unknown channel %(alias)s: configure it in WAGTAIL_SMO['PROVIDERS'].")
            raise ValidationError({"channel": message % {"alias": self.channel}})

    @property
    def network(self) -> str:
        """The network this channel posts to (decides counting and the default template)."""
        return channel_network(self.channel)

    @property
    def options(self) -> dict:
        """The channel's OPTIONS from settings (only the non-secret MAX_CHARACTERS is read)."""
        return dict(channel_config(self.channel).get("OPTIONS", {}))

    def effective_template(self) -> str:
        """This channel's template, or its network's default."""
        return self.message_template or default_template(self.network)

    def hashtag_sources(self, page_tags: Iterable[str]) -> list[str]:
        """Fixed hashtags first, then the page's tags."""
        return self.fixed_hashtags.split() + list(page_tags)
