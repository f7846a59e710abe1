"""Models of wagtail-smo, split by concern; import them from here."""

from .analytics import METRIC_FIELDS, ClickCount, MetricSnapshot, MetricsState
from .channels import SocialChannel
from .delivery import AttemptOutcome, DeliveryAttempt, DeliveryLease
from .mixin import SocialMetaMixin
from .posts import OPEN_STATUSES, PostStatus, SocialPost, new_click_ref
from .site_settings import SocialMediaSettings

__all__ = [
    "METRIC_FIELDS",
    "ClickCount",
    "MetricSnapshot",
    "MetricsState",
    "AttemptOutcome",
    "DeliveryAttempt",
    "DeliveryLease",
    "OPEN_STATUSES",
    "PostStatus",
    "SocialChannel",
    "SocialMediaSettings",
    "SocialMetaMixin",
    "SocialPost",
    "new_click_ref",
]
