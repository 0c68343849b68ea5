"""What is due for whom on a given day: one function per category, each a pure reading of the
domains for ``today`` (tests pass a frozen date), returning ``Message`` objects that
``services.send_due`` renders and sends.

A message's key names everything that makes it one message: the organisation, the event, and
where a category repeats, the period (the threshold of a deadline, the week of an overdue
digest). The log holds a key once per address, so each rule may say «due» again on a later
day without anyone hearing twice. Thresholds are windows, not single days: a server down on
the seventh day before the deadline sends the seven-day reminder on the sixth, never two
reminders at once.

Recipients:

- an organisation's staff: the active users of ``Organisation.staff_group`` with an e-mail;
- the municipality's technical expert (``Municipality.expert_email``): an address, no user.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from accountability.models import ImprovementPlan, Objection, PlanMeasure
from accountability.plans import is_overdue
from monitoring.models import Checklist
from registry.assessment import assessed
from registry.models import Organisation
from surveys.counts import report_deadline
from surveys.coverage import coverage_report
from surveys.models import Campaign, OrganisedSession

from .models import Category

PASSED = "passed"


@dataclass(frozen=True)
class Recipient:
    email: str
    user: object = None  # the User behind the address; None for an address-only recipient


@dataclass
class Message:
    category: str
    key: str
    recipients: list
    context: dict
    # (file name, FieldFile, MIME type): read only when the message is actually sent.
    attachments: list = field(default_factory=list)


def absolute_url(path):
    """``path`` on the portal's public address: e-mail has no request to build it from."""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def threshold_reached(days_left, thresholds):
    """The threshold whose window holds ``days_left`` (the smallest one not below it), or None
    outside every window: with (7, 3, 1), days 7–4 answer 7, days 3–2 answer 3, 1–0 answer 1."""
    candidates = [days for days in thresholds if days >= days_left]
    return min(candidates) if days_left >= 0 and candidates else None


def recent(moment, today):
    """Whether an event at ``moment`` (a datetime) is within NOTIFICATIONS_EVENT_DAYS of today."""
    day = timezone.localdate(moment)
    return today - datetime.timedelta(days=settings.NOTIFICATIONS_EVENT_DAYS) <= day <= today


def since_recent(today):
    """The earliest moment ``recent`` can accept, to narrow the query: a region's years of
    returned checklists and decided objections need not be read every morning."""
    first_day = today - datetime.timedelta(days=settings.NOTIFICATIONS_EVENT_DAYS + 1)
    return timezone.make_aware(datetime.datetime.combine(first_day, datetime.time.min))


def staff_recipients(organisation_ids):
    """{organisation id: [Recipient]} of the active staff with an e-mail, in one query."""
    memberships = (
        get_user_model()
        .groups.through.objects.filter(
            group__organisation__pk__in=list(organisation_ids),
            user__is_active=True,
        )
        .exclude(user__email="")
        .values_list("group__organisation__pk", "user")
    )
    users = get_user_model().objects.in_bulk({user_id for _org, user_id in memberships})
    recipients = defaultdict(list)
    for organisation_id, user_id in memberships:
        user = users[user_id]
        recipients[organisation_id].append(Recipient(user.email, user))
    for people in recipients.values():
        people.sort(key=lambda recipient: recipient.email)
    return recipients


def to_staff(category, items, today):
    """Messages for (organisation, key, context) triples, each to the organisation's staff;
    an organisation without staff with an e-mail gets none."""
    items = list(items)
    staff = staff_recipients({organisation.pk for organisation, _key, _context in items})
    return [
        Message(
            category,
            key,
            staff[organisation.pk],
            {"organisation": organisation, "today": today, **context},
        )
        for organisation, key, context in items
        if staff.get(organisation.pk)
    ]


# --- Categories -------------------------------------------------------------------------------


def deadline_messages(today):
    """Report deadline approaching (REMINDER_DAYS_BEFORE_DEADLINE) or passed (once, from the
    day after), to the staff of assessed organisations whose self-assessment for the year is
    neither submitted nor accepted."""
    thresholds = settings.REMINDER_DAYS_BEFORE_DEADLINE
    event_days = datetime.timedelta(days=settings.NOTIFICATIONS_EVENT_DAYS)
    years = Campaign.objects.filter(
        report_deadline__gte=today - event_days,
        report_deadline__lte=today + datetime.timedelta(days=max(thresholds)),
    ).values_list("year", flat=True)
    items = []
    for year in sorted(set(years)):
        deadline = report_deadline(year)
        days_left = (deadline - today).days
        if days_left < 0:
            stage = PASSED if -days_left <= event_days.days else None
        else:
            stage = threshold_reached(days_left, thresholds)
        if stage is None:
            continue
        finished = Checklist.objects.filter(
            source=Checklist.Source.SELF,
            template__year=year,
            status__in=[Checklist.Status.SUBMITTED, Checklist.Status.ACCEPTED],
        ).values("organisation_id")
        organisations = (
            assessed(Organisation.objects.filter(is_active=True), year)
            .exclude(pk__in=finished)
            .order_by("pk")
        )
        link = absolute_url(reverse("cabinet_self_assessment"))
        for organisation in organisations:
            items.append(
                (
                    organisation,
                    f"deadline:{year}:{stage}:{organisation.pk}",
                    {
                        "year": year,
                        "deadline": deadline,
                        "days_left": days_left,
                        "passed": stage == PASSED,
                        "link": link,
                    },
                )
            )
    return to_staff(Category.DEADLINE, items, today)


def last_day(campaign):
    """The last local day a campaign takes answers (``closes_at`` is exclusive)."""
    return timezone.localdate(campaign.closes_at - datetime.timedelta(microseconds=1))


def coverage_messages(today):
    """A respondent group below its coverage target while the campaign is open, at
    NOTIFICATIONS_COVERAGE_DAYS_BEFORE_CLOSE days before it closes."""
    thresholds = settings.NOTIFICATIONS_COVERAGE_DAYS_BEFORE_CLOSE
    start = timezone.make_aware(datetime.datetime.combine(today, datetime.time.min))
    campaigns = Campaign.objects.filter(
        opens_at__lt=start + datetime.timedelta(days=1), closes_at__gt=start
    ).order_by("pk")
    link = absolute_url(reverse("cabinet"))
    items = []
    for campaign in campaigns:
        closes_on = last_day(campaign)
        threshold = threshold_reached((closes_on - today).days, thresholds)
        if threshold is None:
            continue
        for organisation, coverage in coverage_report(campaign).by_organisation.items():
            below = [
                group
                for group in coverage.groups
                if group.contingent and group.target_percent is not None and not group.target_met
            ]
            if below:
                items.append(
                    (
                        organisation,
                        f"coverage:{campaign.pk}:{threshold}:{organisation.pk}",
                        {
                            "campaign": campaign,
                            "closes_on": closes_on,
                            "days_left": (closes_on - today).days,
                            "groups": below,
                            "link": link,
                        },
                    )
                )
    return to_staff(Category.COVERAGE, items, today)


def returned_checklist_messages(today):
    """A self-assessment returned with a comment: once per return (the key carries the
    moment of the review, so a second return is a second message)."""
    checklists = (
        Checklist.objects.filter(
            source=Checklist.Source.SELF,
            status=Checklist.Status.RETURNED,
            reviewed_at__gte=since_recent(today),
            organisation__is_active=True,
        )
        .select_related("organisation", "template")
        .order_by("pk")
    )
    link = absolute_url(reverse("cabinet_self_assessment"))
    items = [
        (
            checklist.organisation,
            f"checklist:{checklist.pk}:{checklist.reviewed_at:%Y%m%d%H%M%S}",
            {"checklist": checklist, "year": checklist.template.year, "link": link},
        )
        for checklist in checklists
        if recent(checklist.reviewed_at, today)
    ]
    return to_staff(Category.CHECKLIST_RETURNED, items, today)


def answered_objection_messages(today):
    """An objection decided by the operator: once per objection."""
    objections = (
        Objection.objects.filter(
            decided_at__gte=since_recent(today),
            status__in=[Objection.Status.ACCEPTED, Objection.Status.REJECTED],
            organisation__is_active=True,
        )
        .select_related("organisation", "stage")
        .order_by("pk")
    )
    link = absolute_url(reverse("accountability_cabinet_preliminary"))
    items = [
        (
            objection.organisation,
            f"objection:{objection.pk}",
            {"objection": objection, "year": objection.stage.year, "link": link},
        )
        for objection in objections
        if recent(objection.decided_at, today)
    ]
    return to_staff(Category.OBJECTION_ANSWERED, items, today)


def plan_measure_messages(today):
    """Measures of approved plans: due (NOTIFICATIONS_PLAN_DAYS_BEFORE days before their
    planned date, one message per plan and date) and overdue (one digest per plan a week)."""
    thresholds = settings.NOTIFICATIONS_PLAN_DAYS_BEFORE
    measures = (
        PlanMeasure.objects.filter(
            plan__status=ImprovementPlan.Status.APPROVED,
            plan__organisation__is_active=True,
            planned_date__isnull=False,
            planned_date__lte=today + datetime.timedelta(days=max(thresholds)),
        )
        .select_related("plan__organisation")
        .order_by("plan_id", "planned_date", "position", "pk")
    )
    due = defaultdict(list)
    overdue = defaultdict(list)
    for measure in measures:
        if measure.is_done:
            continue
        if is_overdue(measure, today):
            overdue[measure.plan].append(measure)
            continue
        threshold = threshold_reached((measure.planned_date - today).days, thresholds)
        if threshold is not None:
            due[(measure.plan, measure.planned_date, threshold)].append(measure)
    week_year, week, _weekday = today.isocalendar()
    items = []
    for (plan, planned_date, threshold), group in due.items():
        items.append(
            (
                plan.organisation,
                f"plan-due:{plan.pk}:{planned_date:%Y%m%d}:{threshold}",
                {
                    "plan": plan,
                    "measures": group,
                    "overdue": False,
                    "planned_date": planned_date,
                    "days_left": (planned_date - today).days,
                    "link": absolute_url(reverse("accountability_cabinet_plan", args=[plan.year])),
                },
            )
        )
    for plan, group in overdue.items():
        items.append(
            (
                plan.organisation,
                f"plan-overdue:{plan.pk}:{week_year}-W{week:02d}",
                {
                    "plan": plan,
                    "measures": group,
                    "overdue": True,
                    "link": absolute_url(reverse("accountability_cabinet_plan", args=[plan.year])),
                },
            )
        )
    return to_staff(Category.PLAN_MEASURES, items, today)


def session_order_messages(today):
    """A pending organised session: its order goes to the municipality's technical expert,
    attached (the order file is private: no link would open for them)."""
    sessions = (
        OrganisedSession.objects.filter(
            status=OrganisedSession.Status.PENDING,
            organisation__is_active=True,
            ends_at__gte=timezone.make_aware(
                datetime.datetime.combine(
                    today - datetime.timedelta(days=settings.NOTIFICATIONS_EVENT_DAYS),
                    datetime.time.min,
                )
            ),
        )
        .exclude(organisation__municipality__expert_email="")
        .select_related("organisation__municipality", "campaign")
        .order_by("pk")
    )
    messages = []
    for session in sessions:
        municipality = session.organisation.municipality
        starts = timezone.localtime(session.starts_at)
        messages.append(
            Message(
                Category.SESSION_ORDER,
                f"session:{session.pk}",
                [Recipient(municipality.expert_email)],
                {
                    "session": session,
                    "organisation": session.organisation,
                    "municipality": municipality,
                    "starts_at": starts,
                    "ends_at": timezone.localtime(session.ends_at),
                    "today": today,
                },
                attachments=[
                    (
                        f"prikaz-{session.organisation.code}-{starts:%Y%m%d}.pdf",
                        session.order_document,
                        "application/pdf",
                    )
                ],
            )
        )
    return messages


RULES = (
    deadline_messages,
    coverage_messages,
    returned_checklist_messages,
    answered_objection_messages,
    plan_measure_messages,
    session_order_messages,
)


def due_messages(today):
    """Every message due on ``today``, category by category."""
    return [message for rule in RULES for message in rule(today)]
