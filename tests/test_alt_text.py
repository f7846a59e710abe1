"""An alt text belongs to the image it was written for (issue 14, item 9).

The Social tab's form asks for a new alt text when the social image changes and the alt text was
kept; it records which image the alt text describes, and the audit flags one left over from
another image. Driven through the real page edit view, with the form as Wagtail renders it.
"""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from wagtail.images import get_image_model

from example_site.blog.models import NewsPage
from wagtail_smo.audit import audit_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client, demo_content):
    client.force_login(get_user_model().objects.create_superuser("ed", "ed@example.com", "pw"))
    return client


def form_as_rendered(client, page) -> dict:
    """The edit form's fields and values, as the browser would submit them untouched."""
    html = client.get(f"/admin/pages/{page.pk}/edit/").content
    form = BeautifulSoup(html, "html.parser").find("form", id="page-edit-form")
    data: dict = {}
    for field in form.find_all(["input", "textarea", "select"]):
        name = field.get("name")
        if not name or field.get("type") in ("submit", "button", "file"):
            continue
        if field.name == "textarea":
            data[name] = field.get_text()
        elif field.name == "select":
            chosen = field.find("option", selected=True)
            data[name] = chosen.get("value", "") if chosen else ""
        elif field.get("type") in ("checkbox", "radio"):
            if field.has_attr("checked"):
                data[name] = field.get("value", "on")
        else:
            data[name] = field.get("value", "")
    return data


def save_draft(client, page, **changes):
    data = {**form_as_rendered(client, page), **changes}
    return client.post(f"/admin/pages/{page.pk}/edit/", data)


def image(title: str):
    return get_image_model().objects.get(title=title)


@pytest.fixture
def news(editor):
    """A news item whose social image has an alt text written for it in the Social tab."""
    page = NewsPage.objects.get(slug="feeds-and-exports")
    response = save_draft(editor, page, social_image=image("Demo: newsroom").pk,
                          social_image_alt="A newsroom drawn in navy and pale blue")
    assert response.status_code == 302, response.context["form"].errors
    page = NewsPage.objects.get(pk=page.pk).get_latest_revision_as_object()
    assert page.social_image_alt_for == image("Demo: newsroom").pk
    return page


def test_changing_the_image_asks_for_a_new_alt_text(editor, news):
    response = save_draft(editor, news, social_image=image("Demo: harbour at dawn").pk)
    assert response.status_code == 200
    errors = response.context["form"].errors["social_image_alt"]
    assert "written for the previous image" in errors[0]
    latest = NewsPage.objects.get(pk=news.pk).get_latest_revision_as_object()
    assert latest.social_image_id == image("Demo: newsroom").pk  # nothing saved


def test_a_new_alt_text_with_the_new_image_is_recorded_for_it(editor, news):
    harbour = image("Demo: harbour at dawn")
    response = save_draft(editor, news, social_image=harbour.pk,
                          social_image_alt="A harbour at dawn in blue and orange")
    assert response.status_code == 302
    latest = NewsPage.objects.get(pk=news.pk).get_latest_revision_as_object()
    assert (latest.social_image_id, latest.social_image_alt_for) == (harbour.pk, harbour.pk)
    # Saved again untouched: nothing to ask.
    assert save_draft(editor, latest).status_code == 302


def test_clearing_the_alt_text_is_allowed(editor, news):
    response = save_draft(editor, news, social_image=image("Demo: harbour at dawn").pk,
                          social_image_alt="")
    assert response.status_code == 302


def test_the_audit_flags_an_alt_text_of_another_image(news):
    assert "image-alt-other-image" not in {f.code for f in audit_page(news).findings}
    # Changed by code (an import, a script): the form did not ask, the audit says it.
    news.social_image = image("Demo: harbour at dawn")
    news.save_revision().publish()
    page = NewsPage.objects.get(pk=news.pk)
    findings = {f.code: f for f in audit_page(page).findings}
    assert findings["image-alt-other-image"].level.label == "warning"
