"""Models of wagtail-smo, split by concern; import them from here."""

from .channels import SocialChannel
from .delivery import AttemptOutcome, DeliveryAttempt, DeliveryLease
from .mixin import SocialMetaMixin
from .posts import OPEN_STATUSES, PostStatus, SocialPost
from .site_settings import SocialMediaSettings

__all__ = [
    "AttemptOutcome",
    "DeliveryAttempt",
    "DeliveryLease",
    "OPEN_STATUSES",
    "PostStatus",
    "SocialChannel",
    "SocialMediaSettings",
    "SocialMetaMixin",
    "SocialPost",
]
