"""Admin registration of wagtail-smo: declarative, the implementations live in each area."""

from django.templatetags.static import static
from django.utils.html import format_html
from wagtail import hooks
from wagtail.log_actions import LogActionRegistry
from wagtail.snippets.models import register_snippet

from .analytics.clicks import count_clicks

# --- posts: social posts viewset, channels, calendar, bulk actions, dashboard, history ---
from .posts import admin_ui as posts_admin
from .posts.channel_views import SocialChannelViewSet
from .posts.views import SocialPostViewSet
from .posts.workflow import LOG_ACTIONS as POST_LOG_ACTIONS

register_snippet(SocialPostViewSet)
# First-party clicks: a view through one of our links counts once Wagtail has served the page.
# Order 1: inside Wagtail's own view-restriction wrapper (order 0), so a login or password form
# answered instead of the page never reaches the counter.
hooks.register("on_serve_page", count_clicks, order=1)
hooks.register("register_bulk_action", posts_admin.ApproveBulkAction)
hooks.register("register_bulk_action", posts_admin.ScheduleBulkAction)
# After Wagtail's own delete action for every snippet (order 0), so that this one wins for posts.
hooks.register("register_bulk_action", posts_admin.DeleteBulkAction, order=1)
hooks.register("construct_homepage_panels", posts_admin.dashboard_panels)
hooks.register("register_page_header_buttons", posts_admin.page_header_buttons)
hooks.register("register_admin_menu_item", posts_admin.calendar_menu_item)


@hooks.register("insert_global_admin_css")
def posts_admin_css() -> str:
    """Status colours and the calendar's layout, wherever posts are listed (home included)."""
    return format_html('<link rel="stylesheet" href="{}">', static("wagtail_smo/posts_admin.css"))


@hooks.register("register_admin_viewset")
def register_channel_viewset() -> SocialChannelViewSet:
    """The admin views of the per-site channel settings."""
    return SocialChannelViewSet()


@hooks.register("register_log_actions")
def register_post_log_actions(actions: LogActionRegistry) -> None:
    """The post workflow's log actions, so that the history shows them in words."""
    for action, (label, message) in POST_LOG_ACTIONS.items():
        actions.register_action(action, label, message)
