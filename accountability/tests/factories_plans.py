"""Fixtures of the improvement plans' tests: a published year, people in each role, plans in
each status."""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from accountability import plans
from accountability.models import Criterion, ImprovementPlan
from core.permissions import editors_group
from registry.models import Organisation
from registry.tests.factories import MunicipalityFactory, OrganisationFactory
from results.services import compute_year, publish_year
from results.tests.factories import AssessmentInputFactory
from schools.provisioning import add_staff_member, ensure_coordinator_group

from .factories import ImprovementPlanFactory, PlanMeasureFactory, ShortcomingFactory

YEAR = 2025
PASSWORD = "пароль-для-теста-1"
# The frozen "today" of the tests: after the year's publication, before the planned dates.
TODAY = datetime.date(2026, 3, 1)


def publish(year, organisations):
    """Compute and publish ``year`` for ``organisations`` (the year becomes final)."""
    for organisation in organisations:
        AssessmentInputFactory(year=year, organisation=organisation)
    compute_year(year)
    publish_year(year)


def user(username, **extra):
    return get_user_model().objects.create_user(username, password=PASSWORD, **extra)


def staff_of(organisation, username=None):
    person = user(username or f"staff-{organisation.code}")
    add_staff_member(organisation, person)
    return person


def coordinator_of(municipality, username=None):
    person = user(username or f"coordinator-{municipality.slug}", is_staff=True)
    person.groups.add(ensure_coordinator_group(municipality))
    return person


def editor(username="editor"):
    person = user(username, is_staff=True)
    person.groups.add(editors_group())
    return person


def region():
    """Two municipalities; in the north a municipal school with two shortcomings, a second
    municipal school and a regional college; in the south a municipal school. All assessed
    and published in YEAR; the shortcomings are the operator's kept ones."""
    north = MunicipalityFactory(name="Северный район", slug="north")
    south = MunicipalityFactory(name="Южный район", slug="south")
    school = OrganisationFactory(municipality=north, short_name="Школа № 1", code="1000000001")
    second = OrganisationFactory(municipality=north, short_name="Школа № 2", code="1000000002")
    college = OrganisationFactory(
        municipality=north,
        short_name="Колледж",
        code="1000000003",
        kind=Organisation.Kind.COLLEGE,
        founder=Organisation.Founder.REGIONAL,
    )
    southern = OrganisationFactory(municipality=south, short_name="Школа № 9", code="1000000009")
    ShortcomingFactory(
        organisation=school,
        year=YEAR,
        criterion=Criterion.OPENNESS,
        indicator="1.1",
        text="На стенде нет режима работы",
    )
    ShortcomingFactory(
        organisation=school,
        year=YEAR,
        criterion=Criterion.ACCESSIBILITY,
        indicator="3.1",
        text="Нет пандуса у входа",
    )
    publish(YEAR, [school, second, college, southern])
    return {
        "north": north,
        "south": south,
        "school": school,
        "second": second,
        "college": college,
        "southern": southern,
    }


def fill(plan, planned_date=datetime.date(2026, 9, 1), **values):
    """Every measure of ``plan`` completed (columns 2–4)."""
    for measure in plan.measures.all():
        measure.measure = values.get("measure", f"Устранить: {measure.shortcoming_text}")
        measure.planned_date = planned_date
        measure.responsible_name = values.get("responsible_name", "Петров Пётр Петрович")
        measure.responsible_position = values.get("responsible_position", "заместитель директора")
        measure.save()
    return plan


def approved_plan(organisation, approver, submitter, year=YEAR, measures=2, today=TODAY, **kwargs):
    """A plan taken through submission and approval by the services."""
    plan = ImprovementPlanFactory(organisation=organisation, year=year)
    for position in range(measures):
        PlanMeasureFactory(plan=plan, position=position, **kwargs)
    plans.submit(plan, submitter, today=today)
    plans.approve(plan, approver, "Начальник управления образования И. И. Иванов", today=today)
    plan.refresh_from_db()
    return plan


def plan_in(status, organisation, year=YEAR, submitted_by=None, **measure):
    """A plan put straight into ``status`` with one measure (``measure``: its fields)."""
    plan = ImprovementPlanFactory(
        organisation=organisation, year=year, status=status, submitted_by=submitted_by
    )
    # Dates ahead of the real clock: the views' checks use it.
    measure.setdefault("planned_date", timezone.localdate() + datetime.timedelta(days=180))
    PlanMeasureFactory(plan=plan, **measure)
    return plan


Status = ImprovementPlan.Status
