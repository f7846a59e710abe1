"""Channel configuration: system checks at start-up and ``manage.py smo_check_providers``."""

from __future__ import annotations

import io
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from tests.fakes import networks as fk
from tests.workers import ROOT, worker_env
from wagtail_smo.providers.bluesky import BlueskyProvider
from wagtail_smo.providers.checks import check_providers


def errors_for(providers):
    with override_settings(WAGTAIL_SMO={"PROVIDERS": providers}):
        return check_providers()


def test_valid_channels_pass():
    providers = {alias: {"BACKEND": backend, "OPTIONS": {**options, "API_URL": "https://x.example"}}
                 for alias, (_fake, backend, options) in fk.CHANNELS.items() if alias != "webhook"}
    providers["console"] = {"BACKEND": "wagtail_smo.providers.console.ConsoleProvider",
                            "OPTIONS": {"NETWORK": "mastodon"}}
    assert errors_for(providers) == []


def test_bad_path_names_channel_and_fix():
    [error] = errors_for({"news-toot": {"BACKEND": "wagtail_smo.providers.mastodn.MastodonProvider"}})
    assert error.id == "wagtail_smo.E102"
    assert "'news-toot'" in error.msg and "cannot be imported" in error.msg
    assert "dotted path" in error.hint


def test_not_a_provider_class():
    [error] = errors_for({"odd": {"BACKEND": "wagtail_smo.conf.SmoSettings"}})
    assert error.id == "wagtail_smo.E103" and "'odd'" in error.msg


def test_missing_credentials():
    [error] = errors_for({"tg": {"BACKEND": "wagtail_smo.providers.telegram.TelegramProvider",
                                 "OPTIONS": {"CHAT_ID": "@x", "BOT_TOKEN": ""}}})
    assert error.id == "wagtail_smo.E105"
    assert "'tg'" in error.msg and "BOT_TOKEN" in error.msg and "environment" in error.hint


def test_unknown_option_suggests_the_right_one():
    [error] = errors_for({"m": {"BACKEND": "wagtail_smo.providers.mastodon.MastodonProvider",
                                "OPTIONS": {"API_URL": "https://m.example", "ACCESS_TOKEN": "t0k3n",
                                            "ACCES_TOKEN": "typo"}}})
    assert error.id == "wagtail_smo.E106"
    assert "'ACCES_TOKEN'" in error.msg and "Did you mean 'ACCESS_TOKEN'" in error.hint


def test_errors_reach_manage_py_check():
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError

    with override_settings(WAGTAIL_SMO={"PROVIDERS": {"broken": {"BACKEND": "nope.Nope"}}}):
        with pytest.raises(SystemCheckError, match="broken"):
            call_command("check", stdout=io.StringIO(), stderr=io.StringIO())


@pytest.fixture
def two_fakes():
    with fk.FakeMastodon() as mastodon, fk.FakeTelegram() as telegram, fk.FakeVK() as vk:
        providers = {
            "mastodon": fk.channel_settings("mastodon", mastodon),
            "telegram-bad": fk.channel_settings("telegram", telegram,
                                                BOT_TOKEN="7000000000:AAwrongwrongwrongwrong"),
            "vk": fk.channel_settings("vk", vk),
        }
        with override_settings(WAGTAIL_SMO={"PROVIDERS": providers}):
            BlueskyProvider._sessions.clear()
            yield


def test_check_providers_command_prints_table(two_fakes):
    out = io.StringIO()
    with pytest.raises(CommandError) as info:
        call_command("smo_check_providers", stdout=out)
    assert info.value.returncode == 1 and "1 of 3" in str(info.value)
    rows = {line.split()[0]: line.split(None, 3) for line in out.getvalue().splitlines()[1:]}
    assert rows["mastodon"][1:3] == ["mastodon", "OK"] and rows["mastodon"][3] == "@smo"
    assert rows["vk"][2] == "OK" and rows["vk"][3] == "SMO Demo"
    assert rows["telegram-bad"][2] == "FAILING" and "Unauthorized" in rows["telegram-bad"][3]
    assert "7000000000:AAwrong" not in out.getvalue()


def test_check_providers_command_selected_channels(two_fakes):
    out = io.StringIO()
    call_command("smo_check_providers", "mastodon", "vk", stdout=out)
    assert "FAILING" not in out.getvalue()
    with pytest.raises(CommandError) as info:
        call_command("smo_check_providers", "nope")
    assert info.value.returncode == 2 and "Unknown channel" in str(info.value)


def test_check_providers_command_runs_as_a_process(two_fakes):
    # manage.py runs the system checks first (call_command skips them): a command method named
    # ``check`` used to shadow BaseCommand.check, and every real run crashed with a TypeError.
    env = worker_env({"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}})
    result = subprocess.run([sys.executable, "manage.py", "smo_check_providers"], cwd=ROOT,
                            env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 1, result.stderr[-3000:]
    assert result.stderr.strip().splitlines()[-1] == "CommandError: 1 of 3 channel(s) failing."
    header, *lines = result.stdout.splitlines()
    assert header.split() == ["CHANNEL", "NETWORK", "STATUS", "DETAIL"]
    rows = {line.split()[0]: line.split(None, 3) for line in lines}
    assert rows["mastodon"] == ["mastodon", "mastodon", "OK", "@smo"]
    assert rows["vk"][1:] == ["vk", "OK", "SMO Demo"]
    assert rows["telegram-bad"][1:3] == ["telegram", "FAILING"]
    assert "Unauthorized" in rows["telegram-bad"][3]
    assert "7000000000:AAwrong" not in result.stdout + result.stderr
