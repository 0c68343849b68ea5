"""Each category on a frozen day: sent once to the right people, never again the same day,
never to deactivated users, staff without an address or staff of other organisations."""

import pytest
from django.core import mail

from accountability.models import ImprovementPlan, Objection
from accountability.tests.factories import ObjectionFactory, PlanMeasureFactory
from monitoring.models import Checklist
from monitoring.tests.factories import ChecklistTemplateFactory
from notifications.models import Category, SentNotification
from notifications.services import send_due
from registry.tests.factories import MunicipalityFactory
from surveys.models import OrganisedSession
from surveys.tests.factories import OrganisedSessionFactory

from .factories import TODAY, closed_campaign, days, moment, open_campaign, school, staff_of

pytestmark = pytest.mark.django_db


def addresses():
    return sorted(address for message in mail.outbox for address in message.to)


def keys():
    return sorted(SentNotification.objects.values_list("key", flat=True))


@pytest.fixture
def world():
    """School A (one active member with an address, one deactivated, one without an address),
    school B in another municipality with one member."""
    a = school(listed_in=2026)
    b = school(listed_in=2026)
    people = {
        "a": staff_of(a, "a-staff"),
        "a_gone": staff_of(a, "a-gone", is_active=False),
        "a_silent": staff_of(a, "a-silent", email=False),
        "b": staff_of(b, "b-staff"),
    }
    return a, b, people


def self_assessment(organisation, status, year=2026):
    return Checklist.objects.create(
        organisation=organisation,
        template=ChecklistTemplateFactory(year=year),
        source=Checklist.Source.SELF,
        status=status,
    )


# --- Report deadline ---------------------------------------------------------------------------


def test_the_deadline_reminder_goes_once_to_active_staff_of_schools_that_have_not_submitted(
    world,
):
    a, b, people = world
    closed_campaign(report_deadline=TODAY + days(7))
    self_assessment(a, Checklist.Status.DRAFT)
    self_assessment(b, Checklist.Status.SUBMITTED)
    not_listed = school()
    staff_of(not_listed, "not-listed")

    report = send_due(TODAY)

    assert report.sent == 1
    assert addresses() == [people["a"].email]
    assert keys() == [f"deadline:2026:7:{a.pk}"]
    assert "20" in mail.outbox[0].subject or "2026" in mail.outbox[0].subject
    assert "дней до срока: 7" in mail.outbox[0].body

    mail.outbox.clear()
    again = send_due(TODAY)
    assert mail.outbox == []
    assert again.sent == 0 and again.already == 1


def test_the_next_threshold_sends_again_but_days_inside_a_window_do_not(world):
    a, b, people = world
    deadline = TODAY + days(7)
    closed_campaign(report_deadline=deadline)
    self_assessment(b, Checklist.Status.SUBMITTED)

    send_due(TODAY)
    send_due(TODAY + days(1))  # six days left: still the seven-day window
    assert len(mail.outbox) == 1
    send_due(deadline - days(3))
    send_due(deadline - days(1))
    send_due(deadline)  # the last day: still the one-day window
    assert keys() == sorted(
        [f"deadline:2026:7:{a.pk}", f"deadline:2026:3:{a.pk}", f"deadline:2026:1:{a.pk}"]
    )
    assert addresses() == [people["a"].email] * 3


def test_a_missed_day_sends_that_thresholds_reminder_late_rather_than_never(world):
    a, b, _people = world
    closed_campaign(report_deadline=TODAY + days(5))
    self_assessment(b, Checklist.Status.SUBMITTED)
    send_due(TODAY)
    assert keys() == [f"deadline:2026:7:{a.pk}"]
    assert "дней до срока: 5" in mail.outbox[0].body


def test_the_passed_deadline_is_announced_once_from_the_day_after(world):
    a, b, people = world
    closed_campaign(report_deadline=TODAY - days(1))
    self_assessment(b, Checklist.Status.ACCEPTED)

    send_due(TODAY)
    send_due(TODAY + days(1))

    assert keys() == [f"deadline:2026:passed:{a.pk}"]
    assert addresses() == [people["a"].email]
    assert "прошёл" in mail.outbox[0].subject


def test_a_returned_self_assessment_still_counts_as_not_submitted(world):
    a, b, _people = world
    closed_campaign(report_deadline=TODAY + days(3))
    self_assessment(a, Checklist.Status.RETURNED)
    self_assessment(b, Checklist.Status.SUBMITTED)
    send_due(TODAY)
    assert keys() == [f"deadline:2026:3:{a.pk}"]


# --- Coverage -------------------------------------------------------------------------------


def test_coverage_below_target_is_reported_to_the_schools_staff_days_before_closing(world):
    a, b, people = world
    b.contingent_parents = b.contingent_students = 0  # nothing to cover
    b.save()
    campaign = open_campaign(last_day=TODAY + days(7))

    send_due(TODAY)
    send_due(TODAY)

    assert keys() == [f"coverage:{campaign.pk}:7:{a.pk}"]
    assert addresses() == [people["a"].email]
    body = mail.outbox[0].body
    assert "0 из 400" in body and "цель 50 %" in body


def test_no_coverage_reminder_outside_the_days_before_closing(world):
    open_campaign(last_day=TODAY + days(30))
    send_due(TODAY)
    assert mail.outbox == []


# --- Returned checklist -----------------------------------------------------------------------


def test_a_returned_checklist_is_announced_once_per_return_with_the_comment_escaped(world):
    a, _b, people = world
    checklist = self_assessment(a, Checklist.Status.RETURNED)
    checklist.return_comment = "Нет фото пандуса <script>alert(1)</script>"
    checklist.reviewed_at = moment(TODAY - days(1))
    checklist.save()

    send_due(TODAY)
    send_due(TODAY)
    assert addresses() == [people["a"].email]
    message = mail.outbox[0]
    assert "Нет фото пандуса <script>" in message.body  # plain text is not HTML-escaped
    html = message.alternatives[0].content
    assert "<script>" not in html and "&lt;script&gt;" in html

    # Returned a second time, after the school resubmitted: a second message.
    checklist.reviewed_at = moment(TODAY + days(2))
    checklist.save()
    send_due(TODAY + days(2))
    assert len(mail.outbox) == 2


def test_an_old_return_is_not_announced_by_a_first_run(world):
    a, _b, _people = world
    checklist = self_assessment(a, Checklist.Status.RETURNED)
    checklist.reviewed_at = moment(TODAY - days(60))
    checklist.save()
    send_due(TODAY)
    assert mail.outbox == []


# --- Objection answered -----------------------------------------------------------------------


def test_an_answered_objection_goes_once_to_its_schools_staff_only(world):
    a, b, people = world
    decided = ObjectionFactory(
        organisation=a,
        status=Objection.Status.REJECTED,
        answer="Фотографии не подтверждают наличие стенда.",
        decided_at=moment(TODAY),
    )
    ObjectionFactory(organisation=b)  # still filed

    send_due(TODAY)
    send_due(TODAY)

    assert keys() == [f"objection:{decided.pk}"]
    assert addresses() == [people["a"].email]
    assert "отклонено" in mail.outbox[0].subject
    assert "Фотографии не подтверждают" in mail.outbox[0].body


# --- Plan measures ----------------------------------------------------------------------------


def approved_measure(organisation, planned_date, **fields):
    measure = PlanMeasureFactory(
        plan__organisation=organisation, planned_date=planned_date, **fields
    )
    measure.plan.status = ImprovementPlan.Status.APPROVED
    measure.plan.save()
    return measure


def test_measures_due_soon_are_reminded_once_per_threshold(world):
    a, _b, people = world
    measure = approved_measure(a, TODAY + days(3))
    draft = PlanMeasureFactory(plan__organisation=a, plan__year=2024, planned_date=TODAY + days(3))
    assert draft.plan.status == ImprovementPlan.Status.DRAFT

    send_due(TODAY)
    send_due(TODAY)

    assert keys() == [f"plan-due:{measure.plan.pk}:{measure.planned_date:%Y%m%d}:3"]
    assert addresses() == [people["a"].email]
    assert measure.measure in mail.outbox[0].body


def test_overdue_measures_come_in_one_digest_per_plan_and_week(world):
    _a, b, people = world
    first = approved_measure(b, TODAY - days(10))
    PlanMeasureFactory(plan=first.plan, planned_date=TODAY - days(2), measure="Второе мероприятие")
    PlanMeasureFactory(
        plan=first.plan,
        planned_date=TODAY - days(5),
        measure="Выполненное мероприятие",
        done_date=TODAY - days(6),
        done_text="Сделано",
    )

    send_due(TODAY)  # a Friday
    send_due(TODAY + days(1))  # the same ISO week
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert first.measure in body and "Второе мероприятие" in body
    assert "Выполненное мероприятие" not in body
    assert addresses() == [people["b"].email]

    send_due(TODAY + days(3))  # Monday: a new week
    assert len(mail.outbox) == 2


# --- Organised session order ------------------------------------------------------------------


def test_a_pending_sessions_order_is_forwarded_to_the_municipalitys_expert_attached():
    north = MunicipalityFactory(expert_email="expert@north.example.ru")
    a = school(north)
    staff_of(a)
    session = OrganisedSessionFactory(
        organisation=a,
        campaign=open_campaign(last_day=TODAY + days(30)),
        starts_at=moment(TODAY + days(2), 10),
        ends_at=moment(TODAY + days(2), 11),
    )
    OrganisedSessionFactory(
        organisation=a,
        campaign=session.campaign,
        status=OrganisedSession.Status.APPROVED,
        starts_at=moment(TODAY + days(3), 10),
        ends_at=moment(TODAY + days(3), 11),
    )
    without_expert = school(MunicipalityFactory())
    OrganisedSessionFactory(
        organisation=without_expert,
        campaign=session.campaign,
        starts_at=moment(TODAY + days(2), 10),
        ends_at=moment(TODAY + days(2), 11),
    )

    send_due(TODAY)
    send_due(TODAY)

    sent = [m for m in mail.outbox if m.to == ["expert@north.example.ru"]]
    assert len(sent) == 1
    ((filename, content, mimetype),) = sent[0].attachments
    assert filename == f"prikaz-{a.code}-{TODAY + days(2):%Y%m%d}.pdf"
    assert content == b"%PDF-1.4\n%%EOF"
    assert mimetype == "application/pdf"
    row = SentNotification.objects.get(key=f"session:{session.pk}")
    assert row.user is None and row.category == Category.SESSION_ORDER
