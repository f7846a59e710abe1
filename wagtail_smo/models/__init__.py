"""Models of wagtail-smo, split by concern; import them from here."""

from .mixin import SocialMetaMixin
from .site_settings import SocialMediaSettings

__all__ = ["SocialMediaSettings", "SocialMetaMixin"]
