"""Per-site social settings, edited in the Wagtail admin under Settings."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField

from ..core.networks import share_choices


def share_network_choices() -> list[tuple[str, str]]:
    """Choices of the share-buttons setting: every share button, read when a form is built.

    Defined here so that the migration names a path that stays put wherever the list lives (the
    network registry, ``core.networks.share_choices``).
    """
    return share_choices()


class ProfileLinkBlock(blocks.StructBlock):
    """A profile of the site on a network: rendered as ``rel="me"`` and follow links."""

    network = blocks.CharBlock(max_length=40, help_text=_("e.g. Mastodon, Bluesky, LinkedIn"))
    url = blocks.URLBlock()
    label = blocks.CharBlock(max_length=80, required=False)


@register_setting(icon="globe")
class SocialMediaSettings(BaseSiteSetting):
    """Site-wide defaults and identities used by every social output."""

    # Images used by every page's tags come with the settings in one query.
    select_related = ["default_image", "organisation_logo"]

    site_name = models.CharField(
        _("site name"),
        max_length=255,
        blank=True,
        help_text=_("og:site_name. Defaults to the site's name in Wagtail."),
    )
    default_description = models.TextField(
        _("default description"),
        blank=True,
        help_text=_("Used when a page has no description of its own."),
    )
    default_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("default image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Used when a page and its sections have no image."),
    )
    default_image_alt = models.CharField(_("default image alt text"), max_length=420, blank=True)
    x_handle = models.CharField(
        _("X handle"),
        max_length=50,
        blank=True,
        help_text=_("twitter:site, e.g. @example"),
    )
    fediverse_creator = models.CharField(
        _("fediverse creator"),
        max_length=255,
        blank=True,
        help_text=_("fediverse:creator, e.g. @news@mastodon.social"),
    )
    profile_links = StreamField(
        [("profile", ProfileLinkBlock())],
        blank=True,
        verbose_name=_("profile links"),
    )
    facebook_app_id = models.CharField(_("Facebook app id"), max_length=50, blank=True)
    organisation_name = models.CharField(
        _("organisation name"),
        max_length=255,
        blank=True,
        help_text=_("Publisher in JSON-LD. Defaults to the site name."),
    )
    organisation_logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("organisation logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    locale = models.CharField(
        _("locale"),
        max_length=20,
        blank=True,
        help_text=_("og:locale such as en_GB. Defaults to the page's locale."),
    )
    share_networks = StreamField(
        [("network", blocks.ChoiceBlock(choices=share_network_choices, label=_("network")))],
        blank=True,
        verbose_name=_("share buttons"),
        help_text=_(
            "Networks of the share buttons, in this order. Leave empty for the default list "
            "(WAGTAIL_SMO['SHARE_NETWORKS']). A template can still pass its own list."
        ),
    )

    # Part of the HTTP validators of feeds and /smo/meta/ (meta/validators.py): read from the
    # database, so a change made by one process is seen by every other one. Null on rows not
    # saved since the field was added.
    updated_at = models.DateTimeField(auto_now=True, null=True, editable=False)

    class Meta:
        verbose_name = _("social media")
