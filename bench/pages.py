"""Public pages per second on the production stack, cold and warm, beside static files.

Issue #19. Loads the demo region (120 organisations) into its own PostgreSQL database, starts
gunicorn with two workers (production settings through ``bench.settings_bench``, Redis as the
cache, WhiteNoise for static files) and measures, in one run, every public page type:

- **alone**: one request at a time over HTTP on loopback (median and best of ``--alone``),
  as a page cache's miss (:func:`cold_path`) and with the whole cache emptied before each;
- **cold** under load: ``--clients`` concurrent keep-alive clients for ``--seconds``, every
  request missing any URL-keyed cache (see :func:`cold_path`);
- **warm** under load: the same URL repeated, so whatever cache exists serves it;
- **static**: WhiteNoise serving a file with the same bytes as that page (written into
  ``STATIC_ROOT`` before the server starts), the floor a cached page is compared with.

Optionally (``--survey-load``) it then runs ``bench/survey_load.py`` on its own database, so
the questionnaire submission rate is recorded beside the pages. With ``--readme`` the figures
are appended to ``bench/README.md`` as a dated table.

The load generator is wrk (Debian's package: ``apt-get install -y wrk``) with a Lua script for
p95 and the cold paths; without wrk an asyncio client of this file does the same, and the
output says which was used.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_pages \\
        REDIS_URL=redis://127.0.0.1:6379/14 .venv/bin/python bench/pages.py \\
        [--seconds 5] [--clients 20] [--reuse] [--readme] [--survey-load]

The Redis database of ``REDIS_URL`` is emptied (``FLUSHDB``) whenever the cache is cleared:
give the bench a database number nothing else uses.
"""

import argparse
import asyncio
import datetime
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
PORT = 8766
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/bench_pages"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/14"
README = ROOT / "bench" / "README.md"
SECTION = "## Publication day: public pages cold and warm (issue #19)"


# --- How "cold" is made ------------------------------------------------------------------
# These two functions are the bench's only knowledge of a page cache. A cache keyed by URL and
# query string (issue #19 item 1) misses on every request of a cold path; clearing the cache
# empties the bench's own Redis database, so the next request renders from scratch. If the
# page cache gets a switch of its own (a setting or environment variable), start a second
# server with it for the cold rounds instead.


def cold_path(path, number):
    """``path`` made unique with a query parameter no page reads: a URL-keyed cache misses."""
    return f"{path}{'&' if '?' in path else '?'}cold={number}"


def clear_cache(redis_url):
    """Empty the cache the servers share (the whole Redis database of ``redis_url``)."""
    import redis

    redis.Redis.from_url(redis_url).flushdb()


# --- The database and the pages ----------------------------------------------------------


def prepare_database(database_url, reuse):
    """Create the database and load the demo region, unless ``reuse`` finds it loaded."""
    import psycopg

    name = urlparse(database_url).path.lstrip("/")
    admin = database_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and reuse:
            return False
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return True


def drop_database(database_url):
    import psycopg

    name = urlparse(database_url).path.lstrip("/")
    admin = database_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def manage(*args, env):
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def public_pages(env):
    """[(page type, path)] of the demo region, found in a Django process of its own."""
    script = """
from django.utils import timezone
from home.models import ContentPage, NewsPage
from results.models import RatingRevision
from schools.models import SchoolPage
from surveys.models import campaign_for

year = RatingRevision.objects.current().order_by("-year").values_list("year", flat=True)[0]
schools = SchoolPage.objects.live().select_related("organisation").order_by("pk")
during = next(page for page in schools if campaign_for(page.organisation) is not None)
ranked = RatingRevision.objects.current().get(year=year).results.order_by("rank")[:2]
codes = "&".join(f"org={result.code}" for result in ranked)
print("home", "/")
print("content page", ContentPage.objects.live().order_by("path").first().url)
print("news", NewsPage.objects.live().order_by("-date").first().url)
print("school page (campaign open)", during.url)
print("ratings", "/ratings/")
print("ratings of a year", f"/ratings/{year}/")
print("compare", f"/ratings/compare/?year={year}&{codes}")
print("year page", f"/year/{year}/")
print("API", "/api/v1/ratings/")
"""
    output = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    pages = []
    for line in output.splitlines():
        if line.startswith("/") or " /" not in line:
            continue
        name, _, path = line.rpartition(" ")
        pages.append((name, path))
    return pages


# --- The server --------------------------------------------------------------------------


def start_server(env, workers):
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "cms.wsgi:application",
            "--config",
            "ops/gunicorn.conf.py",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            str(workers),
        ],
        cwd=ROOT,
        env=env,
    )
    for _ in range(150):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthz/", timeout=1)
            return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    sys.exit("gunicorn did not answer /healthz/ in 30 s")


def settle():
    """Wait until the server has finished what an earlier round left queued: wrk stops
    sending at the deadline, but requests already accepted (up to ``--clients`` cold renders
    of 50 ms and more) still run, and the next round's first requests would queue behind them
    (the p95 of 100-300 ms that warm rounds showed after a cold round). A probe goes through
    the same listen queue, so it returns once that queue is drained; the pause lets the other
    worker finish its last render."""
    fetch("/healthz/")
    time.sleep(0.5)
    fetch("/healthz/")


def fetch(path):
    with urllib.request.urlopen(f"http://127.0.0.1:{PORT}{path}", timeout=30) as response:
        return response.status, response.read()


def alone(path, requests, redis_url, flush):
    """Median and best milliseconds of one request at a time: with ``flush`` the whole cache
    emptied before each (Wagtail's site root paths and every remembered figure too), else a
    page cache's miss alone (:func:`cold_path`, the rest of the cache as a running site has it)."""
    seconds = []
    for number in range(requests):
        if flush:
            clear_cache(redis_url)
        target = path if flush else cold_path(path, f"alone-{time.time_ns()}-{number}")
        started = time.perf_counter()
        status, _ = fetch(target)
        seconds.append(time.perf_counter() - started)
        assert status == 200, (target, status)
    return statistics.median(seconds) * 1000, min(seconds) * 1000


# --- Load generators ---------------------------------------------------------------------

WRK_SCRIPT = """
local cold = os.getenv("BENCH_COLD") == "1"
local counter = 0
local prefix = tostring(math.random(1, 1000000000))
request = function()
    if not cold then return wrk.format(nil, wrk.path) end
    counter = counter + 1
    local sep = string.find(wrk.path, "?", 1, true) and "&" or "?"
    return wrk.format(nil, wrk.path .. sep .. "cold=" .. prefix .. "-" .. counter)
end
done = function(summary, latency, requests)
    local errors = summary.errors.status + summary.errors.connect + summary.errors.read
        + summary.errors.write + summary.errors.timeout
    io.write(string.format("BENCH %d %d %d %.1f %.1f\\n", summary.requests, summary.duration,
        errors, latency:percentile(50), latency:percentile(95)))
end
"""


def wrk_round(path, clients, seconds, cold, script):
    env = {**os.environ, "BENCH_COLD": "1" if cold else "0"}
    output = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{clients}",
            f"-d{seconds}s",
            "--timeout",
            "30s",
            "-s",
            script,
            f"http://127.0.0.1:{PORT}{path}",
        ],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    match = re.search(r"BENCH (\d+) (\d+) (\d+) ([\d.]+) ([\d.]+)", output)
    count, duration_us, errors, p50_us, p95_us = match.groups()
    return {
        "rate": int(count) / (int(duration_us) / 1e6),
        "p50": float(p50_us) / 1000,
        "p95": float(p95_us) / 1000,
        "errors": int(errors),
    }


async def _client(path, cold, deadline, latencies, errors, number):
    reader, writer = await asyncio.open_connection("127.0.0.1", PORT)
    counter = 0
    while time.perf_counter() < deadline:
        counter += 1
        target = cold_path(path, f"{number}-{counter}") if cold else path
        started = time.perf_counter()
        writer.write(f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
        await writer.drain()
        status = int((await reader.readline()).split()[1])
        length = 0
        while (line := await reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode().partition(":")
            if name.lower() == "content-length":
                length = int(value)
        await reader.readexactly(length)
        latencies.append(time.perf_counter() - started)
        if status != 200:
            errors.append(status)
    writer.close()


def python_round(path, clients, seconds, cold, _script=None):
    latencies, errors = [], []

    async def run():
        deadline = time.perf_counter() + seconds
        await asyncio.gather(
            *(_client(path, cold, deadline, latencies, errors, n) for n in range(clients))
        )

    started = time.perf_counter()
    asyncio.run(run())
    elapsed = time.perf_counter() - started
    latencies.sort()
    return {
        "rate": len(latencies) / elapsed,
        "p50": statistics.median(latencies) * 1000,
        "p95": latencies[int(len(latencies) * 0.95) - 1] * 1000,
        "errors": len(errors),
    }


# --- The questionnaire beside it ---------------------------------------------------------


def survey_rate(database_url, redis_url):
    """bench/survey_load.py on a database of its own: (questionnaire/s, ceiling/s)."""
    base = database_url.rsplit("/", 1)[0]
    env = {
        **os.environ,
        "DATABASE_URL": f"{base}/{urlparse(database_url).path.lstrip('/')}_survey",
        "REDIS_URL": redis_url,
        "TRUSTED_PROXY_COUNT": "1",
    }
    output = subprocess.run(
        [
            sys.executable,
            "bench/survey_load.py",
            *("--seconds", "10", "--clients", "50", "--workers", "4", "--rounds", "3"),
        ],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    print(output)
    match = re.search(r"median: questionnaire (\d+)/s, ceiling (\d+)/s", output)
    return int(match[1]), int(match[2])


# --- The record --------------------------------------------------------------------------


def table(rows, generator, args, survey, label):
    today = datetime.date.today().isoformat()
    load = os.getloadavg()
    lines = [
        f"### {today}: {label}",
        "",
        f"`bench/pages.py --seconds {args.seconds} --clients {args.clients}` "
        f"(demo region, 120 organisations; gunicorn {args.workers} workers; load generator: "
        f"{generator}; load average at the end {load[0]:.1f}).",
        "",
        "| page | size | alone, a cache miss: median (best) | alone, cache emptied "
        "| cold: req/s, p50 / p95 "
        "| warm: req/s, p50 / p95 | static file of that size: req/s, p50 / p95 | warm / static |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        cold, warm, static = row["cold"], row["warm"], row["static"]
        errors = sum(r["errors"] for r in (cold, warm, static))
        lines.append(
            f"| {row['name']} `{row['path']}` | {row['size'] // 1024} KB "
            f"| {row['alone'][0]:.0f} ms ({row['alone'][1]:.0f}) "
            f"| {row['flushed'][0]:.0f} ms ({row['flushed'][1]:.0f}) "
            f"| {cold['rate']:,.0f}, {cold['p50']:.0f} / {cold['p95']:.0f} ms "
            f"| {warm['rate']:,.0f}, {warm['p50']:.0f} / {warm['p95']:.0f} ms "
            f"| {static['rate']:,.0f}, {static['p50']:.0f} / {static['p95']:.0f} ms "
            f"| {100 * warm['rate'] / static['rate']:.0f} %"
            + (f" ({errors} errors)" if errors else "")
            + " |"
        )
    if survey:
        lines += [
            "",
            f"Questionnaire submissions in the same run (`bench/survey_load.py`, median of 3 "
            f"rounds): **{survey[0]}/s**, ceiling {survey[1]}/s.",
        ]
    return "\n".join(lines) + "\n"


def record(text):
    content = README.read_text()
    if SECTION not in content:
        content = content.rstrip("\n") + "\n\n" + SECTION + "\n\n"
        content += (
            "`bench/pages.py` (see its docstring): each public page type alone, cold and warm "
            "under 20 concurrent clients, beside WhiteNoise serving a static file with the "
            "page's own bytes. *Cold* misses any URL-keyed cache (a unique query parameter); "
            "*warm* repeats the URL. The load generator shares the two cores with the server.\n"
        )
    # At the end of this bench's section, which later sections may follow.
    start = content.index(SECTION) + len(SECTION)
    end = content.find("\n## ", start)
    end = len(content) if end < 0 else end + 1
    head, tail = content[:end].rstrip("\n"), content[end:]
    README.write_text(head + "\n\n" + text.rstrip("\n") + "\n" + ("\n" + tail if tail else ""))


# --- The run -----------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--alone", type=int, default=20, help="requests one at a time per page")
    parser.add_argument("--reuse", action="store_true", help="keep a demo database loaded before")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--survey-load", action="store_true", help="run bench/survey_load.py too")
    parser.add_argument("--readme", action="store_true", help="append the table to the README")
    parser.add_argument("--label", default="today's code")
    parser.add_argument("--python-client", action="store_true", help="even if wrk is installed")
    args = parser.parse_args()

    database_url = os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL)
    if not database_url.startswith("postgres"):
        sys.exit("DATABASE_URL must name a PostgreSQL database (it is dropped and recreated).")
    redis_url = os.environ.get("REDIS_URL", DEFAULT_REDIS_URL)
    static_root = Path(tempfile.mkdtemp(prefix="bench-pages-static-"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings_bench",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "STATIC_ROOT": str(static_root),
        "DATABASE_CONN_MAX_AGE": "60",
        "LOG_LEVEL": "WARNING",
    }
    use_wrk = shutil.which("wrk") and not args.python_client
    generator = "wrk 2 threads" if use_wrk else "Python asyncio client (bench/pages.py)"
    one_round = wrk_round if use_wrk else python_round
    script = static_root / "bench.lua"

    created = prepare_database(database_url, args.reuse)
    server = None
    try:
        manage("migrate", "-v0", env=env)
        if created:
            manage("load_demo", env=env)
        manage("collectstatic", "--noinput", "-v0", env=env)
        pages = public_pages(env)
        script.write_text(WRK_SCRIPT)

        # The pages' own bytes, copied as static files before WhiteNoise scans STATIC_ROOT.
        server = start_server(env, args.workers)
        sizes = {}
        for _name, path in pages:
            status, body = fetch(path)
            assert status == 200, (path, status)
            sizes[path] = len(body)
            (static_root / f"bench-{len(sizes)}.html").write_bytes(body)
        server.terminate()
        server.wait(timeout=30)
        server = start_server(env, args.workers)
        print(f"load generator: {generator}")

        rows = []
        for number, (name, path) in enumerate(pages, start=1):
            fetch(path)  # each worker's first request of the page is not the measure
            row = {"name": name, "path": path, "size": sizes[path]}
            row["alone"] = alone(path, args.alone, redis_url, flush=False)
            row["flushed"] = alone(path, args.alone, redis_url, flush=True)
            clear_cache(redis_url)
            row["cold"] = one_round(path, args.clients, args.seconds, True, script)
            settle()
            clear_cache(redis_url)
            fetch(path)  # warm: the page is kept before the round starts
            row["warm"] = one_round(path, args.clients, args.seconds, False, script)
            settle()
            row["static"] = one_round(
                f"/static/bench-{number}.html", args.clients, args.seconds, False, script
            )
            print(
                f"{name:28} {sizes[path] // 1024:4d} KB alone {row['alone'][0]:6.1f} ms "
                f"(emptied {row['flushed'][0]:6.1f}) | "
                + " | ".join(
                    f"{kind} {row[kind]['rate']:7.0f}/s p50 {row[kind]['p50']:6.1f} "
                    f"p95 {row[kind]['p95']:6.1f} err {row[kind]['errors']}"
                    for kind in ("cold", "warm", "static")
                )
            )
            rows.append(row)
        server.terminate()
        server.wait(timeout=30)
        server = None

        survey = survey_rate(database_url, redis_url) if args.survey_load else None
        text = table(rows, generator, args, survey, args.label)
        print(text)
        if args.readme:
            record(text)
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        shutil.rmtree(static_root, ignore_errors=True)
        if created and not (args.keep or args.reuse):
            drop_database(database_url)


if __name__ == "__main__":
    main()
