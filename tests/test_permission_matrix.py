"""Every admin view and action of the plugin × every role: allowed, or refused with nothing changed.

The list of views is checked against the URLconf, the bulk action registry, the settings registry
and the workflow's table (``test_the_matrix_covers_every_admin_view``): a new admin URL, bulk
action, setting model or person's transition fails that test until the matrix says who may use it.

Outcomes:
- allowed: 200, or a 302 that is not a refusal, and a POST changes what it watches;
- refused: 403, or Wagtail's refusal (a 302 to the admin home), or the login page for an anonymous
  visitor; and the database as it was (every post, channel and settings row, history entries).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone
from wagtail.admin.views.bulk_action.registry import bulk_action_registry
from wagtail.contrib.settings.registry import registry as settings_registry
from wagtail.models import ModelLogEntry

from example_site.blog.models import BlogPage
from wagtail_smo.models import PostStatus, SocialChannel, SocialMediaSettings, SocialPost
from wagtail_smo.posts.workflow import SYSTEM, TRANSITIONS

ROLES = ["anonymous", "superuser", "editor", "reviewer", "smm", "channel_manager"]
#: What each role holds besides ``access_admin`` (the editor: Wagtail's "Editors" group).
ROLE_PERMISSIONS = {
    "reviewer": ["view_socialpost", "change_socialpost"],
    "smm": ["add_socialpost", "change_socialpost", "view_socialpost", "approve_socialpost",
            "send_socialpost"],
    "channel_manager": ["view_socialchannel", "add_socialchannel", "change_socialchannel"],
}
POSTS = {"superuser", "reviewer", "smm"}  # may see and change posts
ADDS = {"superuser", "smm"}  # may add, approve and send posts
CHANNELS = {"superuser", "channel_manager"}
ONLY_SUPERUSER = {"superuser"}
NOBODY: set[str] = set()


@dataclass
class Ctx:
    """The objects a view is called on, created fresh for each test."""

    site: object
    draft: SocialPost
    failed: SocialPost
    channel: SocialChannel
    free_page: BlogPage  # a page with no open post on x-demo
    unknown: SocialPost  # failed with its outcome unknown: it needs a person to settle it


@dataclass
class Case:
    """One view (and method) of the plugin's admin, and the roles that may use it."""

    key: str  # unique label in test ids
    covers: str  # the URL name (or "bulk:<action>", "settings:<model>", "transition:<name>")
    method: str
    url: Callable[[Ctx], str]
    allowed: set[str]
    data: Callable[[Ctx], dict] | None = None
    #: What an allowed POST must change, and a refused one must leave alone (default: everything).
    watch: Callable[[], object] | None = None
    #: Transitions of the workflow this case takes.
    transitions: tuple[str, ...] = field(default_factory=tuple)
    #: Refused by changing nothing rather than by a 403: Wagtail's bulk action views show the
    #: confirmation page and act only on the objects the user may act on.
    refused_by_no_change: bool = False


def snapshot() -> object:
    """Every row a view of the plugin may change."""
    return (
        list(SocialPost.objects.order_by("pk").values()),
        list(SocialChannel.objects.order_by("pk").values()),
        list(SocialMediaSettings.objects.order_by("pk").values()),
        ModelLogEntry.objects.count(),
    )


def post_form(ctx: Ctx, text: str = "A post written in the admin") -> dict:
    return {"page": ctx.free_page.pk, "channel": "x-demo", "text": text, "link": "",
            "image": ""}


def channel_form(channel: SocialChannel, **changes) -> dict:
    data = {
        "site": channel.site_id, "channel": channel.channel, "enabled": "on",
        "message_template": channel.message_template, "max_hashtags": channel.max_hashtags,
        "fixed_hashtags": channel.fixed_hashtags, "utm_campaign": channel.utm_campaign,
        "utm_enabled": "on",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def import_file(ctx: Ctx) -> dict:
    when = (timezone.localtime() + timedelta(days=3)).strftime("%Y-%m-%d %H:%M")
    csv = f"channel,datetime,text,link\nx-demo,{when},Imported,{ctx.free_page.full_url}\n"
    return {"file": SimpleUploadedFile("s.csv", csv.encode()), "file_format": "csv"}


def future() -> str:
    return (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%d %H:%M")


def auto_approve_of_channels() -> object:
    return list(SocialChannel.objects.order_by("pk").values_list("auto_approve", flat=True))


def posts(name: str, *args) -> Callable[[Ctx], str]:
    return lambda ctx: reverse(f"wagtail_smo_posts:{name}", args=[a(ctx) for a in args])


def channels(name: str, *args) -> Callable[[Ctx], str]:
    return lambda ctx: reverse(f"wagtail_smo_channels:{name}", args=[a(ctx) for a in args])


def action(name: str, on: str = "draft") -> Callable[[Ctx], str]:
    return lambda ctx: reverse("wagtail_smo_posts:action", args=(getattr(ctx, on).pk, name))


def bulk(name: str) -> Callable[[Ctx], str]:
    return lambda ctx: (
        reverse("wagtail_bulk_action", args=("wagtail_smo", "socialpost", name))
        + f"?id={ctx.draft.pk}&next=/admin/social-posts/"
    )


def settings_url(ctx: Ctx) -> str:
    return reverse("wagtailsettings:edit", args=("wagtail_smo", "socialmediasettings",
                                                 ctx.site.pk))


BULK = {"refused_by_no_change": True}


def draft(ctx):
    return ctx.draft.pk


def chan(ctx):
    return ctx.channel.pk


CASES = [
    # Social posts: Wagtail's snippet views.
    Case("posts list", "wagtail_smo_posts:list", "GET", posts("list"), POSTS),
    Case("posts list results", "wagtail_smo_posts:list_results", "GET", posts("list_results"),
         POSTS),
    Case("posts add form", "wagtail_smo_posts:add", "GET", posts("add"), ADDS),
    Case("posts add", "wagtail_smo_posts:add", "POST", posts("add"), ADDS, data=post_form,
         transitions=("create",)),
    Case("posts edit form", "wagtail_smo_posts:edit", "GET", posts("edit", draft), POSTS),
    Case("posts edit", "wagtail_smo_posts:edit", "POST", posts("edit", draft), POSTS,
         data=lambda ctx: {**post_form(ctx, "Rewritten"), "page": ctx.draft.page_id}),
    Case("posts delete form", "wagtail_smo_posts:delete", "GET", posts("delete", draft),
         ONLY_SUPERUSER),
    Case("posts delete", "wagtail_smo_posts:delete", "POST", posts("delete", draft),
         ONLY_SUPERUSER, data=lambda ctx: {}),
    Case("posts usage", "wagtail_smo_posts:usage", "GET", posts("usage", draft), POSTS),
    Case("posts history", "wagtail_smo_posts:history", "GET", posts("history", draft), POSTS),
    Case("posts history results", "wagtail_smo_posts:history_results", "GET",
         posts("history_results", draft), POSTS),
    Case("posts copy", "wagtail_smo_posts:copy", "GET", posts("copy", draft), ADDS),
    Case("posts inspect", "wagtail_smo_posts:inspect", "GET", posts("inspect", draft), POSTS),
    # The plugin's own post views.
    Case("posts import form", "wagtail_smo_posts:import", "GET", posts("import"), ADDS),
    Case("posts import", "wagtail_smo_posts:import", "POST", posts("import"), ADDS,
         data=import_file, transitions=("import", "import_draft")),
    Case("posts count", "wagtail_smo_posts:count", "GET",
         lambda ctx: reverse("wagtail_smo_posts:count") + "?channel=x-demo&text=hi", POSTS),
    Case("posts calendar", "wagtail_smo_posts:calendar", "GET", posts("calendar"), POSTS),
    Case("action approve", "wagtail_smo_posts:action", "POST", action("approve"), ADDS,
         data=lambda ctx: {}, transitions=("approve",)),
    Case("action schedule", "wagtail_smo_posts:action", "POST", action("schedule"), ADDS,
         data=lambda ctx: {"scheduled_at": future()}, transitions=("schedule",)),
    Case("action send", "wagtail_smo_posts:action", "POST", action("send"), ADDS,
         data=lambda ctx: {}, transitions=("send_now",)),
    Case("action send (retry a failed post)", "wagtail_smo_posts:action", "POST",
         action("send", on="failed"), ADDS, data=lambda ctx: {}, transitions=("retry",)),
    Case("action cancel", "wagtail_smo_posts:action", "POST", action("cancel"), POSTS,
         data=lambda ctx: {}, transitions=("cancel",)),
    Case("action duplicate", "wagtail_smo_posts:action", "POST", action("duplicate"), ADDS,
         data=lambda ctx: {"channel": "mastodon-demo"}, transitions=("duplicate",)),
    # Share again needs "add"; on a failed post it cancels it first, which needs "change".
    Case("action share again (a failed post)", "wagtail_smo_posts:action", "POST",
         action("share_again", on="failed"), ADDS, data=lambda ctx: {},
         transitions=("share_again", "cancel")),
    Case("action recompose from page", "wagtail_smo_posts:action", "POST",
         action("recompose"), POSTS, data=lambda ctx: {}),
    # Settling a post whose outcome is unknown needs "send".
    Case("action mark sent", "wagtail_smo_posts:action", "POST",
         action("mark_sent", on="unknown"), ADDS,
         data=lambda ctx: {"remote_url": "https://mastodon.example/@demo/1"},
         transitions=("mark_sent",)),
    Case("action mark failed", "wagtail_smo_posts:action", "POST",
         action("mark_failed", on="unknown"), ADDS, data=lambda ctx: {},
         transitions=("mark_failed",)),
    Case("action settle retry", "wagtail_smo_posts:action", "POST",
         action("settle_retry", on="unknown"), ADDS, data=lambda ctx: {},
         transitions=("settle_retry",)),
    Case("action settle cancel", "wagtail_smo_posts:action", "POST",
         action("settle_cancel", on="unknown"), ADDS, data=lambda ctx: {},
         transitions=("settle_cancel",)),
    # Bulk actions of the post listing.
    Case("bulk approve form", "bulk:approve", "GET", bulk("approve"), ADDS, **BULK),
    Case("bulk approve", "bulk:approve", "POST", bulk("approve"), ADDS, data=lambda ctx: {},
         **BULK),
    Case("bulk schedule form", "bulk:schedule", "GET", bulk("schedule"), ADDS, **BULK),
    Case("bulk schedule", "bulk:schedule", "POST", bulk("schedule"), ADDS,
         data=lambda ctx: {"start": future(), "interval_minutes": 30}, **BULK),
    Case("bulk delete form", "bulk:delete", "GET", bulk("delete"), ONLY_SUPERUSER, **BULK),
    Case("bulk delete", "bulk:delete", "POST", bulk("delete"), ONLY_SUPERUSER,
         data=lambda ctx: {}, **BULK),
    # Channels (Settings → Social channels).
    Case("channels list", "wagtail_smo_channels:index", "GET", channels("index"), CHANNELS),
    Case("channels list results", "wagtail_smo_channels:index_results", "GET",
         channels("index_results"), CHANNELS),
    Case("channels add form", "wagtail_smo_channels:add", "GET", channels("add"), CHANNELS),
    Case("channels add", "wagtail_smo_channels:add", "POST", channels("add"), CHANNELS,
         data=lambda ctx: channel_form(_deleted(ctx, "mastodon-demo"))),
    Case("channels edit form", "wagtail_smo_channels:edit", "GET", channels("edit", chan),
         CHANNELS),
    Case("channels edit", "wagtail_smo_channels:edit", "POST", channels("edit", chan),
         CHANNELS, data=lambda ctx: channel_form(ctx.channel, max_hashtags=1)),
    # auto_approve: a channel manager's edit is saved, but never this switch.
    Case("channels edit auto_approve", "wagtail_smo_channels:edit", "POST",
         channels("edit", chan), ONLY_SUPERUSER,
         data=lambda ctx: channel_form(ctx.channel, auto_approve="on"),
         watch=auto_approve_of_channels),
    Case("channels delete form", "wagtail_smo_channels:delete", "GET", channels("delete", chan),
         ONLY_SUPERUSER),
    Case("channels delete", "wagtail_smo_channels:delete", "POST", channels("delete", chan),
         ONLY_SUPERUSER, data=lambda ctx: {}),
    Case("channels history", "wagtail_smo_channels:history", "GET", channels("history", chan),
         CHANNELS),
    Case("channels history results", "wagtail_smo_channels:history_results", "GET",
         channels("history_results", chan), CHANNELS),
    Case("channels usage", "wagtail_smo_channels:usage", "GET", channels("usage", chan),
         CHANNELS),
    Case("channels copy", "wagtail_smo_channels:copy", "GET", channels("copy", chan), CHANNELS),
    # Site settings (Settings → Social media).
    Case("settings form", "settings:socialmediasettings", "GET", settings_url, ONLY_SUPERUSER),
    Case("settings", "settings:socialmediasettings", "POST", settings_url, ONLY_SUPERUSER,
         data=lambda ctx: {"site_name": "Changed", "profile_links-count": 0,
                           "share_networks-count": 0, "locale": "", "x_handle": "@x",
                           "card_mode": "missing", "card_layout": "classic",
                           "card_background": "#1d3557", "card_text_colour": "#ffffff",
                           "card_accent": "#e9c46a", "card_subtitle": "section",
                           "card_site_name": "on"}),
]

#: Transitions a person takes somewhere else than in these views, and why.
NOT_IN_THESE_VIEWS = {
    "back_to_draft": "taken by 'posts edit' when the editor may not approve",
}


def _deleted(ctx: Ctx, alias: str) -> SocialChannel:
    """Delete the site's channel ``alias`` so that adding it again is valid; the old row."""
    row = SocialChannel.objects.get(site=ctx.site, channel=alias)
    SocialChannel.objects.filter(pk=row.pk).delete()
    return row


def make_user(role: str):
    if role == "anonymous":
        return None
    users = get_user_model().objects
    if role == "superuser":
        return users.create_superuser(role, f"{role}@example.com", "pw")
    user = users.create_user(role, f"{role}@example.com", "pw")
    group = Group.objects.create(name=f"matrix-{role}")
    codenames = ["access_admin", *ROLE_PERMISSIONS.get(role, [])]
    group.permissions.set(Permission.objects.filter(codename__in=codenames))
    user.groups.add(group)
    if role == "editor":
        user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def ctx(demo_content) -> Ctx:
    pages = BlogPage.objects.live().order_by("pk")
    busy = set(SocialPost.objects.filter(channel="x-demo").values_list("page_id", flat=True))
    free = [page for page in pages if page.pk not in busy]
    SocialPost.objects.filter(channel__in=["x-demo", "mastodon-demo"],
                              page__in=[free[0], free[1]]).delete()
    draft_post = SocialPost.objects.create(page=free[1], site=demo_content, channel="x-demo",
                                           text="Draft", status=PostStatus.DRAFT)
    failed_post = SocialPost.objects.create(page=free[2], site=demo_content,
                                            channel="mastodon-demo", text="Failed",
                                            status=PostStatus.FAILED)
    unknown_post = SocialPost.objects.create(page=free[3], site=demo_content,
                                             channel="mastodon-demo", text="Unknown",
                                             status=PostStatus.FAILED, outcome_unknown=True)
    channel = SocialChannel.objects.get(site=demo_content, channel="x-demo")
    SocialChannel.objects.filter(pk=channel.pk).update(auto_approve=False)
    channel.refresh_from_db()
    return Ctx(demo_content, draft_post, failed_post, channel, free[0], unknown_post)


def refused(response, role: str) -> bool:
    if response.status_code == 403:
        return True
    if response.status_code == 302:
        location = response["Location"]
        if role == "anonymous":
            return location.startswith(reverse("wagtailadmin_login"))
        return location.split("?")[0] == reverse("wagtailadmin_home")
    return False


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", CASES, ids=[case.key for case in CASES])
def test_permission_matrix(client, ctx, case: Case, role: str):
    user = make_user(role)
    if user is not None:
        client.force_login(user)
    url = case.url(ctx)
    data = case.data(ctx) if case.data else None
    watch = case.watch or snapshot
    before = watch()
    if case.method == "GET":
        response = client.get(url)
    else:
        response = client.post(url, data or {})
    after = watch()
    if role in case.allowed:
        assert response.status_code in (200, 302), (response.status_code, response.content[:500])
        assert not refused(response, role), response.get("Location")
        if case.method == "POST":
            assert after != before, "an allowed POST changed nothing"
    else:
        assert after == before, f"{role} changed the database through {case.key}"
        # A watched field: the rest of the form may be saved.
        if case.watch is None and not case.refused_by_no_change:
            assert refused(response, role), (response.status_code, response.get("Location"))


def admin_url_names() -> set[str]:
    """Every URL name of the plugin's admin: namespaces of wagtail_smo under the admin's URLs."""
    names = set()

    def walk(resolver, namespaces: tuple[str, ...], prefix: str) -> None:
        for pattern in resolver.url_patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                extra = (pattern.namespace,) if pattern.namespace else ()
                walk(pattern, namespaces + extra, route)
            elif route.startswith("admin/") and any("wagtail_smo" in n for n in namespaces):
                names.add(":".join(namespaces + (pattern.name,)))

    walk(get_resolver(), (), "")
    return names


def test_the_matrix_covers_every_admin_view():
    covered = {case.covers for case in CASES}
    names = admin_url_names()
    assert "wagtail_smo_posts:edit" in names and "wagtail_smo_channels:edit" in names
    bulk_actions = {
        f"bulk:{action.action_type}"
        for action in bulk_action_registry.get_bulk_actions_for_model("wagtail_smo", "socialpost")
    }
    setting_models = {
        f"settings:{model._meta.model_name}" for model in settings_registry
        if model._meta.app_label == "wagtail_smo"
    }
    person_transitions = {
        name for name, step in TRANSITIONS.items() if step.permission is not SYSTEM
    }
    taken = {name for case in CASES for name in case.transitions} | set(NOT_IN_THESE_VIEWS)
    assert names - covered == set(), "admin URLs the permission matrix does not mention"
    assert bulk_actions - covered == set(), "bulk actions the permission matrix does not mention"
    assert setting_models - covered == set(), "settings the permission matrix does not mention"
    assert person_transitions - taken == set(), "a person's transition with no case"
