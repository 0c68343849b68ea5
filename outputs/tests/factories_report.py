"""A published year of schools in two municipalities for the operator's report: thirteen
schools (twelve rated, one without enough answers), a closed campaign with some answers,
and kept, dismissed and stale shortcomings; the next year computed but left in draft."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from accountability.models import Criterion, Shortcoming
from accountability.tests.factories import ShortcomingFactory
from registry.tests.factories import MunicipalityFactory, OrganisationFactory
from results.engine import SURVEY_FIELDS
from results.services import compute_year, publish_year
from results.tests.factories import AssessmentInputFactory
from surveys.models import Audience, Response
from surveys.tests.factories import CampaignFactory, ResponseFactory, kind_questionnaire

YEAR = 2025
DRAFT_YEAR = 2026
KIND = "school"
# «Отсутствует …» derived from a questionnaire question below the threshold: same key
# across the organisations that have it.
SURVEY_SHORTCOMING = "Удовлетворённость комфортностью условий ниже порога"
CHECKLIST_SHORTCOMING = "На стенде нет режима работы"


@dataclass
class ReportYear:
    north: object
    south: object
    schools: list  # rated ones, in creation order
    unrated: object


def _moment(month, day):
    return timezone.make_aware(datetime.datetime(YEAR, month, day, 9, 0))


def report_year():
    north = MunicipalityFactory(name="Северный район", slug="north")
    south = MunicipalityFactory(name="Южный район", slug="south")
    schools = []
    for index in range(12):
        school = OrganisationFactory(
            municipality=north if index < 6 else south,
            short_name=f"Школа № {index + 1}",
            code=f"20000000{index:02d}",
        )
        # Different «готовы рекомендовать» and comfort conditions: different totals.
        AssessmentInputFactory(
            year=YEAR,
            organisation=school,
            values={"recommend": 80 + 9 * index, "comfort_conditions": 1 + index % 5},
        )
        schools.append(school)
    unrated = OrganisationFactory(municipality=north, short_name="Школа № 99", code="2000000099")
    AssessmentInputFactory(
        year=YEAR,
        organisation=unrated,
        values=dict.fromkeys(SURVEY_FIELDS, 3),
    )
    campaign = CampaignFactory(
        year=YEAR,
        kinds=[KIND],
        opens_at=_moment(9, 1),
        closes_at=_moment(10, 31),
        methodology_version="noko-2019",
    )
    for organisation, audience, count, status in (
        (schools[0], Audience.PARENTS, 3, Response.Status.ACCEPTED),
        (schools[0], Audience.STUDENTS, 2, Response.Status.ACCEPTED),
        (schools[0], Audience.PARENTS, 4, Response.Status.FLAGGED),
        (schools[6], Audience.PARENTS, 1, Response.Status.ACCEPTED),
    ):
        for _n in range(count):
            ResponseFactory(
                campaign=campaign,
                organisation=organisation,
                audience=audience,
                questionnaire=kind_questionnaire(KIND, audience),
                status=status,
            )
    for school in schools[:3]:
        ShortcomingFactory(
            organisation=school,
            year=YEAR,
            criterion=Criterion.COMFORT,
            indicator="2.3",
            source=Shortcoming.Source.SURVEY,
            source_key="q:q5",
            text=SURVEY_SHORTCOMING,
        )
    for school in (schools[0], schools[7]):
        ShortcomingFactory(
            organisation=school,
            year=YEAR,
            criterion=Criterion.OPENNESS,
            indicator="1.1",
            source=Shortcoming.Source.CHECKLIST,
            source_key="item:1",
            text=CHECKLIST_SHORTCOMING,
        )
    # Not kept, of another year, or of an organisation outside the assessment: not counted.
    ShortcomingFactory(
        organisation=schools[4], year=YEAR, status=Shortcoming.Status.DISMISSED, text="Снят"
    )
    ShortcomingFactory(organisation=schools[5], year=YEAR, stale=True, text="Устарел")
    ShortcomingFactory(organisation=schools[8], year=YEAR - 1, text="Прошлый год")
    compute_year(YEAR)
    publish_year(YEAR)
    # The next year computed for the same schools, never published.
    AssessmentInputFactory(year=DRAFT_YEAR, organisation=schools[0])
    compute_year(DRAFT_YEAR)
    return ReportYear(north=north, south=south, schools=schools, unrated=unrated)
