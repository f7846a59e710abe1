"""The page mixin: one line on a page model gives it per-page social overrides."""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.api import APIField

from ..api.fields import SocialMetaAPIField
from ..editor.preview import SocialPreviewMixin


class SocialMetaMixin(SocialPreviewMixin, models.Model):
    """Optional per-page overrides read by the social resolver.

    Add it before ``Page``::

        class BlogPage(SocialMetaMixin, Page):
            smo_description_fields = ["intro"]
            smo_image_fields = ["main_image"]
            smo_og_type = "article"

    Class attributes tell the resolver which fields of the model feed each value. Every attribute
    is optional; the resolver falls back as documented in ``docs/meta.md``.
    """

    social_title = models.CharField(
        _("social title"),
        max_length=255,
        blank=True,
        help_text=_("Title shown on social cards. Defaults to the SEO title, then the page title."),
    )
    social_description = models.TextField(
        _("social description"),
        blank=True,
        help_text=_("Text shown under the title on social cards (50–200 characters work best)."),
    )
    social_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("social image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Image for social cards; cropped to 1200×630. Child pages inherit it."),
    )
    social_image_alt = models.CharField(
        _("social image alt text"),
        max_length=420,
        blank=True,
        help_text=_("Describes the social image for people who cannot see it."),
    )
    social_image_fallback = models.BooleanField(
        _("find an image automatically"),
        default=True,
        help_text=_(
            "When no social image is set, use the page's own images, then the section's, then the "
            "site default. Untick to share this page without an image."
        ),
    )

    exclude_from_feeds = models.BooleanField(
        _("leave out of feeds"), default=False,
        help_text=_("Keep this page out of the site's RSS, Atom and JSON feeds and exports."),
    )
    share_when_published = models.BooleanField(
        _("share when published"), default=True,
        help_text=_(
            "Create social post drafts for this page's channels when it is next published. "
            "On for a first publish; tick it again to share an update."
        ),
    )

    #: Fields (in order) whose text can serve as the description, e.g. ``["intro"]``.
    smo_description_fields: ClassVar[list[str]] = []
    #: Image fields (ForeignKey to an image) that can serve as the social image.
    smo_image_fields: ClassVar[list[str]] = []
    #: StreamField or RichTextField fields searched for the first paragraph and the first image.
    smo_body_fields: ClassVar[list[str]] = ["body"]
    #: og:type of this model: "article" for article-like pages, "website" otherwise.
    smo_og_type: ClassVar[str] = "website"
    #: Field (or callable attribute) giving the author's name.
    smo_author_field: ClassVar[str | None] = "author"
    #: Field giving the publication date; falls back to ``first_published_at``.
    smo_published_field: ClassVar[str | None] = None
    #: Tag manager field (django-taggit) whose tags become article:tag and hashtags.
    smo_tags_field: ClassVar[str | None] = "tags"
    #: Field (or callable attribute) giving the author's X handle (twitter:creator); defaults to
    #: the site's X handle.
    smo_x_creator_field: ClassVar[str | None] = None
    #: schema.org type for JSON-LD, e.g. "BlogPosting"; None means "Article" for article-like
    #: pages and no article object otherwise.
    smo_schema_type: ClassVar[str | None] = None

    #: Wagtail API v2: the resolved social meta of the page as the ``social_meta`` field.
    api_fields: ClassVar[list] = [APIField("social_meta", serializer=SocialMetaAPIField())]

    class Meta:
        abstract = True
