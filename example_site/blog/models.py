"""The demo's two sections: a blog (StreamField posts) and news (rich-text items)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, ObjectList, TabbedInterface
from wagtail.fields import RichTextField, StreamField
from wagtail.images.blocks import ImageChooserBlock
from wagtail.models import Page
from wagtail.search import index

from wagtail_smo.editor.forms import SocialMetaPageForm
from wagtail_smo.editor.panels import SocialTab, social_edit_handler, social_panels
from wagtail_smo.models import SocialMetaMixin
from wagtail_smo.posts.admin_ui import SocialPostsPanel


class SectionIndexPage(SocialMetaMixin, Page):
    """Shared behaviour of the section index pages: list live children, newest first."""

    intro = models.TextField(blank=True)

    smo_description_fields = ["intro"]
    smo_body_fields = []
    content_panels = Page.content_panels + [FieldPanel("intro")]
    edit_handler = social_edit_handler(content_panels)

    class Meta:
        abstract = True

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["entries"] = (
            self.get_children().live().public().specific().order_by("-first_published_at")
        )
        return context


class BlogIndexPage(SectionIndexPage):
    subpage_types = ["blog.BlogPage"]


class NewsIndexPage(SectionIndexPage):
    subpage_types = ["blog.NewsPage"]


class BlogPageTag(TaggedItemBase):
    content_object = ParentalKey(
        "blog.BlogPage", related_name="tagged_items", on_delete=models.CASCADE
    )


class NewsPageTag(TaggedItemBase):
    content_object = ParentalKey(
        "blog.NewsPage", related_name="tagged_items", on_delete=models.CASCADE
    )


class BlogPage(SocialMetaMixin, Page):
    """A blog post: intro, StreamField body with paragraphs and images, tags, author, date."""

    intro = models.CharField(max_length=500, blank=True)
    body = StreamField(
        [
            ("heading", blocks.CharBlock(form_classname="title")),
            ("paragraph", blocks.RichTextBlock()),
            ("image", ImageChooserBlock()),
        ],
        blank=True,
    )
    author = models.CharField(max_length=255, blank=True)
    date = models.DateField("post date", null=True, blank=True)
    main_image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    tags = ClusterTaggableManager(through=BlogPageTag, blank=True)

    smo_description_fields = ["intro"]
    smo_image_fields = ["main_image"]
    smo_og_type = "article"
    smo_published_field = "date"

    parent_page_types = ["blog.BlogIndexPage"]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body")]
    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        FieldPanel("main_image"),
        FieldPanel("body"),
        FieldPanel("author"),
        FieldPanel("date"),
        FieldPanel("tags"),
    ]
    # The usual tabs of social_edit_handler(), with the page's social posts and their states
    # listed on the Social tab, under the "share when published" switch.
    edit_handler = TabbedInterface([
        ObjectList(content_panels, heading=_("Content")),
        ObjectList(Page.promote_panels, heading=_("Promote")),
        SocialTab([*social_panels(), SocialPostsPanel()]),
        ObjectList(Page.settings_panels, heading=_("Settings")),
    ], base_form_class=SocialMetaPageForm)


class NewsPage(SocialMetaMixin, Page):
    """A news item: a rich-text body (images embedded in the text), tags and a date."""

    date = models.DateField("news date", null=True, blank=True)
    body = RichTextField(blank=True)
    tags = ClusterTaggableManager(through=NewsPageTag, blank=True)

    smo_og_type = "article"
    smo_published_field = "date"
    smo_author_field = None

    parent_page_types = ["blog.NewsIndexPage"]
    content_panels = Page.content_panels + [
        FieldPanel("date"),
        FieldPanel("body"),
        FieldPanel("tags"),
    ]
    edit_handler = social_edit_handler(content_panels)
