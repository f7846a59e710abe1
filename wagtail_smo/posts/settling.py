"""Settling a post that needs attention: what a person can do with a post stuck "sending" or
failed with its outcome unknown (mark it sent with its URL, mark it failed, retry, cancel).

Each action is an ``attention`` row of the state machine (``posts/workflow.py``), needs the send
permission, is written to the post's history and closes the attempt a stopped worker left open.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from ..models import AttemptOutcome, DeliveryAttempt, SocialPost
from .workflow import Actor, WorkflowError, act, require

#: A person's ways of settling a post that needs attention: action -> (transition, message).
SETTLE_ACTIONS = {
    "mark_sent": ("mark_sent", _l("Marked as sent: the post counts as published.")),
    "mark_failed": ("mark_failed", _l("Marked as failed: the post counts as not published.")),
    "retry": ("settle_retry", _l("Queued again: the post will be sent once more.")),
    "cancel": ("settle_cancel", _l("Cancelled: the post will not be sent.")),
}


def clean_remote_url(url: str) -> str:
    """The URL of a post on its network, as a person enters it: http(s) only, else an error."""
    url = (url or "").strip()
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise WorkflowError(
            _("Enter the post's address on the network, starting with https://.")) from None
    if len(url) > 2000:
        raise WorkflowError(_("The address is too long (at most 2000 characters)."))
    return url


@transaction.atomic
def settle(post: SocialPost, action: str, user: Actor | None, *,
           remote_url: str = "") -> SocialPost:
    """Settle a post that needs attention: "mark_sent" (with ``remote_url``), "mark_failed",
    "retry" or "cancel". Recorded in the post's history and on its open delivery attempt."""
    name = SETTLE_ACTIONS[action][0]
    require(user, name)
    now = timezone.now()
    changes: dict[str, Any] = {"outcome_unknown": False, "retry_at": None}
    data: dict[str, Any] = {"previous_status": post.status}
    if action == "mark_sent":
        changes.update(remote_url=clean_remote_url(remote_url), sent_at=now, last_error="")
        data["remote_url"] = changes["remote_url"]
    elif action == "mark_failed":
        changes["last_error"] = _("Marked as failed by a person: not published.")
    elif action == "retry":
        changes["last_error"] = ""
    attempt_id = post.attempt_id
    act(post, name, user, log_data=data, **changes)
    # Close the attempt a stopped worker left open: the person's decision is its outcome.
    who = getattr(user, "get_username", lambda: "")() if user is not None else ""
    DeliveryAttempt.objects.filter(
        post=post, attempt_id=attempt_id, outcome=AttemptOutcome.SENDING
    ).update(outcome=AttemptOutcome.SETTLED, finished_at=now,
             message=_("Settled by %(user)s: %(action)s.") % {"user": who or _("a person"),
                                                               "action": action})
    return post
