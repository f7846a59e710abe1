"""The post state machine: one table of transitions, its permissions, and nobody writing a status
around it (retry needs "send"; delivery's system transitions need no user)."""

from __future__ import annotations

import ast
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks import task_backends
from wagtail.log_actions import registry as log_registry
from wagtail.models import ModelLogEntry

import wagtail_smo
from example_site.blog.models import BlogPage
from wagtail_smo.exceptions import InvalidPostState
from wagtail_smo.models import PostStatus, SocialPost
from wagtail_smo.posts import delivery, workflow
from wagtail_smo.posts.tasks import deliver_post

pytestmark = pytest.mark.django_db

DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def make_user(name: str, *perms: str):
    user = get_user_model().objects.create_user(name, f"{name}@example.com", "pw")
    group = Group.objects.create(name=f"group-{name}")
    group.permissions.set(Permission.objects.filter(codename__in=["access_admin", *perms]))
    user.groups.add(group)
    return get_user_model().objects.get(pk=user.pk)  # a fresh instance: no cached permissions


@pytest.fixture
def post(demo_content):
    page = BlogPage.objects.get(slug="social-cards-explained")
    return SocialPost.objects.create(
        page=page, site=demo_content, channel="x-demo", text="Hello https://example.com/",
        link="https://example.com/",
    )


@pytest.fixture
def queue():
    """A backend that keeps what is enqueued (delivery's TASK_BACKEND is "default")."""
    with override_settings(TASKS=DUMMY):
        backend = task_backends["default"]
        yield backend
        backend.clear()


def deliveries(backend) -> list:
    return [r for r in backend.results if r.task.module_path == deliver_post.module_path]


def logged(post, action_name: str):
    return ModelLogEntry.objects.filter(object_id=str(post.pk), action=action_name)


# --- the table --------------------------------------------------------------------------------

def test_the_table_covers_every_status_with_known_permissions_and_log_actions():
    declared_perms = {codename for codename, _ in SocialPost._meta.permissions}
    targets, sources = set(), set()
    for name, step in workflow.TRANSITIONS.items():
        if step.permission is not workflow.SYSTEM:
            codename = f"{step.permission}_socialpost"
            assert codename in declared_perms or step.permission in ("add", "change"), name
        if step.log_action:
            assert step.log_action in workflow.LOG_ACTIONS, name
            assert log_registry.action_exists(step.log_action), name
        targets.update(workflow.QUEUED if step.target == workflow.WAITING
                       else [step.target])
        sources.update(step.sources)
    # Every status is reached by some transition and every status but "sent" is left by one
    # (a cancelled post only by the network's late word that it was sent after all).
    assert targets == set(PostStatus.values)
    assert set(PostStatus.values) - sources == {PostStatus.SENT}


def test_delivery_transitions_are_system_ones_and_person_ones_are_not():
    system = {n for n, s in workflow.TRANSITIONS.items() if s.permission is workflow.SYSTEM}
    assert system == {"auto_approve", "claim", "sent", "failed", "retry_later", "reconcile"}
    assert workflow.TRANSITIONS["retry"].permission == "send"


def test_no_module_but_the_workflow_writes_a_post_status():
    """Statuses change only through posts/workflow.py: no .update(status=...), no status
    assignment, no PostStatus member passed as ``status=`` when creating a post, elsewhere."""
    package = Path(wagtail_smo.__file__).parent
    offences = []
    for path in package.rglob("*.py"):
        relative = path.relative_to(package).as_posix()
        if relative == "posts/workflow.py" or relative.startswith("migrations/"):
            continue
        for node in ast.walk(ast.parse(path.read_text(), relative)):
            if isinstance(node, ast.Assign | ast.AugAssign):
                for target in getattr(node, "targets", [getattr(node, "target", None)]):
                    if (isinstance(target, ast.Attribute) and target.attr == "status"
                            and getattr(target.value, "id", "") != "self"):  # an error's HTTP status
                        offences.append(f"{relative}:{node.lineno} assigns .status")
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "attr", getattr(node.func, "id", ""))
            for keyword in node.keywords:
                if keyword.arg != "status":
                    continue
                literal = any(isinstance(part, ast.Attribute)
                              and getattr(part.value, "id", "") == "PostStatus"
                              for part in ast.walk(keyword.value))
                if name == "update" or (name in ("create", "SocialPost") and literal):
                    offences.append(f"{relative}:{node.lineno} {name}(status=...)")
    assert offences == []


# --- retry: the send permission ---------------------------------------------------------------

def test_retry_needs_the_send_permission_not_approve(post, queue, django_capture_on_commit_callbacks):
    SocialPost.objects.filter(pk=post.pk).update(status=PostStatus.FAILED, last_error="boom")
    post.refresh_from_db()
    approver = make_user("approver", "change_socialpost", "approve_socialpost")
    with pytest.raises(PermissionDenied):
        workflow.retry(post, approver)
    post.refresh_from_db()
    assert post.status == PostStatus.FAILED and post.last_error == "boom"
    assert not logged(post, "wagtail_smo.post.retry").exists()
    assert deliveries(queue) == []

    sender = make_user("sender", "change_socialpost", "send_socialpost")
    with django_capture_on_commit_callbacks(execute=True):
        workflow.retry(post, sender)
    post.refresh_from_db()
    assert post.status == PostStatus.APPROVED and post.last_error == ""
    assert logged(post, "wagtail_smo.post.retry").get().user == sender
    assert [list(r.args) for r in deliveries(queue)] == [[post.pk]]
    with pytest.raises(InvalidPostState), django_capture_on_commit_callbacks(execute=True):
        workflow.retry(post, sender)  # not failed any more: a second click does nothing
    assert len(deliveries(queue)) == 1


def test_retry_button_of_the_admin_needs_send(client, post):
    SocialPost.objects.filter(pk=post.pk).update(status=PostStatus.FAILED)
    client.force_login(make_user("approver", "change_socialpost", "approve_socialpost"))
    response = client.post(reverse("wagtail_smo_posts:action", args=(post.pk, "send")))
    assert response.status_code == 403
    post.refresh_from_db()
    assert post.status == PostStatus.FAILED


def test_a_retried_post_with_a_schedule_time_waits_for_it(
    post, queue, django_capture_on_commit_callbacks
):
    when = timezone.now() + timedelta(hours=3)
    SocialPost.objects.filter(pk=post.pk).update(status=PostStatus.FAILED, scheduled_at=when)
    post.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.retry(post, None)
    assert post.status == PostStatus.SCHEDULED
    [queued] = deliveries(queue)
    assert queued.task.run_after == when


# --- two clicks, two workers ------------------------------------------------------------------

def test_two_approvals_of_the_same_post_act_once(post, queue, django_capture_on_commit_callbacks):
    approver = make_user("approver", "change_socialpost", "approve_socialpost")
    first = SocialPost.objects.get(pk=post.pk)
    second = SocialPost.objects.get(pk=post.pk)  # loaded before the first click took effect
    with django_capture_on_commit_callbacks(execute=True):
        workflow.approve(first, approver)
    assert len(deliveries(queue)) == 1
    SocialPost.objects.filter(pk=post.pk).update(status=PostStatus.SENDING)  # a worker has it
    with pytest.raises(workflow.WorkflowError), django_capture_on_commit_callbacks(execute=True):
        workflow.approve(second, approver)
    assert logged(post, "wagtail_smo.post.approve").count() == 1
    assert len(deliveries(queue)) == 1


def test_a_post_is_claimed_by_one_worker_without_any_user(post):
    SocialPost.objects.filter(pk=post.pk).update(status=PostStatus.APPROVED)
    first = delivery.claim_post(post.pk)
    assert first is not None and first.post.status == PostStatus.SENDING
    assert delivery.claim_post(post.pk) is None  # the second worker finds it taken
    # The claim is the workflow's system transition: no permission, no history entry.
    assert not ModelLogEntry.objects.filter(object_id=str(post.pk)).exists()


def test_a_system_transition_ignores_a_stale_condition(post):
    """The outcome of an attempt that lost the post (another attempt id) changes nothing."""
    from django.db.models import Q

    SocialPost.objects.filter(pk=post.pk).update(status=PostStatus.SENDING, attempt_id="mine")
    assert not workflow.transition(post, "sent", where=Q(attempt_id="someone-else"))
    assert SocialPost.objects.get(pk=post.pk).status == PostStatus.SENDING
    assert workflow.transition(post, "sent", where=Q(attempt_id="mine"))
    assert SocialPost.objects.get(pk=post.pk).status == PostStatus.SENT
    assert not workflow.transition(post, "failed")  # a sent post never changes again


@pytest.mark.parametrize("meanwhile", [PostStatus.CANCELLED, PostStatus.DRAFT])
def test_a_late_worker_never_puts_a_cancelled_or_draft_post_back_in_the_queue(
    post, queue, meanwhile, django_capture_on_commit_callbacks
):
    """A worker's answer arriving after a person cancelled the post (or an edit sent it back to
    draft) changes nothing, unless the network says it was sent: then "sent" is the truth."""
    from django.db.models import Q

    SocialPost.objects.filter(pk=post.pk).update(status=meanwhile, attempt_id="late")
    same_attempt = Q(attempt_id="late")
    with django_capture_on_commit_callbacks(execute=True):
        assert not workflow.transition(post, "retry_later", where=same_attempt,
                                       retry_at=timezone.now())
        assert not workflow.transition(post, "failed", where=same_attempt)
    assert SocialPost.objects.get(pk=post.pk).status == meanwhile
    assert deliveries(queue) == []
    assert workflow.transition(post, "sent", where=same_attempt)
    assert SocialPost.objects.get(pk=post.pk).status == PostStatus.SENT


def test_the_admin_buttons_follow_the_table(post):
    sender = make_user("sender", "change_socialpost", "send_socialpost")
    approver = make_user("approver", "change_socialpost", "approve_socialpost")
    assert workflow.allows(approver, "approve", post) and not workflow.allows(sender, "approve", post)
    post.status = PostStatus.FAILED
    assert workflow.allows(sender, "retry", post) and not workflow.allows(approver, "retry", post)
    assert not workflow.allows(sender, "send_now", post)
    post.status = PostStatus.SENT
    assert not any(workflow.allows(sender, name, post) for name in workflow.TRANSITIONS)
    post.status = PostStatus.APPROVED
    superuser = get_user_model().objects.create_superuser("root", "root@example.com", "pw")
    assert not workflow.allows(superuser, "claim", post)  # no person makes a system transition


def test_a_person_without_the_permission_changes_nothing(post):
    outsider = make_user("outsider")
    with pytest.raises(PermissionDenied):
        workflow.transition(post, "approve", outsider)
    assert SocialPost.objects.get(pk=post.pk).status == PostStatus.DRAFT


def test_creation_statuses_come_from_the_table(post):
    assert workflow.initial_status("create") == PostStatus.DRAFT
    assert workflow.initial_status("auto_approve") == PostStatus.APPROVED
    assert workflow.initial_status("import") == PostStatus.SCHEDULED
    with pytest.raises(PermissionDenied):
        workflow.initial_status("import", make_user("editor", "add_socialpost"))
    with pytest.raises(ValueError):
        workflow.initial_status("approve")
