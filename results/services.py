"""Domain operations on ratings: survey counts, computation, publication.

Views, admin actions and management commands call these; none of them does arithmetic (that
is ``results.engine``) or decides on its own what is public.
"""

import functools
import gc
import logging
import multiprocessing
import os
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection, connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.locks import lock_year
from registry.models import Organisation
from surveys.counts import campaign_settings, has_campaign, survey_counts

from . import engine
from .models import AssessmentInput, InputChange, MethodologyVersion, RatingResult, RatingRevision
from .search import index_published

logger = logging.getLogger(__name__)

AGGREGATE_FIGURES = (*engine.CRITERIA, "total")


class RatingsError(Exception):
    """An operation refused for a reason the user can act on; the message is Russian."""


def methodology_for_year(year):
    """The methodology version and policies that apply to ``year``.

    The year's survey campaign names its methodology version and sets the minimum number of
    respondents; a year without a campaign (inputs imported by the operator) takes the latest
    version valid from that year.
    """
    campaign = campaign_settings(year)
    if campaign is not None:
        methodology = MethodologyVersion.objects.filter(code=campaign.methodology_version).first()
        if methodology is None:
            raise RatingsError(
                _("Версия методики «%(code)s» из кампании «%(campaign)s» не найдена.")
                % {"code": campaign.methodology_version, "campaign": campaign.title}
            )
        return methodology, methodology.policies(min_respondents=campaign.min_respondents)
    methodology = (
        MethodologyVersion.objects.filter(valid_from_year__lte=year)
        .order_by("-valid_from_year")
        .first()
    )
    if methodology is None:
        raise RatingsError(_("Нет версии методики, действующей в %(year)s году.") % {"year": year})
    return methodology, methodology.policies()


def _refresh_survey_counts(year, user, counts=None, active=None):
    """What ``refresh_survey_counts`` would store, without storing it: the changed counts
    ((organisation_id, *counts) each, for ``_store_survey_counts``) and the year's input rows
    as they will then stand ((organisation_id, *engine.INPUT_FIELDS) each), so that a
    computation need neither wait for the write nor read the rows back; ([], None) for a
    year without a campaign. ``counts`` gives the survey counts when they are being counted
    elsewhere (``_CountingInBackground``); ``active``, the active organisations' ids when the
    caller has read the registry already."""
    if not has_campaign(year):
        return [], None
    zero = (0,) * len(engine.SURVEY_FIELDS)
    checklist = len(engine.CHECKLIST_FIELDS)
    rows = {
        row[0]: row
        for row in AssessmentInput.objects.filter(year=year).values_list(
            *INPUT_COLUMNS, "survey_source"
        )
    }
    if active is None:
        active = set(Organisation.objects.filter(is_active=True).values_list("pk", flat=True))
    counts = counts() if counts is not None else survey_counts(year)
    changed = []
    for organisation_id in active | set(counts):
        values = counts.get(organisation_id, zero)
        current = rows.get(organisation_id)
        source = current[-1] if current is not None else None
        if source == AssessmentInput.Source.IMPORT or (
            source == AssessmentInput.Source.SURVEY and current[1 + checklist : -1] == values
        ):
            continue
        kept = current[1 : 1 + checklist] if current is not None else (None,) * checklist
        rows[organisation_id] = (organisation_id, *kept, *values, AssessmentInput.Source.SURVEY)
        changed.append((organisation_id, *values))
    return changed, [row[:-1] for row in rows.values()]


def _store_survey_counts(year, user, changed):
    """Write the recounted survey counts, with one audit entry for the recount."""
    if not changed:
        return
    _upsert_survey_counts(year, changed)
    InputChange.objects.create(
        year=year,
        source=AssessmentInput.Source.SURVEY,
        user=user,
        note=_("Пересчёт по ответам на анкеты: изменены данные %(count)d организаций")
        % {"count": len(changed)},
    )


def _upsert_survey_counts(year, rows):
    """Insert or update the survey counts of ``rows`` = (organisation_id, *counts) in one
    statement (PostgreSQL: through COPY into a temporary table)."""
    quote = connection.ops.quote_name
    table = quote(AssessmentInput._meta.db_table)
    columns = ", ".join(quote(name) for name in engine.SURVEY_FIELDS)
    updates = ", ".join(f"{quote(n)} = excluded.{quote(n)}" for n in engine.SURVEY_FIELDS)
    upsert = f"""
        INSERT INTO {table} (organisation_id, year, {columns},
                             checklist_source, survey_source, updated_at)
        {{source}}
        ON CONFLICT (organisation_id, year) DO UPDATE SET {updates},
            survey_source = excluded.survey_source, updated_at = excluded.updated_at
    """
    now, survey = timezone.now(), AssessmentInput.Source.SURVEY
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            values = ", ".join(["%s"] * (len(engine.SURVEY_FIELDS) + 5))
            cursor.executemany(
                upsert.format(source=f"VALUES ({values})"),
                [(row[0], year, *row[1:], "", survey, now) for row in rows],
            )
            return
        cursor.execute(
            f"CREATE TEMPORARY TABLE survey_counts_tmp (organisation_id bigint, "
            f"{', '.join(f'{quote(n)} integer' for n in engine.SURVEY_FIELDS)}) ON COMMIT DROP"
        )
        with cursor.cursor.copy("COPY survey_counts_tmp FROM STDIN") as copy:
            # Integers only: text built at once costs a fraction of write_row per row.
            copy.write("".join("\t".join(map(str, row)) + "\n" for row in rows))
        # WHERE true: the SELECT of an upsert needs a WHERE clause to parse unambiguously.
        cursor.execute(
            upsert.format(
                source=f"SELECT organisation_id, %s, {columns}, '', %s, %s "
                "FROM survey_counts_tmp WHERE true"
            ),
            [year, survey, now],
        )
        cursor.execute("DROP TABLE survey_counts_tmp")


@dataclass
class ComputeReport:
    revision: RatingRevision
    rated: int = 0
    insufficient: int = 0
    incomplete: list = field(default_factory=list)  # codes without complete inputs
    invalid: dict = field(default_factory=dict)  # code -> engine problems
    survey_changed: int = 0


INPUT_COLUMNS = ("organisation_id", *engine.INPUT_FIELDS)
ORGANISATION_COLUMNS = (
    "pk",
    "code",
    "name",
    "short_name",
    "address",
    "kind",
    "municipality_id",
    "municipality__name",
)


class _CountingInBackground:
    """The year's survey counts, counted on a second database connection while the
    computation's own connection reads the registry and inputs and clears the draft.

    Only where it pays and is safe: PostgreSQL (it runs the count in parallel workers
    anyway), a year large enough, and no enclosing transaction — another connection would
    not see that transaction's uncommitted data."""

    def __init__(self, year):
        self.counts, self.error = None, None
        self.thread = threading.Thread(target=self._count, args=(year,), daemon=True)
        self.thread.start()

    @classmethod
    def start_if_worthwhile(cls, year):
        if connection.vendor != "postgresql" or connection.in_atomic_block:
            return None
        if Organisation.objects.count() < PARALLEL_MIN_ORGANISATIONS:
            return None
        if not has_campaign(year):
            return None  # nothing to count
        return cls(year)

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


def compute_year(year, user=None):
    """Compute every organisation of ``year`` into the year's draft revision.

    Survey counts are refreshed from responses first (one aggregate query). The draft's
    previous results are replaced, so recomputing after a correction is safe; published
    revisions are never touched. Inputs that the engine refuses stop the whole computation
    with the list of organisations to fix: a half-computed draft would rank the rest wrongly.
    """
    methodology, policies = methodology_for_year(year)
    counting = _CountingInBackground.start_if_worthwhile(year)
    try:
        # The whole computation builds hundreds of thousands of tuples and no reference
        # cycles: without the pause the cyclic collector walks that growing heap again and
        # again.
        with _gc_paused(), transaction.atomic():
            return _compute_locked(year, user, methodology, policies, counting)
    finally:
        if counting is not None:
            counting.wait()


def _compute_locked(year, user, methodology, policies, counting):
    lock_year(year)
    revision = RatingRevision.objects.filter(year=year, status="draft").first()
    if revision is None:
        latest = RatingRevision.objects.filter(year=year).order_by("-number").first()
        revision = RatingRevision(year=year, number=latest.number + 1 if latest else 1)
    revision.methodology = methodology
    revision.policies = {
        "denominator": policies.denominator,
        "min_respondents": policies.min_respondents,
        "bands": [list(pair) for pair in policies.bands],
        "methodology_code": methodology.code,
    }
    revision.computed_at = timezone.now()
    revision.computed_by = user
    revision.save()
    revision.results.all()._raw_delete(revision.results.db)
    # Every organisation, not only those with inputs: a recount may add inputs for some.
    organisations, active = {}, set()
    for *row, is_active in Organisation.objects.values_list(*ORGANISATION_COLUMNS, "is_active"):
        organisations[row[0]] = tuple(row)
        if is_active:
            active.add(row[0])
    changed_counts, input_rows = _refresh_survey_counts(
        year, user, counts=counting.result if counting is not None else None, active=active
    )
    report = ComputeReport(revision=revision, survey_changed=len(changed_counts))
    # The recount is written while the engine works in its own processes.
    pending, sums = _compute_all(
        year,
        organisations,
        policies,
        report,
        input_rows,
        meanwhile=lambda: _store_survey_counts(year, user, changed_counts),
    )
    if report.invalid:
        transaction.set_rollback(True)
        return report
    _rank(pending)
    insert_results(revision, pending, policies)
    revision.aggregates = aggregates(sums, {row[6]: row[7] for row in organisations.values()})
    revision.save(update_fields=["aggregates"])
    logger.info(
        "Ratings %s computed (revision %s): %d rated, %d insufficient, %d incomplete",
        year,
        revision.number,
        report.rated,
        report.insufficient,
        len(report.incomplete),
    )
    return report


@contextmanager
def _gc_paused():
    """The engine allocates and frees millions of small objects that never form cycles; the
    cyclic collector would walk the growing heap again and again for nothing."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


# Below this many organisations the engine runs in this process; above it, in as many
# forked worker processes as there are CPUs: for a country, the engine's Python work is as
# long as the database's counting.
PARALLEL_MIN_ORGANISATIONS = 10_000
PARTS_PER_WORKER = 4
INCOMPLETE = "incomplete"
INVALID = "invalid"
TOTAL_INDEX = engine.FIGURES.index("total")
AGGREGATE_INDEXES = tuple(engine.FIGURES.index(code) for code in AGGREGATE_FIGURES)
# Input rows handed to forked workers by inheritance instead of by pickling.
_engine_job = None


def _outcome(values, policies):
    """What the engine says about one organisation's inputs, compactly (workers send it
    back through a pipe): (status, display units of every figure in FIGURES order, the
    criteria's and the total's shares of a mean when rated), or (INVALID, problems, None)."""
    if None in values:
        # Not yet provided: shown to editors as unrated, never scored on a guess.
        return INCOMPLETE, (None,) * len(engine.FIGURES), None
    try:
        result = engine.compute_values(values, policies)
    except engine.InvalidInputs as error:
        return INVALID, error.problems, None
    ratios = list(result.ratios.values())  # in FIGURES order
    units = tuple(map(engine.display_units, ratios))
    shares = (
        tuple(engine.mean_share(ratios[index]) for index in AGGREGATE_INDEXES)
        if result.status == engine.RATED
        else None
    )
    return result.status, units, shares


@dataclass
class EngineJob:
    """What the engine's workers need, inherited by fork rather than pickled."""

    rows: list  # (organisation_id, *engine.INPUT_FIELDS)
    organisations: dict  # organisation_id -> ORGANISATION_COLUMNS
    policies: engine.Policies


def _outcomes(start, stop):
    """Rows ``start:stop`` of the engine job through the engine: per row (status, display
    units) and, for the aggregates, per municipality [rated count, sum of the shares of each
    AGGREGATE_FIGURES]."""
    job = _engine_job
    outcomes, sums = [], {}
    with _gc_paused():
        for values in job.rows[start:stop]:
            status, units, shares = _outcome(values[1:], job.policies)
            if shares is not None:
                municipality_id = job.organisations[values[0]][6]
                municipality_sums = sums.get(municipality_id)
                if municipality_sums is None:
                    municipality_sums = sums[municipality_id] = [0] * (1 + len(shares))
                municipality_sums[0] += 1
                for index, share in enumerate(shares, start=1):
                    municipality_sums[index] += share
            outcomes.append((status, units))
    return outcomes, sums


def _run_engine(job, meanwhile=None):
    """``_outcomes`` of every row of ``job``, in order, with the municipality sums added up;
    ``meanwhile`` (database work of the caller) runs while worker processes compute.
    Workers only compute: they never touch the database connection they inherit."""
    global _engine_job
    _engine_job = job
    try:
        workers = os.cpu_count() or 1
        if (
            len(job.rows) < PARALLEL_MIN_ORGANISATIONS
            or workers < 2
            or "fork" not in multiprocessing.get_all_start_methods()
        ):
            if meanwhile is not None:
                meanwhile()
            return _outcomes(0, len(job.rows))
        # Several parts per worker: finished parts travel back while the rest compute.
        size = -(-len(job.rows) // (workers * PARTS_PER_WORKER))
        ranges = [(start, start + size) for start in range(0, len(job.rows), size)]
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            running = pool.starmap_async(_outcomes, ranges, chunksize=1)
            if meanwhile is not None:
                meanwhile()
            parts = running.get()
        outcomes, sums = [], {}
        for part_outcomes, part_sums in parts:
            outcomes += part_outcomes
            for municipality_id, figures in part_sums.items():
                total = sums.setdefault(municipality_id, [0] * len(figures))
                for index, figure in enumerate(figures):
                    total[index] += figure
        return outcomes, sums
    finally:
        _engine_job = None


@dataclass
class PendingResult:
    organisation: tuple  # ORGANISATION_COLUMNS
    inputs: tuple  # engine.INPUT_FIELDS order
    status: str
    units: tuple  # display units in engine.FIGURES order
    rank: int | None = None
    municipality_rank: int | None = None


def _compute_all(year, organisations, policies, report, rows=None, meanwhile=None):
    """Every organisation with inputs for ``year`` through the engine: the results to write
    and, for the aggregates, the municipality sums (see ``_outcomes``). ``rows`` are the
    year's input rows when the caller has them already; ``meanwhile`` runs while the engine
    does."""
    if rows is None:
        rows = list(AssessmentInput.objects.filter(year=year).values_list(*INPUT_COLUMNS))
    # In organisation order, results reach the (revision, organisation) index in its order.
    rows.sort()
    outcomes, sums = _run_engine(EngineJob(rows, organisations, policies), meanwhile)
    pending = []
    for values, (status, units) in zip(rows, outcomes, strict=True):
        organisation = organisations[values[0]]
        if status == INVALID:
            report.invalid[organisation[1]] = units
            continue
        if status == INCOMPLETE:
            report.incomplete.append(organisation[1])
            status = engine.INSUFFICIENT_DATA
        if status == engine.RATED:
            report.rated += 1
        else:
            report.insufficient += 1
        pending.append(PendingResult(organisation, values[1:], status, units))
    return pending, sums


def aggregates(sums, municipality_names):
    """Means of the criteria and the total over rated organisations, for the region and
    each municipality (methodology §1, "Aggregates"). ``sums``: per municipality
    [rated count, sum of the shares of each AGGREGATE_FIGURES] (``_outcomes``)."""

    def summary(count, shares):
        return {
            "rated": count,
            **{
                code: _text(engine.display(engine.mean_of_parts([(share, count)])))
                for code, share in zip(AGGREGATE_FIGURES, shares, strict=True)
            },
        }

    region = [0] * (1 + len(AGGREGATE_FIGURES))
    for figures in sums.values():
        region = [total + figure for total, figure in zip(region, figures, strict=True)]
    return {
        "region": summary(region[0], region[1:]),
        "municipalities": {
            str(municipality_id): {
                "name": municipality_names[municipality_id],
                **summary(figures[0], figures[1:]),
            }
            for municipality_id, figures in sums.items()
        },
    }


def _text(value):
    return None if value is None else str(value)


def _rank(pending):
    """Competition ranks by the displayed total: in the region and in each municipality."""
    region = engine.competition_ranks(
        {index: item.units[TOTAL_INDEX] for index, item in enumerate(pending)}
    )
    by_municipality = {}
    for index, item in enumerate(pending):
        by_municipality.setdefault(item.organisation[6], {})[index] = item.units[TOTAL_INDEX]
    municipal = {}
    for totals in by_municipality.values():
        municipal.update(engine.competition_ranks(totals))
    for index, item in enumerate(pending):
        item.rank = region.get(index)
        item.municipality_rank = municipal.get(index)


def _hundredths(units):
    return None if units is None else Decimal(units).scaleb(-2)


@functools.lru_cache(maxsize=20_000)
def _band_of_units(total, bands):
    # Totals take at most 10,001 values, so each band is worked out once per computation.
    return "" if total is None else engine.band(_hundredths(total), bands) or ""


def _band(item, policies):
    return _band_of_units(item.units[TOTAL_INDEX], policies.bands)


def insert_results(revision, pending, policies):
    """Write the computed results of ``revision``. PostgreSQL gets them as one COPY stream
    (a country's 50,000 rows in about a second, where INSERTs take several)."""
    if connection.vendor == "postgresql":
        _copy_results(revision, pending, policies)
        return
    RatingResult.objects.bulk_create(
        [
            RatingResult(
                revision=revision,
                year=revision.year,
                organisation_id=item.organisation[0],
                code=item.organisation[1],
                name=item.organisation[2],
                short_name=item.organisation[3],
                address=item.organisation[4],
                kind=item.organisation[5],
                municipality_id=item.organisation[6],
                municipality_name=item.organisation[7],
                status=item.status,
                respondents=item.inputs[RESPONDENTS_INDEX] or 0,
                band=_band(item, policies),
                inputs=dict(zip(engine.INPUT_FIELDS, item.inputs, strict=True)),
                rank=item.rank,
                municipality_rank=item.municipality_rank,
                **{
                    code: _hundredths(u) for code, u in zip(engine.FIGURES, item.units, strict=True)
                },
            )
            for item in pending
        ],
        batch_size=1000,
    )


RESPONDENTS_INDEX = engine.INPUT_FIELDS.index("respondents")
COPY_COLUMNS = (
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
)
INPUTS_JSON = "{" + ", ".join(f'"{name}": %s' for name in engine.INPUT_FIELDS) + "}"


def _copy_text(value):
    """A text value in COPY's text format (backslash escapes, \\N for NULL)."""
    if value is None:
        return "\\N"
    value = str(value)
    if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
        value = (
            value.replace("\\", "\\\\")
            .replace("\t", "\\t")
            .replace("\n", "\\n")
            .replace("\r", "\\r")
        )
    return value


# Every figure lies in 0..100, so its text is looked up, not formatted, 20 times a row.
HUNDREDTHS_TEXT = {
    None: "\\N",
    **{units: f"{units // 100}.{units % 100:02d}" for units in range(10_001)},
}


def _copy_line(prefix, item, bands):
    """One result in COPY's text format (COPY_COLUMNS)."""
    pk, code, name, short_name, address, kind, municipality_id, municipality_name = (
        item.organisation
    )
    inputs, units = item.inputs, item.units
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
            str(inputs[RESPONDENTS_INDEX] or 0),
            _band_of_units(units[TOTAL_INDEX], bands),
            # numbers and names of ours: nothing to escape
            INPUTS_JSON
            % (
                inputs
                if None not in inputs
                else tuple("null" if value is None else value for value in inputs)
            ),
            *map(HUNDREDTHS_TEXT.__getitem__, units),
            _copy_text(item.rank),
            _copy_text(item.municipality_rank),
        )
    )


def _copy_results(revision, pending, policies):
    quote = connection.ops.quote_name
    statement = (
        f"COPY {quote(RatingResult._meta.db_table)} "
        f"({', '.join(quote(column) for column in COPY_COLUMNS)}) FROM STDIN"
    )
    from psycopg.copy import QueuedLibpqWriter

    prefix = f"{revision.pk}\t{revision.year}\tf\t"
    with connection.cursor() as cursor:
        # A writer thread sends each batch while the next is being formatted: PostgreSQL
        # takes twice as long to store a line as Python to make it, on another core.
        writer = QueuedLibpqWriter(cursor.cursor)
        with cursor.cursor.copy(statement, writer=writer) as copy:
            for start in range(0, len(pending), COPY_BATCH):
                copy.write(
                    "\n".join(
                        _copy_line(prefix, item, policies.bands)
                        for item in pending[start : start + COPY_BATCH]
                    )
                    + "\n"
                )


COPY_BATCH = 500


def publish_year(year, user=None, change_note=""):
    """Publish the year's draft: it becomes the current revision, frozen.

    A year published before needs a change note, shown publicly with the new revision; the
    previous revision is kept as "superseded" and stays readable.
    """
    with transaction.atomic():
        lock_year(year)
        draft = RatingRevision.objects.select_for_update().filter(year=year, status="draft").first()
        if draft is None:
            raise RatingsError(
                _("Для %(year)s года нет рассчитанного черновика: сначала выполните расчёт.")
                % {"year": year}
            )
        if not draft.results.exists():
            raise RatingsError(_("В черновике %(year)s года нет результатов.") % {"year": year})
        previous = RatingRevision.objects.current().filter(year=year).first()
        if previous is not None and not change_note.strip():
            raise RatingsError(
                _(
                    "Рейтинг %(year)s года уже опубликован: для новой редакции укажите, "
                    "что изменилось."
                )
                % {"year": year}
            )
        superseded = []
        if previous is not None:
            superseded = list(previous.results.all())
            previous.status = RatingRevision.Status.SUPERSEDED
            previous.save(update_fields=["status"])
            previous.results.update(is_current=False)
        draft.status = RatingRevision.Status.PUBLISHED
        draft.published_at = timezone.now()
        draft.published_by = user
        draft.change_note = change_note.strip()
        draft.save()
        draft.results.update(is_current=True)
    # After the publication committed (when not inside a caller's transaction), so a failed
    # publication never leaves results in a search index.
    index_published(draft, superseded)
    logger.info("Ratings %s published as revision %s by %s", year, draft.number, user)
    return draft
