"""Computation, survey counts and publication of ratings."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction

from core.locks import YEAR_LOCK_NAMESPACE, lock_year
from registry.tests.factories import MunicipalityFactory, OrganisationFactory
from results import bulk_pg, engine, inputs, services
from results.models import AssessmentInput, InputChange, RatingResult, RatingRevision
from results.services import RatingsError, compute_year, publish_year
from surveys.counts import survey_counts
from surveys.models import Response
from surveys.tests.factories import CampaignFactory, ResponseFactory

from .factories import EXAMPLE_INPUTS, AssessmentInputFactory

pytestmark = pytest.mark.django_db
YEAR = 2025


def result_of(organisation, year=YEAR):
    return RatingResult.objects.get(organisation=organisation, revision__status="draft", year=year)


def test_worked_example_is_computed_and_stored_with_display_values():
    row = AssessmentInputFactory(year=YEAR)
    report = compute_year(YEAR)
    assert (report.rated, report.insufficient, report.invalid) == (1, 0, {})
    result = result_of(row.organisation)
    assert result.status == "rated"
    assert result.total == Decimal("86.10")
    assert (result.k1, result.k2, result.k3, result.k4, result.k5) == tuple(
        Decimal(v) for v in ("89.81", "85.00", "72.50", "94.60", "88.60")
    )
    assert result.p1_1 == Decimal("86.86") and result.p1_3 == Decimal("91.88")
    assert result.rank == result.municipality_rank == 1
    assert result.band == "above_average"
    assert result.inputs == EXAMPLE_INPUTS
    assert report.revision.policies["denominator"] == "answered"
    assert report.revision.policies["methodology_code"] == "noko-2019"


def test_policy_total_comes_from_the_methodology_version():
    from results.models import MethodologyVersion

    MethodologyVersion.objects.filter(code="noko-2019").update(denominator_policy="total")
    row = AssessmentInputFactory(year=YEAR)
    compute_year(YEAR)
    result = result_of(row.organisation)
    assert (result.p1_3, result.p4_3, result.total) == (
        Decimal("69.00"),
        Decimal("57.00"),
        Decimal("82.75"),
    )


def test_competition_ranks_in_region_and_municipality():
    north, south = MunicipalityFactory(), MunicipalityFactory()
    best = AssessmentInputFactory(organisation__municipality=north, year=YEAR)
    tied = AssessmentInputFactory(organisation__municipality=south, year=YEAR)
    lower = AssessmentInputFactory(
        organisation__municipality=north, year=YEAR, values={"recommend": 100}
    )
    few = AssessmentInputFactory(
        organisation__municipality=south,
        year=YEAR,
        values={name: 5 if name != "respondents" else 9 for name in EXAMPLE_INPUTS}
        | {k: EXAMPLE_INPUTS[k] for k in ("stand_items", "stand_norm", "site_items", "site_norm")},
    )
    compute_year(YEAR)
    ranks = {
        row.organisation: (
            result_of(row.organisation).rank,
            result_of(row.organisation).municipality_rank,
        )
        for row in (best, tied, lower, few)
    }
    assert ranks[best.organisation] == (1, 1)
    assert ranks[tied.organisation] == (1, 1)
    assert ranks[lower.organisation] == (3, 2)
    # Fewer respondents than the minimum: figures, but no total and no rank.
    unrated = result_of(few.organisation)
    assert ranks[few.organisation] == (None, None)
    assert unrated.status == "insufficient_data" and unrated.total is None
    assert unrated.p2_1 is not None


def test_refused_inputs_stop_the_computation_and_write_nothing():
    AssessmentInputFactory(year=YEAR)
    bad = AssessmentInputFactory(year=YEAR, values={"stand_satisfied": 170})
    report = compute_year(YEAR)
    assert bad.organisation.code in report.invalid
    assert report.invalid[bad.organisation.code][0].field == "stand_satisfied"
    assert not RatingResult.objects.exists()
    assert not RatingRevision.objects.exists()


def test_incomplete_inputs_leave_the_organisation_unrated():
    row = AssessmentInputFactory(year=YEAR)
    row.site_norm = None
    row.save()
    report = compute_year(YEAR)
    assert report.incomplete == [row.organisation.code]
    assert result_of(row.organisation).status == "insufficient_data"


def make_responses(campaign, organisation, answers, count, **extra):
    fields = {f"q{n}": answers.get(f"q{n}") for n in range(1, 15)}
    for _ in range(count):
        ResponseFactory(campaign=campaign, organisation=organisation, **fields, **extra)


def test_survey_counts_come_from_accepted_responses_in_one_query(django_assert_num_queries):
    campaign = CampaignFactory(year=YEAR, methodology_version="noko-2019")
    school = OrganisationFactory()
    yes = {f"q{n}": True for n in range(1, 15)}
    # «Нет» on q1 skips q2, «Нет» on q6 skips q7: skipped answers count neither way.
    routed = yes | {"q1": False, "q2": None, "q6": False, "q7": None, "q12": False}
    make_responses(campaign, school, yes, 3)
    make_responses(campaign, school, routed, 2)
    make_responses(campaign, school, yes, 4, status=Response.Status.FLAGGED)
    make_responses(campaign, school, yes, 1, status=Response.Status.REJECTED)
    with django_assert_num_queries(1):
        counts = dict(zip(engine.SURVEY_FIELDS, survey_counts(YEAR)[school.pk], strict=True))
    assert counts["respondents"] == 5
    assert (counts["stand_used"], counts["stand_satisfied"]) == (3, 3)
    assert (counts["disabled"], counts["disabled_satisfied"]) == (3, 3)
    assert counts["recommend"] == 3 and counts["overall_satisfied"] == 5


def test_rating_from_responses_equals_rating_from_the_same_counts_imported():
    campaign = CampaignFactory(year=YEAR, methodology_version="noko-2019")
    surveyed, imported = OrganisationFactory(), OrganisationFactory()
    answers = [
        ({f"q{n}": True for n in range(1, 15)}, 9),
        ({f"q{n}": True for n in range(1, 15)} | {"q1": False, "q2": None, "q4": False}, 4),
        (
            {f"q{n}": True for n in range(1, 15)}
            | {"q6": False, "q7": None, "q10": False, "q11": None},
            5,
        ),
        (
            {f"q{n}": False for n in range(1, 15)}
            | {"q2": None, "q4": None, "q7": None, "q11": None},
            2,
        ),
    ]
    for pattern, count in answers:
        make_responses(campaign, surveyed, pattern, count)
    checklist = {k: EXAMPLE_INPUTS[k] for k in services.engine.CHECKLIST_FIELDS}
    AssessmentInputFactory(
        organisation=surveyed,
        year=YEAR,
        survey_source="",
        checklist_source="checklists",
        values=dict.fromkeys(services.engine.SURVEY_FIELDS, 0) | checklist,
    )
    compute_year(YEAR)
    from_responses = AssessmentInput.objects.get(organisation=surveyed, year=YEAR)
    assert from_responses.survey_source == "survey"
    assert from_responses.respondents == 20
    # The first computation gave every active organisation a row; the operator imports.
    inputs.save_inputs(
        imported,
        YEAR,
        {name: getattr(from_responses, name) for name in engine.INPUT_FIELDS},
        source="import",
    )
    compute_year(YEAR)
    a, b = result_of(surveyed), result_of(imported)
    assert a.figures() == b.figures()
    assert a.rank == b.rank == 1
    assert InputChange.objects.filter(year=YEAR, source="survey", note__contains="ответам").exists()


def test_imported_survey_counts_take_precedence_over_responses():
    campaign = CampaignFactory(year=YEAR, methodology_version="noko-2019")
    row = AssessmentInputFactory(year=YEAR)
    make_responses(campaign, row.organisation, {"q1": True}, 3)
    report = compute_year(YEAR)
    assert report.survey_changed == 0
    assert result_of(row.organisation).respondents == 200


def test_unknown_methodology_version_of_the_campaign_is_a_clear_error():
    CampaignFactory(year=YEAR, methodology_version="нет-такой")
    with pytest.raises(RatingsError, match="нет-такой"):
        compute_year(YEAR)


def test_publication_freezes_the_year_until_republished():
    row = AssessmentInputFactory(year=YEAR)
    compute_year(YEAR)
    first = publish_year(YEAR)
    assert first.status == "published" and first.number == 1
    public = RatingResult.objects.public().get(organisation=row.organisation)
    assert public.total == Decimal("86.10")

    row.recommend = 100
    row.save()
    report = compute_year(YEAR)
    assert report.revision.number == 2 and report.revision.status == "draft"
    # The published year is unchanged by the new inputs and the new draft.
    assert RatingResult.objects.public().get(organisation=row.organisation).total == Decimal(
        "86.10"
    )

    with pytest.raises(RatingsError, match="что изменилось"):
        publish_year(YEAR)
    second = publish_year(YEAR, change_note="Исправлены данные анкет.")
    first.refresh_from_db()
    assert (first.status, second.status, second.number) == ("superseded", "published", 2)
    current = RatingResult.objects.public().get(organisation=row.organisation)
    assert current.total < Decimal("86.10") and current.revision == second
    # The old revision stays readable, with its own numbers.
    assert first.results.get().total == Decimal("86.10")


def test_publishing_without_a_draft_is_refused():
    with pytest.raises(RatingsError, match="нет рассчитанного черновика"):
        publish_year(YEAR)


def test_engine_in_worker_processes_gives_the_same_results(monkeypatch):
    municipalities = [MunicipalityFactory() for _ in range(3)]
    rows = [
        AssessmentInputFactory(
            year=YEAR,
            organisation__municipality=municipalities[n % 3],
            values={"recommend": 100 + 7 * n, "disabled": n % 3, "disabled_satisfied": 0},
        )
        for n in range(12)
    ]

    def stored():
        return {
            r.organisation_id: (r.figures(), r.rank, r.municipality_rank, r.band, r.inputs)
            for r in RatingResult.objects.all()
        }

    in_process = compute_year(YEAR).revision.aggregates, stored()
    monkeypatch.setattr(bulk_pg, "PARALLEL_MIN_ORGANISATIONS", 2)
    forked = compute_year(YEAR).revision.aggregates, stored()
    # Workers compute their rows and their share of the means: the same as in one process.
    assert forked == in_process
    assert len(forked[1]) == len(rows)
    assert set(forked[0]["municipalities"]) == {str(m.pk) for m in municipalities}


def test_results_follow_their_revision_and_keep_their_organisation_and_municipality():
    from django.db.models import ProtectedError

    row = AssessmentInputFactory(year=YEAR)
    revision = compute_year(YEAR).revision
    # Django's on_delete holds whether or not the database checks the key too.
    with pytest.raises(ProtectedError) as refused:
        row.organisation.municipality.delete()
    assert RatingResult.objects.get() in refused.value.protected_objects
    row.delete()  # the inputs no longer hold the organisation; its result does
    with pytest.raises(ProtectedError) as refused:
        RatingResult.objects.get().organisation.delete()
    assert RatingResult.objects.get() in refused.value.protected_objects
    revision.delete()
    assert not RatingResult.objects.exists()


@pytest.mark.parametrize("column", ["organisation_id", "municipality_id"])
def test_the_database_refuses_a_result_whose_organisation_or_municipality_is_gone(column):
    AssessmentInputFactory(year=YEAR)
    compute_year(YEAR)
    with pytest.raises(IntegrityError), transaction.atomic():
        # A write that bypasses Django's on_delete, as raw SQL or a bulk update would.
        RatingResult.objects.update(**{column: 10**9})
        connection.check_constraints(table_names=[RatingResult._meta.db_table])


def test_names_with_tabs_backslashes_and_line_breaks_are_stored_as_they_are():
    """PostgreSQL receives results as COPY text, where these characters are escapes."""
    row = AssessmentInputFactory(
        year=YEAR,
        organisation__name="Школа\t№ 1\\2\nкорпус\r",
        organisation__short_name="",
        organisation__address="ул. \\N, 1",
    )
    compute_year(YEAR)
    result = result_of(row.organisation)
    assert (result.name, result.short_name, result.address) == (
        "Школа\t№ 1\\2\nкорпус\r",
        "",
        "ул. \\N, 1",
    )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="advisory locks are PostgreSQL's")
def test_a_year_lock_makes_writers_of_that_year_wait_and_no_other_year():
    lock_year(YEAR)  # inside this test's transaction, as inside a computation's
    other = connection.get_new_connection(connection.get_connection_params())
    try:
        other.autocommit = True
        with other.cursor() as cursor:
            take = "SELECT pg_try_advisory_xact_lock(%s, %s)"
            cursor.execute(take, [YEAR_LOCK_NAMESPACE, YEAR])
            assert cursor.fetchone()[0] is False
            cursor.execute(take, [YEAR_LOCK_NAMESPACE, YEAR + 1])
            assert cursor.fetchone()[0] is True
    finally:
        other.close()


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the second-connection count is used on PostgreSQL only",
)
# Committed data (another connection must see it), restored afterwards like the browser
# tests' fixtures: a plain flush would leave them without their content types.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_counting_on_a_second_connection_gives_the_same_results(monkeypatch):
    """A large year counts its responses on a second connection while the main one reads
    the registry."""
    campaign = CampaignFactory(year=YEAR, methodology_version="noko-2019")
    yes = {f"q{n}": True for n in range(1, 15)}
    schools = []
    for n in range(4):
        school = OrganisationFactory()
        AssessmentInputFactory(
            organisation=school, year=YEAR, survey_source=AssessmentInput.Source.SURVEY
        )
        make_responses(campaign, school, yes | {"q13": n % 2 == 0}, 10 + n)
        schools.append(school)

    def snapshot():
        return {
            r.organisation_id: (r.figures(), r.rank, r.respondents)
            for r in RatingResult.objects.filter(revision__status="draft")
        }

    compute_year(YEAR)
    in_one_connection = snapshot()
    started = []
    original = bulk_pg._CountingInBackground.__init__

    def spy(self, year):
        started.append(year)
        original(self, year)

    monkeypatch.setattr(bulk_pg._CountingInBackground, "__init__", spy)
    monkeypatch.setattr(bulk_pg, "PARALLEL_MIN_ORGANISATIONS", 1)
    compute_year(YEAR)
    assert started == [YEAR]
    assert snapshot() == in_one_connection
    assert {v[2] for v in in_one_connection.values()} == {10, 11, 12, 13}
