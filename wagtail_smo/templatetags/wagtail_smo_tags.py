"""Template tags of wagtail-smo: ``{% load wagtail_smo_tags %}``."""

from __future__ import annotations

from django import template

from ..meta.render import social_meta_tag

register = template.Library()


# {% social_meta [page] [json_ld=False] %}: every social tag of the page (docs/meta.md).
register.simple_tag(social_meta_tag, takes_context=True, name="social_meta")
