"""Bulk scheduling import: plain CSV and Postcron, all-or-nothing, every problem listed."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry, PageViewRestriction

from example_site.blog.models import BlogPage
from wagtail_smo.models import PostStatus, SocialPost

pytestmark = pytest.mark.django_db

FUTURE = timezone.localtime() + datetime.timedelta(days=3)


def url(slug):
    return BlogPage.objects.get(slug=slug).full_url


def write_csv(tmp_path, rows, name="schedule.csv"):
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    path = tmp_path / name
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def when(days=3, hour=10):
    return (FUTURE + datetime.timedelta(days=days - 3)).replace(hour=hour, minute=30)


def good_rows():
    return [
        ["channel", "datetime", "text", "link", "image_url"],
        ["x-demo", when().strftime("%Y-%m-%d %H:%M"), "Короткий пост 🚀", url("social-cards-explained"), ""],
        ["mastodon-demo", when(4).strftime("%Y-%m-%dT%H:%M"), "Longer post",
         url("hashtags-and-reach") + "?utm_source=mastodon", "https://cdn.example.com/a.jpg"],
    ]


def test_plain_csv_creates_scheduled_posts(demo_content, tmp_path, capsys):
    call_command("smo_import_schedule", str(write_csv(tmp_path, good_rows())))
    posts = SocialPost.objects.order_by("scheduled_at")
    assert [p.channel for p in posts] == ["x-demo", "mastodon-demo"]
    assert all(p.status == PostStatus.SCHEDULED for p in posts)
    assert posts[0].page.slug == "social-cards-explained" and posts[0].text == "Короткий пост 🚀"
    assert timezone.localtime(posts[0].scheduled_at).strftime("%Y-%m-%d %H:%M") == when().strftime("%Y-%m-%d %H:%M")
    assert posts[1].image_url == "https://cdn.example.com/a.jpg"
    assert ModelLogEntry.objects.filter(action="wagtail_smo.post.import").count() == 2
    assert "Imported 2" in capsys.readouterr().out


def test_dry_run_creates_nothing(demo_content, tmp_path, capsys):
    call_command("smo_import_schedule", str(write_csv(tmp_path, good_rows())), "--dry-run")
    assert not SocialPost.objects.exists()
    assert "2 row(s) are valid" in capsys.readouterr().out


def test_as_drafts(demo_content, tmp_path):
    call_command("smo_import_schedule", str(write_csv(tmp_path, good_rows())), "--as-drafts")
    assert set(SocialPost.objects.values_list("status", flat=True)) == {PostStatus.DRAFT}


def test_every_problem_is_listed_and_nothing_is_created(demo_content, tmp_path, capsys):
    private = BlogPage.objects.get(slug="only-a-body-image")
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    rows = good_rows() + [
        ["nowhere", "2099-01-01 10:00", "Unknown channel", url("very-long-title"), ""],
        ["x-demo", "31/02/2099 10:00", "Bad date", url("very-long-title"), ""],
        ["x-demo", "2001-01-01 10:00", "In the past", url("inherits-section-image"), ""],
        ["x-demo", when().strftime("%Y-%m-%d %H:%M"), "Duplicate page and channel", url("social-cards-explained"), ""],
        ["linkedin-demo", when().strftime("%Y-%m-%d %H:%M"), "Private page", private.full_url, ""],
        ["linkedin-demo", when().strftime("%Y-%m-%d %H:%M"), "", "https://elsewhere.example/", "not a url"],
        ["x-demo", when(5).strftime("%Y-%m-%d %H:%M"), "日本" * 100, url("quotes-and-brackets"), ""],
    ]
    path = write_csv(tmp_path, rows)
    with pytest.raises(CommandError) as info:
        call_command("smo_import_schedule", str(path))
    assert info.value.returncode == 2
    assert "nothing was imported" in str(info.value)
    err = capsys.readouterr().err
    expected = {
        4: "unknown channel 'nowhere'",
        5: "bad date-time",
        6: "is in the past",
        7: "same page and channel as row 2",
        8: "not a live, public page",
        9: "empty text",
        10: "x allows 280",
    }
    for row, message in expected.items():
        assert any(line.startswith(f"row {row}:") and message in line for line in err.splitlines()), (row, err)
    assert "row 9: bad image URL 'not a url'" in err
    assert not any(line.startswith(("row 2:", "row 3:")) for line in err.splitlines())
    assert not SocialPost.objects.exists()


def test_wrong_columns(demo_content, tmp_path, capsys):
    path = write_csv(tmp_path, [["channel", "when", "text", "url"], ["x-demo", "", "", ""]])
    with pytest.raises(CommandError) as info:
        call_command("smo_import_schedule", str(path))
    assert info.value.returncode == 2
    err = capsys.readouterr().err
    assert "missing column(s): datetime, link" in err and "unknown column(s): when, url" in err


def test_missing_file_is_a_clear_error(db):
    with pytest.raises(CommandError) as info:
        call_command("smo_import_schedule", "/nonexistent/file.csv")
    assert info.value.returncode == 2 and "Cannot read" in str(info.value)


def test_open_post_in_the_database_is_a_problem(demo_content, tmp_path, capsys):
    page = BlogPage.objects.get(slug="social-cards-explained")
    SocialPost.objects.create(page=page, channel="x-demo", text="open")
    with pytest.raises(CommandError):
        call_command("smo_import_schedule", str(write_csv(tmp_path, good_rows())))
    assert "row 2: the page already has an open post for x-demo" in capsys.readouterr().err
    assert SocialPost.objects.count() == 1


def test_postcron_layout(demo_content, tmp_path):
    w = when()
    rows = [
        ["Message", "Year", "Month", "Day", "Hour", "Minute", "Image", "Link"],
        ["From Postcron", str(w.year), str(w.month), str(w.day), "9", "5",
         "https://cdn.example.com/1.jpg, https://cdn.example.com/2.jpg", url("very-long-title")],
    ]
    path = write_csv(tmp_path, rows)
    with pytest.raises(CommandError):  # no channel column: --channel is needed
        call_command("smo_import_schedule", str(path), "--format", "postcron")
    call_command("smo_import_schedule", str(path), "--channel", "linkedin-demo")
    post = SocialPost.objects.get()
    assert post.channel == "linkedin-demo" and post.text == "From Postcron"
    local = timezone.localtime(post.scheduled_at)
    assert (local.year, local.month, local.day, local.hour, local.minute) == (w.year, w.month, w.day, 9, 5)
    assert post.image_url == "https://cdn.example.com/1.jpg"


def test_admin_upload(client, demo_content, tmp_path):
    admin = get_user_model().objects.create_superuser("root", "root@example.com", "pw")
    client.force_login(admin)
    import_url = reverse("wagtail_smo_posts:import")
    bad = write_csv(tmp_path, good_rows() + [["x-demo", "never", "t", url("very-long-title"), ""]])
    response = client.post(import_url, {
        "file": SimpleUploadedFile("s.csv", bad.read_bytes()), "file_format": "auto",
    })
    assert response.status_code == 400
    assert "row 4: bad date-time" in response.content.decode()
    assert not SocialPost.objects.exists()
    good = write_csv(tmp_path, good_rows(), "good.csv")
    response = client.post(import_url, {
        "file": SimpleUploadedFile("s.csv", good.read_bytes()), "file_format": "csv",
    })
    assert response.status_code == 302
    assert SocialPost.objects.filter(status=PostStatus.SCHEDULED).count() == 2


def test_admin_upload_needs_add_permission(client, demo_content, tmp_path):
    from django.contrib.auth.models import Permission

    user = get_user_model().objects.create_user("weak", "w@example.com", "pw")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    response = client.post(reverse("wagtail_smo_posts:import"), {
        "file": SimpleUploadedFile("s.csv", write_csv(tmp_path, good_rows()).read_bytes()),
        "file_format": "csv",
    })
    assert response.status_code == 403
    assert not SocialPost.objects.exists()


# --- bad dates, encoded and international addresses (issue 14, item 7) -------------------------


@pytest.mark.parametrize("value", ["2026-13-45 10:00", "2099-02-30 10:00", "2099-01-01 25:00"])
def test_an_impossible_date_is_a_row_error_on_the_command_line(demo_content, tmp_path, capsys,
                                                                value):
    # Well-formed but impossible: parse_datetime raises ValueError for these (it was a traceback).
    rows = good_rows() + [["x-demo", value, "Impossible", url("very-long-title"), ""]]
    with pytest.raises(CommandError) as info:
        call_command("smo_import_schedule", str(write_csv(tmp_path, rows)))
    assert info.value.returncode == 2
    err = capsys.readouterr().err.splitlines()
    assert err == [f"row 4: bad date-time {value!r} (use YYYY-MM-DD HH:MM)"]
    assert not SocialPost.objects.exists()


def test_an_impossible_postcron_date_is_a_row_error(demo_content, tmp_path, capsys):
    rows = [["From Postcron", "2099", "13", "45", "9", "5", "", url("very-long-title")]]
    with pytest.raises(CommandError):
        call_command("smo_import_schedule", str(write_csv(tmp_path, rows)),
                     "--channel", "linkedin-demo")
    assert "row 1: bad date-time '2099-13-45 09:05'" in capsys.readouterr().err
    assert not SocialPost.objects.exists()


def test_an_impossible_date_in_the_admin_is_a_row_error_not_a_500(client, demo_content, tmp_path):
    admin = get_user_model().objects.create_superuser("root", "root@example.com", "pw")
    client.force_login(admin)
    rows = good_rows() + [["x-demo", "2026-13-45 10:00", "Impossible", url("very-long-title"), ""]]
    response = client.post(reverse("wagtail_smo_posts:import"), {
        "file": SimpleUploadedFile("s.csv", write_csv(tmp_path, rows).read_bytes()),
        "file_format": "auto",
    })
    assert response.status_code == 400
    assert "row 4: bad date-time" in response.content.decode()
    assert not SocialPost.objects.exists()


def test_percent_encoded_links_match_their_pages(demo_content, tmp_path):
    from urllib.parse import quote

    from wagtail.models import Page

    blog = Page.objects.get(slug="blog")
    page = blog.add_child(instance=BlogPage(title="Кошки", slug="кошки", date=FUTURE.date()))
    page.save_revision().publish()
    encoded = demo_content.root_url + "/blog/" + quote("кошки") + "/"
    assert "%D0%BA" in encoded  # the form canonical links and exports print
    rows = [CSV_HEADER, ["x-demo", when().strftime("%Y-%m-%d %H:%M"), "Encoded", encoded, ""],
            ["mastodon-demo", when().strftime("%Y-%m-%d %H:%M"), "Decoded",
             demo_content.root_url + "/blog/кошки/", ""]]
    call_command("smo_import_schedule", str(write_csv(tmp_path, rows)))
    assert {p.page_id for p in SocialPost.objects.all()} == {page.pk}
    assert SocialPost.objects.count() == 2


@pytest.mark.parametrize("host", ["пример.рф", "xn--e1afmkfd.xn--p1ai"])
def test_international_domain_names_match_in_either_spelling(demo_content, tmp_path, host):
    demo_content.hostname, demo_content.port = host, 80
    demo_content.save()
    rows = [CSV_HEADER,
            ["x-demo", when().strftime("%Y-%m-%d %H:%M"), "Unicode host",
             "http://пример.рф/blog/social-cards-explained/", ""],
            ["mastodon-demo", when().strftime("%Y-%m-%d %H:%M"), "Punycode host",
             "http://xn--e1afmkfd.xn--p1ai/blog/social-cards-explained/?utm_source=x", ""]]
    call_command("smo_import_schedule", str(write_csv(tmp_path, rows)))
    assert set(SocialPost.objects.values_list("page__slug", flat=True)) == {
        "social-cards-explained"}
    assert SocialPost.objects.count() == 2


CSV_HEADER = ["channel", "datetime", "text", "link", "image_url"]
