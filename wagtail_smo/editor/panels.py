"""The Social tab: the mixin's overrides with live counters, and the SMO checks of the page.

Use it in a page model's edit handler::

    from wagtail_smo.editor.panels import social_edit_handler

    class BlogPage(SocialMetaMixin, Page):
        content_panels = Page.content_panels + [...]
        edit_handler = social_edit_handler(content_panels)

or add ``SocialTab()`` to your own ``TabbedInterface`` (with
``base_form_class=SocialMetaPageForm``, which asks for a new alt text when the image changes).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import (
    FieldPanel,
    MultiFieldPanel,
    ObjectList,
    Panel,
    TabbedInterface,
)

from ..audit import audit_page
from .cards import source_lines
from .forms import SocialMetaPageForm
from .widgets import EDITOR_MEDIA, CountedTextarea, CountedTextInput


class SocialChecksPanel(Panel):
    """The SMO checks of the page as last saved, with a one-line fix for each problem."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("heading", _("Social checks"))
        super().__init__(**kwargs)

    class BoundPanel(Panel.BoundPanel):
        template_name = "wagtail_smo/editor/checks_panel.html"

        def get_context_data(self, parent_context: Mapping[str, Any] | None = None) -> dict:
            """Findings and value sources of the edited page (None before its first save)."""
            context = super().get_context_data(parent_context)
            page = self.instance
            if page is None or not getattr(page, "pk", None):
                context.update(findings=None, sources=[])
                return context
            result = audit_page(page)
            context.update(
                findings=result.findings,
                sources=source_lines(page, result.meta) if result.meta else [],
            )
            return context

        @property
        def media(self) -> forms.Media:
            """The panel's styles."""
            return EDITOR_MEDIA


def social_panels() -> list[Panel]:
    """The panels of the Social tab, for pages that use ``SocialMetaMixin``."""
    return [
        MultiFieldPanel(
            [
                FieldPanel("social_title", widget=CountedTextInput("title")),
                FieldPanel("social_description", widget=CountedTextarea("description")),
            ],
            heading=_("Card text"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("social_image"),
                FieldPanel("social_image_alt", widget=CountedTextInput("alt")),
                FieldPanel("social_image_fallback"),
                FieldPanel("social_card"),
            ],
            heading=_("Card image"),
        ),
        MultiFieldPanel(
            [FieldPanel("share_when_published"), FieldPanel("exclude_from_feeds")],
            heading=_("Sharing"),
        ),
        SocialChecksPanel(),
    ]


class SocialTab(ObjectList):
    """An ``ObjectList`` headed "Social" holding ``social_panels()`` unless given children."""

    def __init__(self, children: Iterable[Panel] = (), *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("heading", _("Social"))
        super().__init__(list(children) or social_panels(), *args, **kwargs)


def social_edit_handler(
    content_panels: list[Panel], promote_panels: list[Panel] | None = None,
    settings_panels: list[Panel] | None = None, **kwargs: Any,
) -> TabbedInterface:
    """Wagtail's usual Content / Promote / Settings tabs with the Social tab before Settings.

    The form is ``SocialMetaPageForm`` unless ``base_form_class`` is given.
    """
    from wagtail.models import Page

    promote = Page.promote_panels if promote_panels is None else promote_panels
    settings = Page.settings_panels if settings_panels is None else settings_panels
    tabs = [ObjectList(content_panels, heading=_("Content"))]
    if promote:
        tabs.append(ObjectList(promote, heading=_("Promote")))
    tabs.append(SocialTab())
    if settings:
        tabs.append(ObjectList(settings, heading=_("Settings")))
    kwargs.setdefault("base_form_class", SocialMetaPageForm)
    return TabbedInterface(tabs, **kwargs)
