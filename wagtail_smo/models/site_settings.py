"""Per-site social settings, edited in the Wagtail admin under Settings."""

from __future__ import annotations

import locale as pylocale
import re

from django.conf.locale import LANG_INFO
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField

from ..core.networks import share_choices
from ..images.layouts import layout_choices


def share_network_choices() -> list[tuple[str, str]]:
    """Choices of the share-buttons setting: every share button, read when a form is built.

    Defined here so that the migration names a path that stays put wherever the list lives (the
    network registry, ``core.networks.share_choices``).
    """
    return share_choices()


X_HANDLE = re.compile(r"@[A-Za-z0-9_]{1,15}")
# @user@host: the user as Mastodon allows it, the host a domain name (punycode for an IDN).
FEDIVERSE_ACCOUNT = re.compile(
    r"@[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+"
    r"[A-Za-z0-9-]{2,63}"
)
LOCALE = re.compile(r"(?P<language>[A-Za-z]{2,3})(?:[_-](?P<region>[A-Za-z]{2}))?")
FACEBOOK_APP_ID = re.compile(r"[0-9]{1,20}")
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")


def locale_problem(value: str) -> str | None:
    """Why ``value`` is not a locale such as ``en`` or ``en_GB`` (a known language), or None."""
    match = LOCALE.fullmatch(value)
    if match is None:
        return gettext(
            "Give a language code such as en, or a language and a country such as en_GB.")
    language = match["language"].lower()
    # Django's languages, else the C library's locale aliases (which know "fy", "ga", "se"...).
    if language not in LANG_INFO and not pylocale.normalize(language).startswith(language + "_"):
        return gettext("%(language)s is not a known language code (ISO 639), e.g. en, fr, ru.") % {
            "language": match["language"]}
    return None


def settings_problems(values: dict[str, str]) -> dict[str, str]:
    """Each field of the social media settings whose value is refused, with why (see clean())."""
    problems = {}
    checks = {
        "x_handle": (X_HANDLE, gettext(
            "An X handle is @ followed by 1 to 15 letters, digits or underscores, e.g. @example.")),
        "fediverse_creator": (FEDIVERSE_ACCOUNT, gettext(
            "A fediverse account is @user@server, e.g. @news@mastodon.social.")),
        "facebook_app_id": (FACEBOOK_APP_ID, gettext(
            "A Facebook app id is a number, e.g. 1234567890.")),
    }
    for name, (pattern, message) in checks.items():
        if values.get(name) and not pattern.fullmatch(values[name]):
            problems[name] = message
    if values.get("locale") and (problem := locale_problem(values["locale"])):
        problems["locale"] = problem
    for name in ("site_name", "organisation_name", "default_image_alt"):
        if CONTROL_CHARACTERS.search(values.get(name) or ""):
            problems[name] = gettext("Line breaks and control characters are not allowed here.")
    return problems
def card_layout_choices() -> list[tuple[str, str]]:
    """Choices of the card layout setting: the built-in layouts and the site's own
    (``WAGTAIL_SMO["CARDS"]["LAYOUTS"]``), read when a form is built."""
    return layout_choices()


#: When pages get a generated card (see docs/images.md).
CARD_MODES = [
    ("off", _("Never")),
    ("missing", _("When a page has no usable image")),
    ("always", _("For every page")),
]
#: The line drawn above the title of a generated card.
CARD_SUBTITLES = [("section", _("The page's section")), ("date", _("The page's date")),
                  ("none", _("Nothing"))]
_COLOUR = RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Enter a colour as #rrggbb."))


class ProfileLinkBlock(blocks.StructBlock):
    """A profile of the site on a network: rendered as ``rel="me"`` and follow links."""

    network = blocks.CharBlock(max_length=40, help_text=_("e.g. Mastodon, Bluesky, LinkedIn"))
    url = blocks.URLBlock()
    label = blocks.CharBlock(max_length=80, required=False)


@register_setting(icon="globe")
class SocialMediaSettings(BaseSiteSetting):
    """Site-wide defaults and identities used by every social output."""

    # Images used by every page's tags come with the settings in one query.
    select_related = ["default_image", "organisation_logo", "card_logo"]

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
        help_text=_(
            "Language of the site's pages, such as en_GB: og:locale, inLanguage and the feeds' "
            "language. With Wagtail's internationalisation on, each page's own locale is used "
            "instead. Empty: the LANGUAGE_CODE setting."
        ),
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

    card_mode = models.CharField(
        _("generated cards"), max_length=10, choices=CARD_MODES, default="missing",
        help_text=_("When a page is shared with a card drawn from its title. A page can ask for "
                    "one always, or never, in its Social tab."),
    )
    card_layout = models.CharField(_("card layout"), max_length=50, default="classic",
                                   choices=card_layout_choices)
    card_background = models.CharField(_("card background colour"), max_length=7,
                                       default="#1d3557", validators=[_COLOUR])
    card_text_colour = models.CharField(_("card text colour"), max_length=7, default="#ffffff",
                                        validators=[_COLOUR])
    card_accent = models.CharField(_("card accent colour"), max_length=7, default="#e9c46a",
                                   validators=[_COLOUR],
                                   help_text=_("The section or date line and the site name."))
    card_logo = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("card logo"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
        help_text=_("Drawn at the top of generated cards (a PNG with transparency works best)."),
    )
    card_subtitle = models.CharField(_("line above the title"), max_length=10,
                                     choices=CARD_SUBTITLES, default="section")
    card_site_name = models.BooleanField(_("show the site name"), default=True)

    class Meta:
        verbose_name = _("social media")

    def clean(self) -> None:
        """Refuse handles, accounts, locales and ids that are not what they say they are."""
        super().clean()
        for name in ("x_handle", "fediverse_creator", "locale", "facebook_app_id"):
            setattr(self, name, (getattr(self, name) or "").strip())
        problems = settings_problems({
            name: getattr(self, name) for name in (
                "x_handle", "fediverse_creator", "locale", "facebook_app_id", "site_name",
                "organisation_name", "default_image_alt",
            )
        })
        if problems:
            raise ValidationError(problems)
