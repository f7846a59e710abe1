"""The page mixin: one line on a page model gives it per-page social overrides.

Models hold data and import only the leaf modules (``conf``, ``exceptions``, ``core``; see the
module map in ``docs/development.md``). Yet a page with the mixin also gets behaviour from parts
above models: the ``social_meta`` field of Wagtail's API v2 (``wagtail_smo.api``) and the "Social
cards" preview mode (``wagtail_smo.editor``), both of which resolve the page's meta. So the mixin
declares the extension points and those parts plug into them when the app starts
(``WagtailSmoConfig.ready()``), the way Wagtail's hooks work:

- ``api_fields`` holds a ``PluggedAPIField("social_meta")`` from the start, so a model can still
  write ``api_fields = SocialMetaMixin.api_fields + [...]`` in its class body; the field's
  serializer is the one registered under its name with ``page_extensions.add_api_serializer()``;
- ``SocialPreviewMixin`` (included in the mixin) offers every mode registered with
  ``page_extensions.add_preview_mode()`` after the page's own, and serves it with the registered
  function.

Before ``ready()`` (a script that imports models without ``django.setup()``) the page simply has
no extra preview modes and the API field no serializer.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from django.db import models
from django.http import HttpRequest, HttpResponse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from wagtail.api import APIField

#: Renders a preview mode: ``render(page, request) -> HttpResponse``.
PreviewRenderer = Callable[[Any, HttpRequest], HttpResponse]


class PageExtensions:
    """What the upper parts add to pages with the mixin: API serializers and preview modes."""

    def __init__(self) -> None:
        self.api_serializers: dict[str, Any] = {}
        self.preview_modes: dict[str, tuple[str | Promise, PreviewRenderer]] = {}

    def add_api_serializer(self, name: str, serializer: Any) -> None:
        """Serve the API field ``name`` with ``serializer`` (a Django REST framework field)."""
        self.api_serializers[name] = serializer

    def add_preview_mode(self, name: str, label: str | Promise, render: PreviewRenderer) -> None:
        """Offer the preview mode ``name`` (shown as ``label``), rendered by ``render``."""
        self.preview_modes[name] = (label, render)


#: The one set of extensions, filled by ``WagtailSmoConfig.ready()``.
page_extensions = PageExtensions()


class PluggedAPIField(APIField):
    """An API v2 field whose serializer is registered at start-up under its name.

    Wagtail reads ``serializer`` when it builds a response, long after the model class exists.
    """

    def __init__(self, name: str) -> None:
        self.name = name
        self.writable = False

    @property
    def serializer(self) -> Any:
        """The serializer registered for this field's name (None before start-up)."""
        return page_extensions.api_serializers.get(self.name)


class SocialPreviewMixin(models.Model):
    """Adds the registered preview modes ("Social cards") to Wagtail's live preview of a page.

    Abstract and field-free, so that migrations never name it. ``SocialMetaMixin`` includes it.
    """

    class Meta:
        abstract = True

    @property
    def preview_modes(self) -> list[tuple[str, Any]]:
        """The page's own preview modes, then the registered ones."""
        extra = [(name, label) for name, (label, _render) in page_extensions.preview_modes.items()]
        # super() is the Page this mixin is placed before; mypy only sees models.Model.
        return [*super().preview_modes, *extra]  # type: ignore[misc]

    def serve_preview(self, request: HttpRequest, mode_name: str) -> HttpResponse:
        """Render a registered mode with its function; every other mode is the page's own."""
        registered = page_extensions.preview_modes.get(mode_name)
        if registered is None:
            # As above: super() is the Page, which mypy cannot see from here.
            return super().serve_preview(request, mode_name)  # type: ignore[misc]
        return registered[1](self, request)


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
    # Which image the alt text describes (set by the Social tab's form, SocialMetaPageForm): the
    # audit flags an alt text left over from a previous image. None: not known (older pages,
    # pages saved by code).
    social_image_alt_for = models.IntegerField(
        _("image the alt text describes"), null=True, blank=True, editable=False,
    )
    social_image_fallback = models.BooleanField(
        _("find an image automatically"),
        default=True,
        help_text=_(
            "When no social image is set, use the page's own images, then the section's, then the "
            "site default. Untick to share this page without an image."
        ),
    )

    social_card = models.CharField(
        _("generated card"), max_length=10, blank=True, default="",
        choices=[("", _("As the site's settings say")),
                 ("always", _("Always use a generated card")),
                 ("never", _("Never use a generated card"))],
        help_text=_("A card drawn from the page's title (Settings › Social media sets its look)."),
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
    api_fields: ClassVar[list] = [PluggedAPIField("social_meta")]

    class Meta:
        abstract = True
