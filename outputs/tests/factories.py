"""Fixtures of the outputs' tests: a published year with identifiers, shortcomings, plans and
objections, and people in each role."""

import datetime

from django.utils import timezone

from accountability.models import Criterion, ImprovementPlan, Objection, Shortcoming
from accountability.tests.factories import (
    ImprovementPlanFactory,
    ObjectionFactory,
    PlanMeasureFactory,
    ShortcomingFactory,
)
from accountability.tests.factories_plans import coordinator_of, editor, publish, staff_of
from registry.models import Organisation
from registry.tests.factories import MunicipalityFactory, OrganisationFactory

YEAR = 2025
# The frozen "today" of the tests: one measure done, one past its planned date.
TODAY = datetime.date(2026, 6, 15)
HOSTILE_NAME = '=HYPERLINK("http://evil.example","Школа")'

__all__ = [
    "HOSTILE_NAME",
    "TODAY",
    "YEAR",
    "coordinator_of",
    "editor",
    "published_year",
    "staff_of",
]


def published_year():
    """YEAR published for two schools and a kindergarten of one municipality.

    - ``school``: ИНН, КПП, ОГРН and a bus.gov.ru card; two kept shortcomings (criteria I and
      III; one with a control character and a formula-like start), one dismissed and one no
      longer shown by the evidence; an approved plan with a measure done and one overdue on
      TODAY; an objection already rejected.
    - ``bare``: a hostile name, no identifiers, a plan still in draft, an objection filed
      and not decided.
    - ``kindergarten``: another kind, with identifiers and no plan.
    """
    municipality = MunicipalityFactory(name="Северный район", slug="north")
    school = OrganisationFactory(
        municipality=municipality,
        code="1000000001",
        name="МБОУ «Средняя школа № 1»",
        short_name="Школа № 1",
        inn="7707083893",
        kpp="770701001",
        ogrn="1027700132195",
        busgov_url="https://bus.gov.ru/info-card/1000000001",
    )
    bare = OrganisationFactory(
        municipality=municipality, code="1000000002", name=HOSTILE_NAME, short_name="Школа № 2"
    )
    kindergarten = OrganisationFactory(
        municipality=municipality,
        code="1000000003",
        name="МБДОУ «Детский сад № 3»",
        kind=Organisation.Kind.PRESCHOOL,
        contingent_students=0,
        inn="7736050003",
        kpp="773601001",
        ogrn="1027739049689",
    )
    publish(YEAR, [school, bare, kindergarten])

    kept = [
        ShortcomingFactory(
            organisation=school,
            year=YEAR,
            criterion=Criterion.OPENNESS,
            indicator="1.1",
            text="На стенде нет режима работы\x07",
        ),
        ShortcomingFactory(
            organisation=school,
            year=YEAR,
            criterion=Criterion.ACCESSIBILITY,
            indicator="3.1",
            text="-Нет пандуса у входа",
        ),
    ]
    ShortcomingFactory(
        organisation=school,
        year=YEAR,
        criterion=Criterion.COMFORT,
        indicator="2.1",
        text="Снятый оператором недостаток",
        status=Shortcoming.Status.DISMISSED,
    )
    ShortcomingFactory(
        organisation=school,
        year=YEAR,
        criterion=Criterion.COMFORT,
        indicator="2.3",
        text="Больше не подтверждается",
        stale=True,
    )

    plan = ImprovementPlanFactory(
        organisation=school,
        year=YEAR,
        status=ImprovementPlan.Status.APPROVED,
        approved_at=timezone.make_aware(datetime.datetime(2026, 2, 10, 12, 0)),
        approver_title="Начальник управления образования И. И. Иванов",
    )
    done = PlanMeasureFactory(
        plan=plan,
        criterion=Criterion.OPENNESS,
        position=0,
        shortcoming_text="На стенде нет режима работы",
        measure="Разместить режим работы на стенде",
        planned_date=datetime.date(2026, 3, 1),
        responsible_name="Петров Пётр Петрович",
        responsible_position="заместитель директора",
        done_text="Режим работы размещён",
        done_date=datetime.date(2026, 2, 25),
    )
    overdue = PlanMeasureFactory(
        plan=plan,
        criterion=Criterion.ACCESSIBILITY,
        position=1,
        shortcoming_text="Нет пандуса у входа",
        measure="=Установить пандус",
        planned_date=datetime.date(2026, 5, 1),
        responsible_name="Сидоров Сидор Сидорович",
        responsible_position="завхоз",
    )
    draft = ImprovementPlanFactory(organisation=bare, year=YEAR)
    PlanMeasureFactory(plan=draft, measure="Черновое мероприятие")

    # After publication: while objections wait, a year cannot be published.
    rejected = ObjectionFactory(
        organisation=school,
        stage__year=YEAR,
        status=Objection.Status.REJECTED,
        answer="Оснований нет.",
    )
    filed = ObjectionFactory(organisation=bare, stage=rejected.stage, indicator="2.1")
    return {
        "municipality": municipality,
        "school": school,
        "bare": bare,
        "kindergarten": kindergarten,
        "kept": kept,
        "plan": plan,
        "done": done,
        "overdue": overdue,
        "draft": draft,
        "filed": filed,
    }
