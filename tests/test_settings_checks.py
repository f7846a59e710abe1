"""Every WAGTAIL_SMO setting is checked at start-up: type, range, unknown keys ("did you mean"),
what a value points at (TASKS, CACHES, rendition filters, page models) and each channel's
common options. Each error names the setting and its fix."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from django.core import checks
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import override_settings

from wagtail_smo.checks import check_settings

CONSOLE = "wagtail_smo.providers.console.ConsoleProvider"


def errors_for(**smo):
    with override_settings(WAGTAIL_SMO=smo):
        return check_settings()


def only_error(**smo):
    errors = errors_for(**smo)
    assert len(errors) == 1, [e.msg for e in errors]
    return errors[0]


# --- the bad settings of issue 15 -----------------------------------------------------------------

def test_max_attempts_zero():
    error = only_error(DELIVERY={"MAX_ATTEMPTS": 0})
    assert error.id == "wagtail_smo.E002" and isinstance(error, checks.Error)
    assert "WAGTAIL_SMO['DELIVERY']['MAX_ATTEMPTS']" in error.msg
    assert "at least 1" in error.msg and "not 0" in error.msg
    assert "at least 1" in error.hint and "(5)" in error.hint  # the fix, and the default


@pytest.mark.parametrize("key", ["BACKOFF_SECONDS", "BACKOFF_MAX_SECONDS"])
def test_negative_backoff(key):
    error = only_error(DELIVERY={key: -30})
    assert error.id == "wagtail_smo.E002"
    assert f"WAGTAIL_SMO['DELIVERY'][{key!r}]" in error.msg and "-30" in error.msg
    assert "at least 0" in error.hint


@pytest.mark.parametrize("value", ["ten", 0, -5, True, None, float("nan")])
def test_stuck_after_seconds_must_be_a_positive_number(value):
    error = only_error(DELIVERY={"STUCK_AFTER_SECONDS": value})
    assert error.id == "wagtail_smo.E002"
    assert "STUCK_AFTER_SECONDS" in error.msg and "greater than 0" in error.msg


def test_task_backend_not_in_tasks():
    error = only_error(DELIVERY={"TASK_BACKEND": "nope"})
    assert error.id == "wagtail_smo.E004"
    assert "WAGTAIL_SMO['DELIVERY']['TASK_BACKEND']" in error.msg and "'nope'" in error.msg
    assert "'default'" in error.hint and "TASKS" in error.hint


IMMEDIATE = {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}


def test_task_backend_suggests_the_close_alias():
    with override_settings(TASKS={"default": IMMEDIATE, "posts": IMMEDIATE}):
        error = only_error(DELIVERY={"TASK_BACKEND": "post"})
    assert "Did you mean 'posts'?" in error.hint


def test_queue_the_backend_does_not_have():
    error = only_error(DELIVERY={"QUEUE": "social"})
    assert error.id == "wagtail_smo.E005" and "'social'" in error.msg and "QUEUES" in error.hint
    with override_settings(TASKS={"default": {**IMMEDIATE, "QUEUES": ["default", "social"]}}):
        assert errors_for(DELIVERY={"QUEUE": "social"}) == []


@pytest.mark.parametrize("section, key, suggestion", [
    ("", "DELIVRY", "DELIVERY"),
    ("DELIVERY", "MAX_ATTEMPT", "MAX_ATTEMPTS"),
    ("UTM", "ENABELD", "ENABLED"),
])
def test_misspelt_key_says_did_you_mean(section, key, suggestion):
    smo = {section: {key: 1}} if section else {key: {}}
    error = only_error(**smo)
    assert error.id == "wagtail_smo.E001"
    assert f"unknown key {key!r}" in error.msg
    assert f"Did you mean {suggestion!r}?" in error.hint


def test_provider_timeout_abc():
    error = only_error(PROVIDERS={"news": {"BACKEND": CONSOLE, "OPTIONS": {"TIMEOUT": "abc"}}})
    assert error.id == "wagtail_smo.E120"
    assert "'news'" in error.msg and "TIMEOUT" in error.msg and "'abc'" in error.msg
    assert "WAGTAIL_SMO['PROVIDERS']['news']['OPTIONS']['TIMEOUT']" in error.hint
    assert "(the default is 10)" in error.hint


# --- the other settings ---------------------------------------------------------------------------

@pytest.mark.parametrize("option, value", [
    ("TIMEOUT", 0), ("TIMEOUT", -1), ("TIMEOUT", "10"),
    ("MAX_CHARACTERS", 0), ("MAX_CHARACTERS", "5000"), ("MAX_CHARACTERS", 2.5),
    ("IGNORE_UNSUPPORTED_FEATURES", "yes"), ("IGNORE_UNSUPPORTED_FEATURES", 1),
    ("NETWORK", ""),
])
def test_common_provider_options(option, value):
    error = only_error(PROVIDERS={"c": {"BACKEND": CONSOLE, "OPTIONS": {option: value}}})
    assert error.id == "wagtail_smo.E120" and option in error.msg


@pytest.mark.parametrize("smo, path", [
    ({"DESCRIPTION_LENGTH": "200"}, "['DESCRIPTION_LENGTH']"),
    ({"READING_WORDS_PER_MINUTE": 0}, "['READING_WORDS_PER_MINUTE']"),
    ({"META_CACHE_TIMEOUT": -1}, "['META_CACHE_TIMEOUT']"),
    ({"IMAGE_FILTER": ""}, "['IMAGE_FILTER']"),
    ({"DELIVERY": {"QUEUE": ""}}, "['DELIVERY']['QUEUE']"),
    ({"FEEDS": {"FULL_CONTENT": "yes"}}, "['FEEDS']['FULL_CONTENT']"),
    ({"FEEDS": {"CACHE_MAX_AGE": -1}}, "['FEEDS']['CACHE_MAX_AGE']"),
    ({"FEEDS": {"WEBSUB_HUB": "pubsubhubbub.appspot.com"}}, "['FEEDS']['WEBSUB_HUB']"),
    ({"UTM": {"ENABLED": "false"}}, "['UTM']['ENABLED']"),
    ({"UTM": {"CAMPAIGN": "{slugg}"}}, "['UTM']['CAMPAIGN']"),
    ({"UTM": {"CAMPAIGN": "{slug"}}, "['UTM']['CAMPAIGN']"),
    ({"UTM": {"SOURCES": {"x": ""}}}, "['UTM']['SOURCES']"),
    ({"CLICKS": {"ENABLED": 1}}, "['CLICKS']['ENABLED']"),
    ({"CLICKS": {"BOTS": "Googlebot"}}, "['CLICKS']['BOTS']"),
    ({"CLICKS": {"FLUSH_INTERVAL": 0}}, "['CLICKS']['FLUSH_INTERVAL']"),
    ({"CLICKS": {"FLUSH_HITS": 0}}, "['CLICKS']['FLUSH_HITS']"),
    ({"CLICKS": {"CACHE": None}}, "['CLICKS']['CACHE']"),
])
def test_bad_value_names_the_setting(smo, path):
    error = only_error(**smo)
    assert error.id == "wagtail_smo.E002"
    assert error.msg.startswith(f"WAGTAIL_SMO{path} must be ")
    assert error.hint.startswith(f"Set WAGTAIL_SMO{path} to ")


def test_section_that_is_not_a_dict():
    error = only_error(DELIVERY=5)
    assert error.id == "wagtail_smo.E003" and "WAGTAIL_SMO['DELIVERY'] must be a dict" in error.msg
    assert "MAX_ATTEMPTS" in error.hint


def test_a_setting_that_is_not_a_dict_is_reported_not_a_crash():
    with override_settings(WAGTAIL_SMO=["DELIVERY"]):
        errors = [e for e in checks.run_checks() if e.id.startswith("wagtail_smo.")]
    assert [e.id for e in errors] == ["wagtail_smo.E003"]
    assert errors[0].msg == "WAGTAIL_SMO must be a dict, not list."


def test_meta_cache_and_rendition_filters_are_looked_up():
    error = only_error(META_CACHE="redis")
    assert error.id == "wagtail_smo.E006" and "'redis'" in error.msg and "CACHES" in error.hint
    error = only_error(IMAGE_FILTER="fill-1200x")
    assert error.id == "wagtail_smo.E007" and "'fill-1200x'" in error.msg
    error = only_error(LOGO_FILTER="max-600x60|sepia")
    assert error.id == "wagtail_smo.E007" and "LOGO_FILTER" in error.msg


def test_one_bad_value_does_not_hide_the_others():
    errors = errors_for(DELIVERY={"MAX_ATTEMPTS": 0, "TASK_BACKEND": "nope"}, LOGO_FILTER="bad")
    assert sorted(e.id for e in errors) == ["wagtail_smo.E002", "wagtail_smo.E004",
                                            "wagtail_smo.E007"]


def test_good_settings_give_no_error():
    assert errors_for() == []
    assert errors_for(
        PROVIDERS={"c": {"BACKEND": CONSOLE, "OPTIONS": {
            "NETWORK": "mastodon", "TIMEOUT": 2.5, "MAX_CHARACTERS": 5000,
            "IGNORE_UNSUPPORTED_FEATURES": True}}},
        IMAGE_FILTER="fill-800x418|format-png", LOGO_FILTER="max-300x30|format-png",
        DESCRIPTION_LENGTH=160, READING_WORDS_PER_MINUTE=200, META_CACHE="default",
        META_CACHE_TIMEOUT=0,
        DELIVERY={"TASK_BACKEND": "default", "QUEUE": "default", "MAX_ATTEMPTS": 1,
                  "BACKOFF_SECONDS": 0, "BACKOFF_MAX_SECONDS": 0.5, "STUCK_AFTER_SECONDS": 0.5},
        FEEDS={"PAGE_TYPES": ["blog.BlogPage"], "LIMIT": 1, "FULL_CONTENT": True, "UTM": True,
               "UTM_SOURCE": "rss", "CACHE_MAX_AGE": 0, "WEBSUB_HUB": "https://hub.example/",
               "PURGE_ON_PUBLISH": False},
        UTM={"ENABLED": False, "MEDIUM": "social", "CAMPAIGN": "{site}-{network}-{slug}",
             "SOURCES": {"x": "twitter"}},
        SHARE_NETWORKS=["x", "email"],
        CLICKS={"ENABLED": False, "BOTS": [r"ACME-Monitor/\d"], "FLUSH_INTERVAL": 0.5,
                "FLUSH_HITS": 1, "CACHE": ""},
    ) == []
    with override_settings(WAGTAIL_SMO=None):
        assert check_settings() == []


def test_clicks_cache_and_bot_patterns_are_looked_up():
    error = only_error(CLICKS={"CACHE": "redis"})
    assert error.id == "wagtail_smo.E008" and "['CLICKS']['CACHE']" in error.msg
    assert "'redis'" in error.msg and "'default'" in error.hint
    error = only_error(CLICKS={"BOTS": ["Googlebot", "ACME (monitor"]})
    assert error.id == "wagtail_smo.E009" and "'ACME (monitor'" in error.msg
    assert repr(r"ACME\ \(monitor") in error.hint  # the escaped pattern, as Python writes it
    error = only_error(CLICKS={"FLUSH_INTRVAL": 30})
    assert error.id == "wagtail_smo.E001" and "'FLUSH_INTERVAL'" in error.hint


def test_errors_stop_manage_py_check():
    with override_settings(WAGTAIL_SMO={"DELIVERY": {"MAX_ATTEMPTS": 0}}):
        with pytest.raises(SystemCheckError, match="MAX_ATTEMPTS"):
            call_command("check")


def test_manage_py_check_in_a_real_process_exits_non_zero_with_the_messages(tmp_path):
    root = Path(__file__).resolve().parent.parent
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], capture_output=True, text=True, cwd=str(root),
        env={"DJANGO_SETTINGS_MODULE": "tests.bad_settings", "SMO_VAR_DIR": str(tmp_path),
             "PATH": ""},
        timeout=120,
    )
    assert result.returncode == 1, result.stderr
    assert "SystemCheckError" in result.stderr
    for expected in (
        "(wagtail_smo.E002) WAGTAIL_SMO['DELIVERY']['MAX_ATTEMPTS'] must be an integer of at "
        "least 1, not 0.",
        "(wagtail_smo.E002) WAGTAIL_SMO['DELIVERY']['STUCK_AFTER_SECONDS'] must be a number "
        "greater than 0, not 'ten'.",
        "(wagtail_smo.E004) WAGTAIL_SMO['DELIVERY']['TASK_BACKEND'] is 'nope'",
        "(wagtail_smo.E030) WAGTAIL_SMO['FEEDS'] has an unknown key 'LIMT'.",
        "HINT: Did you mean 'LIMIT'?",
    ):
        assert expected in result.stderr, result.stderr
