"""Social meta: one resolver, many outputs."""

from .resolver import SocialImage, SocialMeta, resolve

__all__ = ["SocialImage", "SocialMeta", "resolve"]
