"""Start real worker processes (db_worker, rqworker) against the test run's database."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


def worker_env(tasks: dict, rq_queues: dict | None = None) -> dict:
    """Environment for tests.worker_settings: this test's database, TASKS and WAGTAIL_SMO."""
    database = {key: connection.settings_dict[key] for key in
                ("ENGINE", "NAME", "USER", "PASSWORD", "HOST", "PORT", "OPTIONS")}
    database["NAME"] = str(database["NAME"])
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.worker_settings",
        "SMO_TEST_DATABASE": json.dumps(database),
        "SMO_TEST_TASKS": json.dumps(tasks),
        "SMO_TEST_WAGTAIL_SMO": json.dumps(settings.WAGTAIL_SMO),
        "SMO_TEST_RQ_QUEUES": json.dumps(rq_queues or {}),
        "PYTHONUNBUFFERED": "1",
    }


def start_manage(args: list[str], env: dict, log_path: Path) -> subprocess.Popen:
    """``manage.py ARGS`` in a subprocess, output to ``log_path``."""
    log = open(log_path, "wb")  # noqa: SIM115 -- closed with the process by the caller's wait
    return subprocess.Popen([sys.executable, "manage.py", *args], cwd=ROOT, env=env,
                            stdout=log, stderr=subprocess.STDOUT)


def run_in_worker_settings(code: str, env: dict) -> str:
    """Run Python ``code`` in a ``manage.py shell`` under the workers' settings; its output.

    Enqueueing must happen there: on Django 6 a task object takes its class from the TASKS
    backend configured when it was imported, and the test process imported it under the
    immediate backend of the test settings.
    """
    return subprocess.run([sys.executable, "manage.py", "shell", "-c", code], cwd=ROOT, env=env,
                          check=True, capture_output=True, text=True).stdout
