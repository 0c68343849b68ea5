"""The preliminary stage of a year's results and the organisations' objections.

Flow of a stage: the operator opens it for a year with a computed draft (``open_stage``); the
deadline is the opening date plus the methodology version's number of working days on the
production calendar (``core.workdays``), stored with the stage so a later change of the
calendar never moves an announced deadline. Until then each organisation on the draft sees
its own preliminary figures and may object (``file_objection``). Publication of the year
(``results.services.publish_year``) asks ``before_publish_ratings`` here: refused while the
deadline has not passed or an objection waits for a decision; otherwise the counts go on the
published revision's record and the stage is finished.

Flow of an objection: filed → accepted (the corrected inputs saved through
``results.inputs.save_inputs``, the input audit trail, then the year recomputed) or filed →
rejected; both with the operator's answer, both final. Every step is one transaction: a
failure leaves nothing half-written.
"""

import logging
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail import hooks

from core.locks import lock_year
from core.workdays import add_working_days
from results import engine
from results.inputs import InputSource, save_inputs
from results.models import AssessmentInput, RatingResult, RatingRevision
from results.services import RatingsError, compute_year
from surveys.counts import has_campaign

from .models import Objection, ObjectionAttachment, PreliminaryStage
from .publication import kept_shortcomings

logger = logging.getLogger(__name__)

MAX_ATTACHMENTS = 5
MAX_REASON_LENGTH = 5000


class PreliminaryError(Exception):
    """An operation refused for a reason the user can act on; the message is Russian."""


@dataclass(frozen=True)
class ObjectionSummary:
    filed: int = 0
    accepted: int = 0
    rejected: int = 0

    @property
    def pending(self):
        return self.filed - self.accepted - self.rejected

    def as_record(self):
        return {"filed": self.filed, "accepted": self.accepted, "rejected": self.rejected}


def draft_revision(year):
    return RatingRevision.objects.filter(year=year, status=RatingRevision.Status.DRAFT).first()


def stage_for(year):
    return PreliminaryStage.objects.filter(year=year).first()


def open_stages():
    """Stages not finished by a publication, newest year first."""
    return PreliminaryStage.objects.filter(finished_at__isnull=True).order_by("-year")


def deadline_for(year, opens_on):
    """The last day objections are taken, for a stage of ``year`` opened on ``opens_on``."""
    revision = draft_revision(year)
    if revision is None:
        raise PreliminaryError(no_draft_message(year))
    return add_working_days(opens_on, revision.methodology.objection_working_days)


def no_draft_message(year):
    return _(
        "Для %(year)s года нет рассчитанного черновика рейтинга: сначала выполните расчёт "
        "в разделе «Расчёт и публикация»."
    ) % {"year": year}


def open_stage(year, user, opens_on=None):
    """Open the preliminary stage of ``year``; ``opens_on`` defaults to today."""
    opens_on = opens_on or timezone.localdate()
    with transaction.atomic():
        lock_year(year)
        revision = draft_revision(year)
        if revision is None or not revision.results.exists():
            raise PreliminaryError(no_draft_message(year))
        if PreliminaryStage.objects.filter(year=year).exists():
            raise PreliminaryError(
                _("Предварительные результаты %(year)s года уже открыты.") % {"year": year}
            )
        working_days = revision.methodology.objection_working_days
        stage = PreliminaryStage.objects.create(
            year=year,
            opens_on=opens_on,
            working_days=working_days,
            objections_until=add_working_days(opens_on, working_days),
            opened_by=user,
        )
    logger.info("Preliminary stage %s opened until %s", year, stage.objections_until)
    return stage


def has_begun(stage, today=None):
    """False before the opening date: organisations see nothing of the draft until then."""
    return stage.opens_on <= (today or timezone.localdate())


def accepts_objections(stage, today=None):
    today = today or timezone.localdate()
    return stage.finished_at is None and stage.opens_on <= today <= stage.objections_until


def preliminary_result(organisation, year):
    """``organisation``'s result in the year's draft, or None: what its staff may see while
    the stage is open (callers check that it is)."""
    revision = draft_revision(year)
    if revision is None:
        return None
    return (
        RatingResult.objects.filter(revision=revision, organisation=organisation)
        .select_related("revision")
        .first()
    )


def final_result(organisation, year):
    return (
        RatingResult.objects.public()
        .filter(organisation=organisation, year=year)
        .select_related("revision")
        .first()
    )


def organisation_objections(organisation, stage):
    return (
        Objection.objects.filter(stage=stage, organisation=organisation)
        .select_related("shortcoming")
        .prefetch_related("attachments")
    )


def objection_summary(year):
    """How many objections to ``year``'s preliminary results were filed, accepted, rejected."""
    counts = Objection.objects.filter(stage__year=year).aggregate(
        filed=Count("pk"),
        accepted=Count("pk", filter=Q(status=Objection.Status.ACCEPTED)),
        rejected=Count("pk", filter=Q(status=Objection.Status.REJECTED)),
    )
    return ObjectionSummary(**counts)


def file_objection(stage, organisation, user, *, reason, indicator="", shortcoming=None, files=()):
    """File ``organisation``'s objection with its attachments (already checked by the form:
    ``files`` are uploaded files of allowed content). Files are written before their rows,
    and removed again if the transaction fails, so no row points at a missing file and no
    file is left without a row."""
    reason = (reason or "").strip()
    if not reason:
        raise PreliminaryError(_("Опишите суть возражения."))
    if len(reason) > MAX_REASON_LENGTH:
        raise PreliminaryError(
            _("Суть возражения — не больше %(limit)s символов.") % {"limit": MAX_REASON_LENGTH}
        )
    if len(files) > MAX_ATTACHMENTS:
        raise PreliminaryError(
            _("Можно приложить не больше %(limit)s файлов.") % {"limit": MAX_ATTACHMENTS}
        )
    if indicator and indicator not in indicator_numbers():
        raise PreliminaryError(_("Такого показателя нет в методике."))
    stored = []
    try:
        with transaction.atomic():
            stage = PreliminaryStage.objects.select_for_update().get(pk=stage.pk)
            if not accepts_objections(stage):
                raise PreliminaryError(closed_message(stage))
            if preliminary_result(organisation, stage.year) is None:
                raise PreliminaryError(
                    _("Предварительного результата вашей организации за %(year)s год нет.")
                    % {"year": stage.year}
                )
            if shortcoming is not None and not (
                kept_shortcomings(organisation, stage.year).filter(pk=shortcoming.pk).exists()
            ):
                raise PreliminaryError(_("Такого недостатка в перечне вашей организации нет."))
            objection = Objection.objects.create(
                stage=stage,
                organisation=organisation,
                indicator=indicator,
                shortcoming=shortcoming,
                reason=reason,
                filed_by=user,
            )
            for upload in files:
                attachment = ObjectionAttachment(
                    objection=objection, original_name=display_name(upload.name)
                )
                attachment.file.save(upload.name, upload, save=False)
                stored.append(attachment.file)
                attachment.save()
    except BaseException:
        for file in stored:
            file.storage.delete(file.name)
        raise
    logger.info("Objection %s filed for %s (%s)", objection.pk, organisation.pk, stage.year)
    return objection


def closed_message(stage):
    if stage.finished_at is not None:
        return _("Результаты %(year)s года опубликованы: возражения больше не принимаются.") % {
            "year": stage.year
        }
    if timezone.localdate() < stage.opens_on:
        return _("Приём возражений начнётся %(date)s.") % {"date": f"{stage.opens_on:%d.%m.%Y}"}
    return _("Срок подачи возражений истёк %(date)s.") % {
        "date": f"{stage.objections_until:%d.%m.%Y}"
    }


def display_name(name):
    """The uploader's file name as shown to people (never used to store the file)."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = "".join(ch for ch in base if ch.isprintable())
    return cleaned[:200] or "file"


def correction_lines(objection):
    """[(input label, old value, new value)] of an accepted objection's correction."""
    labels = {
        name: AssessmentInput._meta.get_field(name).verbose_name for name in engine.INPUT_FIELDS
    }
    return [
        (labels.get(name, name), *change)
        for name, change in (objection.correction or {}).items()
        if isinstance(change, list | tuple) and len(change) == 2
    ]


def indicator_numbers():
    """Indicator numbers as people write them ("1.1"), in the methodology's order."""
    return [code[1:].replace("_", ".") for code in engine.INDICATORS]


def current_inputs(organisation, year):
    """{field: value} of ``organisation``'s inputs for ``year`` (None where not provided)."""
    row = AssessmentInput.objects.filter(organisation=organisation, year=year).first()
    return {name: getattr(row, name) if row else None for name in engine.INPUT_FIELDS}


def survey_counts_recounted(year):
    """True when a computation of ``year`` recounts the survey counts from the responses
    (a year with a campaign), so a survey count typed by the operator would not last: such
    a correction goes through the review of responses instead."""
    return has_campaign(year)


def correctable_fields(year):
    if survey_counts_recounted(year):
        return engine.CHECKLIST_FIELDS
    return engine.INPUT_FIELDS


def _decidable(objection):
    """The objection locked for a decision, with its stage; refused when already decided or
    the year published."""
    locked = Objection.objects.select_for_update().select_related("stage").get(pk=objection.pk)
    if locked.status != Objection.Status.FILED:
        raise PreliminaryError(_("Решение по этому возражению уже принято."))
    if locked.stage.finished_at is not None:
        raise PreliminaryError(
            _("Результаты %(year)s года уже опубликованы.") % {"year": locked.stage.year}
        )
    return locked


def _answer(answer):
    answer = (answer or "").strip()
    if not answer:
        raise PreliminaryError(_("Напишите ответ организации."))
    return answer


def accept_objection(objection, user, *, values, answer):
    """Accept ``objection``: save the corrected inputs (``values``: {field: count}, the
    fields of ``correctable_fields``) through the audited door, recompute the year and keep
    the correction on the objection. Inputs the engine refuses, or a recomputation that
    fails, leave everything as it was."""
    answer = _answer(answer)
    with transaction.atomic():
        locked = _decidable(objection)
        year = locked.stage.year
        lock_year(year)
        allowed = set(correctable_fields(year))
        unknown = set(values) - allowed
        if unknown:
            raise PreliminaryError(
                _("Эти данные нельзя исправить здесь: %(fields)s.")
                % {"fields": ", ".join(sorted(unknown))}
            )
        merged = {**current_inputs(locked.organisation, year), **values}
        problems = engine.validate(merged)
        if problems:
            raise PreliminaryError(
                _("Исправленные данные противоречат друг другу: %(fields)s.")
                % {"fields": ", ".join(sorted({problem.field for problem in problems}))}
            )
        note = _("Возражение № %(number)s принято: %(answer)s") % {
            "number": locked.pk,
            "answer": answer,
        }
        correction = save_inputs(
            locked.organisation, year, values, source=InputSource.EDITOR, user=user, note=note
        )
        try:
            report = compute_year(year, user)
        except RatingsError as error:
            raise PreliminaryError(str(error)) from error
        if report.invalid:
            raise PreliminaryError(
                _("Пересчёт остановлен: противоречивые данные у организаций %(codes)s.")
                % {"codes": ", ".join(list(report.invalid)[:20])}
            )
        after = current_inputs(locked.organisation, year)
        if any(after[name] != value for name, value in values.items()):
            # A recount replaced part of the correction: better refuse than announce a
            # correction the figures do not carry.
            raise PreliminaryError(
                _("Пересчёт не сохранил исправление: проверьте источник данных организации.")
            )
        locked.status = Objection.Status.ACCEPTED
        locked.answer = answer
        locked.correction = correction
        locked.decided_by = user
        locked.decided_at = timezone.now()
        locked.save()
    logger.info("Objection %s accepted, %s recomputed", locked.pk, year)
    return locked


def reject_objection(objection, user, *, answer):
    answer = _answer(answer)
    with transaction.atomic():
        locked = _decidable(objection)
        locked.status = Objection.Status.REJECTED
        locked.answer = answer
        locked.decided_by = user
        locked.decided_at = timezone.now()
        locked.save()
    logger.info("Objection %s rejected", locked.pk)
    return locked


@hooks.register("before_publish_ratings")
def check_preliminary_stage(draft):
    """Called by ``results.services.publish_year`` inside its transaction: refuse while the
    year's stage is not over, else record the counts and finish the stage."""
    stage = PreliminaryStage.objects.select_for_update().filter(year=draft.year).first()
    if stage is None:
        return {}
    summary = objection_summary(draft.year)
    if stage.finished_at is None:
        if timezone.localdate() <= stage.objections_until:
            raise RatingsError(
                _(
                    "Идёт приём возражений на предварительные результаты %(year)s года "
                    "(по %(date)s): опубликовать рейтинг можно после окончания срока."
                )
                % {"year": draft.year, "date": f"{stage.objections_until:%d.%m.%Y}"}
            )
        if summary.pending:
            raise RatingsError(
                _(
                    "Не рассмотрено возражений на предварительные результаты %(year)s года: "
                    "%(count)s. Примите решение по каждому, затем публикуйте."
                )
                % {"year": draft.year, "count": summary.pending}
            )
        stage.finished_at = timezone.now()
        stage.save(update_fields=["finished_at"])
    return {"objections": summary.as_record()}
