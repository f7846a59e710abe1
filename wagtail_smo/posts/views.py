"""Admin views of social posts: the viewset (listing, edit, inspect, history) and its actions."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseForbidden,
    HttpResponseNotFound,
    JsonResponse,
)
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import select_template
from django.urls import URLPattern, URLResolver, path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList, PageChooserPanel
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.widgets import HeaderButton
from wagtail.models import Page, Site
from wagtail.snippets.views.snippets import (
    EditView,
    IndexView,
    InspectView,
    SnippetViewSet,
)

from ..core.networks import channel_label, count_length, network_limit
from ..meta import resolve
from ..models import OPEN_STATUSES, PostStatus, SocialPost
from ..pages import sections
from ..providers import channel_aliases, channel_config, channel_network
from . import following, workflow
from .actions import ACTION_FIELD, FORM_ACTIONS, action_view, perform_action


def _channel_choices() -> list[tuple[str, str]]:
    return [(alias, channel_label(alias)) for alias in channel_aliases()]


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
    page_changed = django_filters.BooleanFilter(
        label=gettext_lazy("Page changed since written"), method="filter_page_changed",
        widget=forms.NullBooleanSelect,
    )
    attention = django_filters.BooleanFilter(
        label=gettext_lazy("Needs attention"), method="filter_attention",
        widget=forms.CheckboxInput,
        help_text=gettext_lazy("Stuck while sending, or failed with an unknown outcome."),
    )

    class Meta:
        model = SocialPost
        fields = ["status", "channel", "site", "section", "scheduled_at", "created_at", "page_id",
                  "page_changed", "attention"]

    def filter_page_changed(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        """Posts flagged "page changed" (yes) or not (no)."""
        if value is None:
            return queryset
        stale = queryset.exclude(page_changed={})
        return stale if value else queryset.filter(page_changed={})

    def filter_attention(self, queryset: QuerySet[SocialPost], name: str,
                         value: bool | None) -> QuerySet[SocialPost]:
        """Posts a person must settle (checked), or every post."""
        return queryset.filter(workflow.attention_q()) if value else queryset

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
                % {"channel": post.channel_label}
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
    """Edit a post: live counter, card preview, actions and delivery attempts around the form.

    The action buttons (approve, schedule, send, cancel, duplicate) submit the edit form itself
    with an ``smo-action``: what is in the form is validated and saved, then the status changes,
    in one transaction. An invalid form, or an action the workflow refuses, changes nothing and
    the form comes back with the typed text and the error.
    """

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        post = get_object_or_404(SocialPost, pk=kwargs.get("pk"))
        # Links lead here from the listing, calendar, dashboard and page editor: a post that
        # cannot change, or a user who may only look, gets the read-only view instead of a 403.
        if post.status not in workflow.EDITABLE or (
                not workflow.can(request.user, "change") and workflow.can_see(request.user)):
            return redirect("wagtail_smo_posts:inspect", post.pk)
        return super().dispatch(request, *args, **kwargs)

    def save_instance(self) -> SocialPost:
        instance = super().save_instance()
        workflow.after_edit(instance, self.request.user)
        following.acknowledge(instance)  # the screen showed what changed on the page
        return instance

    def form_valid(self, form: SocialPostForm) -> HttpResponse:
        """Save; with an ``smo-action``, then take that workflow action in the same transaction."""
        name = self.request.POST.get(ACTION_FIELD)
        if not name:
            return super().form_valid(form)
        if name not in FORM_ACTIONS:
            return HttpResponseNotFound()
        self.form = form
        try:
            with transaction.atomic():
                self.object = self.save_instance()
                post, message = perform_action(self.object, name, self.request.user,
                                               self.request.POST)
        except PermissionDenied as exc:
            return HttpResponseForbidden(str(exc))
        except workflow.WorkflowError as exc:
            # Rolled back: the form is shown again as typed, with the reason.
            self.object.refresh_from_db()
            form.add_error(None, str(exc))
            self.produced_error_message = str(exc)
            return self.form_invalid(form)
        messages.success(self.request, message)
        return redirect("wagtail_smo_posts:edit", post.pk)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(post_context(self.object, self.request.user))
        context["in_edit_form"] = True
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
    attention = workflow.needs_attention(post)
    # A post that needs attention offers the four settle actions instead of retry and cancel.
    can_settle = attention and workflow.allows(user, "mark_sent", post)
    return {
        "needs_attention": attention,
        "can_settle": can_settle,
        "post": post,
        "network": channel_network(post.channel),
        "length": length,
        "limit": limit,
        "card": resolve(post.page.specific) if post.page_id else None,
        # The buttons follow the state machine's table (the actions check it again).
        "can_approve": workflow.allows(user, "approve", post),
        "can_send": not can_settle and (workflow.allows(user, "send_now", post)
                                        or workflow.allows(user, "retry", post)),
        "can_cancel": not can_settle and workflow.allows(user, "cancel", post),
        "can_duplicate": workflow.can(user, "add"),
        "can_share_again": (post.status in workflow.SHAREABLE_AGAIN and workflow.can(user, "add")
                            and (post.status != PostStatus.FAILED
                                 or workflow.allows(user, "cancel", post))),
        "attempts_template": attempts.template.name,
        "page_changes": following.describe(post),
        "can_recompose": (bool(post.composed_from) and post.status in workflow.EDITABLE
                          and workflow.can(user, "change")),
        "channels": _channel_choices(),
    }


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


def status_label(post: SocialPost) -> str:
    """The post's status for the listing, saying when it needs a person."""
    if post.status == PostStatus.FAILED and post.outcome_unknown:
        return _("Failed: outcome unknown")
    if workflow.needs_attention(post):
        return _("Sending: stuck")
    return post.get_status_display()


class StatusColumn(Column):
    """A post's status as colour, icon and text, flagged when its page changed since."""

    cell_template_name = "wagtail_smo/posts/_status_cell.html"


class WhenColumn(Column):
    """A date and time written out in the user's time zone ("Sat 6 Dec 2026, 10:30"): a post
    days ahead must not read "just now", as Wagtail's relative dates put it."""

    cell_template_name = "wagtail_smo/posts/_when_cell.html"


class SocialPostIndexView(IndexView):
    """The listing, with links to the calendar and the schedule import in its header."""

    def get_base_queryset(self) -> QuerySet:
        """Posts with their page (each row is named after it)."""
        return super().get_base_queryset().select_related("page")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        """Wagtail's context plus the bulk action footer's words: "posts", not "snippets"."""
        context = super().get_context_data(**kwargs)
        context["bulk_strings"] = {
            "SINGULAR": _("1 post selected"),
            "PLURAL": _("%(objects)s posts selected"),
            "ALL": _("All %(objects)s posts on this screen selected"),
            "ALL_IN_LISTING": _("All posts in listing selected"),
        }
        return context

    @cached_property
    def header_buttons(self) -> list[HeaderButton]:
        """Wagtail's buttons, the calendar, and the import for users who may add posts."""
        buttons = [
            *super().header_buttons,
            HeaderButton(_("Calendar"), url=reverse("wagtail_smo_posts:calendar"),
                         icon_name="date"),
        ]
        if workflow.can(self.request.user, "add"):
            buttons.append(HeaderButton(_("Import a schedule"),
                                        url=reverse("wagtail_smo_posts:import"),
                                        icon_name="upload"))
        return buttons


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
    index_template_name = "wagtail_smo/posts/index.html"
    list_per_page = 50
    ordering = ["-created_at"]
    list_display = [
        TitleColumn("post", label=gettext_lazy("Post"), url_name="wagtail_smo_posts:edit",
                    accessor=str),
        Column("text", label=gettext_lazy("Text"),
               accessor=lambda p: (p.text[:80] + "…") if len(p.text) > 80 else p.text),
        Column("channel", label=gettext_lazy("Channel"), accessor="channel_label"),
        StatusColumn("status", label=gettext_lazy("Status"), accessor=status_label),
        WhenColumn("scheduled_at", label=gettext_lazy("Scheduled for"), sort_key="scheduled_at"),
        WhenColumn("sent_at", label=gettext_lazy("Sent"), sort_key="sent_at"),
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

