"""Ratings at region and country scale (issue #5), timed on PostgreSQL.

Seeds a fresh database with ``--orgs`` organisations (registry rows only: profile pages do
not take part in rating computation), an assessment year with a campaign, checklist inputs
for every organisation and ``--responses`` questionnaire responses generated inside
PostgreSQL (routing respected, ~3 % flagged or rejected). Then, in one run:

1. the single ``GROUP BY`` counting query over the year's responses (the floor any
   computation from responses must pay), three times;
2. ``compute_year`` (what ``compute_ratings --year`` runs): the same aggregate, survey counts
   stored into the inputs, every organisation through the engine, ranks, results written;
   then a recomputation with nothing changed;
3. ``publish_year`` including search indexing of the published results;
4. ``/ratings/`` through the Django test client: searches by name, short name, address and
   municipality with filters, p50/p95 over ``--requests`` requests;
5. with ``--compare-result-keys N``, the cost of the database-level foreign keys of a
   result's organisation and municipality: N recomputations with and N without them, then
   N writes of the draft's results with and N without (``compare_result_keys``).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/noko_bench_ratings \\
        .venv/bin/python bench/ratings.py --orgs 2000 --responses 300000
    ... --orgs 50000 --responses 8000000

The database is created and dropped by the run (an existing one must be empty).
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.import_orgs import (  # noqa: E402
    MUNICIPALITIES,
    drop_postgres_database,
    ensure_postgres_database,
    organisation_row,
)

YEAR = 2025

# One response per row of generate_series; the lateral subquery draws the routing
# questions once per row (the reference to ``i`` keeps PostgreSQL from evaluating it once).
RESPONSES_SQL = """
INSERT INTO surveys_response (
    campaign_id, organisation_id, audience, questionnaire_id, submitted_on, status,
    flag_reason, form_nonce, suggestion, mode,
    q1, q2, q3, q4, q5, q6, q7, q8, q9, q10, q11, q12, q13, q14)
SELECT %(campaign)s,
       %(first_org)s + (i %% %(orgs)s),
       CASE WHEN i %% 4 = 0 THEN 'students' ELSE 'parents' END,
       CASE WHEN i %% 4 = 0 THEN %(students_q)s ELSE %(parents_q)s END,
       DATE '2025-10-20',
       CASE WHEN i %% 100 < 2 THEN 'flagged' WHEN i %% 100 = 2 THEN 'rejected' ELSE 'accepted' END,
       '',
       'bench-' || i,
       '',
       'online',
       r.q1, CASE WHEN r.q1 THEN random() < 0.92 END,
       r.q3, CASE WHEN r.q3 THEN random() < 0.9 END,
       random() < 0.88,
       r.q6, CASE WHEN r.q6 THEN random() < 0.75 END,
       random() < 0.94, random() < 0.93,
       r.q10, CASE WHEN r.q10 THEN random() < 0.95 END,
       random() < 0.86, random() < 0.87, random() < 0.9
FROM generate_series(1, %(responses)s) AS i,
     LATERAL (SELECT random() < 0.8 + 0 * i AS q1, random() < 0.7 AS q3,
                     random() < 0.06 AS q6, random() < 0.6 AS q10) AS r
"""


def seed(orgs, responses):
    from django.db import connection, transaction

    from registry.models import Municipality, Organisation
    from results.demo import checklist_inputs
    from results.models import AssessmentInput
    from surveys.models import Audience, Campaign, Questionnaire

    rng = random.Random(2026)
    started = time.perf_counter()
    with transaction.atomic():
        municipalities = {
            name: Municipality.objects.create(name=name, slug=f"m{index}")
            for index, (name, _town) in enumerate(MUNICIPALITIES)
        }
        codes, rows = set(), []
        for number in range(1, orgs + 1):
            code, name, short, kind, municipality, address, website, p18, p911 = organisation_row(
                number, rng, codes
            )
            rows.append(
                Organisation(
                    code=code,
                    name=name,
                    short_name=short,
                    kind=kind,
                    municipality=municipalities[municipality],
                    address=address,
                    website=website,
                    contingent_parents=p18,
                    contingent_students=p911,
                )
            )
        # bulk_create sends no post_save: no profile pages, which ratings do not need.
        Organisation.objects.bulk_create(rows, batch_size=5000)
        first_org = Organisation.objects.order_by("pk").values_list("pk", flat=True).first()
        campaign = Campaign.objects.create(
            year=YEAR,
            title="Анкетирование 2025",
            opens_at="2025-10-15T00:00:00+03:00",
            closes_at="2025-11-10T00:00:00+03:00",
            kinds=list(Organisation.Kind.values),
            methodology_version="noko-2019",
        )
        # The school wording of 675н for every row: the ratings count answers, not words.
        school_questionnaires = {
            questionnaire.audience: questionnaire.pk
            for questionnaire in Questionnaire.objects.filter(kind="school", version="675н-2018")
        }
        AssessmentInput.objects.bulk_create(
            [
                AssessmentInput(
                    organisation_id=first_org + offset,
                    year=YEAR,
                    checklist_source=AssessmentInput.Source.CHECKLISTS,
                    **checklist_inputs(rng, rng.uniform(0.55, 0.95)),
                )
                for offset in range(orgs)
            ],
            batch_size=5000,
        )
    print(f"registry and inputs: {orgs} organisations in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            RESPONSES_SQL,
            {
                "campaign": campaign.pk,
                "first_org": first_org,
                "orgs": orgs,
                "responses": responses,
                "parents_q": school_questionnaires[Audience.PARENTS],
                "students_q": school_questionnaires[Audience.STUDENTS],
            },
        )
        cursor.execute("VACUUM ANALYZE surveys_response")
    print(f"responses: {responses} in {time.perf_counter() - started:.1f} s")


def timed(label, action):
    started = time.perf_counter()
    value = action()
    elapsed = time.perf_counter() - started
    print(f"{label:<44} {elapsed:8.2f} s")
    return elapsed, value


def search_latency(requests):
    from django.test import Client

    from registry.models import Municipality

    client = Client()
    municipality_slugs = list(Municipality.objects.values_list("slug", flat=True))
    queries = [
        {"q": "школа"},
        {"q": "школы"},
        {"q": "гимназия"},
        {"q": "детский сад Ромашка"},
        {"q": "Пушкина"},
        {"q": "Ломоносова", "kind": "school"},
        {"q": "ул. Ленина"},
        {"q": "колледж"},
        {"q": "Каменск"},
        {"q": "СОШ № 125"},
        {"q": "Дом детского творчества"},
        {"q": "школа", "municipality": municipality_slugs[3]},
        {"q": "сад", "band": "high"},
        {"municipality": municipality_slugs[5]},
        {"order": "name", "page": "40"},
        {},
    ]
    for params in queries:  # warm-up, and every query must answer 200
        response = client.get("/ratings/", params)
        assert response.status_code == 200, (params, response.status_code)
    timings = []
    for index in range(requests):
        params = queries[index % len(queries)]
        started = time.perf_counter()
        client.get("/ratings/", params)
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    p95 = timings[int(len(timings) * 0.95) - 1]
    print(
        f"/ratings/ {requests} requests ({len(queries)} query kinds): "
        f"p50 {statistics.median(timings):.0f} ms, p95 {p95:.0f} ms, max {timings[-1]:.0f} ms"
    )


def compare_result_keys(rounds):
    """The cost of the database-level keys of a result's organisation and municipality,
    measured ``rounds`` times with and ``rounds`` times without them, alternating which goes
    first (dropping and re-adding the keys, which checks every row, is not timed; the keys
    are restored afterwards), two ways:

    - a whole recomputation (``compute_year``);
    - only the write the keys weigh on: the draft's results deleted, copied back and
      committed in one transaction, the commit (where PostgreSQL checks deferred keys) timed
      apart. On a busy machine this stays readable where whole computations vary by more
      than the keys cost.
    """
    from django.db import connection, transaction

    from registry.models import Municipality, Organisation
    from results.models import RatingResult, RatingRevision
    from results.services import compute_year

    table = RatingResult._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = %s::regclass AND contype = 'f' "
            "AND confrelid IN (%s::regclass, %s::regclass)",
            [table, Organisation._meta.db_table, Municipality._meta.db_table],
        )
        keys = cursor.fetchall()
    if len(keys) != 2:
        print(f"result keys: expected the organisation's and the municipality's, found {keys}")
        return

    def use_keys(present):
        with connection.cursor() as cursor:
            for name, definition in keys:
                cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT IF EXISTS "{name}"')
                if present:
                    cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')

    def alternating():
        for round_number in range(rounds):
            yield from (True, False) if round_number % 2 == 0 else (False, True)

    def rewrite_draft(draft, lines):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {table} WHERE revision_id = %s", [draft])
            started = time.perf_counter()
            with cursor.cursor.copy(f"COPY {table} FROM STDIN") as copy:
                copy.write(lines)
            copied = time.perf_counter()
        return copied - started, time.perf_counter() - copied

    computations, writes = {True: [], False: []}, {True: [], False: []}
    try:
        for present in alternating():
            use_keys(present)
            label = f"recompute {'with' if present else 'without'} result keys"
            computations[present].append(timed(label, lambda: compute_year(YEAR))[0])
        draft = RatingRevision.objects.get(year=YEAR, status=RatingRevision.Status.DRAFT).pk
        with connection.cursor() as cursor:
            query = f"COPY (SELECT * FROM {table} WHERE revision_id = {draft}) TO STDOUT"
            with cursor.cursor.copy(query) as copy:
                lines = b"".join(bytes(block) for block in copy)
        for present in alternating():
            use_keys(present)
            writes[present].append(rewrite_draft(draft, lines))
    finally:
        use_keys(True)
    compute_with, compute_without = (statistics.median(computations[p]) for p in (True, False))
    print(
        f"recompute: median with result keys {compute_with:.2f} s, without {compute_without:.2f} s"
    )
    write = {
        present: tuple(statistics.median(part) for part in zip(*writes[present], strict=True))
        for present in (True, False)
    }
    for present in (True, False):
        copy_time, commit_time = write[present]
        print(
            f"results write {'with' if present else 'without'} keys: COPY {copy_time:.2f} s, "
            f"commit {commit_time:.2f} s (medians of {rounds})"
        )
    cost = sum(write[True]) - sum(write[False])
    print(f"result keys cost {cost:+.2f} s, {cost / compute_with:+.1%} of a recomputation")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orgs", type=int, default=2000)
    parser.add_argument("--responses", type=int, default=300_000)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument(
        "--keep", action="store_true", help="keep the database afterwards (for profiling)"
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="keep and reuse a database seeded by an earlier --keep run of the same size",
    )
    parser.add_argument(
        "--compare-result-keys",
        type=int,
        default=0,
        metavar="N",
        help="then N recomputations with and N without the result's database-level keys",
    )
    args = parser.parse_args()

    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database (it is created and dropped).")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings_ratings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    created = ensure_postgres_database(database_url, reuse=args.reuse)
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        from results.services import compute_year, publish_year
        from surveys.counts import survey_counts

        call_command("migrate", verbosity=0)
        from registry.models import Organisation

        if args.reuse and Organisation.objects.count() == args.orgs:
            print(f"reusing the seeded database ({args.orgs} organisations)")
        else:
            seed(args.orgs, args.responses)
        with connection.cursor() as cursor:
            cursor.execute("SHOW max_parallel_workers_per_gather")
            print(f"PostgreSQL max_parallel_workers_per_gather = {cursor.fetchone()[0]}")
        group_by = min(
            timed(f"GROUP BY counting query (run {run})", lambda: len(survey_counts(YEAR)))[0]
            for run in (1, 2, 3)
        )
        if os.environ.get("BENCH_PROFILE"):
            import cProfile
            import pstats

            cProfile.runctx(
                "compute_year(YEAR)",
                globals(),
                {"compute_year": compute_year, "YEAR": YEAR},
                "/tmp/compute.prof",
            )
            pstats.Stats("/tmp/compute.prof").sort_stats("tottime").print_stats(22)
        first, report = timed("compute_ratings, first computation", lambda: compute_year(YEAR))
        print(
            f"  rated {report.rated}, insufficient {report.insufficient}, "
            f"invalid {len(report.invalid)}"
        )
        again, _ = timed("compute_ratings, recomputation (no changes)", lambda: compute_year(YEAR))
        print(
            f"compute / GROUP BY: first {first / group_by:.2f}x, recomputation "
            f"{again / group_by:.2f}x (GROUP BY best of 3: {group_by:.2f} s)"
        )
        # A reused database already has a published revision: republishing needs a note.
        timed(
            "publish_ratings (incl. search indexing)",
            lambda: publish_year(YEAR, change_note="Повторный прогон бенчмарка"),
        )
        search_latency(args.requests)
        if args.compare_result_keys:
            compare_result_keys(args.compare_result_keys)
    finally:
        from django.db import connections

        connections.close_all()
        if created and not (args.keep or args.reuse):
            drop_postgres_database(database_url)


if __name__ == "__main__":
    main()
