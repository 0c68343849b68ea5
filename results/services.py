"""Domain operations on ratings: survey counts, computation, publication.

Views, admin actions and management commands call these; none of them does arithmetic (that
is ``results.engine``) or decides on its own what is public.
"""

import logging
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.search.backends import get_search_backends

from schools.models import Organisation

from . import engine
from .models import AssessmentInput, InputChange, MethodologyVersion, RatingResult, RatingRevision

logger = logging.getLogger(__name__)

# Keys of the questionnaire (methodology §3) and the count each «Да» adds to.
SURVEY_COUNT_KEYS = {
    "stand_used": "q1",
    "stand_satisfied": "q2",
    "site_used": "q3",
    "site_satisfied": "q4",
    "comfort_satisfied": "q5",
    "disabled": "q6",
    "disabled_satisfied": "q7",
    "first_contact_satisfied": "q8",
    "direct_service_satisfied": "q9",
    "distance_used": "q10",
    "distance_satisfied": "q11",
    "recommend": "q12",
    "schedule_satisfied": "q13",
    "overall_satisfied": "q14",
}
# Arbitrary constant of ours: PostgreSQL advisory lock namespace for one year's inputs.
YEAR_LOCK_NAMESPACE = 5_201_905


class RatingsError(Exception):
    """An operation refused for a reason the user can act on; the message is Russian."""


def lock_year(year):
    """Serialise writers of one year's inputs and results (security.md case 26): the
    second import, computation or publication waits for the first to commit. SQLite already
    serialises writing transactions."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [YEAR_LOCK_NAMESPACE, year])


def methodology_for_year(year):
    """The methodology version and policies that apply to ``year``.

    The year's survey campaign names its methodology version and sets the minimum number of
    respondents; a year without a campaign (inputs imported by the operator) takes the latest
    version valid from that year.
    """
    from surveys.models import Campaign

    campaign = Campaign.objects.filter(year=year).order_by("-opens_at").first()
    if campaign is not None:
        methodology = MethodologyVersion.objects.filter(code=campaign.methodology_version).first()
        if methodology is None:
            raise RatingsError(
                _("Версия методики «%(code)s» из кампании «%(campaign)s» не найдена.")
                % {"code": campaign.methodology_version, "campaign": campaign}
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


def survey_counts(year):
    """{organisation_id: counts} from accepted responses of the year's campaigns.

    One aggregate query (``GROUP BY organisation``): a «Да» adds one to its count; a question
    skipped by routing (NULL) counts neither way. Flagged and rejected responses are left out.
    """
    from surveys.models import Response

    aggregates = {
        name: Count("pk", filter=Q(**{key: True})) for name, key in SURVEY_COUNT_KEYS.items()
    }
    rows = (
        Response.objects.filter(campaign__year=year, status=Response.Status.ACCEPTED)
        .order_by()
        .values("organisation_id")
        .annotate(respondents=Count("pk"), **aggregates)
    )
    return {row.pop("organisation_id"): row for row in rows}


@dataclass
class RefreshReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    kept_imported: int = 0


def refresh_survey_counts(year, user=None):
    """Store the year's survey counts from responses into the assessment inputs.

    Every active organisation is assessed in a year that has a campaign: one without answers
    gets zero respondents (and so stays unrated) rather than disappearing. Counts an operator
    imported for an organisation take precedence and are kept.
    """
    from surveys.models import Campaign

    if not Campaign.objects.filter(year=year).exists():
        return RefreshReport()
    counts = survey_counts(year)
    zero = dict.fromkeys(engine.SURVEY_FIELDS, 0)
    existing = {row.organisation_id: row for row in AssessmentInput.objects.filter(year=year)}
    report, to_create, to_update, changes = RefreshReport(), [], [], []
    for organisation_id in Organisation.objects.filter(is_active=True).values_list("pk", flat=True):
        values = counts.get(organisation_id, zero)
        row = existing.get(organisation_id)
        if row is None:
            row = AssessmentInput(
                organisation_id=organisation_id,
                year=year,
                survey_source=AssessmentInput.Source.SURVEY,
                **values,
            )
            to_create.append(row)
            report.created += 1
            continue
        if row.survey_source == AssessmentInput.Source.IMPORT:
            report.kept_imported += 1
            continue
        diff = {
            name: [getattr(row, name), value]
            for name, value in values.items()
            if getattr(row, name) != value
        }
        if not diff and row.survey_source == AssessmentInput.Source.SURVEY:
            report.unchanged += 1
            continue
        for name, value in values.items():
            setattr(row, name, value)
        row.survey_source = AssessmentInput.Source.SURVEY
        row.updated_at = timezone.now()
        to_update.append(row)
        report.updated += 1
        changes.append(
            InputChange(
                year=year,
                organisation_id=organisation_id,
                source=AssessmentInput.Source.SURVEY,
                user=user,
                changes=diff,
            )
        )
    AssessmentInput.objects.bulk_create(to_create, batch_size=2000)
    AssessmentInput.objects.bulk_update(
        to_update, [*engine.SURVEY_FIELDS, "survey_source", "updated_at"], batch_size=2000
    )
    InputChange.objects.bulk_create(changes, batch_size=2000)
    if report.created or report.updated:
        InputChange.objects.create(
            year=year,
            source=AssessmentInput.Source.SURVEY,
            user=user,
            note=_("Пересчёт по ответам на анкеты: добавлено %(created)d, изменено %(updated)d")
            % {"created": report.created, "updated": report.updated},
        )
    return report


@dataclass
class ComputeReport:
    revision: RatingRevision
    rated: int = 0
    insufficient: int = 0
    incomplete: list = field(default_factory=list)  # codes without complete inputs
    invalid: dict = field(default_factory=dict)  # code -> engine problems
    survey: RefreshReport | None = None


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


def compute_year(year, user=None):
    """Compute every organisation of ``year`` into the year's draft revision.

    Survey counts are refreshed from responses first (one aggregate query). The draft's
    previous results are replaced, so recomputing after a correction is safe; published
    revisions are never touched. Inputs that the engine refuses stop the whole computation
    with the list of organisations to fix: a half-computed draft would rank the rest wrongly.
    """
    methodology, policies = methodology_for_year(year)
    with transaction.atomic():
        lock_year(year)
        survey = refresh_survey_counts(year, user=user)
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

        organisations = {
            row[0]: row
            for row in Organisation.objects.filter(assessment_inputs__year=year).values_list(
                *ORGANISATION_COLUMNS
            )
        }
        report = ComputeReport(revision=revision, survey=survey)
        results, rated = [], []
        for values in AssessmentInput.objects.filter(year=year).values_list(*INPUT_COLUMNS):
            organisation = organisations[values[0]]
            inputs = dict(zip(engine.INPUT_FIELDS, values[1:], strict=True))
            result = _compute_one(inputs, policies, organisation, report)
            if result is None:
                continue
            results.append(_result_row(revision, organisation, inputs, result, policies))
            if result.status == engine.RATED:
                rated.append((organisation[6], organisation[7], result))
        if report.invalid:
            transaction.set_rollback(True)
            return report
        _rank(results)
        RatingResult.objects.bulk_create(results, batch_size=1000)
        revision.aggregates = aggregates(rated)
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


def _compute_one(inputs, policies, organisation, report):
    code = organisation[1]
    if any(inputs[name] is None for name in engine.INPUT_FIELDS):
        # Not yet provided: shown to editors as unrated, never scored on a guess.
        report.incomplete.append(code)
        report.insufficient += 1
        return engine.Result(
            indicators=dict.fromkeys(engine.INDICATORS),
            criteria=dict.fromkeys(engine.CRITERIA),
            total=None,
            status=engine.INSUFFICIENT_DATA,
            no_data=engine.INDICATORS,
        )
    try:
        result = engine.compute(inputs, policies)
    except engine.InvalidInputs as error:
        report.invalid[code] = error.problems
        return None
    if result.status == engine.RATED:
        report.rated += 1
    else:
        report.insufficient += 1
    return result


def _result_row(revision, organisation, inputs, result, policies):
    _pk, code, name, short_name, address, kind, municipality_id, municipality_name = organisation
    figures = {key: engine.display(value) for key, value in result.figures().items()}
    return RatingResult(
        revision=revision,
        year=revision.year,
        organisation_id=_pk,
        code=code,
        name=name,
        short_name=short_name,
        address=address,
        kind=kind,
        municipality_id=municipality_id,
        municipality_name=municipality_name,
        status=result.status,
        respondents=inputs["respondents"] or 0,
        band=engine.band(figures["total"], policies.bands) or "",
        inputs=inputs,
        **figures,
    )


AGGREGATE_FIGURES = (*engine.CRITERIA, "total")


def aggregates(rated):
    """Means of the criteria and the total over rated organisations, for the region and
    each municipality (methodology §1, "Aggregates"), from the exact values."""

    def summary(results):
        return {
            "rated": len(results),
            **{
                code: _text(
                    engine.display_decimal(engine.mean(getattr_figure(r, code) for r in results))
                )
                for code in AGGREGATE_FIGURES
            },
        }

    by_municipality = {}
    for municipality_id, name, result in rated:
        by_municipality.setdefault(municipality_id, (name, []))[1].append(result)
    return {
        "region": summary([result for _, _, result in rated]),
        "municipalities": {
            str(municipality_id): {"name": name, **summary(results)}
            for municipality_id, (name, results) in by_municipality.items()
        },
    }


def getattr_figure(result, code):
    return result.total if code == "total" else result.criteria[code]


def _text(value):
    return None if value is None else str(value)


def _rank(results):
    """Competition ranks by the displayed total: in the region and in each municipality."""
    region = engine.competition_ranks({id(row): row.total for row in results})
    by_municipality = {}
    for row in results:
        by_municipality.setdefault(row.municipality_id, {})[id(row)] = row.total
    municipal = {}
    for totals in by_municipality.values():
        municipal.update(engine.competition_ranks(totals))
    for row in results:
        row.rank = region.get(id(row))
        row.municipality_rank = municipal.get(id(row))


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
    _update_search_index(draft, superseded)
    logger.info("Ratings %s published as revision %s by %s", year, draft.number, user)
    return draft


def _update_search_index(revision, superseded):
    """Index the newly public results and drop the superseded ones from every backend."""
    current = list(RatingResult.objects.filter(revision=revision, is_current=True))
    for backend in get_search_backends(with_auto_update=False):
        for result in superseded:
            backend.delete(result)
        backend.add_bulk(RatingResult, current)


def save_inputs(organisation, year, values, *, source, user=None, note=""):
    """Create or update one organisation's inputs for ``year`` with an audit entry.

    ``values`` holds some of the input fields; returns the changed fields as {field: [old,
    new]} (empty when nothing changed)."""
    row, created = AssessmentInput.objects.get_or_create(organisation=organisation, year=year)
    diff = {
        name: [getattr(row, name), value]
        for name, value in values.items()
        if getattr(row, name) != value
    }
    if not diff and not created:
        return diff
    for name, value in values.items():
        setattr(row, name, value)
    if set(values) & set(engine.CHECKLIST_FIELDS):
        row.checklist_source = source
    if set(values) & set(engine.SURVEY_FIELDS):
        row.survey_source = source
    row.save()
    InputChange.objects.create(
        year=year,
        organisation=organisation,
        source=source,
        user=user,
        changes=diff,
        note=note[:300],
    )
    return diff
