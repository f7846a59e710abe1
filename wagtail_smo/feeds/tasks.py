"""Background work of feeds: WebSub pings after publishing (run by the django_tasks worker)."""

from __future__ import annotations

import logging

import requests
from django_tasks import task

logger = logging.getLogger("wagtail_smo")


@task()
def ping_websub(hub: str, urls: list[str]) -> int:
    """Tell a WebSub hub that each feed in ``urls`` changed; returns how many pings succeeded."""
    done = 0
    for url in urls:
        try:
            response = requests.post(
                hub, data={"hub.mode": "publish", "hub.url": url}, timeout=10
            )
            response.raise_for_status()
        except requests.RequestException as exc:
            logger.warning("wagtail-smo: WebSub ping of %s for %s failed: %s", hub, url, exc)
            continue
        done += 1
    return done
