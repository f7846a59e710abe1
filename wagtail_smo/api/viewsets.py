"""Wagtail API v2 pages endpoint whose detail view answers conditional GETs before serializing."""

from __future__ import annotations

from datetime import datetime
from functools import partial
from typing import Any

from django.http import HttpRequest, HttpResponse
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.models import Page

from ..meta.validators import ancestry_q, conditional, validators_for
from .views import REVALIDATE


class SocialMetaPagesAPIViewSet(PagesAPIViewSet):
    """``PagesAPIViewSet`` with ``ETag``/``Last-Modified`` on ``/api/v2/pages/<id>/``.

    The validators cover what the ``social_meta`` field depends on (the page, its ancestors, their
    images and tags, the site, the social settings) and the query string (``fields=...``). A
    model whose API fields read other models (snippets, related objects) adds their change times
    by overriding ``also_changed``. Listings are served as by Wagtail.
    """

    def also_changed(self, page: Page) -> list[datetime | None]:
        """Extra change times the detail of ``page`` depends on (none by default)."""
        return []

    def detail_view(self, request: HttpRequest, pk: Any) -> HttpResponse:
        """The page's detail, or a 304 computed without serializing it."""
        page = self.get_object()
        validators = validators_for(
            request, page.get_site(), ancestry_q(page), also=self.also_changed(page)
        )
        serialize = partial(super().detail_view, request, pk)
        return conditional(request, validators, serialize, cache_control=REVALIDATE)
