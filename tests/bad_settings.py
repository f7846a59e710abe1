"""The test settings with wrong WAGTAIL_SMO values, for a real ``manage.py check`` process."""

from tests.settings import *  # noqa: F403
from tests.settings import WAGTAIL_SMO

WAGTAIL_SMO = {
    **WAGTAIL_SMO,
    "DELIVERY": {"MAX_ATTEMPTS": 0, "STUCK_AFTER_SECONDS": "ten", "TASK_BACKEND": "nope"},
    "FEEDS": {"LIMT": 10},
}
