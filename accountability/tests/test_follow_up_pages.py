"""The cycle after the numbers where people meet it: the organisation's public page and the
cabinet's «После оценки» section."""

import datetime

import pytest
from django.utils import timezone

from accountability import plans, preliminary
from accountability.models import Criterion, ImprovementPlan
from accountability.tests.factories import ManagementDecisionFactory, ShortcomingFactory
from accountability.tests.factories_plans import (
    YEAR,
    approved_plan,
    coordinator_of,
    editor,
    plan_in,
    region,
    staff_of,
)
from accountability.tests.factories_preliminary import region as draft_region
from registry.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def page_of(client, organisation):
    response = client.get(organisation.page.url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_organisation_page_shows_shortcomings_the_approved_plan_and_decisions(client):
    people = region()
    school = people["school"]
    staff = staff_of(school)
    coordinator = coordinator_of(people["north"])
    plan = approved_plan(
        school,
        coordinator,
        staff,
        measures=2,
        today=timezone.localdate(),
        planned_date=timezone.localdate() + datetime.timedelta(days=90),
    )
    first, _second = plan.measures.all()
    plans.report_execution(
        first,
        staff,
        done_text="Режим работы размещён на стенде",
        done_date=timezone.localdate(),
        evidence_url="https://school.example/stand",
    )
    ManagementDecisionFactory(year=YEAR, title="О поощрении школ").organisations.add(school)

    page = page_of(client, school)

    assert "Недостатки, выявленные в ходе оценки 2025 года" in page
    assert "На стенде нет режима работы" in page
    assert "Нет пандуса у входа" in page
    assert "III. Доступность услуг для инвалидов" in page
    assert "План устранения недостатков по итогам оценки 2025 года" in page
    assert "50 %" in page  # one of two measures done
    assert "О поощрении школ" in page
    assert f"/year/{YEAR}/organisation/{school.code}/" in page


def test_a_plan_not_yet_approved_and_a_dismissed_shortcoming_stay_off_the_page(client):
    people = region()
    school = people["school"]
    ShortcomingFactory(
        organisation=school,
        year=YEAR,
        criterion=Criterion.COMFORT,
        text="Снятый оператором недостаток",
        status="dismissed",
        dismiss_reason="Устранён до публикации",
    )
    plan_in(ImprovementPlan.Status.SUBMITTED, school, measure="Черновое мероприятие плана")

    page = page_of(client, school)

    assert "На стенде нет режима работы" in page
    assert "Снятый оператором недостаток" not in page
    assert "Черновое мероприятие плана" not in page
    assert "План устранения недостатков ещё не утверждён учредителем" in page


def test_shortcomings_of_a_year_still_in_draft_never_reach_the_page(client):
    people = draft_region()
    ShortcomingFactory(organisation=people.school, year=YEAR, text="Предварительный недостаток")

    page = page_of(client, people.school)

    assert "Предварительный недостаток" not in page
    assert "Недостатки, выявленные" not in page


def test_the_cabinet_lists_the_open_stage_and_only_the_organisations_own_figures(client):
    people = draft_region()
    stage = preliminary.open_stage(YEAR, people.editor)
    client.force_login(people.staff)

    page = client.get("/cabinet/").content.decode()

    assert "После оценки" in page
    assert "Предварительные результаты 2025 года" in page
    assert f"{stage.objections_until:%d}" in page
    assert "/cabinet/preliminary/" in page

    # A school without a result in the draft is told nothing about the stage.
    outsider = OrganisationFactory()
    client.force_login(staff_of(outsider, "outsider"))
    assert "Предварительные результаты 2025" not in client.get("/cabinet/").content.decode()


def test_the_cabinet_shows_the_plan_status_and_overdue_measures(client):
    people = region()
    school = people["school"]
    staff = staff_of(school)
    coordinator = coordinator_of(people["north"])
    long_ago = timezone.localdate() - datetime.timedelta(days=400)
    approved_plan(
        school,
        coordinator,
        staff,
        measures=1,
        today=long_ago,
        planned_date=long_ago + datetime.timedelta(days=30),
    )
    client.force_login(staff)

    page = client.get("/cabinet/").content.decode()

    assert f"/cabinet/plan/{YEAR}/" in page
    assert "утверждён" in page
    assert "просрочено мероприятий: 1" in page

    client.force_login(editor())
    assert client.get("/cabinet/").status_code in (302, 403)
