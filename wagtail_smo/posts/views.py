"""Admin views of social posts: the viewset (listing, edit, inspect, history) and its actions."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseForbidden,
    HttpResponseNotAllowed,
    HttpResponseNotFound,
    HttpResponseRedirect,
    JsonResponse,
)
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import select_template
from django.urls import URLPattern, URLResolver, path, reverse
from django.utils.dateparse import parse_datetime
from django.utils.functional import cached_property
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList, PageChooserPanel
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.widgets import HeaderButton
from wagtail.models import Page, Site
from wagtail.snippets.views.snippets import (
    EditView,
    IndexView,
    InspectView,
    SnippetViewSet,
)

from ..core.networks import count_length, network_limit
from ..meta import resolve
from ..models import OPEN_STATUSES, PostStatus, SocialPost
from ..pages import sections
from ..providers import channel_aliases, channel_config, channel_network
from . import workflow


def _channel_choices():
    return [(alias, alias) for alias in channel_aliases()]


class SocialPostFilterSet(WagtailFilterSet):
    """Filters of the posts listing: status, channel, site, section and dates."""

    status = django_filters.MultipleChoiceFilter(
        choices=PostStatus.choices, widget=forms.CheckboxSelectMultiple
    )
    channel = django_filters.ChoiceFilter(choices=_channel_choices, label=gettext_lazy("Channel"))
    site = django_filters.ModelChoiceFilter(queryset=Site.objects.all())
    section = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Section"), method="filter_section",
        queryset=lambda request: sections(),
    )
    scheduled_at = django_filters.DateFromToRangeFilter(
        label=gettext_lazy("Scheduled for"), widget=DateRangePickerWidget
    )
    created_at = django_filters.DateFromToRangeFilter(
        label=gettext_lazy("Created"), widget=DateRangePickerWidget
    )
    page_id = django_filters.NumberFilter(field_name="page_id", widget=forms.HiddenInput)

    class Meta:
        model = SocialPost
        fields = ["status", "channel", "site", "section", "scheduled_at", "created_at", "page_id"]

    def filter_section(
        self, queryset: QuerySet[SocialPost], name: str, value: Page
    ) -> QuerySet[SocialPost]:
        """Posts of pages under the chosen section page."""
        return queryset.filter(page__path__startswith=value.path, page__depth__gt=value.depth)


def post_length(post: SocialPost) -> tuple[int, int]:
    """(length, limit) of a post's text on its channel's network."""
    network = channel_network(post.channel)
    options = channel_config(post.channel).get("OPTIONS", {})
    return (
        count_length(post.text, network),
        network_limit(network, options=options, with_image=bool(post.image_id)),
    )


class SocialPostForm(WagtailAdminModelForm):
    """Post form: the text is refused when it is longer than the channel's network allows."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "channel" in self.fields:
            self.fields["channel"].widget = forms.Select(choices=_channel_choices())
        if self.instance.pk:  # page and channel are fixed once the post exists
            for name in ("page", "channel"):
                if name in self.fields:
                    self.fields[name].disabled = True

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        post = self.instance
        if post.pk is None and cleaned.get("channel"):
            post.channel = cleaned["channel"]  # the instance is only filled after clean()
        if post.channel and post.channel not in channel_aliases():
            self.add_error("channel", _("Unknown channel."))
            return cleaned
        if post.status not in workflow.EDITABLE:
            raise forms.ValidationError(_("A sending, sent or cancelled post cannot change."))
        page = cleaned.get("page") or (post.page if post.page_id else None)
        if post.pk is None and page is not None and SocialPost.objects.filter(
            page=page, channel=post.channel, status__in=OPEN_STATUSES
        ).exists():
            # The partial unique constraint involves "status", which the form does not hold,
            # so Django would not check it: say it here instead of failing on save.
            raise forms.ValidationError(
                _("This page already has an open post for %(channel)s: edit that one instead.")
                % {"channel": post.channel}
            )
        if "text" in cleaned and post.channel in channel_aliases():
            post.text = cleaned["text"]
            post.image = cleaned.get("image")
            length, limit = post_length(post)
            if length > limit:
                self.add_error("text", _("%(length)s characters: %(network)s allows %(limit)s.") % {
                    "length": length, "limit": limit, "network": channel_network(post.channel),
                })
        return cleaned

    def save(self, commit: bool = True) -> SocialPost:
        """New posts take the page's site and their author."""
        post = super().save(commit=False)
        if post.page_id and not post.site_id:
            post.site = post.page.get_site()
        if post.pk is None and getattr(self, "for_user", None) is not None:
            post.created_by = self.for_user
        if commit:
            post.save()
        return post


class SocialPostEditView(EditView):
    """Edit a post: live counter, card preview, actions and delivery attempts around the form."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        post = get_object_or_404(SocialPost, pk=kwargs.get("pk"))
        if post.status not in workflow.EDITABLE:
            return redirect("wagtail_smo_posts:inspect", post.pk)
        return super().dispatch(request, *args, **kwargs)

    def save_instance(self) -> SocialPost:
        instance = super().save_instance()
        workflow.after_edit(instance, self.request.user)
        return instance

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(post_context(self.object, self.request.user))
        return context


class SocialPostInspectView(InspectView):
    """A sent, sending or cancelled post: its text, card, delivery attempts and "duplicate"."""

    template_name = "wagtail_smo/posts/inspect.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(post_context(self.object, self.request.user))
        return context


def post_context(post: SocialPost, user: workflow.Actor) -> dict:
    """What the edit and inspect views show next to a post."""
    length, limit = post_length(post)
    attempts = select_template(["wagtail_smo/posts/_attempts.html", "wagtail_smo/posts/_none.html"])
    return {
        "post": post,
        "network": channel_network(post.channel),
        "length": length,
        "limit": limit,
        "card": resolve(post.page.specific) if post.page_id else None,
        # The buttons follow the state machine's table (the actions check it again).
        "can_approve": workflow.allows(user, "approve", post),
        "can_send": workflow.allows(user, "send_now", post) or workflow.allows(user, "retry", post),
        "can_cancel": workflow.allows(user, "cancel", post),
        "can_duplicate": workflow.can(user, "add"),
        "attempts_template": attempts.template.name,
        "channels": channel_aliases(),
    }


def action_view(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """POST-only: approve, schedule, send, cancel or duplicate one post."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    post = get_object_or_404(SocialPost, pk=pk)
    try:
        if action == "approve":
            workflow.approve(post, request.user)
            messages.success(request, _("Approved: the post goes out as soon as possible."))
        elif action == "schedule":
            when = _parse_when(request.POST.get("scheduled_at", ""))
            workflow.schedule(post, when, request.user)
            messages.success(request, _("Scheduled for %(when)s.") % {"when": when})
        elif action == "send":
            workflow.send_now(post, request.user)
            messages.success(request, _("The post is on its way."))
        elif action == "cancel":
            workflow.cancel(post, request.user)
            messages.success(request, _("The post was cancelled."))
        elif action == "duplicate":
            post = workflow.duplicate(post, request.user, request.POST.get("channel") or None)
            messages.success(request, _("A new draft was created."))
        else:
            return HttpResponseNotFound()
    except PermissionDenied as exc:
        # A plain 403 (Wagtail's admin would turn PermissionDenied into a redirect home).
        return HttpResponseForbidden(str(exc))
    except workflow.WorkflowError as exc:
        messages.error(request, str(exc))
    if not request.POST.get("next"):
        return redirect("wagtail_smo_posts:edit", post.pk)
    return HttpResponseRedirect(safe_next_url(request, reverse("wagtail_smo_posts:list")))


def safe_next_url(request: HttpRequest, fallback: str) -> str:
    """The request's ``next`` if it leads to a path of this site, else ``fallback``.

    Only a path ("/admin/...") or an absolute URL on this host (https only when the request is
    https) passes: another site, ``//host``, ``javascript:`` and a bare word are refused. The
    value is never reversed as a URL name (a bad one raised NoReverseMatch: a 500).
    """
    url = (request.POST.get("next") or request.GET.get("next") or "").strip()
    if not url.startswith("/") and not url.lower().startswith(("http://", "https://")):
        return fallback
    if url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()},
                                       require_https=request.is_secure()):
        return url
    return fallback


def _parse_when(value: str):
    """A datetime from the admin's date-time widget (site time zone), or a WorkflowError."""
    field = forms.DateTimeField()
    try:
        when = field.clean(value)
    except forms.ValidationError:
        when = parse_datetime(value or "")
    if when is None:
        raise workflow.WorkflowError(_("Choose a valid date and time."))
    return when


def count_view(request: HttpRequest) -> HttpResponse:
    """JSON {length, limit, network} of a text on a channel: the edit form's live counter."""
    if not workflow.can(request.user, "change"):
        return HttpResponseForbidden()
    channel = request.GET.get("channel", "")
    if channel not in channel_aliases():
        return JsonResponse({"error": "unknown channel"}, status=400)
    network = channel_network(channel)
    options = channel_config(channel).get("OPTIONS", {})
    text = request.GET.get("text", "")
    return JsonResponse({
        "network": network,
        "length": count_length(text, network),
        "limit": network_limit(network, options=options,
                               with_image=request.GET.get("image") == "1"),
    })


class SocialPostIndexView(IndexView):
    """The listing, with links to the calendar and the schedule import in its header."""

    @cached_property
    def header_buttons(self) -> list[HeaderButton]:
        return [
            *super().header_buttons,
            HeaderButton(_("Calendar"), url=reverse("wagtail_smo_posts:calendar"),
                         icon_name="date"),
            HeaderButton(_("Import a schedule"), url=reverse("wagtail_smo_posts:import"),
                         icon_name="upload"),
        ]


class SocialPostViewSet(SnippetViewSet):
    """Social posts in the admin: listing with filters and search, edit, inspect, history."""

    model = SocialPost
    icon = "comment"
    menu_label = gettext_lazy("Social posts")
    menu_name = "social-posts"
    menu_order = 250
    add_to_admin_menu = True
    url_prefix = "social-posts"
    url_namespace = "wagtail_smo_posts"
    admin_url_namespace = "wagtail_smo_posts"
    filterset_class = SocialPostFilterSet
    search_fields = ["text", "page__title", "channel"]
    inspect_view_enabled = True
    edit_view_class = SocialPostEditView
    index_view_class = SocialPostIndexView
    inspect_view_class = SocialPostInspectView
    edit_template_name = "wagtail_smo/posts/edit.html"
    list_per_page = 50
    ordering = ["-created_at"]
    list_display = [
        TitleColumn("text", label=gettext_lazy("Post"), url_name="wagtail_smo_posts:edit",
                    accessor=lambda p: (p.text[:80] + "…") if len(p.text) > 80 else p.text),
        Column("channel", label=gettext_lazy("Channel")),
        Column("page", label=gettext_lazy("Page")),
        Column("status", label=gettext_lazy("Status"), accessor="get_status_display"),
        DateColumn("scheduled_at", label=gettext_lazy("Scheduled for")),
        DateColumn("sent_at", label=gettext_lazy("Sent")),
    ]
    edit_handler = ObjectList(
        [
            PageChooserPanel("page"),
            FieldPanel("channel"),
            FieldPanel("text"),
            FieldPanel("link"),
            FieldPanel("image"),
        ],
        base_form_class=SocialPostForm,
    )

    def register_chooser_viewset(self) -> None:
        """No chooser: nothing chooses a post, and Wagtail's snippet chooser checks no model
        permission (any admin user could list every post's text through it)."""

    def get_urlpatterns(self) -> list[URLPattern | URLResolver]:
        """The viewset's URLs plus actions, the counter and the calendar."""
        from .calendar import calendar_view
        from .import_views import import_view

        return super().get_urlpatterns() + [
            path("import/", import_view, name="import"),
            path("action/<int:pk>/<str:action>/", action_view, name="action"),
            path("count/", count_view, name="count"),
            path("calendar/", calendar_view, name="calendar"),
        ]

