"""Admin screens: computing and publishing a year, and importing inputs with a preview.

Computing and publishing need ``results.publish_ratingrevision``; importing needs add and
change on assessment inputs. School staff are admin users too and get 403 on all of it
(security.md case 15).
"""

from functools import partial

from django import forms
from django.contrib import messages
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import Count, Q
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST
from django_tasks import TaskResultStatus

from core.admin import PendingImport, SpreadsheetUploadForm, admin_page, require_permissions

from .indicators import policy_lines
from .inputs_import import COLUMNS, import_inputs
from .models import AssessmentInput, RatingRevision
from .services import RatingsError, publication_preview, publish_year
from .tasks import compute_year_task

PUBLISH_PERMISSION = "results.publish_ratingrevision"
IMPORT_PERMISSIONS = ("results.add_assessmentinput", "results.change_assessmentinput")


def _years():
    years = set(AssessmentInput.objects.values_list("year", flat=True).distinct())
    years |= set(RatingRevision.objects.values_list("year", flat=True))
    revisions = {}
    for revision in RatingRevision.objects.annotate(
        rated=Count("results", filter=Q(results__status="rated")),
        low_sample_count=Count("results", filter=Q(results__low_sample=True)),
        total=Count("results"),
    ).order_by("year", "number"):
        # What the revision was computed with, whatever its version says now.
        revision.policy_lines = policy_lines(revision.applied_policies)
        revisions.setdefault(revision.year, []).append(revision)
    return [(year, revisions.get(year, [])) for year in sorted(years, reverse=True)]


# Every screen of this module, framed alike (core.admin).
screen = partial(admin_page, icon="list-ol")


@require_http_methods(["GET"])
@require_permissions(PUBLISH_PERMISSION)
def publication_index(request):
    return screen(
        request, "results/admin/publication.html", _("Расчёт и публикация рейтинга"), years=_years()
    )


@require_POST
@require_permissions(PUBLISH_PERMISSION)
def compute_view(request, year):
    result = compute_year_task.enqueue(year, request.user.pk)
    if result.status == TaskResultStatus.FAILED:
        messages.error(request, _("Расчёт не удался: сообщите администратору портала."))
        return redirect("results_publication")
    value = result.return_value if result.is_finished else None
    if value is None:
        messages.info(request, _("Расчёт %(year)s года запущен в фоне.") % {"year": year})
    elif value.get("error"):
        messages.error(request, value["error"])
    elif value["invalid"]:
        messages.error(
            request,
            _("Расчёт остановлен: противоречивые данные у организаций %(codes)s.")
            % {"codes": ", ".join(value["invalid"][:20])},
        )
    else:
        messages.success(
            request,
            _("Черновик %(year)s года рассчитан: с баллом %(rated)s, без балла %(other)s.")
            % {"year": year, "rated": value["rated"], "other": value["insufficient"]},
        )
    return redirect("results_publication")


# How many organisations of each list the confirmation names; the counts are always whole.
PREVIEW_LIST_LENGTH = 10


@require_http_methods(["GET", "POST"])
@require_permissions(PUBLISH_PERMISSION)
def publish_view(request, year):
    """Publishing asks first: a summary of the draft against the published revision, then a
    POST carrying the confirmation of that very draft publishes. A GET, or a POST without the
    confirmation (or confirming a draft recomputed since), only shows the summary."""
    try:
        preview = publication_preview(year)
    except RatingsError as error:
        messages.error(request, str(error))
        return redirect("results_publication")
    error = ""
    confirmation = request.POST.get("confirm")
    if request.method == "POST" and confirmation is not None:
        if confirmation != preview.token:
            error = _(
                "Черновик пересчитан после того, как открылась эта сводка: проверьте её ещё "
                "раз и подтвердите публикацию."
            )
        else:
            note = request.POST.get("note", "")
            try:
                revision = publish_year(year, user=request.user, change_note=note)
            except RatingsError as refused:
                error = str(refused)
            else:
                messages.success(
                    request,
                    _("Рейтинг %(year)s года опубликован, редакция %(number)s.")
                    % {"year": year, "number": revision.number},
                )
                return redirect("results_publication")
    return screen(
        request,
        "results/admin/publish_confirm.html",
        _("Публикация рейтинга %(year)s года: подтверждение") % {"year": year},
        status=400 if error else 200,
        year=year,
        preview=preview,
        error=error,
        note=request.POST.get("note", ""),
        list_length=PREVIEW_LIST_LENGTH,
    )


class InputsPendingImport(PendingImport):
    session_key = "results.inputs_import.pending"


class InputsUploadForm(SpreadsheetUploadForm):
    file_label = gettext_lazy("Файл входных данных")
    field_order = ["year", "file"]

    year = forms.IntegerField(
        label=gettext_lazy("Год оценки"),
        validators=[MinValueValidator(2015), MaxValueValidator(2100)],
    )


@require_http_methods(["GET", "POST"])
@require_permissions(*IMPORT_PERMISSIONS)
def inputs_import_view(request):
    form = InputsUploadForm(request.POST or None, request.FILES or None)
    title = _("Импорт входных данных оценки")
    if request.method != "POST" or not form.is_valid():
        return screen(
            request, "results/admin/inputs_upload.html", title, form=form, columns=COLUMNS
        )
    upload, year = form.cleaned_data["file"], form.cleaned_data["year"]
    report = import_inputs(upload, year, upload.name, dry_run=True, user=request.user)
    if not report.ok:
        return screen(
            request,
            "results/admin/inputs_upload.html",
            title,
            form=InputsUploadForm(initial={"year": year}),
            report=report,
            columns=COLUMNS,
        )
    pending = InputsPendingImport.keep(request, upload)
    request.session["results.inputs_import.year"] = year
    return screen(
        request, "results/admin/inputs_preview.html", title, report=report, pending=pending
    )


@require_POST
@require_permissions(*IMPORT_PERMISSIONS)
def inputs_confirm_view(request):
    year = request.session.pop("results.inputs_import.year", None)
    pending = InputsPendingImport.take(request, request.POST.get("token"))
    if pending is None or year is None:
        messages.error(request, _("Файл для импорта не найден: загрузите его ещё раз."))
        return redirect("results_inputs_import")
    try:
        report = import_inputs(pending.path, year, pending.original_name, user=request.user)
    finally:
        pending.delete()
    if not report.ok:
        messages.error(request, "; ".join(str(error) for error in report.errors[:20]))
        return redirect("results_inputs_import")
    messages.success(
        request,
        _(
            "Импорт за %(year)s год: добавлено %(created)s, обновлено %(updated)s, "
            "без изменений %(unchanged)s."
        )
        % {
            "year": year,
            "created": report.created,
            "updated": report.updated,
            "unchanged": report.unchanged,
        },
    )
    return redirect("results_publication")
