"""Domain operations on checklists: who may do what and when, and what an accepted
checklist means for the ratings.

Status flow: draft → submitted → accepted, or submitted → returned (with a comment) →
submitted again. Schools edit their self-assessment until the campaign's report deadline;
after it only an editor's reopening lets them edit again.
"""

from dataclasses import dataclass
from dataclasses import field as dataclass_field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from results.inputs import InputSource, save_inputs
from surveys.counts import report_deadline

from .models import Checklist, ChecklistAnswer, ChecklistTemplate, RatingInput

# Which source wins when several accepted checklists cover the same input: an expert who
# visited the school over the editors' website monitoring over the school's own report.
SOURCE_PRECEDENCE = [
    Checklist.Source.EXPERT,
    Checklist.Source.MONITORING,
    Checklist.Source.SELF,
]
# Inputs whose norm is the number of template items (indicator 1.1); the others are counts.
NORM_FIELDS = {RatingInput.STAND: "stand_norm", RatingInput.SITE: "site_norm"}


class TransitionError(Exception):
    """A status change that is not allowed now; the message is for the user, in Russian."""


class IncompleteChecklist(TransitionError):
    """Submission refused for gaps. The message names the items (the editors' screen shows
    it); the cabinet marks each item in its form from ``gaps`` instead."""


@dataclass
class Gap:
    """An item that keeps a checklist from being submitted, and what it lacks."""

    answer: object
    reason: str  # UNANSWERED or NO_PHOTO

    UNANSWERED = "unanswered"
    NO_PHOTO = "no_photo"

    @property
    def item(self):
        return self.answer.item

    @property
    def message(self):
        if self.reason == self.NO_PHOTO:
            return _("Нужна фотография: при ответе «Есть» приложите снимок.")
        return _("Не отмечено: выберите «Есть» или «Нет».")

    @property
    def short(self):
        """The reason as the error summary lists it after the item's name."""
        if self.reason == self.NO_PHOTO:
            return _("нет фотографии")
        return _("не отмечено «Есть» или «Нет»")


@dataclass
class SectionProgress:
    """One section of a checklist as its form shows it: the answers in template order, how
    many are answered, and (after a refused submission) its gaps."""

    code: str
    label: str
    number: int
    answers: list = dataclass_field(default_factory=list)
    gaps: list = dataclass_field(default_factory=list)

    @property
    def total(self):
        return len(self.answers)

    @property
    def filled(self):
        return sum(1 for answer in self.answers if answer.present is not None)

    @property
    def complete(self):
        return self.filled == self.total


def current_template(today=None):
    """The template of the current assessment year (the latest one not in the future)."""
    today = today or timezone.localdate()
    return (
        ChecklistTemplate.objects.filter(year__lte=today.year).order_by("-year").first()
        or ChecklistTemplate.objects.order_by("year").first()
    )


@transaction.atomic
def checklist_for(organisation, template, source, *, round=None):
    """The organisation's checklist from ``source`` (created with an empty answer per item)."""
    checklist, _ = Checklist.objects.get_or_create(
        organisation=organisation, template=template, source=source, round=round
    )
    ensure_answers(checklist)
    return checklist


def ensure_answers(checklist):
    """One answer row per template item (items added to the template later included)."""
    have = set(checklist.answers.values_list("item_id", flat=True))
    ChecklistAnswer.objects.bulk_create(
        [
            ChecklistAnswer(checklist=checklist, item=item)
            for item in checklist.template.items.all()
            if item.pk not in have
        ]
    )


def past_deadline(checklist, today=None):
    deadline = report_deadline(checklist.template.year)
    today = today or timezone.localdate()
    return deadline is not None and today > deadline


def school_can_edit(checklist, today=None):
    """A school edits its own draft or returned report until the deadline, or once reopened."""
    if checklist.source != Checklist.Source.SELF:
        return False
    if checklist.status not in (Checklist.Status.DRAFT, Checklist.Status.RETURNED):
        return False
    return checklist.reopened or not past_deadline(checklist, today)


def missing_photos(checklist):
    """Items marked present that need photo evidence and have none."""
    return [
        answer.item
        for answer in checklist.answers.select_related("item")
        if answer.item.photo_required and answer.present and answer.photo_id is None
    ]


def unanswered(checklist):
    return [
        answer.item for answer in checklist.answers.select_related("item") if answer.present is None
    ]


def ordered_answers(checklist):
    return list(
        checklist.answers.select_related("item", "photo").order_by("item__sort_order", "item_id")
    )


def gaps(checklist, answers=None):
    """What stops ``checklist`` from being submitted, item by item in template order:
    unanswered items, and items marked present that need a photo and have none."""
    found = []
    for answer in ordered_answers(checklist) if answers is None else answers:
        if answer.present is None:
            found.append(Gap(answer, Gap.UNANSWERED))
        elif answer.item.photo_required and answer.photo_id is None and answer.present:
            found.append(Gap(answer, Gap.NO_PHOTO))
    return found


def sections(checklist, answers=None, *, with_gaps=False):
    """The checklist's sections in template order (a section first met earliest comes first;
    items of a section stay together even when the template interleaves them)."""
    answers = ordered_answers(checklist) if answers is None else answers
    by_code = {}
    for answer in answers:
        code = answer.item.section
        if code not in by_code:
            by_code[code] = SectionProgress(
                code=code, label=answer.item.get_section_display(), number=len(by_code) + 1
            )
        by_code[code].answers.append(answer)
    if with_gaps:
        for gap in gaps(checklist, answers):
            by_code[gap.item.section].gaps.append(gap)
    return list(by_code.values())


@transaction.atomic
def submit(checklist, user, *, today=None):
    checklist = Checklist.objects.select_for_update().get(pk=checklist.pk)
    if checklist.source == Checklist.Source.SELF and not school_can_edit(checklist, today):
        if checklist.status in (Checklist.Status.DRAFT, Checklist.Status.RETURNED):
            raise TransitionError(_("Срок сдачи отчёта прошёл. Обратитесь к оператору."))
        raise TransitionError(_("Отчёт уже отправлен."))
    if checklist.status not in (Checklist.Status.DRAFT, Checklist.Status.RETURNED):
        raise TransitionError(_("Отчёт уже отправлен."))
    problems = []
    if items := unanswered(checklist):
        problems.append(
            _("Не заполнены пункты: %(items)s.") % {"items": "; ".join(i.text for i in items)}
        )
    if items := missing_photos(checklist):
        problems.append(
            _("Нужна фотография: %(items)s.") % {"items": "; ".join(i.text for i in items)}
        )
    if problems:
        raise IncompleteChecklist(" ".join(problems))
    checklist.status = Checklist.Status.SUBMITTED
    checklist.submitted_at = timezone.now()
    checklist.reopened = False
    checklist.save(update_fields=["status", "submitted_at", "reopened", "updated_at"])
    return checklist


@transaction.atomic
def return_for_changes(checklist, user, comment):
    comment = (comment or "").strip()
    if not comment:
        raise TransitionError(_("Напишите, что нужно исправить."))
    checklist = Checklist.objects.select_for_update().get(pk=checklist.pk)
    if checklist.status != Checklist.Status.SUBMITTED:
        raise TransitionError(_("Вернуть можно только отправленный отчёт."))
    checklist.status = Checklist.Status.RETURNED
    checklist.return_comment = comment[:2000]
    checklist.reviewed_at = timezone.now()
    checklist.reviewed_by = user
    # A returned report must be fixable even when the deadline passed meanwhile.
    checklist.reopened = True
    checklist.save()
    return checklist


@transaction.atomic
def accept(checklist, user):
    checklist = Checklist.objects.select_for_update().get(pk=checklist.pk)
    if checklist.status != Checklist.Status.SUBMITTED:
        raise TransitionError(_("Принять можно только отправленный отчёт."))
    checklist.status = Checklist.Status.ACCEPTED
    checklist.return_comment = ""
    checklist.reviewed_at = timezone.now()
    checklist.reviewed_by = user
    checklist.save()
    apply_to_inputs(checklist.organisation, checklist.template.year, user=user)
    return checklist


@transaction.atomic
def reopen(checklist, user):
    """Let the school edit again after the deadline (or an accepted report be corrected)."""
    checklist = Checklist.objects.select_for_update().get(pk=checklist.pk)
    if checklist.status in (Checklist.Status.ACCEPTED, Checklist.Status.SUBMITTED):
        checklist.status = Checklist.Status.RETURNED
    checklist.reopened = True
    checklist.reviewed_by = user
    checklist.save()
    if checklist.status == Checklist.Status.RETURNED:
        apply_to_inputs(checklist.organisation, checklist.template.year, user=user)
    return checklist


def derived_inputs(organisation, year):
    """The checklist inputs the accepted checklists give, and where each came from.

    Returns ({input field: value}, {input field: checklist}). For each rating input the
    accepted checklist of the highest-precedence source that answered any of its items is
    used (for monitoring, the latest round); norms of indicator 1.1 are the template's item
    counts. Inputs no accepted checklist answered are left out, so imported or edited values
    stay.
    """
    accepted = list(
        Checklist.objects.filter(
            organisation=organisation, template__year=year, status=Checklist.Status.ACCEPTED
        )
        .select_related("template", "round")
        .prefetch_related("answers__item")
    )
    rank = {source: position for position, source in enumerate(SOURCE_PRECEDENCE)}
    accepted.sort(
        key=lambda c: (rank[c.source], -(c.round.created_at.timestamp() if c.round else 0))
    )
    values, sources = {}, {}
    for field in [choice.value for choice in RatingInput if choice.value]:
        for checklist in accepted:
            answers = [a for a in checklist.answers.all() if a.item.counts_toward == field]
            if not any(a.present is not None for a in answers):
                continue
            values[field] = sum(1 for a in answers if a.present)
            sources[field] = checklist
            if field in NORM_FIELDS:
                values[NORM_FIELDS[field]] = len(answers)
                sources[NORM_FIELDS[field]] = checklist
            break
    return values, sources


def apply_to_inputs(organisation, year, *, user=None):
    """Write what the accepted checklists give into the year's rating inputs (audited)."""
    values, sources = derived_inputs(organisation, year)
    if not values:
        return {}
    note = "; ".join(
        sorted({f"{c.get_source_display()} ({c.template.year})" for c in sources.values()})
    )
    return save_inputs(
        organisation,
        year,
        values,
        source=InputSource.CHECKLISTS,
        user=user,
        note=f"Из принятых чек-листов: {note}",
    )


def share_present(checklist):
    """(present, required) over the items of a checklist."""
    answers = list(checklist.answers.all())
    return sum(1 for a in answers if a.present), len(answers)
