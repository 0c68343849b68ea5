"""The plan's services: pre-filling, drafting, the status flow and its checks, execution,
overdue measures on a frozen clock and the dashboard's figures."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accountability import plans
from accountability.models import Criterion, ImprovementPlan, PlanEvent, Shortcoming
from registry.models import Organisation
from registry.tests.factories import OrganisationFactory
from results.models import RatingResult

from .factories import ImprovementPlanFactory, PlanMeasureFactory, ShortcomingFactory
from .factories_plans import (
    TODAY,
    YEAR,
    approved_plan,
    coordinator_of,
    editor,
    fill,
    plan_in,
    region,
    staff_of,
)

pytestmark = pytest.mark.django_db
Status = ImprovementPlan.Status


@pytest.fixture
def world():
    world = region()
    world["staff"] = staff_of(world["school"])
    world["coordinator"] = coordinator_of(world["north"])
    world["editor"] = editor()
    return world


def test_a_plan_is_refused_before_the_year_is_final():
    school = OrganisationFactory()
    ShortcomingFactory(organisation=school, year=YEAR + 1)
    with pytest.raises(plans.PlanError, match="ещё не опубликованы"):
        plans.plan_for(school, YEAR + 1)
    assert not ImprovementPlan.objects.exists()


def test_a_plan_is_refused_for_an_organisation_not_assessed_that_year(world):
    outsider = OrganisationFactory(municipality=world["north"])
    assert not RatingResult.objects.filter(organisation=outsider).exists()
    with pytest.raises(plans.PlanError, match="не участвовала в оценке 2025 года"):
        plans.plan_for(outsider, YEAR)
    assert not ImprovementPlan.objects.exists()


def test_the_plan_is_pre_filled_from_the_published_shortcomings_by_criterion(world):
    school = world["school"]
    ShortcomingFactory(
        organisation=school,
        year=YEAR,
        text="Снят оператором",
        status=Shortcoming.Status.DISMISSED,
        dismiss_reason="Исправлено до публикации",
    )
    plan = plans.plan_for(school, YEAR, world["staff"])
    measures = list(plan.measures.all())
    assert [(m.criterion, m.shortcoming_text) for m in measures] == [
        (Criterion.OPENNESS, "На стенде нет режима работы"),
        (Criterion.ACCESSIBILITY, "Нет пандуса у входа"),
    ]
    assert all(m.shortcoming_id for m in measures)
    sections = plans.sections(measures)
    assert [len(section.items) for section in sections] == [1, 0, 1, 0, 0]
    assert sections[1].title.startswith("II.")
    assert plan.status == Status.DRAFT
    assert plan.events.get().action == PlanEvent.Action.CREATED
    # Asked again, the same plan: never a twin.
    assert plans.plan_for(school, YEAR) == plan
    assert ImprovementPlan.objects.count() == 1


def test_a_draft_is_saved_part_way_and_own_measures_are_added_and_removed(world):
    plan = plans.plan_for(world["school"], YEAR)
    first, second = plan.measures.all()
    plans.save_measures(
        plan,
        world["staff"],
        {first.pk: {"measure": "Разместить режим работы", "shortcoming_text": "Подменён"}},
    )
    first.refresh_from_db()
    assert first.measure == "Разместить режим работы"
    assert first.shortcoming_text == "На стенде нет режима работы"  # the published wording
    assert first.planned_date is None  # nothing required in a draft

    own = plans.add_measure(plan, world["staff"], Criterion.SATISFACTION)
    assert (own.criterion, own.shortcoming_id) == (Criterion.SATISFACTION, None)
    plans.save_measures(plan, world["staff"], {own.pk: {"shortcoming_text": "Свой недостаток"}})
    own.refresh_from_db()
    assert own.shortcoming_text == "Свой недостаток"

    # Only the organisation's own measures can go: every published shortcoming stays.
    plans.save_measures(plan, world["staff"], {}, removed=[own.pk, second.pk])
    assert list(plan.measures.values_list("pk", flat=True)) == [first.pk, second.pk]
    with pytest.raises(plans.PlanError):
        plans.add_measure(plan, world["staff"], 9)


def test_submission_names_each_missing_field_and_changes_nothing(world):
    plan = fill(plans.plan_for(world["school"], YEAR))
    first, second = plan.measures.all()
    second.planned_date = None
    second.responsible_name = ""
    second.save()
    with pytest.raises(plans.MeasureErrors) as refused:
        plans.save_and_submit(
            plan,
            world["staff"],
            {first.pk: {"measure": "Новая формулировка"}},
            today=TODAY,
        )
    assert refused.value.errors == {
        second.pk: {
            "planned_date": ["Укажите плановый срок реализации."],
            "responsible_name": ["Укажите фамилию, имя и отчество ответственного."],
        }
    }
    plan.refresh_from_db()
    first.refresh_from_db()
    assert plan.status == Status.DRAFT
    assert plan.submitted_at is None
    assert first.measure != "Новая формулировка"  # the typed draft was not half-written
    assert not plan.events.filter(action=PlanEvent.Action.SUBMITTED).exists()


def test_a_planned_date_in_the_past_and_an_empty_plan_are_refused(world):
    plan = fill(plans.plan_for(world["school"], YEAR), planned_date=TODAY - datetime.timedelta(1))
    with pytest.raises(plans.MeasureErrors) as refused:
        plans.submit(plan, world["staff"], today=TODAY)
    assert set(refused.value.errors[plan.measures.first().pk]) == {"planned_date"}
    empty = plans.plan_for(world["second"], YEAR)
    with pytest.raises(plans.PlanError, match="нет ни одного мероприятия"):
        plans.submit(empty, None, today=TODAY)


def test_return_needs_a_comment_and_the_returned_plan_is_edited_and_resubmitted(world):
    plan = fill(plans.plan_for(world["school"], YEAR))
    plans.submit(plan, world["staff"], today=TODAY)
    with pytest.raises(plans.PlanError, match="Напишите, что исправить"):
        plans.return_plan(plan, world["coordinator"], "  ")
    with pytest.raises(plans.PlanError, match="изменить его нельзя"):
        plans.save_measures(plan, world["staff"], {})
    plans.return_plan(plan, world["coordinator"], "Уточните сроки по пандусу")
    plan.refresh_from_db()
    assert (plan.status, plan.return_comment) == (Status.RETURNED, "Уточните сроки по пандусу")
    plans.save_measures(plan, world["staff"], {plan.measures.last().pk: {"measure": "Пандус"}})
    plans.submit(plan, world["staff"], today=TODAY)
    plans.approve(plan, world["coordinator"], "Начальник управления И. И. Иванов", today=TODAY)
    plan.refresh_from_db()
    assert plan.status == Status.APPROVED
    assert plan.approver_title == "Начальник управления И. И. Иванов"
    assert plan.return_comment == ""
    assert list(plan.events.order_by("pk").values_list("action", flat=True)) == [
        "created",
        "submitted",
        "returned",
        "submitted",
        "approved",
    ]


def test_only_the_founder_decides_and_never_on_an_unfinished_plan(world):
    plan = fill(plans.plan_for(world["school"], YEAR))
    with pytest.raises(plans.PlanError, match="уже не принимается"):
        plans.approve(plan, world["coordinator"], "Начальник", today=TODAY)
    plans.submit(plan, world["staff"], today=TODAY)
    south = coordinator_of(world["south"])
    for outsider in (south, world["editor"], world["staff"]):
        with pytest.raises(plans.PlanError, match="только учредитель"):
            plans.approve(plan, outsider, "Начальник", today=TODAY)
    with pytest.raises(plans.PlanError, match="Укажите, кто утверждает"):
        plans.approve(plan, world["coordinator"], "", today=TODAY)
    plan.refresh_from_db()
    assert plan.status == Status.SUBMITTED


def test_approval_checks_the_measures_again(world):
    plan = fill(plans.plan_for(world["school"], YEAR))
    plans.submit(plan, world["staff"], today=TODAY)
    # Changed behind the form's back (an admin edit): approval refuses it too.
    plan.measures.update(responsible_position="")
    with pytest.raises(plans.MeasureErrors):
        plans.approve(plan, world["coordinator"], "Начальник", today=TODAY)
    plan.refresh_from_db()
    assert plan.status == Status.SUBMITTED


def test_execution_is_reported_with_evidence_and_a_date_not_in_the_future(world):
    plan = approved_plan(world["school"], world["coordinator"], world["staff"])
    measure = plan.measures.first()
    with pytest.raises(plans.MeasureErrors) as refused:
        plans.report_execution(
            measure,
            world["staff"],
            done_text="",
            done_date=TODAY + datetime.timedelta(1),
            today=TODAY,
        )
    assert set(refused.value.errors[measure.pk]) == {"done_text", "done_date", "evidence_url"}
    plans.report_execution(
        measure,
        world["staff"],
        done_text="Зона отдыха оборудована",
        done_date=TODAY,
        evidence_file=SimpleUploadedFile("акт.pdf", b"%PDF-1.4 test"),
        today=TODAY,
    )
    measure.refresh_from_db()
    assert measure.is_done
    assert measure.evidence_file.name.startswith("plan_evidence/")
    assert measure.evidence_file.name.endswith(".pdf")
    assert plans.share_done(plan) == 50
    event = plan.events.filter(action=PlanEvent.Action.REPORTED).get()
    assert "Зона отдыха оборудована" in event.comment
    # A correction replaces the report (and keeps the file); both reports are in the history.
    plans.report_execution(
        measure,
        world["staff"],
        done_text="Зона отдыха оборудована, мебель закуплена",
        done_date=TODAY,
        today=TODAY,
    )
    assert plan.events.filter(action=PlanEvent.Action.REPORTED).count() == 2
    measure.refresh_from_db()
    assert measure.evidence_file


def test_execution_is_refused_before_approval(world):
    plan = plan_in(Status.SUBMITTED, world["school"])
    with pytest.raises(plans.PlanError, match="только по утверждённому"):
        plans.report_execution(
            plan.measures.get(),
            world["staff"],
            done_text="Сделано",
            done_date=TODAY,
            evidence_url="https://school.example/news/1",
            today=TODAY,
        )


def test_overdue_measures_on_a_frozen_clock(world):
    plan = approved_plan(world["school"], world["coordinator"], world["staff"], measures=2)
    first, second = plan.measures.all()
    assert first.planned_date == datetime.date(2026, 6, 1)
    on_time, late = datetime.date(2026, 6, 1), datetime.date(2026, 6, 2)
    assert plans.overdue_measures(plan, today=on_time) == []
    assert plans.overdue_measures(plan, today=late) == [first, second]
    assert plans.measure_status(first, today=late) == "overdue"
    plans.report_execution(
        first,
        world["staff"],
        done_text="Сделано",
        done_date=late,
        evidence_url="https://school.example/news/1",
        today=late,
    )
    first.refresh_from_db()
    assert plans.overdue_measures(plan, today=late) == [second]
    assert plans.measure_status(first, today=late) == "done"
    assert plans.measure_status(second, today=on_time) == "planned"
    # A draft's dates are not "overdue": it is not a plan yet.
    draft = plan_in(Status.DRAFT, world["second"], planned_date=datetime.date(2026, 1, 1))
    assert plans.overdue_measures(draft, today=late) == []


def test_share_done_is_none_without_measures_and_100_only_when_all_are_done(world):
    assert plans.share_done(ImprovementPlanFactory(organisation=world["second"])) is None
    plan = approved_plan(world["school"], world["coordinator"], world["staff"], measures=3)
    for measure in list(plan.measures.all())[:2]:
        measure.done_text, measure.done_date = "Сделано", TODAY
        measure.save()
    assert plans.share_done(plan) == 66


def test_plan_stats_count_each_status_over_the_assessed_organisations(world):
    approved = approved_plan(world["school"], world["coordinator"], world["staff"], measures=2)
    done = approved.measures.first()
    done.done_text, done.done_date = "Сделано", TODAY
    done.save()
    plan_in(Status.SUBMITTED, world["college"])
    plan_in(Status.DRAFT, world["southern"])
    OrganisationFactory(municipality=world["north"])  # not assessed: not counted
    later = datetime.date(2026, 7, 1)

    in_north = Organisation.objects.filter(municipality=world["north"])
    north = plans.plan_stats(YEAR, in_north, today=later)
    assert {row.organisation for row in north["rows"]} == {
        world["school"],
        world["second"],
        world["college"],
    }
    assert north["by_status"] == {
        "missing": 1,
        "draft": 0,
        "submitted": 1,
        "returned": 0,
        "approved": 1,
    }
    assert (north["measures"], north["done"], north["overdue"], north["share_done"]) == (
        2,
        1,
        1,
        50,
    )
    everyone = plans.plan_stats(YEAR, Organisation.objects.all(), today=later)
    assert len(everyone["rows"]) == 4
    assert everyone["by_status"]["draft"] == 1


def test_published_plan_is_the_approved_one_only(world):
    plan_in(Status.SUBMITTED, world["second"])
    assert plans.published_plan(world["second"], YEAR) is None
    approved = approved_plan(world["school"], world["coordinator"], world["staff"])
    assert plans.published_plan(world["school"], YEAR) == approved
    assert list(plans.public_plans(YEAR)) == [approved]


def test_measure_factory_defaults_fit_the_frozen_clock():
    # The shared factory's planned date lies after TODAY: approved_plan relies on it.
    assert PlanMeasureFactory.planned_date > TODAY
