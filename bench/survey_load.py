"""Questionnaire submissions per second against the production stack on loopback.

Starts gunicorn (production settings, PostgreSQL, Redis) and drives it with an asyncio load
generator of 50 keep-alive clients: first POSTs of the real questionnaire (each with its own
form token, CSRF pair and client address behind the trusted proxy), then POSTs to a minimal
view inserting one row — the ceiling of this stack on this machine.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/noko_bench REDIS_URL=redis://127.0.0.1:6379/5 \\
        .venv/bin/python bench/survey_load.py [--seconds 20] [--clients 50] [--workers 4]

The database is created if missing and dropped afterwards unless --keep.
"""

import argparse
import asyncio
import collections
import os
import secrets
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode, urlparse

ROOT = Path(__file__).resolve().parent.parent
PORT = 8765


def prepare_database(database_url):
    name = urlparse(database_url).path.lstrip("/")
    admin = database_url.rsplit("/", 1)[0] + "/postgres"
    import psycopg

    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def drop_database(database_url):
    name = urlparse(database_url).path.lstrip("/")
    admin = database_url.rsplit("/", 1)[0] + "/postgres"
    import psycopg

    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def setup_django():
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings_bench"
    import django

    django.setup()


def seed(organisations):
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    from registry.models import Municipality, Organisation
    from surveys.demo import load_campaigns

    municipality = Municipality.objects.create(name="Бенчмарк", slug="bench")
    for number in range(organisations):
        Organisation.objects.create(
            code=f"77{number:08d}",
            name=f"Школа № {number}",
            municipality=municipality,
            contingent_parents=800,
            contingent_students=200,
        )
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE bench_ceiling (id bigserial PRIMARY KEY, created timestamptz)")
    # Only the campaign open today matters here; past demo campaigns add realistic volume.
    load_campaigns()


def settle_database():
    """Let the seeding's aftermath (autovacuum of 80,000 new rows, dirty pages) finish
    before anything is timed."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
        cursor.execute("CHECKPOINT")


def survey_bodies(count, organisations):
    """Pre-built POSTs: (path, body, csrf secret, client address)."""
    from django.utils import timezone

    from registry.models import Organisation
    from surveys.models import Campaign
    from surveys.tokens import issue_token

    campaign = Campaign.objects.open_at(timezone.now()).get()
    orgs = list(Organisation.objects.filter(code__startswith="77").order_by("code"))
    answers = {f"q{n}": "yes" for n in range(1, 15)}
    answers["q6"] = "no"
    del answers["q7"]
    bodies = []
    for index in range(count):
        organisation = orgs[index % len(orgs)]
        csrf = secrets.token_hex(16)
        token = issue_token(campaign, organisation, "parents")
        body = urlencode({**answers, "form_token": token, "csrfmiddlewaretoken": csrf})
        address = f"10.{index // 65536 % 256}.{index // 256 % 256}.{index % 256}"
        bodies.append((f"/survey/{organisation.code}/parents/", body, csrf, address))
    return bodies


def ceiling_bodies(count):
    bodies = []
    for index in range(count):
        csrf = secrets.token_hex(16)
        bodies.append(
            (
                "/bench/ceiling/",
                urlencode({"csrfmiddlewaretoken": csrf}),
                csrf,
                f"10.0.{index // 256 % 256}.{index % 256}",
            )
        )
    return bodies


async def client(queue, results, deadline):
    reader, writer = await asyncio.open_connection("127.0.0.1", PORT)
    while time.perf_counter() < deadline:
        try:
            path, body, csrf, address = queue.pop()
        except IndexError:
            break
        request = (
            f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n"
            f"Content-Type: application/x-www-form-urlencoded\r\n"
            f"Content-Length: {len(body)}\r\nCookie: csrftoken={csrf}\r\n"
            f"X-Forwarded-For: {address}\r\nX-Forwarded-Proto: https\r\n"
            f"Origin: https://127.0.0.1\r\n\r\n{body}"
        )
        started = time.perf_counter()
        writer.write(request.encode())
        await writer.drain()
        status_line = await reader.readline()
        length, close = 0, False
        while (line := await reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode().partition(":")
            if name.lower() == "content-length":
                length = int(value)
            if name.lower() == "connection" and "close" in value.lower():
                close = True
        if length:
            await reader.readexactly(length)
        results.append((int(status_line.split()[1]), time.perf_counter() - started))
        if close:
            writer.close()
            reader, writer = await asyncio.open_connection("127.0.0.1", PORT)
    writer.close()


async def run_load(bodies, clients, seconds):
    queue = list(reversed(bodies))
    results = []
    started = time.perf_counter()
    await asyncio.gather(*(client(queue, results, started + seconds) for _ in range(clients)))
    elapsed = time.perf_counter() - started
    return results, elapsed


def summarise(name, results, elapsed):
    ok = [latency for status, latency in results if status in (200, 204, 302)]
    errors = len(results) - len(ok)
    latencies = sorted(latency for _, latency in results)
    p50 = statistics.median(latencies) * 1000 if latencies else 0
    p95 = latencies[int(len(latencies) * 0.95) - 1] * 1000 if latencies else 0
    rate = len(ok) / elapsed
    statuses = collections.Counter(status for status, _ in results)
    print(
        f"{name}: {len(ok)} ok, {errors} errors in {elapsed:.1f} s -> {rate:.0f}/s, "
        f"p50 {p50:.1f} ms, p95 {p95:.1f} ms; statuses {dict(statuses)}"
    )
    return rate


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--organisations", type=int, default=200)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument(
        "--rounds",
        type=int,
        default=3,
        help="alternate questionnaire and ceiling runs this many times; medians are compared",
    )
    args = parser.parse_args()

    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database (it is dropped and recreated).")
    os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/5")
    os.environ["SURVEY_MIN_FILL_SECONDS"] = "0"  # tokens are minted just before the run
    os.environ["DATABASE_CONN_MAX_AGE"] = "60"
    # Each client sends its own X-Forwarded-For; production settings read it only behind a
    # declared proxy, and without one all clients would share one address and be flagged.
    os.environ.setdefault("TRUSTED_PROXY_COUNT", "1")
    prepare_database(database_url)
    setup_django()
    seed(args.organisations)
    settle_database()
    budget = int(args.seconds * 2000 * args.rounds) + 1000
    surveys, ceilings = survey_bodies(budget, args.organisations), ceiling_bodies(budget)

    from django.core.cache import cache

    cache.clear()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings_bench"}
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "cms.wsgi:application",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            str(args.workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        for _ in range(100):
            try:
                import urllib.request

                urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthz/", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        asyncio.run(run_load(surveys[:500], args.clients, 5))  # warm-up
        asyncio.run(run_load(ceilings[:500], args.clients, 5))
        # Alternating rounds, so that whatever else the machine does (autovacuum, a
        # checkpoint) weighs on both sides alike; the medians are compared.
        per_round = (len(surveys) - 500) // args.rounds
        survey_rates, ceiling_rates = [], []
        for number in range(args.rounds):
            batch = slice(500 + number * per_round, 500 + (number + 1) * per_round)
            survey_rates.append(
                summarise(
                    f"round {number + 1} questionnaire",
                    *asyncio.run(run_load(surveys[batch], args.clients, args.seconds)),
                )
            )
            ceiling_rates.append(
                summarise(
                    f"round {number + 1} ceiling (one INSERT)",
                    *asyncio.run(run_load(ceilings[batch], args.clients, args.seconds)),
                )
            )
        survey_rate = statistics.median(survey_rates)
        ceiling_rate = statistics.median(ceiling_rates)
        print(f"median: questionnaire {survey_rate:.0f}/s, ceiling {ceiling_rate:.0f}/s")
        if ceiling_rate:
            print(f"questionnaire / ceiling: {100 * survey_rate / ceiling_rate:.0f} %")

        from surveys.models import Response

        by_status = dict(
            Response.objects.filter(organisation__code__startswith="77")
            .values_list("status")
            .annotate(n=__import__("django.db.models").db.models.Count("id"))
        )
        print(f"stored responses by status: {by_status}")
    finally:
        server.terminate()
        server.wait(timeout=30)
        if not args.keep:
            from django.db import connections

            connections.close_all()
            drop_database(database_url)


if __name__ == "__main__":
    main()
