"""The cycle after the numbers at a region's scale (issue #16), timed on PostgreSQL.

Seeds a fresh database as ``bench/ratings.py`` does (``--orgs`` organisations with checklist
inputs and ``--responses`` questionnaire responses), computes the year's draft, then times:

1. ``derive_year``: every organisation's shortcomings from the draft (what the operator's
   button and ``derive_shortcomings --year`` run), then a second derivation with nothing
   changed (what happens after a corrected input);
2. publication through the preliminary stage's hook (its deadline passed);
3. a plan for every organisation pre-filled from its published shortcomings, completed,
   submitted and approved through the services (``--plans`` of them, all by default);
4. the founders' dashboard arithmetic (``plan_stats`` over every organisation) and the year
   page's plan totals (``plans_overview``);
5. the public pages (the year page, the year's approved plans, one plan) and the editors'
   dashboard through the Django test client: p50/p95 over ``--requests`` requests each;
6. issue #17: the bus.gov.ru file (CSV, XLSX, XML) and the operator's report of the largest
   kind, and the coordinator's workspace of the largest municipality with its export.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/noko_bench_follow_up \\
        .venv/bin/python bench/accountability.py --orgs 2000 --responses 300000

The database is created and dropped by the run (an existing one must be empty).
"""

import argparse
import datetime
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.import_orgs import drop_postgres_database, ensure_postgres_database  # noqa: E402

YEAR = 2025


def timed(label, action):
    from django.db import connection

    queries = 0

    def count(execute, sql, params, many, context):
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        started = time.perf_counter()
        value = action()
        elapsed = time.perf_counter() - started
    print(f"{label:<52} {elapsed:8.2f} s {queries:9d} queries")
    return value


def latency(client, label, url, requests):
    times = []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    times.sort()
    p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
    print(f"{label:<52} p50 {statistics.median(times):7.1f} ms   p95 {p95:7.1f} ms")


def plans_for_everyone(year, editor, limit):
    from accountability import plans
    from accountability.models import PlanMeasure

    approved = 0
    submitted_on = datetime.date(year + 1, 2, 10)
    for organisation in plans.assessed_organisations(year).order_by("pk")[:limit]:
        plan = plans.plan_for(organisation, year, editor)
        PlanMeasure.objects.filter(plan=plan).update(
            measure="Устранить недостаток",
            planned_date=datetime.date(year + 1, 9, 1),
            responsible_name="Иванова Светлана Николаевна",
            responsible_position="заместитель директора",
        )
        if not plan.measures.exists():
            continue
        plans.submit(plan, None, today=submitted_on)
        plans.approve(plan, editor, "Министр образования", today=submitted_on)
        approved += 1
    return approved


def outputs(year, editor, requests):
    """Issue #17 at the same scale: the bus.gov.ru file and the operator's report of the
    largest kind, and the coordinator's workspace of the largest municipality."""
    from django.contrib.auth import get_user_model
    from django.db.models import Count
    from django.test import Client

    from outputs import busgov
    from outputs.report_service import generate, request_report
    from registry.models import Municipality, Organisation
    from schools.provisioning import ensure_coordinator_group

    kind = (
        Organisation.objects.values("kind").annotate(n=Count("pk")).order_by("-n").first()["kind"]
    )
    for fmt in ("csv", "xlsx", "xml"):
        timed(f"bus.gov.ru file, {kind}, {fmt}", lambda fmt=fmt: busgov.export(year, kind, fmt))
    report = request_report(year, kind, editor, "Рекомендации.")
    timed(f"operator's report, {kind} (DOCX, charts)", lambda: generate(report.pk))
    municipality = Municipality.objects.annotate(n=Count("organisations")).order_by("-n").first()
    coordinator = get_user_model().objects.create_user("bench-coordinator", is_staff=True)
    coordinator.groups.add(ensure_coordinator_group(municipality))
    client = Client()
    client.force_login(coordinator)
    label = f"GET the coordinator's workspace ({municipality.n} organisations)"
    latency(client, label, "/cabinet/", max(3, requests // 4))
    latency(client, "GET its CSV export", "/cabinet/municipality/export.csv", 3)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orgs", type=int, default=2000)
    parser.add_argument("--responses", type=int, default=300_000)
    parser.add_argument("--plans", type=int, default=None, help="how many plans (all)")
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()

    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database (created and dropped by the run).")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings_ratings")
    created = ensure_postgres_database(database_url)
    try:
        import django

        django.setup()
        from django.contrib.auth import get_user_model
        from django.core.management import call_command
        from django.test import Client

        from accountability import plans, preliminary, shortcomings
        from accountability.models import PreliminaryStage, Shortcoming
        from bench.ratings import seed
        from core.permissions import editors_group
        from registry.models import Organisation
        from results.services import compute_year, publish_year

        call_command("migrate", verbosity=0)
        seed(args.orgs, args.responses)
        # Every founder is the region here: the editor approves, no coordinator is needed.
        Organisation.objects.update(founder=Organisation.Founder.REGIONAL)
        editor = get_user_model().objects.create_user("bench-editor", is_staff=True)
        editor.groups.add(editors_group())
        timed("compute_year (the draft)", lambda: compute_year(YEAR))

        report = timed(
            "derive_year: shortcomings from the draft", lambda: shortcomings.derive_year(YEAR)
        )
        print(f"  {report.as_dict()}")
        timed("derive_year again (nothing changed)", lambda: shortcomings.derive_year(YEAR))
        print(f"  shortcomings stored: {Shortcoming.objects.count()}")

        stage = preliminary.open_stage(YEAR, editor)
        yesterday = datetime.date.today() - datetime.timedelta(days=1)
        PreliminaryStage.objects.filter(pk=stage.pk).update(
            opens_on=yesterday - datetime.timedelta(days=20), objections_until=yesterday
        )
        timed("publish_year through the stage's hook", lambda: publish_year(YEAR, user=editor))

        approved = timed(
            "plans: pre-fill, complete, submit, approve",
            lambda: plans_for_everyone(YEAR, editor, args.plans),
        )
        print(f"  approved plans: {approved}")
        everyone = Organisation.objects.all()
        stats = timed(
            "plan_stats over every organisation (dashboard)",
            lambda: plans.plan_stats(YEAR, everyone),
        )
        print(f"  by status: {stats['by_status']}")
        timed("plans_overview (the year page's totals)", lambda: plans.plans_overview(YEAR, 0))

        client = Client()
        code = plans.public_plans(YEAR).first().organisation.code
        latency(client, f"GET /year/{YEAR}/", f"/year/{YEAR}/", args.requests)
        latency(client, f"GET /plans/{YEAR}/ (first page)", f"/plans/{YEAR}/", args.requests)
        latency(client, f"GET /plans/{YEAR}/<code>/", f"/plans/{YEAR}/{code}/", args.requests)
        client.force_login(editor)
        latency(
            client,
            "GET the editors' dashboard (first page)",
            f"/admin/accountability/plans/dashboard/?year={YEAR}",
            max(3, args.requests // 4),
        )
        outputs(YEAR, editor, args.requests)
    finally:
        from django.db import connections

        connections.close_all()
        if created and not args.keep:
            drop_postgres_database(database_url)


if __name__ == "__main__":
    main()
