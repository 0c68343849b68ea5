"""What makes a country-scale rating computation fast, kept apart from the rating flow.

``results.services`` says what a computation does; this module only makes the slow steps of
it fast for 50,000 organisations, each measured in bench/README.md ("Ratings"):

- ``counting_survey_answers``: the year's responses counted on a second PostgreSQL
  connection while the computation's own connection reads the registry and inputs;
- ``gc_paused``: no cyclic garbage collection while millions of short-lived tuples, none of
  them in a cycle, come and go;
- ``run_engine``: the engine in forked worker processes, each summing its share of the
  municipality means, while the parent writes the recount;
- ``upsert_survey_counts`` and ``copy_results``: PostgreSQL's COPY instead of INSERTs, the
  results streamed by a writer thread while the next lines are formatted.

Each has a plain twin, in ``results.services`` or in-process below the sizes where the trick
pays, and the tests expect the same results of both. The worker processes and the
garbage-collection pause are not PostgreSQL's, but they serve the same measured path.
"""

import functools
import gc
import multiprocessing
import os
import threading
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connection, connections
from django.utils import timezone
from psycopg.copy import QueuedLibpqWriter

from registry.models import Organisation
from surveys.counts import has_campaign, survey_counts

from . import engine
from .models import AssessmentInput, RatingResult

# Below this many organisations everything runs in this process and on one connection;
# above it, the engine's Python work for a country is as long as the database's counting,
# and a second connection or a worker process costs less than it saves.
PARALLEL_MIN_ORGANISATIONS = 10_000
# Several parts per worker: finished parts travel back while the rest compute.
PARTS_PER_WORKER = 4
# Results per COPY write: large enough to keep the writer thread busy, small enough that
# formatting and sending overlap.
COPY_BATCH = 500
SURVEY_COUNTS_TABLE = "survey_counts_tmp"
RESULT_COLUMNS = (
    "revision_id",
    "year",
    "is_current",
    "organisation_id",
    "code",
    "name",
    "short_name",
    "address",
    "kind",
    "municipality_id",
    "municipality_name",
    "status",
    "respondents",
    "band",
    "inputs",
    *engine.FIGURES,
    "rank",
    "municipality_rank",
    "low_sample",
)
# Numbers and field names of ours: nothing in it needs escaping.
INPUTS_JSON = "{" + ", ".join(f'"{name}": %s' for name in engine.INPUT_FIELDS) + "}"
COPY_NULL = "\\N"
COPY_TRUE, COPY_FALSE = "t", "f"
# Every figure lies in 0..100, so its text is looked up, not formatted, 20 times a row.
HUNDREDTHS_TEXT = {
    None: COPY_NULL,
    **{units: f"{units // 100}.{units % 100:02d}" for units in range(10_001)},
}

# The engine job, handed to forked workers by inheritance instead of by pickling.
_engine_job = None


@contextmanager
def gc_paused():
    """The engine allocates and frees millions of small objects that never form cycles; the
    cyclic collector would walk the growing heap again and again for nothing."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@contextmanager
def counting_survey_answers(year):
    """The function that gives ``year``'s survey counts (``surveys.counts.survey_counts``).

    Where it pays and is safe, the counting starts at once on a second connection and the
    function waits for it; the block does not end before that count has. Safe and worth it
    means PostgreSQL (which runs the count in parallel workers anyway), a year to count, a
    registry large enough, and no enclosing transaction: another connection would not see
    that transaction's uncommitted data."""
    if not _counting_in_background_pays(year):
        yield functools.partial(survey_counts, year)
        return
    counting = _CountingInBackground(year)
    try:
        yield counting.result
    finally:
        counting.wait()


def _counting_in_background_pays(year):
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return False
    if Organisation.objects.count() < PARALLEL_MIN_ORGANISATIONS:
        return False
    return has_campaign(year)


class _CountingInBackground:
    def __init__(self, year):
        self.counts, self.error = None, None
        self.thread = threading.Thread(target=self._count, args=(year,), daemon=True)
        self.thread.start()

    def _count(self, year):
        try:
            self.counts = survey_counts(year)
        except BaseException as error:  # handed to the computation, which raises it
            self.error = error
        finally:
            connections.close_all()  # this thread's own connection

    def wait(self):
        self.thread.join()

    def result(self):
        self.wait()
        if self.error is not None:
            raise self.error
        return self.counts


@dataclass
class _EngineJob:
    """What the engine's workers need, inherited by fork rather than pickled."""

    rows: list  # (organisation_id, inputs in engine.INPUT_FIELDS order) each
    organisations: dict  # organisation_id -> a row with .municipality_id and .kind
    policies: engine.Policies
    # (inputs, policies) -> (status, display units, shares of the means or None)
    rate: Callable


def run_engine(rows, organisations, policies, rate, meanwhile=None):
    """``rate(inputs, policies)`` of every row of ``rows`` ((organisation_id, inputs) each),
    in order, as (status, units) pairs; and, for the means, per (municipality, kind) of
    ``organisations`` [rated count, sum of each share] over the rows whose shares are not
    None. ``meanwhile`` (database work of the caller) runs while worker processes compute;
    workers only compute and never touch the database connection they inherit."""
    global _engine_job
    _engine_job = job = _EngineJob(rows, organisations, policies, rate)
    try:
        workers = os.cpu_count() or 1
        if (
            len(job.rows) < PARALLEL_MIN_ORGANISATIONS
            or workers < 2
            or "fork" not in multiprocessing.get_all_start_methods()
        ):
            if meanwhile is not None:
                meanwhile()
            return _run_part(0, len(job.rows))
        size = -(-len(job.rows) // (workers * PARTS_PER_WORKER))
        parts = [(start, start + size) for start in range(0, len(job.rows), size)]
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            running = pool.starmap_async(_run_part, parts, chunksize=1)
            if meanwhile is not None:
                meanwhile()
            finished = running.get()
        return _joined(finished)
    finally:
        _engine_job = None


def _run_part(start, stop):
    """Rows ``start:stop`` of the engine job: ``run_engine``'s figures for those rows only."""
    job = _engine_job
    rate, policies, organisations = job.rate, job.policies, job.organisations
    outcomes, sums = [], {}
    with gc_paused():
        for organisation_id, inputs in job.rows[start:stop]:
            status, units, shares = rate(inputs, policies)
            if shares is not None:
                organisation = organisations[organisation_id]
                key = (organisation.municipality_id, organisation.kind)
                municipality_sums = sums.get(key)
                if municipality_sums is None:
                    municipality_sums = sums[key] = [0] * (1 + len(shares))
                municipality_sums[0] += 1
                for index, share in enumerate(shares, start=1):
                    municipality_sums[index] += share
            outcomes.append((status, units))
    return outcomes, sums


def _joined(parts):
    outcomes, sums = [], {}
    for part_outcomes, part_sums in parts:
        outcomes += part_outcomes
        for key, figures in part_sums.items():
            total = sums.setdefault(key, [0] * len(figures))
            for index, figure in enumerate(figures):
                total[index] += figure
    return outcomes, sums


def upsert_survey_counts(year, counts):
    """Insert or update ``year``'s survey counts, {organisation_id: counts in
    engine.SURVEY_FIELDS order}, through COPY into a temporary table and one upsert from it.
    Inside the caller's transaction."""
    quote = connection.ops.quote_name
    columns = ", ".join(quote(name) for name in engine.SURVEY_FIELDS)
    updates = ", ".join(f"{quote(n)} = excluded.{quote(n)}" for n in engine.SURVEY_FIELDS)
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMPORARY TABLE {SURVEY_COUNTS_TABLE} (organisation_id bigint, "
            f"{', '.join(f'{quote(n)} integer' for n in engine.SURVEY_FIELDS)}) ON COMMIT DROP"
        )
        with cursor.cursor.copy(f"COPY {SURVEY_COUNTS_TABLE} FROM STDIN") as copy:
            # Integers only: text built at once costs a fraction of write_row per row.
            copy.write(
                "".join(
                    "\t".join(map(str, (organisation_id, *survey))) + "\n"
                    for organisation_id, survey in counts.items()
                )
            )
        # WHERE true: the SELECT of an upsert needs a WHERE clause to parse unambiguously.
        cursor.execute(
            f"""
            INSERT INTO {quote(AssessmentInput._meta.db_table)} (
                organisation_id, year, {columns}, checklist_source, survey_source, updated_at)
            SELECT organisation_id, %s, {columns}, '', %s, %s
            FROM {SURVEY_COUNTS_TABLE} WHERE true
            ON CONFLICT (organisation_id, year) DO UPDATE SET {updates},
                survey_source = excluded.survey_source, updated_at = excluded.updated_at
            """,
            [year, AssessmentInput.Source.SURVEY, timezone.now()],
        )
        cursor.execute(f"DROP TABLE {SURVEY_COUNTS_TABLE}")


def copy_results(revision, pending):
    """Write ``revision``'s results as one COPY stream: a country's 50,000 rows in about a
    second, where INSERTs take several. ``pending``: ``results.services.PendingResult``s."""
    quote = connection.ops.quote_name
    statement = (
        f"COPY {quote(RatingResult._meta.db_table)} "
        f"({', '.join(quote(column) for column in RESULT_COLUMNS)}) FROM STDIN"
    )
    prefix = f"{revision.pk}\t{revision.year}\tf\t"
    with connection.cursor() as cursor:
        # A writer thread sends each batch while the next is being formatted: PostgreSQL
        # takes twice as long to store a line as Python to make it, on another core.
        writer = QueuedLibpqWriter(cursor.cursor)
        with cursor.cursor.copy(statement, writer=writer) as copy:
            for start in range(0, len(pending), COPY_BATCH):
                copy.write(
                    "\n".join(
                        _copy_line(prefix, item) for item in pending[start : start + COPY_BATCH]
                    )
                    + "\n"
                )


def _copy_line(prefix, item):
    """One result in COPY's text format (RESULT_COLUMNS after ``prefix``)."""
    pk, code, name, short_name, address, kind, municipality_id, municipality_name = (
        item.organisation
    )
    inputs = item.inputs
    return prefix + "\t".join(
        (
            str(pk),
            _copy_text(code),
            _copy_text(name),
            _copy_text(short_name),
            _copy_text(address),
            _copy_text(kind),
            str(municipality_id),
            _copy_text(municipality_name),
            item.status,
            str(item.respondents),
            item.band,
            INPUTS_JSON
            % (
                inputs
                if None not in inputs
                else tuple("null" if value is None else value for value in inputs)
            ),
            *map(HUNDREDTHS_TEXT.__getitem__, item.units),
            _copy_text(item.rank),
            _copy_text(item.municipality_rank),
            COPY_TRUE if item.low_sample else COPY_FALSE,
        )
    )


def _copy_text(value):
    """A text value in COPY's text format (backslash escapes, \\N for NULL)."""
    if value is None:
        return COPY_NULL
    value = str(value)
    if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
        value = (
            value.replace("\\", "\\\\")
            .replace("\t", "\\t")
            .replace("\n", "\\n")
            .replace("\r", "\\r")
        )
    return value
