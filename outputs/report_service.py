"""The operator's analytical report: asking for it, generating it, storing it.

Status flow of ``OperatorReport`` (one row per year and kind):

- ``request_report`` (an editor's «Сформировать»): a new row or one that is done or failed
  becomes *queued* with the editor's recommendations; one already queued or running is left
  alone (``ReportError``) unless it has not moved for ``STALE_AFTER`` (a worker that died).
  A year without a published revision is refused: the report never reads a draft.
- ``generate`` (the background task): *running*, with the progress percent and the step's
  name written as each part is done, so the screen can show them; then *done*, with the new
  DOCX stored as a Wagtail document in the collection «Отчёты оператора» and the previous
  document deleted (one current report per year and kind: an older file would only
  contradict it), or *failed* with a message in Russian, the traceback in the log, and the
  previous document kept.
"""

import io
import logging
from datetime import timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction

from core.permissions import editors_group
from registry.kinds import KIND_PLURALS

from .models import OperatorReport
from .report import ReportError, gather, published_revision, report_kinds
from .report_docx import build_docx

logger = logging.getLogger(__name__)

REPORTS_COLLECTION = "Отчёты оператора"
# A DOCX with this title in the reports collection is the template the report builds on.
TEMPLATE_TITLE = "Шаблон отчёта оператора"
# A queued or running report that has not moved for this long was left by a dead worker.
STALE_AFTER = timedelta(hours=1)

__all__ = [
    "REPORTS_COLLECTION",
    "TEMPLATE_TITLE",
    "ReportError",
    "enqueue_failed",
    "generate",
    "reports_collection",
    "request_report",
    "template_document",
]


def reports_collection():
    """The collection of the operator's reports, created on first use and visible to the
    operator's editors only (the documents' download view checks the restriction)."""
    root = Collection.get_first_root_node()
    existing = root.get_children().filter(name=REPORTS_COLLECTION).first()
    if existing is not None:
        return existing
    with transaction.atomic():
        collection = root.add_child(name=REPORTS_COLLECTION)
        restriction = CollectionViewRestriction.objects.create(
            collection=collection, restriction_type=CollectionViewRestriction.GROUPS
        )
        restriction.groups.add(editors_group())
    return collection


def template_document():
    """The editors' template (a DOCX titled TEMPLATE_TITLE in the reports collection, the
    latest uploaded), or None. Only that collection counts: school staff upload documents
    too, and none of theirs may shape the operator's report."""
    return (
        get_document_model()
        .objects.filter(
            collection=reports_collection(),
            title__iexact=TEMPLATE_TITLE,
            file__iendswith=".docx",
        )
        .order_by("-created_at", "-pk")
        .first()
    )


def request_report(year, kind, user, recommendations=""):
    """Queue the report of ``kind`` in ``year``; the caller enqueues the task with the
    returned report's id once this has committed."""
    revision = published_revision(year)
    if kind not in report_kinds(revision):
        raise ReportError(
            _("В опубликованном рейтинге %(year)s года нет организаций этого типа.")
            % {"year": year}
        )
    with transaction.atomic():
        report, _created = OperatorReport.objects.select_for_update().get_or_create(
            year=year, kind=kind
        )
        if report.in_progress and report.updated_at > timezone.now() - STALE_AFTER:
            raise ReportError(_("Отчёт уже формируется: дождитесь окончания."))
        report.status = OperatorReport.Status.QUEUED
        report.progress = 0
        report.step = _("В очереди")
        report.error = ""
        report.recommendations = recommendations
        report.requested_by = user
        report.requested_at = timezone.now()
        report.save()
    return report


def save_recommendations(year, kind, recommendations):
    """Keep the editor's text without generating (it goes into the next document)."""
    report, _created = OperatorReport.objects.get_or_create(year=year, kind=kind)
    report.recommendations = recommendations
    report.save(update_fields=["recommendations", "updated_at"])
    return report


def _progress(report_id, percent, step, status=OperatorReport.Status.RUNNING):
    # Each write commits on its own, so the screen sees it while the work goes on.
    OperatorReport.objects.filter(pk=report_id).update(
        status=status, progress=percent, step=str(step)[:200], updated_at=timezone.now()
    )


def generate(report_id):
    """Build and store the report; returns the report (done or failed)."""
    report = OperatorReport.objects.get(pk=report_id)
    _progress(report.pk, 5, _("Чтение опубликованных результатов"))

    def progress(percent, step):
        _progress(report.pk, percent, step)

    try:
        data = gather(report.year, report.kind, progress)
        template = template_document()
        content = build_docx(
            data,
            report.recommendations,
            template=_read(template) if template else None,
            progress=progress,
        )
        progress(95, _("Сохранение документа"))
        _store(report, content, data.revision_number)
    except ReportError as error:
        _fail(report, str(error))
    except Exception:
        logger.exception("Operator report %s/%s failed", report.year, report.kind)
        _fail(
            report,
            _(
                "Не удалось сформировать отчёт из-за внутренней ошибки; подробности — в "
                "журнале сервера. Попробуйте ещё раз или сообщите администратору портала."
            ),
        )
    report.refresh_from_db()
    return report


def _read(document):
    """The template's bytes (storage may be remote: python-docx needs a seekable file)."""
    try:
        with document.open_file() as handle:
            return io.BytesIO(handle.read())
    except OSError as error:
        raise ReportError(
            _("Шаблон «%(title)s» не читается: загрузите его заново.") % {"title": document.title}
        ) from error


def _store(report, content, revision_number):
    Document = get_document_model()
    title = _("Аналитический отчёт оператора: %(kind)s, %(year)s") % {
        "kind": KIND_PLURALS[report.kind],
        "year": report.year,
    }
    collection = reports_collection()
    with transaction.atomic():
        report = OperatorReport.objects.select_for_update().get(pk=report.pk)
        previous = report.document
        document = Document(
            title=title, collection=collection, uploaded_by_user=report.requested_by
        )
        document.file.save(
            f"noko-report-{report.year}-{report.kind}.docx", ContentFile(content), save=False
        )
        document._set_document_file_metadata()
        document.save()
        report.document = document
        report.revision_number = revision_number
        report.status = OperatorReport.Status.DONE
        report.progress = 100
        report.step = _("Готово")
        report.error = ""
        report.finished_at = timezone.now()
        report.save()
        if previous is not None:
            # Wagtail deletes its file once this commits.
            previous.delete()


def enqueue_failed(report):
    """The task could not be queued (the queue's database is down, say): the report says so
    rather than waiting in the queue for a worker that will never see it."""
    logger.exception("Operator report %s/%s could not be queued", report.year, report.kind)
    _fail(report, _("Не удалось поставить отчёт в очередь: попробуйте ещё раз позже."))


def _fail(report, message):
    OperatorReport.objects.filter(pk=report.pk).update(
        status=OperatorReport.Status.FAILED,
        error=message,
        step=_("Ошибка"),
        updated_at=timezone.now(),
    )
