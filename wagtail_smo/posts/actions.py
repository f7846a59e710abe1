"""The actions taken on one post in the admin: approve, schedule, send, cancel, duplicate,
share again, recompose, and settling a post whose outcome is unknown.

``perform_action`` is shared by the post's edit form (which saves the form first, see
``views.SocialPostEditView``) and ``action_view`` (a POST from the listing or the inspect view).
Every status change goes through ``workflow``; a refused action raises ``PermissionDenied``
(a 403) or ``WorkflowError`` (a message), and a ``next`` leads only to this site.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseForbidden,
    HttpResponseNotAllowed,
    HttpResponseNotFound,
    HttpResponseRedirect,
)
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.dateparse import parse_datetime
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from ..models import SocialPost
from . import drafts, following, settling, workflow

#: URL action names of the settle actions -> ``settling.settle`` actions.
SETTLE_URL_ACTIONS = {"mark_sent": "mark_sent", "mark_failed": "mark_failed",
                      "settle_retry": "retry", "settle_cancel": "cancel"}


#: The name of the edit form's submit buttons that take a workflow action after saving.
ACTION_FIELD = "smo-action"
#: The actions a post's edit form offers (each saves the form first).
FORM_ACTIONS = ("approve", "schedule", "send", "cancel", "duplicate", "share_again")
#: Actions that replace what is in the form (its own POST: leaving unsaved typing warns first).
OTHER_ACTIONS = ("recompose",)


def perform_action(post: SocialPost, action: str, user: AbstractBaseUser | AnonymousUser,
                   data: Mapping[str, str]) -> tuple[SocialPost, str]:
    """Take ``action`` on ``post`` for ``user``: (the post to show next, the success message).

    Raises ``PermissionDenied`` or ``WorkflowError``; ``KeyError`` for an unknown action.
    """
    if action == "approve":
        workflow.approve(post, user)
        return post, _("Approved: the post goes out as soon as possible.")
    if action == "schedule":
        when = _parse_when(data.get("scheduled_at", ""))
        workflow.schedule(post, when, user)
        return post, _("Scheduled for %(when)s.") % {"when": formats.date_format(
            timezone.localtime(when), "DATETIME_FORMAT")}
    if action == "send":
        workflow.send_now(post, user)
        return post, _("The post is on its way.")
    if action == "cancel":
        workflow.cancel(post, user)
        return post, _("The post was cancelled.")
    if action == "duplicate":
        copy = drafts.duplicate(post, user, data.get("channel") or None)
        return copy, _("A new draft was created.")
    if action == "recompose":
        following.recompose(post, user)
        return post, _("Recomposed from the page as it is now: review the text.")
    if action == "share_again":
        copy = drafts.share_again(post, user)
        return copy, _("A new draft shares the page again: review it, then approve or schedule.")
    if action in SETTLE_URL_ACTIONS:
        settle = SETTLE_URL_ACTIONS[action]
        settling.settle(post, settle, user, remote_url=data.get("remote_url", ""))
        return post, str(settling.SETTLE_ACTIONS[settle][1])
    raise KeyError(action)


def action_view(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """POST-only: an action on one post from outside its edit form (listing, inspect view), or
    settling one that needs attention (mark sent, mark failed, retry, cancel)."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if action not in (*FORM_ACTIONS, *OTHER_ACTIONS, *SETTLE_URL_ACTIONS):
        return HttpResponseNotFound()
    post = get_object_or_404(SocialPost, pk=pk)
    try:
        post, message = perform_action(post, action, request.user, request.POST)
        messages.success(request, message)
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


def _parse_when(value: str) -> datetime:
    """A datetime from the admin's date-time widget (site time zone), or a WorkflowError."""
    field = forms.DateTimeField()
    try:
        when = field.clean(value)
    except forms.ValidationError:
        when = parse_datetime(value or "")
    if when is None:
        raise workflow.WorkflowError(_("Choose a valid date and time."))
    return when
