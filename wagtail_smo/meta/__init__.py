"""Social meta: one resolver, many outputs."""

from .context import ResolveContext
from .requests import request_context, resolve_for_request
from .resolver import Breadcrumb, SocialImage, SocialMeta, resolve
from .sources import Source

__all__ = [
    "Breadcrumb",
    "ResolveContext",
    "SocialImage",
    "SocialMeta",
    "Source",
    "request_context",
    "resolve",
    "resolve_for_request",
]
