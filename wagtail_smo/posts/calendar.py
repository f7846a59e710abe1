"""Calendar of social posts: a month or a week of scheduled and sent posts."""

from __future__ import annotations

import calendar as pycalendar
import datetime

from django.db.models import Q
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from ..models import PostStatus, SocialPost
from . import workflow

#: Posts shown on their day (a draft only once it has a planned time).
SHOWN = (PostStatus.DRAFT, PostStatus.SCHEDULED, PostStatus.APPROVED, PostStatus.SENDING,
         PostStatus.SENT, PostStatus.FAILED)


def calendar_days(view: str, anchor: datetime.date) -> list[datetime.date]:
    """The days shown: whole weeks (Monday first) covering the month, or the anchor's week."""
    if view == "week":
        start = anchor - datetime.timedelta(days=anchor.weekday())
        return [start + datetime.timedelta(days=i) for i in range(7)]
    weeks = pycalendar.Calendar(firstweekday=0).monthdatescalendar(anchor.year, anchor.month)
    return [day for week in weeks for day in week]


def posts_by_day(days: list[datetime.date]) -> dict[datetime.date, list[SocialPost]]:
    """Scheduled and sent posts of the days, by local day of their scheduled or sent time."""
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(days[0], datetime.time.min, tzinfo=tz)
    end = datetime.datetime.combine(days[-1] + datetime.timedelta(days=1), datetime.time.min,
                                    tzinfo=tz)
    posts = (
        SocialPost.objects.filter(status__in=SHOWN)
        .filter(Q(scheduled_at__gte=start, scheduled_at__lt=end)
                | Q(sent_at__gte=start, sent_at__lt=end))
        .select_related("page")
        .order_by("scheduled_at", "sent_at")
    )
    result: dict[datetime.date, list[SocialPost]] = {day: [] for day in days}
    for post in posts:
        when = post.sent_at or post.scheduled_at
        day = timezone.localtime(when, tz).date()
        if day in result:
            result[day].append(post)
    return result


def calendar_view(request: HttpRequest) -> HttpResponse:
    """Month (default) or week view; ``?date=YYYY-MM-DD`` picks the month or week shown."""
    if not workflow.can_see(request.user):
        return HttpResponseForbidden()
    view = "week" if request.GET.get("view") == "week" else "month"
    anchor = parse_date(request.GET.get("date") or "") or timezone.localdate()
    days = calendar_days(view, anchor)
    by_day = posts_by_day(days)
    if view == "week":
        previous, following = anchor - datetime.timedelta(days=7), anchor + datetime.timedelta(7)
        title = _("Week of %(day)s") % {"day": days[0].isoformat()}
    else:
        first = anchor.replace(day=1)
        previous = (first - datetime.timedelta(days=1)).replace(day=1)
        following = (first + datetime.timedelta(days=32)).replace(day=1)
        title = first.strftime("%B %Y")
    # Drag and drop (and its keyboard form) move a scheduled post under the "schedule"
    # transition's permission; the action view checks it again with the no-past-time rule.
    movable = {post.pk for posts in by_day.values() for post in posts
               if post.status == PostStatus.SCHEDULED
               and workflow.allows(request.user, "schedule", post)}
    weeks = [
        [(day, by_day[day], day.month == anchor.month or view == "week") for day in days[i:i + 7]]
        for i in range(0, len(days), 7)
    ]
    return TemplateResponse(request, "wagtail_smo/posts/calendar.html", {
        "view": view, "anchor": anchor, "weeks": weeks, "title": title,
        "previous": previous, "following": following, "today": timezone.localdate(),
        "movable": movable, "here": request.get_full_path(),
        "now": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "page_title": _("Social posts calendar"), "header_icon": "date",
    })
