"""Admin screens of the operator's analytical report: the published years' kinds with their
reports, one kind's screen (recommendations, «Сформировать», progress, the download link)
and the printable page (the browser prints it to PDF).

All need the ratings' publish permission (the operator's editors hold it); school staff,
coordinators and experts are admin users too and get a plain 403 (security.md case 15).
"""

from functools import partial

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods
from wagtail import hooks

from core.admin import PermissionMenuItem, admin_page, require_permissions
from core.validators import reject_control_characters
from registry.kinds import KIND_PLURALS
from results import charts
from results.models import RatingRevision

from .models import OperatorReport
from .report import (
    SECTION_TITLES,
    ReportError,
    gather,
    published_revision,
    recommendation_blocks,
    report_kinds,
)
from .report_service import (
    REPORTS_COLLECTION,
    TEMPLATE_TITLE,
    enqueue_failed,
    request_report,
    save_recommendations,
)
from .tasks import generate_report_task

# The ratings' own permission (results.admin_views.PUBLISH_PERMISSION): whoever computes
# and publishes a year's ratings reports on them. Migration results/0004 grants it to the
# operator's editors.
REPORT_PERMISSION = "results.publish_ratingrevision"
# Seconds between refreshes of the screen while a report is being made.
REFRESH_SECONDS = 3

screen = partial(admin_page, icon="doc-full")


class RecommendationsForm(forms.Form):
    recommendations = forms.CharField(
        label=gettext_lazy("Рекомендации оператора"),
        required=False,
        max_length=20000,
        validators=[reject_control_characters],
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=gettext_lazy(
            "Абзацы разделяйте пустой строкой; строка, начинающаяся с «- », — пункт списка."
        ),
    )


def _kind_or_404(kind):
    if kind not in KIND_PLURALS:
        raise Http404
    return kind


def _published_or_404(year, kind):
    try:
        revision = published_revision(year)
    except ReportError as error:
        raise Http404(str(error)) from error
    if kind not in report_kinds(revision):
        raise Http404
    return revision


@never_cache
@require_GET
@require_permissions(REPORT_PERMISSION)
def report_index(request):
    reports = {(item.year, item.kind): item for item in OperatorReport.objects.all()}
    years = [
        (
            revision.year,
            [
                {
                    "kind": kind,
                    "label": KIND_PLURALS[kind],
                    "report": reports.get((revision.year, kind)),
                }
                for kind in report_kinds(revision)
            ],
        )
        for revision in RatingRevision.objects.current().order_by("-year")
    ]
    return screen(
        request,
        "outputs/report/index.html",
        _("Аналитический отчёт оператора"),
        years=years,
    )


@never_cache
@require_http_methods(["GET", "POST"])
@require_permissions(REPORT_PERMISSION)
def report_screen(request, year, kind):
    _kind_or_404(kind)
    revision = _published_or_404(year, kind)
    report = OperatorReport.objects.filter(year=year, kind=kind).select_related("document").first()
    initial = {"recommendations": report.recommendations if report else ""}
    form = RecommendationsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        text = form.cleaned_data["recommendations"]
        if request.POST.get("action") == "save":
            save_recommendations(year, kind, text)
            messages.success(request, _("Рекомендации сохранены."))
            return redirect("outputs_report", year=year, kind=kind)
        try:
            report = request_report(year, kind, request.user, text)
        except ReportError as error:
            messages.error(request, str(error))
        else:
            try:
                generate_report_task.enqueue(report.pk)
            except Exception:
                enqueue_failed(report)
            else:
                messages.info(request, _("Отчёт поставлен в очередь на формирование."))
        return redirect("outputs_report", year=year, kind=kind)
    return screen(
        request,
        "outputs/report/screen.html",
        _("Аналитический отчёт оператора: %(kind)s, %(year)s")
        % {"kind": KIND_PLURALS[kind], "year": year},
        status=400 if form.is_bound else 200,
        form=form,
        year=year,
        kind=kind,
        report=report,
        revision=revision,
        behind=bool(
            report and report.revision_number and report.revision_number != revision.number
        ),
        refresh=REFRESH_SECONDS if report and report.in_progress else None,
        collection=REPORTS_COLLECTION,
        template_title=TEMPLATE_TITLE,
    )


@never_cache
@require_GET
@require_permissions(REPORT_PERMISSION)
def report_print(request, year, kind):
    """The report as one printable page: the same figures as the DOCX, A4 print styles."""
    _kind_or_404(kind)
    _published_or_404(year, kind)
    data = gather(year, kind)
    report = OperatorReport.objects.filter(year=year, kind=kind).first()
    means = data.criterion_means()
    rated = max(data.rated, 1)
    return TemplateResponse(
        request,
        "outputs/report/print.html",
        {
            "data": data,
            "sections": SECTION_TITLES,
            "criterion_chart": charts.bars([(label, [value]) for _c, label, _t, value in means]),
            # The bands as shares of the rated organisations, on the charts' 0–100 scale.
            "band_chart": charts.bars(
                [(band.range_label, [round(100 * band.count / rated, 1)]) for band in data.bands]
            ),
            "recommendations": recommendation_blocks(report.recommendations if report else ""),
        },
    )


@hooks.register("register_admin_menu_item")
def register_report_menu_item():
    return PermissionMenuItem(
        gettext_lazy("Аналитический отчёт оператора"),
        reverse("outputs_reports"),
        icon_name="doc-full",
        order=270,
        check=lambda user: user.has_perm(REPORT_PERMISSION),
    )


# Public URLs (included at the site root by outputs/urls.py).
urlpatterns = []
# Admin URLs (registered under /admin/ by outputs/wagtail_hooks.py).
admin_urlpatterns = [
    path("operator-reports/", report_index, name="outputs_reports"),
    path("operator-reports/<int:year>/<slug:kind>/", report_screen, name="outputs_report"),
    path(
        "operator-reports/<int:year>/<slug:kind>/print/", report_print, name="outputs_report_print"
    ),
]
