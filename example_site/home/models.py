from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page

from wagtail_smo.editor.panels import social_edit_handler
from wagtail_smo.models import SocialMetaMixin


class HomePage(SocialMetaMixin, Page):
    """The demo's home page."""

    intro = models.TextField(blank=True)

    smo_description_fields = ["intro"]
    smo_body_fields = []

    content_panels = Page.content_panels + [FieldPanel("intro")]
    edit_handler = social_edit_handler(content_panels)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["sections"] = self.get_children().live().public().specific()
        return context
