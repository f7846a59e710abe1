"""Wagtail API v2 for the example site's headless consumers."""

from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.images.api.v2.views import ImagesAPIViewSet

from wagtail_smo.api.viewsets import SocialMetaPagesAPIViewSet

api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", SocialMetaPagesAPIViewSet)
api_router.register_endpoint("images", ImagesAPIViewSet)
