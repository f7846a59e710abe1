"""Test settings with a channel whose provider declares an incomplete network (no counting rule):
``manage.py check`` must fail naming the channel, the provider and what is missing."""

from tests.settings import *  # noqa: F403

WAGTAIL_SMO = {"PROVIDERS": {"half-done-main": {
    "BACKEND": "tests.example_network.IncompleteProvider"}}}
