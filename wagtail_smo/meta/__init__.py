"""Social meta: one resolver, many outputs."""

from .resolver import Breadcrumb, SocialImage, SocialMeta, resolve

__all__ = ["Breadcrumb", "SocialImage", "SocialMeta", "resolve"]
