"""Admin building blocks of social posts: bulk actions, dashboard panel, page panel and button."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime, timedelta
from typing import Any

from django import forms
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import Count
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext_lazy
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import Panel
from wagtail.admin.ui.components import Component
from wagtail.admin.widgets import Button
from wagtail.models import Page
from wagtail.snippets.bulk_actions.delete import DeleteBulkAction as SnippetDeleteBulkAction
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction

from ..models import OPEN_STATUSES, PostStatus, SocialPost
from . import workflow


class _PostBulkAction(SnippetBulkAction):
    """A bulk action on social posts: ``apply`` is the workflow step taken on each post."""

    models = [SocialPost]
    permission = "approve"
    #: "%(count)d posts ...", singular and plural, interpolated with the number of posts changed.
    success_message: str | Promise = ""

    def check_perm(self, obj: SocialPost) -> bool:
        """Whether the user may take this action (on any post: the permission is model-wide)."""
        return workflow.can(self.request.user, self.permission)

    @staticmethod
    def apply(post: SocialPost, user: AbstractBaseUser, index: int, **context: Any) -> None:
        """Take the action on one post; ``index`` counts the posts already done."""
        raise NotImplementedError

    @classmethod
    def execute_action(
        cls, objects: Iterable[SocialPost], user: AbstractBaseUser | None = None,
        self: _PostBulkAction | None = None, **context: Any,
    ) -> tuple[int, int]:
        """Apply the action to each post the workflow allows; (posts done, 0 child objects)."""
        assert self is not None  # Wagtail passes the bound action
        done = 0
        for post in objects:
            try:
                cls.apply(post, self.request.user, done, **context)
                done += 1
            except workflow.WorkflowError:
                continue  # already sent, cancelled...: left as it is and not counted
        return done, 0

    def get_success_message(self, num_parent_objects: int, num_child_objects: int) -> str:
        """"%(count)d posts ..." with the number of posts changed."""
        return self.success_message % {"count": num_parent_objects}


class ApproveBulkAction(_PostBulkAction):
    """Approve every selected draft."""

    display_name = gettext_lazy("Approve")
    action_type = "approve"
    aria_label = gettext_lazy("Approve selected social posts")
    template_name = "wagtail_smo/posts/bulk_approve.html"
    action_priority = 20
    success_message = ngettext_lazy("%(count)d post approved.", "%(count)d posts approved.",
                                    "count")

    @staticmethod
    def apply(post: SocialPost, user: AbstractBaseUser, index: int, **context: Any) -> None:
        """Approve the post."""
        workflow.approve(post, user)


class ScheduleForm(forms.Form):
    """The time for a bulk schedule: the first post at ``start``, the next ones spaced out."""

    start = forms.DateTimeField(
        label=gettext_lazy("First post at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
    )
    interval_minutes = forms.IntegerField(
        label=gettext_lazy("Minutes between posts"), min_value=0, initial=60,
        help_text=gettext_lazy("0 sends them all at the same time."),
    )

    def clean_start(self) -> datetime:
        """A start time the workflow accepts (in the future)."""
        start = self.cleaned_data["start"]
        try:
            workflow.validate_schedule_time(start)
        except workflow.WorkflowError as exc:
            raise forms.ValidationError(str(exc)) from exc
        return start


class ScheduleBulkAction(_PostBulkAction):
    """Schedule every selected post, spaced out from a start time."""

    display_name = gettext_lazy("Schedule")
    action_type = "schedule"
    aria_label = gettext_lazy("Schedule selected social posts")
    template_name = "wagtail_smo/posts/bulk_schedule.html"
    action_priority = 30
    form_class = ScheduleForm
    success_message = ngettext_lazy("%(count)d post scheduled.", "%(count)d posts scheduled.",
                                    "count")

    def get_execution_context(self) -> dict[str, Any]:
        """Wagtail's context plus the form's start time and interval."""
        return {
            **super().get_execution_context(),
            "start": self.cleaned_form.cleaned_data["start"],
            "interval": self.cleaned_form.cleaned_data["interval_minutes"],
        }

    @staticmethod
    def apply(
        post: SocialPost, user: AbstractBaseUser, index: int, start: datetime | None = None,
        interval: int = 0, **context: Any,
    ) -> None:
        """Schedule the post ``interval`` minutes after the previous one, from ``start``."""
        assert start is not None  # get_execution_context always gives it
        # Spaced by the posts actually scheduled, so a skipped (sent, cancelled) post leaves no gap.
        workflow.schedule(post, start + timedelta(minutes=interval * index), user)


class DeleteBulkAction(SnippetDeleteBulkAction):
    """Wagtail's bulk delete of snippets, worded for posts (registered after Wagtail's own)."""

    models = [SocialPost]
    aria_label = gettext_lazy("Delete selected social posts")


class SocialPostsDashboardPanel(Component):
    """Admin home: posts by status, the next scheduled ones, and those that need attention.

    Drawn with Wagtail's own pieces (``{% panel %}``, the summary list, dashboard listings).
    """

    name = "smo_social_posts"
    order = 150
    template_name = "wagtail_smo/posts/dashboard_panel.html"
    #: Rows of each list of posts.
    shown = 5

    def __init__(self, user: AbstractBaseUser | AnonymousUser) -> None:
        self.user = user

    def get_context_data(self, parent_context: Mapping[str, Any] | None = None) -> dict:
        """Counts per status with links, the next scheduled posts, failures and stale posts."""
        counts = dict(
            SocialPost.objects.values_list("status").annotate(n=Count("pk"))
            .values_list("status", "n")
        )
        listing = reverse("wagtail_smo_posts:list")
        posts = SocialPost.objects.select_related("page")
        open_posts = posts.filter(status__in=OPEN_STATUSES)
        return {
            "statuses": [
                {"status": status, "label": label, "count": counts.get(status, 0),
                 "url": f"{listing}?status={status}"}
                for status, label in PostStatus.choices
            ],
            "drafts": counts.get(PostStatus.DRAFT, 0),
            "failed": counts.get(PostStatus.FAILED, 0),
            "drafts_url": f"{listing}?status={PostStatus.DRAFT}",
            "failed_url": f"{listing}?status={PostStatus.FAILED}",
            "calendar_url": reverse("wagtail_smo_posts:calendar"),
            "next_scheduled": posts.filter(status=PostStatus.SCHEDULED,
                                           scheduled_at__gte=timezone.now())
            .order_by("scheduled_at")[:self.shown],
            "recent_failures": posts.filter(status=PostStatus.FAILED)
            .order_by("-updated_at")[:self.shown],
            # Open posts whose page changed since they were written.
            "stale": open_posts.exclude(page_changed={}).count(),
            "stale_posts": open_posts.exclude(page_changed={})
            .order_by("scheduled_at", "-updated_at")[:self.shown],
            "stale_url": f"{listing}?page_changed=true",
        }


def dashboard_panels(request: HttpRequest, panels: list[Component]) -> None:
    """``construct_homepage_panels``: add the posts panel for users who may see posts."""
    if workflow.can_see(request.user):
        panels.append(SocialPostsDashboardPanel(request.user))


def page_posts_summary(page: Page) -> str:
    """"Draft: 2, Sent: 1": how many of a page's posts are in each state."""
    counts = dict(
        SocialPost.objects.filter(page=page).values_list("status")
        .annotate(n=Count("pk")).values_list("status", "n")
    )
    labels = dict(PostStatus.choices)
    return ", ".join(f"{labels[status]}: {n}" for status, n in sorted(counts.items()))


def page_header_buttons(
    page: Page, user: AbstractBaseUser, view_name: str, next_url: str | None = None
) -> Iterator[Button]:
    """``register_page_header_buttons``: "Social posts (Draft: 2)" in the page editor's header."""
    if view_name != "edit" or not workflow.can_see(user):
        return
    summary = page_posts_summary(page)
    label = _("Social posts (%(summary)s)") % {"summary": summary} if summary else _(
        "Social posts (none)"
    )
    yield Button(
        label, f"{reverse('wagtail_smo_posts:list')}?page_id={page.pk}", icon_name="comment",
        priority=80,
    )


class SocialPostsPanel(Panel):
    """Read-only list of the page's social posts and their states, for the page editor.

    Add it to a page's panels, e.g. ``promote_panels = [..., SocialPostsPanel()]``.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("heading", gettext_lazy("Social posts"))
        super().__init__(*args, **kwargs)

    class BoundPanel(Panel.BoundPanel):
        template_name = "wagtail_smo/posts/page_panel.html"

        def get_context_data(self, parent_context: Mapping[str, Any] | None = None) -> dict:
            """The page's latest 20 posts, and whether the user may open them."""
            context = super().get_context_data(parent_context)
            page = self.instance
            context["posts"] = (
                SocialPost.objects.filter(page=page).order_by("-created_at")[:20]
                if page and page.pk else []
            )
            context["can_view"] = workflow.can_see(self.request.user)
            return context


class PostsMenuItem(MenuItem):
    """A menu item shown only to users who may open what it links to (no bare 403)."""

    def is_shown(self, request: HttpRequest) -> bool:
        """Shown to users who may see social posts."""
        return workflow.can_see(request.user)


def calendar_menu_item() -> MenuItem:
    """``register_admin_menu_item``: "Social calendar", next to "Social posts"."""
    return PostsMenuItem(
        gettext_lazy("Social calendar"), reverse("wagtail_smo_posts:calendar"),
        icon_name="date", order=251,
    )
