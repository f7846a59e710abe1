"""The example site under load: gunicorn (2 workers), PostgreSQL, Redis/RQ, measured with wrk.

Two uses, one setup (a scratch PostgreSQL database created and dropped, ``smo_load`` by default;
a Redis database for the RQ queue and the shared cache; the demo content; gunicorn with two
workers and an RQ worker, all on 127.0.0.1 and all stopped at the end):

- ``python benchmarks/load.py`` (``make bench``): requests per second, the targets taking turns,
  for a blog post page with ``{% social_meta %}`` and the same page without it
  (``?without_social_meta=1``, a switch of the example site's base template), and for a feed
  answered 200 and answered 304 (``If-None-Match``); printed with their ratios, the date, the
  commit and the load average, as docs/benchmarks.md records them.
- ``python benchmarks/load.py --check`` (CI, ``.ci/run``): a bounded mixed load on a page, a feed
  (200 and 304), ``/smo/meta/`` and the API page detail, while a page is published (the RQ worker
  must write its post drafts); fails on any response other than 2xx or 304 and on any socket
  error.

Needs ``wrk`` (apt package ``wrk``), gunicorn (the ``deploy`` extra), PostgreSQL and Redis.
``DATABASE_URL`` names the server (its database name is replaced by ``--database``), ``REDIS_URL``
defaults to ``redis://127.0.0.1:6379/13`` (that Redis database is emptied first).
``SMO_LOAD_SECONDS`` sets the seconds per wrk run (default 5 with ``--check``, 4 otherwise).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
POST_PATH = "/blog/social-cards-explained/"
FEED_PATH = "/smo/feeds/blog/rss.xml"

# wrk's Lua hooks: cycle through the requests, count every status that is not 2xx or 304.
LUA = """
local requests = %(requests)s
local i = 0
bad = 0
local threads = {}
function setup(thread) table.insert(threads, thread) end
function request()
  i = i %% #requests + 1
  local r = requests[i]
  return wrk.format("GET", r[1], r[2])
end
function response(status, headers, body)
  if not ((status >= 200 and status < 300) or status == 304) then
    bad = bad + 1
    if bad <= 3 then io.stderr:write("unexpected status " .. status .. "\\n") end
  end
end
function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do total = total + thread:get("bad") end
  io.write(string.format("BAD_STATUS %%d\\n", total))
end
"""


class LoadError(RuntimeError):
    """The load run failed: a bad response, a socket error, or a part that did not start."""


def free_port() -> int:
    """A TCP port free on 127.0.0.1 now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_urls(base: str, name: str) -> tuple[str, str]:
    """(URL of the server's ``postgres`` database, URL of the scratch database ``name``)."""
    parts = urlsplit(base)
    return (urlunsplit(parts._replace(path="/postgres")),
            urlunsplit(parts._replace(path=f"/{name}")))


@contextmanager
def scratch_database(base_url: str, name: str):
    """Create the PostgreSQL database ``name`` (dropped first if left over), drop it at the end."""
    import psycopg

    admin_url, url = database_urls(base_url, name)
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
        raise LoadError(f"not a plain database name: {name!r}")

    def run(sql: str) -> None:
        with psycopg.connect(admin_url, autocommit=True) as connection:
            connection.execute(sql)

    run(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    run(f"CREATE DATABASE {name}")
    try:
        yield url
    finally:
        run(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def manage(env: dict, *args: str) -> str:
    """Run ``manage.py`` with ``args``; its output, or LoadError with it."""
    done = subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=300)
    if done.returncode:
        raise LoadError(f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


@contextmanager
def process(command: list[str], env: dict, log: Path):
    """A background process in its own session, stopped (TERM, then KILL) on leaving."""
    with log.open("w") as out:
        proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)
    try:
        yield proc
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(5)


def wait_until_up(base: str, server, log: Path, seconds: float = 60) -> None:
    """Wait for the home page to answer 200; LoadError with the server's log otherwise."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            break
        try:
            with urllib.request.urlopen(base + "/", timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise LoadError(f"gunicorn did not come up:\n{log.read_text()[-3000:]}")


def get(url: str, **headers: str):
    """A GET on 127.0.0.1 (no proxy); the response, read."""
    request = urllib.request.Request(url, headers=headers)
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    response = opener.open(request, timeout=30)
    response.body = response.read()
    return response


def status_of(url: str, headers: dict) -> int:
    """The status of a GET (urllib reports a 304 as an error)."""
    try:
        return get(url, **headers).status
    except urllib.error.HTTPError as exc:
        return exc.code


def wrk(base: str, requests: list[tuple[str, dict]], seconds: int, connections: int,
        workdir: Path) -> dict:
    """Run wrk on ``requests`` (path, headers) in turn; requests/s and errors, or LoadError."""
    lua = workdir / f"wrk-{secrets.token_hex(4)}.lua"
    # A Lua table of {path, {header = value}}: JSON strings are valid Lua string literals here.
    entries = []
    for path, headers in requests:
        fields = ", ".join(f"[{json.dumps(k)}] = {json.dumps(v)}" for k, v in headers.items())
        entries.append(f"{{{json.dumps(path)}, {{{fields}}}}}")
    table = "{" + ", ".join(entries) + "}"
    lua.write_text(LUA % {"requests": table})
    done = subprocess.run(
        ["wrk", "-t", "2", "-c", str(connections), "-d", f"{seconds}s", "--timeout", "10s",
         "-s", str(lua), base],
        capture_output=True, text=True, timeout=seconds + 60,
    )
    output = done.stdout + done.stderr
    if done.returncode:
        raise LoadError(f"wrk failed:\n{output}")
    rate = re.search(r"Requests/sec:\s*([\d.]+)", output)
    bad = re.search(r"BAD_STATUS (\d+)", output)
    sockets = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)",
                        output)
    result = {
        "rps": float(rate.group(1)) if rate else 0.0,
        "bad": int(bad.group(1)) if bad else -1,
        "socket_errors": sum(map(int, sockets.groups())) if sockets else 0,
        "output": output,
    }
    if result["bad"] != 0 or result["socket_errors"] or not result["rps"]:
        raise LoadError(f"errors under load on {[path for path, _ in requests]}:\n{output}")
    return result


@contextmanager
def running_site(args, workdir: Path, *, worker: bool):
    """The example site under gunicorn (and an RQ worker) on a scratch database; its base URL."""
    import redis

    redis_url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/13")
    redis.Redis.from_url(redis_url).flushdb()  # the cache and queue of a previous run
    port = free_port()
    base_db = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/test")
    with ExitStack() as stack:
        database_url = stack.enter_context(scratch_database(base_db, args.database))
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "example_site.settings",
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(40),
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
            "SMO_VAR_DIR": str(workdir / "var"),
            "WAGTAILADMIN_BASE_URL": f"http://127.0.0.1:{port}",
            "PYTHONPATH": str(ROOT),
        }
        manage(env, "migrate", "--noinput", "-v", "0")
        manage(env, "load_demo_content", "--port", str(port))
        if worker:
            stack.enter_context(process(
                [PY, "manage.py", "rqworker", "default", "--job-class", "django_tasks_rq.Job",
                 "--with-scheduler"], env, workdir / "rqworker.log"))
        log = workdir / "gunicorn.log"
        server = stack.enter_context(process(
            [PY, "-m", "gunicorn", "example_site.wsgi:application", "--workers", "2",
             "--bind", f"127.0.0.1:{port}", "--graceful-timeout", "5"], env, log))
        base = f"http://127.0.0.1:{port}"
        wait_until_up(base, server, log)
        yield base, env


def check(args, workdir: Path) -> None:
    """The CI load step: a mixed bounded load, a publish handled by the RQ worker meanwhile."""
    seconds = int(os.environ.get("SMO_LOAD_SECONDS", "5"))
    with running_site(args, workdir, worker=True) as (base, env):
        page_id = json.loads(get(f"{base}/smo/meta/?path={POST_PATH}").body)["page_id"]
        etag = get(base + FEED_PATH).headers["ETag"]
        requests = [
            (POST_PATH, {}),
            (FEED_PATH, {}),
            (FEED_PATH, {"If-None-Match": etag}),
            (f"/smo/meta/?path={POST_PATH}", {}),
            (f"/api/v2/pages/{page_id}/?fields=social_meta", {}),
        ]
        publisher = subprocess.Popen(
            [PY, "manage.py", "shell", "-c",
             "import time; time.sleep(1); from example_site.blog.models import BlogPage; "
             "p = BlogPage.objects.get(slug='hashtags-and-reach'); "
             "p.social_title = 'Published under load'; p.save_revision().publish()"],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )
        result = wrk(base, requests, seconds, 8, workdir)
        out, _ = publisher.communicate(timeout=120)
        if publisher.returncode:
            raise LoadError(f"publishing under load failed:\n{out}")
        print(f"{result['rps']:.0f} requests/s over {seconds}s, every response 2xx or 304, "
              "no socket error")
        for path, headers in requests:
            print(f"  {path} {headers or ''} -> {status_of(base + path, headers)}")
        wait_for_drafts(env)


def wait_for_drafts(env: dict, seconds: float = 60) -> None:
    """The RQ worker turned the publish into post drafts (the queue works under load)."""
    script = ("from wagtail_smo.models import SocialPost; print(SocialPost.objects.filter("
              "page__slug='hashtags-and-reach', status='draft').count())")
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        # The last line: Django's shell may first say how many objects it imported.
        if int(manage(env, "shell", "-c", script).strip().splitlines()[-1]) > 0:
            print("  the RQ worker wrote the published page's post drafts")
            return
        time.sleep(1)
    raise LoadError("the RQ worker wrote no post draft for the page published under load")


def bench(args, workdir: Path) -> None:
    """Requests per second with and without the tag, and of a feed's 304 against its 200."""
    seconds = int(os.environ.get("SMO_LOAD_SECONDS", "4"))
    rounds = int(os.environ.get("SMO_LOAD_ROUNDS", "3"))
    load_before = os.getloadavg()
    with running_site(args, workdir, worker=False) as (base, _env):
        etag = get(base + FEED_PATH).headers["ETag"]
        targets = {
            "page with {% social_meta %}": [(POST_PATH, {})],
            "same page without it": [(POST_PATH + "?without_social_meta=1", {})],
            "feed, 200": [(FEED_PATH, {})],
            "feed, 304 (If-None-Match)": [(FEED_PATH, {"If-None-Match": etag})],
        }
        with_tag = get(base + POST_PATH).body
        without = get(base + POST_PATH + "?without_social_meta=1").body
        assert b'property="og:title"' in with_tag and b'property="og:title"' not in without
        for path, headers in targets["feed, 200"] + targets["feed, 304 (If-None-Match)"]:
            print(f"  {path} {headers or ''} -> {status_of(base + path, headers)}")
        rates: dict[str, list[float]] = {name: [] for name in targets}
        for _ in range(rounds):  # the targets take turns: machine load hits them alike
            for name, requests in targets.items():
                rates[name].append(wrk(base, requests, seconds, 4, workdir)["rps"])
    load_after = os.getloadavg()
    median = {name: statistics.median(values) for name, values in rates.items()}
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                            capture_output=True, text=True).stdout.strip()
    print(f"\n{datetime.now(tz=UTC):%Y-%m-%d %H:%M} UTC, commit {commit}, load average "
          f"{load_before[0]:.1f} before, {load_after[0]:.1f} after; gunicorn 2 workers, "
          f"PostgreSQL, Redis cache; wrk 2 threads 4 connections, {rounds} x {seconds}s each, "
          "median requests/s")
    print("| target | requests/s (median) | runs |")
    print("|---|---:|---|")
    for name, values in rates.items():
        print(f"| {name} | {median[name]:.0f} | {', '.join(f'{v:.0f}' for v in values)} |")
    page_ratio = median["page with {% social_meta %}"] / median["same page without it"]
    feed_ratio = median["feed, 304 (If-None-Match)"] / median["feed, 200"]
    print(f"\npage with the tag / without: {page_ratio:.2f}")
    print(f"feed 304 / feed 200: {feed_ratio:.2f}")


def main() -> int:
    """Run the benchmark, or the CI check with ``--check``; 1 on a load error."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="the CI load step")
    parser.add_argument("--database", default="smo_load",
                        help="scratch PostgreSQL database, created and dropped (smo_load)")
    args = parser.parse_args()
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="smo-load-") as tmp:
        try:
            (check if args.check else bench)(args, Path(tmp))
        except LoadError as exc:
            print(f"load.py: {exc}", file=sys.stderr)
            for log in sorted(Path(tmp).glob("*.log")):
                print(f"--- {log.name}\n{log.read_text()[-2000:]}", file=sys.stderr)
            return 1
    print(f"({time.monotonic() - started:.0f}s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
