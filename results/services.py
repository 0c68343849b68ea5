"""Domain operations on ratings: survey counts, computation, publication.

Views, admin actions and management commands call these; none of them does arithmetic (that
is ``results.engine``) or decides on its own what is public.

A computation of a year takes its methodology, merges the survey counts into the assessment
inputs, puts every organisation through the engine, ranks them and writes the results into
the year's draft; publication then freezes the draft. How a country's computation is made
fast (COPY, a second connection, worker processes) is ``results.bulk_pg``'s business: each
call into it here stands beside its plain twin or falls back to one.
"""

import functools
import logging
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.contrib.frontend_cache.utils import purge_urls_from_cache
from wagtail.models import Site

from core.locks import lock_year
from registry.assessment import listed_ids
from registry.kinds import in_kind_order
from registry.models import Organisation
from surveys.counts import campaign_settings, has_campaign

from . import bulk_pg, engine, exports
from .models import (
    ASSESSED_KINDS,
    AppliedPolicies,
    AssessmentInput,
    InputChange,
    MethodologyVersion,
    RatingResult,
    RatingRevision,
)
from .search import index_published

logger = logging.getLogger(__name__)

# The figures whose region and municipality means a revision keeps.
AGGREGATE_FIGURES = (*engine.CRITERIA, "total")
AGGREGATE_INDEXES = tuple(engine.FIGURES.index(code) for code in AGGREGATE_FIGURES)
TOTAL_INDEX = engine.FIGURES.index("total")
RESPONDENTS_INDEX = engine.INPUT_FIELDS.index("respondents")
# Statuses of the engine's verdict on one organisation, besides engine.RATED and
# engine.INSUFFICIENT_DATA: inputs not all provided yet, inputs the engine refuses.
INCOMPLETE = "incomplete"
INVALID = "invalid"
# engine.RATED below the minimum number of respondents (policy ``rate_and_flag``): said in the
# status because that is all that travels back from the engine's workers.
RATED_LOW_SAMPLE = "rated_low_sample"

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
STORED_INPUT_COLUMNS = ("organisation_id", *engine.INPUT_FIELDS, "survey_source")
# The parts of a stored input row, sliced rather than named because a recount reads every
# organisation's row.
STORED_INPUTS = slice(1, -1)
STORED_CHECKLIST = slice(1, 1 + len(engine.CHECKLIST_FIELDS))
STORED_SURVEY = slice(STORED_CHECKLIST.stop, -1)
STORED_SURVEY_SOURCE = -1
# A recount's survey counts for an organisation without answers, and its checklist counts
# when it has no stored row yet ("not yet provided").
NO_ANSWERS = (0,) * len(engine.SURVEY_FIELDS)
NO_CHECKLIST = (None,) * len(engine.CHECKLIST_FIELDS)


class RatingsError(Exception):
    """An operation refused for a reason the user can act on; the message is Russian."""


class OrganisationRow(NamedTuple):
    """What a result copies from the registry (ORGANISATION_COLUMNS)."""

    id: int
    code: str
    name: str
    short_name: str
    address: str
    kind: str
    municipality_id: int
    municipality_name: str


class InputRow(NamedTuple):
    """One organisation's assessment inputs of the year."""

    organisation_id: int
    inputs: tuple  # engine.INPUT_FIELDS order


@dataclass
class ComputeReport:
    """What a computation did, for the person who ran it."""

    revision: RatingRevision
    rated: int = 0
    insufficient: int = 0
    incomplete: list = field(default_factory=list)  # codes without complete inputs
    invalid: dict = field(default_factory=dict)  # code -> engine problems
    survey_changed: int = 0
    not_listed: int = 0  # organisations with inputs left out: not on the assessment list


@dataclass(slots=True)
class PendingResult:
    """One organisation's computed result, before it is ranked and written."""

    organisation: OrganisationRow
    inputs: tuple  # engine.INPUT_FIELDS order
    status: str
    units: tuple  # display units in engine.FIGURES order
    band: str
    low_sample: bool = False
    rank: int | None = None
    municipality_rank: int | None = None

    @property
    def total_units(self):
        return self.units[TOTAL_INDEX]

    @property
    def respondents(self):
        return self.inputs[RESPONDENTS_INDEX] or 0


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


def compute_year(year, user=None):
    """Compute every organisation of ``year`` into the year's draft revision.

    Survey counts are refreshed from responses first (one aggregate query). The draft's
    previous results are replaced, so recomputing after a correction is safe; published
    revisions are never touched. Inputs that the engine refuses stop the whole computation
    with the list of organisations to fix: a half-computed draft would rank the rest wrongly.
    """
    methodology, policies = methodology_for_year(year)
    with (
        bulk_pg.counting_survey_answers(year) as count_survey_answers,
        bulk_pg.gc_paused(),
        transaction.atomic(),
    ):
        lock_year(year)
        revision = _draft_revision(year, methodology, policies, user)
        organisations, active = _registry()
        # A year with an assessment list recounts, rates and ranks only the listed ones.
        listed = listed_ids(year)
        changed_counts, rows = _recount(year, count_survey_answers, active, listed)
        report = ComputeReport(revision=revision, survey_changed=len(changed_counts))
        pending, sums = _compute_all(
            year,
            organisations,
            policies,
            report,
            rows,
            listed=listed,
            # Written while the engine works in its own processes.
            meanwhile=lambda: _store_survey_counts(year, user, changed_counts),
        )
        if report.invalid:
            transaction.set_rollback(True)
            return report
        _rank(pending)
        _insert_results(revision, pending)
        revision.aggregates = {
            **aggregates(
                sums,
                {row.municipality_id: row.municipality_name for row in organisations.values()},
            ),
            # Every kind with a result, rated or not: the public pages' tabs read it here
            # rather than scanning a year's results.
            ASSESSED_KINDS: in_kind_order(item.organisation.kind for item in pending),
        }
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


def _draft_revision(year, methodology, policies, user):
    """The year's draft, created if there is none, stamped with this computation and
    emptied of its previous results."""
    revision = RatingRevision.objects.filter(year=year, status="draft").first()
    if revision is None:
        latest = RatingRevision.objects.filter(year=year).order_by("-number").first()
        revision = RatingRevision(year=year, number=latest.number + 1 if latest else 1)
    revision.methodology = methodology
    # Every policy as applied, so a later edit of the version cannot change what this
    # revision says about itself (RatingRevision.applied_policies reads it back).
    revision.policies = AppliedPolicies.from_engine(policies, methodology.code).to_stored()
    revision.computed_at = timezone.now()
    revision.computed_by = user
    revision.save()
    # A draft's results were never in a search index, so the per-result delete signals,
    # for which delete() would first fetch every row, have nothing to do.
    revision.results.all()._raw_delete(revision.results.db)
    return revision


def _registry():
    """Every organisation as a result copies it ({id: OrganisationRow}), and the active
    ones' ids. Every organisation, not only those with inputs: a recount may add inputs for
    some."""
    organisations, active = {}, set()
    for *columns, is_active in Organisation.objects.values_list(*ORGANISATION_COLUMNS, "is_active"):
        organisation = OrganisationRow._make(columns)
        organisations[organisation.id] = organisation
        if is_active:
            active.add(organisation.id)
    return organisations, active


def _recount(year, count_survey_answers, active, listed=None):
    """What a recount of ``year``'s survey answers changes, without storing it: the changed
    counts ({organisation_id: counts in engine.SURVEY_FIELDS order}, for
    ``_store_survey_counts``) and the year's input rows as they will then stand (InputRow
    each), so that the computation need neither wait for the write nor read the rows back;
    ({}, None) for a year without a campaign.

    Survey counts an operator imported stand; every active organisation and every one with
    answers gets a row (no answers counts as zero respondents) — of those on the year's
    assessment list (``listed`` ids) when it has one."""
    if not has_campaign(year):
        return {}, None
    stored = {
        row[0]: row
        for row in AssessmentInput.objects.filter(year=year).values_list(*STORED_INPUT_COLUMNS)
    }
    counts = count_survey_answers()
    changed = {}
    inputs = {organisation_id: row[STORED_INPUTS] for organisation_id, row in stored.items()}
    candidates = active | set(counts)
    if listed is not None:
        candidates &= listed
    for organisation_id in candidates:
        survey = counts.get(organisation_id, NO_ANSWERS)
        row = stored.get(organisation_id)
        if row is None:
            checklist = NO_CHECKLIST
        elif row[STORED_SURVEY_SOURCE] == AssessmentInput.Source.IMPORT or (
            row[STORED_SURVEY_SOURCE] == AssessmentInput.Source.SURVEY
            and row[STORED_SURVEY] == survey
        ):
            continue
        else:
            checklist = row[STORED_CHECKLIST]
        inputs[organisation_id] = (*checklist, *survey)
        changed[organisation_id] = survey
    return changed, list(map(InputRow._make, inputs.items()))


def _store_survey_counts(year, user, changed):
    """Write the recounted survey counts, with one audit entry for the recount."""
    if not changed:
        return
    if connection.vendor == "postgresql":
        bulk_pg.upsert_survey_counts(year, changed)
    else:
        AssessmentInput.objects.bulk_create(
            [
                AssessmentInput(
                    organisation_id=organisation_id,
                    year=year,
                    survey_source=AssessmentInput.Source.SURVEY,
                    **dict(zip(engine.SURVEY_FIELDS, survey, strict=True)),
                )
                for organisation_id, survey in changed.items()
            ],
            update_conflicts=True,
            unique_fields=["organisation", "year"],
            update_fields=[*engine.SURVEY_FIELDS, "survey_source", "updated_at"],
        )
    InputChange.objects.create(
        year=year,
        source=AssessmentInput.Source.SURVEY,
        user=user,
        note=_("Пересчёт по ответам на анкеты: изменены данные %(count)d организаций")
        % {"count": len(changed)},
    )


def _compute_all(year, organisations, policies, report, rows=None, meanwhile=None, listed=None):
    """Every organisation with inputs for ``year`` (and on its assessment list, ``listed``
    ids, when it has one) through the engine: the results to write and, for the aggregates,
    the municipality sums (``bulk_pg.run_engine``). ``rows`` are the year's input rows when
    the caller has them already; ``meanwhile`` runs while the engine does."""
    if rows is None:
        rows = [
            InputRow(row[0], row[1:])
            for row in AssessmentInput.objects.filter(year=year).values_list(
                "organisation_id", *engine.INPUT_FIELDS
            )
        ]
    if listed is not None:
        kept = [row for row in rows if row.organisation_id in listed]
        report.not_listed = len(rows) - len(kept)
        rows = kept
    # In organisation order, results reach the (revision, organisation) index in its order.
    rows.sort()
    outcomes, sums = bulk_pg.run_engine(rows, organisations, policies, _rate, meanwhile)
    pending = []
    for row, (status, units) in zip(rows, outcomes, strict=True):
        organisation = organisations[row.organisation_id]
        if status == INVALID:
            report.invalid[organisation.code] = units
            continue
        if status == INCOMPLETE:
            report.incomplete.append(organisation.code)
            status = engine.INSUFFICIENT_DATA
        low_sample = status == RATED_LOW_SAMPLE
        if low_sample:
            status = engine.RATED
        if status == engine.RATED:
            report.rated += 1
        else:
            report.insufficient += 1
        band = _band_of_units(units[TOTAL_INDEX], policies.bands)
        pending.append(PendingResult(organisation, row.inputs, status, units, band, low_sample))
    return pending, sums


def _rate(inputs, policies):
    """What the engine says about one organisation's inputs, compactly (workers send it
    back through a pipe): (status, display units of every figure in FIGURES order, the
    AGGREGATE_FIGURES' shares of a mean when rated), or (INVALID, problems, None). A result
    rated below the minimum (``rate_and_flag``) comes back as RATED_LOW_SAMPLE; it counts
    in the means like any rated one."""
    if None in inputs:
        # Not yet provided: shown to editors as unrated, never scored on a guess.
        return INCOMPLETE, (None,) * len(engine.FIGURES), None
    try:
        result = engine.compute_values(inputs, policies)
    except engine.InvalidInputs as error:
        return INVALID, error.problems, None
    ratios = list(result.ratios.values())  # in FIGURES order
    units = tuple(map(engine.display_units, ratios))
    shares = (
        tuple(engine.mean_share(ratios[index]) for index in AGGREGATE_INDEXES)
        if result.status == engine.RATED
        else None
    )
    status = RATED_LOW_SAMPLE if result.low_sample else result.status
    return status, units, shares


def _rank(pending):
    """Competition ranks by the displayed total within the organisation's kind: in the
    region and in each municipality. Schools, kindergartens, colleges and
    additional-education organisations are assessed on different respondents and are
    never ranked against each other (methodology §5, ``rank``)."""
    region, municipal = {}, {}
    for index, item in enumerate(pending):
        kind = item.organisation.kind
        region.setdefault(kind, {})[index] = item.total_units
        municipal.setdefault((item.organisation.municipality_id, kind), {})[index] = (
            item.total_units
        )
    region_ranks, municipal_ranks = {}, {}
    for totals in region.values():
        region_ranks.update(engine.competition_ranks(totals))
    for totals in municipal.values():
        municipal_ranks.update(engine.competition_ranks(totals))
    for index, item in enumerate(pending):
        item.rank = region_ranks.get(index)
        item.municipality_rank = municipal_ranks.get(index)


def aggregates(sums, municipality_names):
    """Means of the criteria and the total over rated organisations, for the region and
    each municipality (methodology §1, "Aggregates"), within each kind (``"kinds"``) and,
    for the record, over all kinds together. ``sums``: per (municipality, kind)
    [rated count, sum of the shares of each AGGREGATE_FIGURES] (``bulk_pg.run_engine``)."""

    def summary(figures):
        count, shares = figures[0], figures[1:]
        return {
            "rated": count,
            **{
                code: _text(engine.display(engine.mean_of_parts([(share, count)])))
                for code, share in zip(AGGREGATE_FIGURES, shares, strict=True)
            },
        }

    def added(groups):
        total = [0] * (1 + len(AGGREGATE_FIGURES))
        for figures in groups:
            total = [value + figure for value, figure in zip(total, figures, strict=True)]
        return total

    def scope(part):
        by_municipality = {}
        for (municipality_id, _kind), figures in part.items():
            by_municipality.setdefault(municipality_id, []).append(figures)
        return {
            "region": summary(added(part.values())),
            "municipalities": {
                str(municipality_id): {
                    "name": municipality_names[municipality_id],
                    **summary(added(groups)),
                }
                for municipality_id, groups in by_municipality.items()
            },
        }

    kinds = sorted({kind for _municipality, kind in sums})
    return {
        **scope(sums),
        "kinds": {
            kind: scope({key: figures for key, figures in sums.items() if key[1] == kind})
            for kind in kinds
        },
    }


def _insert_results(revision, pending):
    """Write the computed results of ``revision`` (PostgreSQL: one COPY stream)."""
    if connection.vendor == "postgresql":
        bulk_pg.copy_results(revision, pending)
        return
    RatingResult.objects.bulk_create(
        [
            RatingResult(
                revision=revision,
                year=revision.year,
                organisation_id=item.organisation.id,
                code=item.organisation.code,
                name=item.organisation.name,
                short_name=item.organisation.short_name,
                address=item.organisation.address,
                kind=item.organisation.kind,
                municipality_id=item.organisation.municipality_id,
                municipality_name=item.organisation.municipality_name,
                status=item.status,
                respondents=item.respondents,
                low_sample=item.low_sample,
                band=item.band,
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


def _text(value):
    return None if value is None else str(value)


def _hundredths(units):
    return None if units is None else Decimal(units).scaleb(-2)


@functools.lru_cache(maxsize=20_000)
def _band_of_units(total, bands):
    # Totals take at most 10,001 values, so each band is worked out once per computation.
    return "" if total is None else engine.band(_hundredths(total), bands) or ""


def _no_draft(year):
    return RatingsError(
        _("Для %(year)s года нет рассчитанного черновика: сначала выполните расчёт.")
        % {"year": year}
    )


class ResultChange(NamedTuple):
    """One organisation whose figures differ between the published revision and the draft."""

    name: str
    total_before: Decimal | None
    total_after: Decimal | None
    rank_before: int | None
    rank_after: int | None


@dataclass
class PublicationPreview:
    """What publishing the year's draft would change, for the editor to confirm first."""

    draft: RatingRevision
    current: RatingRevision | None
    organisations: int
    rated: int
    added: list  # names of organisations in the draft only
    removed: list  # names of organisations in the published revision only
    changed: list  # ResultChange, by name
    unchanged: int

    @property
    def token(self):
        """Names the draft as computed when the preview was made: a confirmation given for
        it does not publish a draft recomputed since."""
        computed = self.draft.computed_at.isoformat() if self.draft.computed_at else ""
        return f"{self.draft.pk}:{self.draft.number}:{computed}"


def publication_preview(year):
    """Compare the year's draft with its current published revision (if any): organisations
    added and removed, and those whose total or place changed. Reads one row per result of
    each revision, figures only."""
    draft = RatingRevision.objects.filter(year=year, status=RatingRevision.Status.DRAFT).first()
    if draft is None:
        raise _no_draft(year)
    current = RatingRevision.objects.current().filter(year=year).first()

    def figures(revision):
        return {
            organisation_id: (name, status, total, rank)
            for organisation_id, name, status, total, rank in revision.results.values_list(
                "organisation_id", "name", "status", "total", "rank"
            )
        }

    after = figures(draft)
    before = figures(current) if current is not None else {}
    changed = [
        ResultChange(after[pk][0], before[pk][2], after[pk][2], before[pk][3], after[pk][3])
        for pk in after.keys() & before.keys()
        if before[pk][1:] != after[pk][1:]
    ]
    return PublicationPreview(
        draft=draft,
        current=current,
        organisations=len(after),
        rated=sum(1 for row in after.values() if row[1] == RatingResult.Status.RATED),
        added=sorted(after[pk][0] for pk in after.keys() - before.keys()) if current else [],
        removed=sorted(before[pk][0] for pk in before.keys() - after.keys()),
        changed=sorted(changed, key=lambda change: change.name),
        unchanged=len(after.keys() & before.keys()) - len(changed),
    )


def publish_year(year, user=None, change_note=""):
    """Publish the year's draft: it becomes the current revision, frozen.

    A year published before needs a change note, shown publicly with the new revision; the
    previous revision is kept as "superseded" and stays readable.
    """
    with transaction.atomic():
        lock_year(year)
        draft = RatingRevision.objects.select_for_update().filter(year=year, status="draft").first()
        if draft is None:
            raise _no_draft(year)
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
        # Steps before publication (the preliminary stage and its objections) may refuse it
        # or leave their summary on the record; they plug in through this Wagtail hook so
        # that the ratings never import what comes after them.
        summary = {}
        for hook in hooks.get_hooks("before_publish_ratings"):
            summary.update(hook(draft) or {})
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
        draft.publication_summary = summary
        draft.save()
        draft.results.update(is_current=True)
    # After the publication committed (when not inside a caller's transaction), so a failed
    # publication never leaves results in a search index.
    index_published(draft, superseded)
    # A proxy or CDN in front of the portal drops the pages that show the year (the page
    # cache of the portal itself follows every write on its own, core/page_cache.py).
    transaction.on_commit(lambda: purge_published(draft))
    logger.info("Ratings %s published as revision %s by %s", year, draft.number, user)
    return draft


def purge_published(revision):
    """Ask the front-end cache (``FRONTEND_CACHE_PURGE_URL``) to drop the ratings' pages of
    the revision's year, and, through the ``after_publish_ratings`` hook, the pages of other
    apps that show it (the schools' pages). Nothing happens when no front-end cache is set."""
    paths = [
        reverse("ratings"),
        reverse("ratings_year", args=[revision.year]),
        reverse("ratings_api"),
        f"{reverse('ratings_api')}?year={revision.year}",
    ]
    for fmt in exports.FORMATS:
        paths.append(reverse("ratings_export", args=[revision.year, fmt]))
    for hook in hooks.get_hooks("after_publish_ratings"):
        paths += hook(revision) or []
    site = Site.objects.filter(is_default_site=True).first()
    if site is not None:
        purge_urls_from_cache([site.root_url + path for path in paths])
