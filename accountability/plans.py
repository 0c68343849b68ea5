"""Improvement plans: drafting, approval by the founder, execution reports, what is public.

Status flow (``ImprovementPlan.Status``)::

    (none) ──plan_for──▶ draft ──submit──▶ submitted ──approve──▶ approved
                           ▲                  │
                           └─ returned ◀──────┘ return_plan (comment required)

- ``plan_for`` creates the plan once the year is final (its ratings published) and only for an
  organisation assessed that year, pre-filled with one measure per published shortcoming,
  grouped by the five criteria; the shortcoming's wording is copied into column 1.
- A draft or a returned plan is edited part-way (``save_measures``, ``add_measure``): nothing
  is required until submission. A returned plan keeps its status and the founder's comment
  until it is submitted again, so the comment stays in front of the organisation.
- ``submit`` and ``approve`` check every measure (``measure_errors``): a measure text, a
  planned date, the responsible person's name and position. At submission the planned date
  may not be in the past; at approval not before the day the plan was submitted (the founder
  is not blocked by days passing while the plan waited).
- ``approve`` and ``return_plan`` are the founder's (``access.may_approve``): the
  municipality's coordinator for a municipal organisation, the operator's editors for a
  regional one, never whoever submitted it nor the organisation's own staff.
- After approval the organisation reports execution per measure (``report_execution``): what
  was done, when (not in the future) and an evidence link and/or file. A measure is overdue
  when its planned date has passed and it is not done.

Every transition runs in a transaction on the plan's locked row and writes a ``PlanEvent``.
Functions take ``today`` so that tests can freeze the clock; it defaults to the local date.

Only approved plans are public (``published_plan``, ``public_plans``); their execution is
public too, except evidence files (see ``plan_views.evidence``).
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Max, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from registry.models import Organisation
from results.models import RatingResult

from .access import may_approve
from .models import Criterion, ImprovementPlan, PlanEvent, PlanMeasure
from .publication import published_shortcomings, year_is_final

Status = ImprovementPlan.Status
EDITABLE = (Status.DRAFT, Status.RETURNED)
# The columns an organisation fills in a draft, in the form's order (columns 1–4).
DRAFT_FIELDS = (
    "shortcoming_text",
    "measure",
    "planned_date",
    "responsible_name",
    "responsible_position",
)
# Dashboard status of an assessed organisation that has not started its plan.
MISSING = "missing"


class PlanError(Exception):
    """A refused operation; the message is Russian and meant for the user."""


class MeasureErrors(PlanError):
    """Measures not ready for submission or approval: ``errors`` is {measure pk: {field:
    [messages]}}. Nothing was changed."""

    def __init__(self, errors):
        self.errors = errors
        super().__init__(
            _("План не отправлен: заполните отмеченные поля в %(n)s мероприятиях.")
            % {"n": len(errors)}
        )


def _today(today):
    return today or timezone.localdate()


def _locked(plan):
    return ImprovementPlan.objects.select_for_update().get(pk=plan.pk)


def _event(plan, action, user, comment=""):
    return PlanEvent.objects.create(
        plan=plan,
        action=action,
        user=user if user and user.is_authenticated else None,
        comment=comment,
    )


# --- Who is assessed, which plan ----------------------------------------------------------


def assessed_organisations(year):
    """Organisations with a result in ``year``'s current published revision: those the year
    assessed, whose plans are expected."""
    return Organisation.objects.filter(
        pk__in=RatingResult.objects.public().filter(year=year).values("organisation_id")
    )


def final_years_of(organisation):
    """Years with a published result of ``organisation``, newest first."""
    return sorted(
        set(
            RatingResult.objects.public()
            .filter(organisation=organisation)
            .values_list("year", flat=True)
        ),
        reverse=True,
    )


def existing_plan(organisation, year):
    return ImprovementPlan.objects.filter(organisation=organisation, year=year).first()


def refusal_to_start(organisation, year):
    """Why ``organisation`` may not start a plan for ``year`` yet (a message), or ""."""
    if not year_is_final(year):
        return _(
            "Итоги оценки %(year)s года ещё не опубликованы: план составляется по "
            "опубликованным недостаткам, после публикации итогов."
        ) % {"year": year}
    if not assessed_organisations(year).filter(pk=organisation.pk).exists():
        return _("Организация не участвовала в оценке %(year)s года: план не нужен.") % {
            "year": year
        }
    return ""


def plan_for(organisation, year, user=None):
    """The organisation's plan for ``year``, created on first call pre-filled from the
    published shortcomings. Raises PlanError before the year is final or when the
    organisation was not assessed that year."""
    plan = existing_plan(organisation, year)
    if plan is not None:
        return plan
    refusal = refusal_to_start(organisation, year)
    if refusal:
        raise PlanError(refusal)
    with transaction.atomic():
        # Two first visits at once create one plan: the organisation's row serialises them.
        Organisation.objects.select_for_update().get(pk=organisation.pk)
        plan = existing_plan(organisation, year)
        if plan is not None:
            return plan
        plan = ImprovementPlan.objects.create(organisation=organisation, year=year)
        PlanMeasure.objects.bulk_create(
            PlanMeasure(
                plan=plan,
                criterion=shortcoming.criterion,
                shortcoming=shortcoming,
                shortcoming_text=shortcoming.text,
                position=position,
            )
            for position, shortcoming in enumerate(published_shortcomings(organisation, year))
        )
        _event(plan, PlanEvent.Action.CREATED, user)
    return plan


# --- Drafting -----------------------------------------------------------------------------


def is_editable(plan):
    return plan.status in EDITABLE


def _require_editable(plan):
    if not is_editable(plan):
        raise PlanError(
            _("План %(status)s: изменить его нельзя.") % {"status": plan.get_status_display()}
        )


def save_measures(plan, user, changes, removed=()):
    """Save a draft part-way: ``changes`` is {measure pk: {field: value}} for the columns of
    DRAFT_FIELDS; ``removed`` the pks of measures to delete. Nothing is required here.

    Column 1 of a measure made from a published shortcoming keeps the published wording;
    only measures the organisation added itself may be removed."""
    with transaction.atomic():
        plan = _locked(plan)
        _require_editable(plan)
        measures = {measure.pk: measure for measure in plan.measures.all()}
        for pk in removed:
            measure = measures.pop(pk, None)
            if measure is not None and measure.shortcoming_id is None:
                measure.delete()
        for pk, values in changes.items():
            measure = measures.get(pk)
            if measure is None:
                continue
            for field in DRAFT_FIELDS:
                if field not in values:
                    continue
                if field == "shortcoming_text" and measure.shortcoming_id is not None:
                    continue
                setattr(measure, field, values[field])
            measure.save()
        plan.save(update_fields=["updated_at"])
    return plan


def add_measure(plan, user, criterion):
    """An empty measure under ``criterion``: for a shortcoming of the organisation's own or a
    second measure for a listed one."""
    criterion = int(criterion)
    if criterion not in Criterion.values:
        raise PlanError(_("Неизвестный критерий."))
    with transaction.atomic():
        plan = _locked(plan)
        _require_editable(plan)
        last = plan.measures.filter(criterion=criterion).aggregate(last=Max("position"))["last"]
        return PlanMeasure.objects.create(
            plan=plan,
            criterion=criterion,
            shortcoming_text="",
            position=(last or 0) + 1,
        )


def measure_errors(measure, earliest_date):
    """{field: [message]} of what a measure lacks for submission or approval."""
    errors = {}
    if not measure.shortcoming_text.strip():
        errors["shortcoming_text"] = [_("Опишите недостаток.")]
    if not measure.measure.strip():
        errors["measure"] = [_("Укажите мероприятие по устранению недостатка.")]
    if measure.planned_date is None:
        errors["planned_date"] = [_("Укажите плановый срок реализации.")]
    elif measure.planned_date < earliest_date:
        errors["planned_date"] = [
            _("Плановый срок не может быть раньше %(date)s.")
            % {"date": earliest_date.strftime("%d.%m.%Y")}
        ]
    if not measure.responsible_name.strip():
        errors["responsible_name"] = [_("Укажите фамилию, имя и отчество ответственного.")]
    if not measure.responsible_position.strip():
        errors["responsible_position"] = [_("Укажите должность ответственного.")]
    return errors


def plan_errors(plan, earliest_date):
    errors = {}
    for measure in plan.measures.all():
        found = measure_errors(measure, earliest_date)
        if found:
            errors[measure.pk] = found
    return errors


def submit(plan, user, today=None):
    """Draft or returned → submitted, when every measure is complete (else MeasureErrors)."""
    today = _today(today)
    with transaction.atomic():
        plan = _locked(plan)
        if not is_editable(plan):
            raise PlanError(
                _("План %(status)s: отправить его нельзя.") % {"status": plan.get_status_display()}
            )
        if not plan.measures.exists():
            raise PlanError(_("В плане нет ни одного мероприятия."))
        errors = plan_errors(plan, today)
        if errors:
            raise MeasureErrors(errors)
        plan.status = Status.SUBMITTED
        plan.submitted_by = user
        plan.submitted_at = timezone.now()
        plan.save(update_fields=["status", "submitted_by", "submitted_at", "updated_at"])
        _event(plan, PlanEvent.Action.SUBMITTED, user)
    return plan


def save_and_submit(plan, user, changes, removed=(), today=None):
    """The draft as typed, then submitted: both or neither (a refused submission leaves the
    plan exactly as it was, and the form shows the typed values with their errors)."""
    with transaction.atomic():
        save_measures(plan, user, changes, removed)
        return submit(plan, user, today)


# --- The founder's decision ---------------------------------------------------------------


def _require_founder(plan, user):
    if plan.status != Status.SUBMITTED:
        raise PlanError(
            _("План %(status)s: решение по нему уже не принимается.")
            % {"status": plan.get_status_display()}
        )
    if not may_approve(user, plan):
        raise PlanError(_("Утверждать этот план может только учредитель организации."))


def return_plan(plan, user, comment):
    """Submitted → returned with the founder's comment (required); the plan is editable."""
    comment = (comment or "").strip()
    with transaction.atomic():
        plan = _locked(plan)
        _require_founder(plan, user)
        if not comment:
            raise PlanError(_("Напишите, что исправить: организация увидит этот комментарий."))
        plan.status = Status.RETURNED
        plan.return_comment = comment
        plan.save(update_fields=["status", "return_comment", "updated_at"])
        _event(plan, PlanEvent.Action.RETURNED, user, comment)
    return plan


def approve(plan, user, approver_title, today=None):
    """Submitted → approved by the founder, «УТВЕРЖДАЮ» ``approver_title``; every measure is
    checked again (its date not before the day of submission)."""
    today = _today(today)
    approver_title = (approver_title or "").strip()
    with transaction.atomic():
        plan = _locked(plan)
        _require_founder(plan, user)
        if not approver_title:
            raise PlanError(
                _("Укажите, кто утверждает план: должность и ФИО, как в грифе «УТВЕРЖДАЮ».")
            )
        submitted_on = timezone.localdate(plan.submitted_at) if plan.submitted_at else today
        errors = plan_errors(plan, min(submitted_on, today))
        if errors:
            raise MeasureErrors(errors)
        plan.status = Status.APPROVED
        plan.approved_by = user
        plan.approved_at = timezone.now()
        plan.approver_title = approver_title
        plan.return_comment = ""
        plan.save(
            update_fields=[
                "status",
                "approved_by",
                "approved_at",
                "approver_title",
                "return_comment",
                "updated_at",
            ]
        )
        _event(plan, PlanEvent.Action.APPROVED, user, approver_title)
    return plan


# --- Execution ----------------------------------------------------------------------------


def execution_errors(done_text, done_date, has_evidence, today):
    errors = {}
    if not (done_text or "").strip():
        errors["done_text"] = [_("Опишите, что сделано.")]
    if done_date is None:
        errors["done_date"] = [_("Укажите фактическую дату реализации.")]
    elif done_date > today:
        errors["done_date"] = [_("Фактическая дата не может быть в будущем.")]
    if not has_evidence:
        errors["evidence_url"] = [_("Приложите подтверждение: ссылку или файл.")]
    return errors


def report_execution(
    measure,
    user,
    *,
    done_text,
    done_date,
    evidence_url="",
    evidence_file=None,
    today=None,
):
    """Record what was done for ``measure`` of an approved plan (columns 5.1 and 5.2) with an
    evidence link and/or file; a later report replaces the earlier one, both stay in the
    plan's history. ``evidence_file`` is an upload already checked by the form."""
    today = _today(today)
    with transaction.atomic():
        plan = _locked(measure.plan)
        if plan.status != Status.APPROVED:
            raise PlanError(_("Отчёт об исполнении принимается только по утверждённому плану."))
        measure = plan.measures.select_for_update().get(pk=measure.pk)
        has_evidence = bool((evidence_url or "").strip() or evidence_file or measure.evidence_file)
        errors = execution_errors(done_text, done_date, has_evidence, today)
        if errors:
            raise MeasureErrors({measure.pk: errors})
        measure.done_text = done_text.strip()
        measure.done_date = done_date
        measure.evidence_url = (evidence_url or "").strip()
        old_file = measure.evidence_file.name if evidence_file else ""
        if evidence_file:
            measure.evidence_file.save(evidence_file.name, evidence_file, save=False)
        measure.save()
        plan.save(update_fields=["updated_at"])
        _event(
            plan,
            PlanEvent.Action.REPORTED,
            user,
            _("%(criterion)s, «%(measure)s»: %(done)s (%(date)s)")
            % {
                "criterion": measure.get_criterion_display().split(".")[0],
                "measure": measure.measure[:200],
                "done": measure.done_text[:500],
                "date": done_date.strftime("%d.%m.%Y"),
            },
        )
    if old_file:
        # The replaced file goes once the new one is committed.
        measure.evidence_file.storage.delete(old_file)
    return measure


def is_overdue(measure, today=None):
    return (
        measure.planned_date is not None
        and measure.planned_date < _today(today)
        and not measure.is_done
    )


def measure_status(measure, today=None):
    """ "done", "overdue" or "planned": the public status of a measure of an approved plan."""
    if measure.is_done:
        return "done"
    if is_overdue(measure, today):
        return "overdue"
    return "planned"


MEASURE_STATUS_LABELS = {
    "done": gettext_lazy("выполнено"),
    "overdue": gettext_lazy("просрочено"),
    "planned": gettext_lazy("в работе"),
}


def overdue_measures(plan, today=None):
    """Measures of an approved plan past their planned date and not done."""
    if plan.status != Status.APPROVED:
        return []
    return [measure for measure in plan.measures.all() if is_overdue(measure, today)]


# A measure reported done: a date and some text (``PlanMeasure.is_done`` in SQL).
DONE = Q(done_date__isnull=False) & ~Q(done_text__regex=r"^\s*$")


def plans_overview(year, assessed_count, today=None):
    """Approved plans of the year only: how many, their measures done and overdue."""
    today = today or timezone.localdate()
    approved = ImprovementPlan.objects.filter(year=year, status=ImprovementPlan.Status.APPROVED)
    # One pass over the year's measures (the year page renders this on every miss).
    counts = PlanMeasure.objects.filter(plan__in=approved).aggregate(
        total=Count("pk"),
        done=Count("pk", filter=DONE),
        overdue=Count("pk", filter=Q(planned_date__lt=today) & ~DONE),
    )
    total, done, overdue = counts["total"], counts["done"], counts["overdue"]
    return {
        "assessed": assessed_count,
        "approved": approved.count(),
        "measures": total,
        "done": done,
        "done_percent": round(100 * done / total) if total else None,
        "overdue": overdue,
    }


def share_done(plan):
    """Percent of the plan's measures done (rounded down, so 100 means all), None without
    measures."""
    measures = list(plan.measures.all())
    if not measures:
        return None
    return sum(measure.is_done for measure in measures) * 100 // len(measures)


# --- Reading: sections, public plans, dashboards ------------------------------------------


@dataclass
class Section:
    criterion: int
    title: str
    items: list


def sections(items, criterion_of=lambda item: item.criterion):
    """The five criteria in order, each with its items (measures or forms), empty ones too:
    the government's form lists every section."""
    grouped = {value: [] for value in Criterion.values}
    for item in items:
        grouped[criterion_of(item)].append(item)
    return [
        Section(criterion=value, title=label, items=grouped[value])
        for value, label in Criterion.choices
    ]


def with_measures(plans):
    return plans.select_related("organisation__municipality").prefetch_related(
        Prefetch("measures", queryset=PlanMeasure.objects.order_by("criterion", "position", "pk"))
    )


def public_plans(year):
    """The year's approved plans: the only plans anybody but their organisation and
    founder ever reads."""
    return with_measures(ImprovementPlan.objects.filter(year=year, status=Status.APPROVED))


def published_plan(organisation, year):
    """The organisation's approved plan for ``year`` with its measures, or None."""
    return public_plans(year).filter(organisation=organisation).first()


@dataclass
class PlanRow:
    organisation: Organisation
    plan: ImprovementPlan | None
    status: str
    measures: int
    done: int
    overdue: int

    @property
    def share_done(self):
        return self.done * 100 // self.measures if self.measures else None

    status_label: str = ""

    def __post_init__(self):
        self.status_label = STATUS_LABELS[self.status]


STATUS_LABELS = {MISSING: gettext_lazy("плана нет"), **dict(Status.choices)}
DASHBOARD_STATUSES = (MISSING, *Status.values)


def plan_stats(year, organisations, today=None):
    """A row per organisation of ``organisations`` assessed in ``year`` (plan status, measures,
    done, overdue) and the totals: {"rows": [...], "by_status": {status: n}, "measures": n,
    "done": n, "overdue": n, "share_done": percent or None}."""
    today = _today(today)
    organisations = (
        organisations.filter(pk__in=assessed_organisations(year).values("pk"))
        .select_related("municipality")
        .order_by("municipality__name", "name")
    )
    plans = {
        plan.organisation_id: plan
        for plan in with_measures(
            ImprovementPlan.objects.filter(year=year, organisation__in=organisations)
        )
    }
    rows = []
    for organisation in organisations:
        plan = plans.get(organisation.pk)
        measures = list(plan.measures.all()) if plan else []
        approved = plan is not None and plan.status == Status.APPROVED
        rows.append(
            PlanRow(
                organisation=organisation,
                plan=plan,
                status=plan.status if plan else MISSING,
                measures=len(measures),
                done=sum(m.is_done for m in measures) if approved else 0,
                overdue=sum(is_overdue(m, today) for m in measures) if approved else 0,
            )
        )
    by_status = dict.fromkeys(DASHBOARD_STATUSES, 0)
    for row in rows:
        by_status[row.status] += 1
    approved_rows = [row for row in rows if row.status == Status.APPROVED]
    measures = sum(row.measures for row in approved_rows)
    done = sum(row.done for row in approved_rows)
    return {
        "rows": rows,
        "by_status": by_status,
        "measures": measures,
        "done": done,
        "overdue": sum(row.overdue for row in approved_rows),
        "share_done": done * 100 // measures if measures else None,
    }
