"""One page model, three meta libraries: every contender reads the same fields of the same page."""

from django.db import models
from meta.models import ModelMeta
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail import blocks
from wagtail.fields import StreamField
from wagtail.images.blocks import ImageChooserBlock
from wagtail.models import Page
from wagtailmetadata.models import MetadataPageMixin

from wagtail_smo.models import SocialMetaMixin

FILTER = "fill-1200x630|format-jpeg|jpegquality-85"


class BenchPageTag(TaggedItemBase):
    content_object = ParentalKey("_meta_app.BenchPage", related_name="tagged_items",
                                 on_delete=models.CASCADE)


class BenchPage(SocialMetaMixin, MetadataPageMixin, ModelMeta, Page):
    intro = models.CharField(max_length=500, blank=True)
    body = StreamField([("paragraph", blocks.RichTextBlock()), ("image", ImageChooserBlock())],
                       blank=True)
    author = models.CharField(max_length=255, blank=True)
    date = models.DateField(null=True, blank=True)
    main_image = models.ForeignKey("wagtailimages.Image", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    tags = ClusterTaggableManager(through=BenchPageTag, blank=True)

    # wagtail-smo
    smo_description_fields = ["intro"]
    smo_image_fields = ["main_image"]
    smo_og_type = "article"
    smo_published_field = "date"

    # wagtail-metadata: the same description and image as the others.
    def get_meta_description(self):
        return self.search_description or self.intro

    def get_meta_image(self):
        return self.search_image or self.main_image

    # django-meta: the same values, through its own _metadata mapping.
    _metadata = {
        "title": "get_meta_title",
        "description": "get_meta_description",
        "image": "django_meta_image",
        "image_width": 1200,
        "image_height": 630,
        "url": "get_meta_url",
        "og_type": "article",
        "object_type": "Article",
        "site_name": "SMO Demo",
        "published_time": "date",
        "modified_time": "last_published_at",
        "tag": "tag_names",
        "locale": "en_US",
    }
    _schema = {
        "@type": "Article",
        "headline": "get_meta_title",
        "description": "get_meta_description",
        "image": "django_meta_image",
        "datePublished": "date",
        "author": "author",
    }

    def django_meta_image(self):
        image = self.get_meta_image()
        return self._get_full_url(image.get_rendition(FILTER).url) if image else None

    def tag_names(self):
        return [tag.name for tag in self.tags.all()]
