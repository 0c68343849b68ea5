"""The admin screen of the year's assessment list (перечень организаций).

One page per year: how many organisations of each kind are on the list, the warning about
those left out for three years, the registry filtered by kind, municipality or name with
each organisation's place on the list, and three ways to change it — tick and add or remove,
add or remove everything the filter shows, or import a file of codes (all or nothing). The
list downloads as CSV for the public council's approval. Editors of the registry only.
"""

import csv
import io

from django import forms
from django.contrib import messages
from django.db.models import Count, Exists, OuterRef, Q
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods

from core.admin import SpreadsheetUploadForm, admin_page, require_permissions
from core.pagination import paginate
from core.spreadsheets import export_cell

from . import assessment
from .kinds import KIND_ORDER, KIND_PLURALS
from .models import REGISTRY_PERMISSION, AssessmentListEntry, Municipality, Organisation

PER_PAGE = 100
# The overdue warning names this many organisations; the rest are counted.
OVERDUE_SHOWN = 50


class ListFilterForm(forms.Form):
    year = forms.IntegerField(label=gettext_lazy("Год оценки"), min_value=2015, max_value=2100)
    kind = forms.ChoiceField(
        label=gettext_lazy("Тип"),
        required=False,
        choices=[("", gettext_lazy("Все типы")), *Organisation.Kind.choices],
    )
    municipality = forms.ModelChoiceField(
        label=gettext_lazy("Муниципалитет"),
        queryset=Municipality.objects.all(),
        required=False,
        empty_label=gettext_lazy("Все муниципалитеты"),
    )
    q = forms.CharField(label=gettext_lazy("Название или код"), required=False, max_length=100)
    listed = forms.ChoiceField(
        label=gettext_lazy("В перечне"),
        required=False,
        choices=[
            ("", gettext_lazy("Все")),
            ("yes", gettext_lazy("Только в перечне")),
            ("no", gettext_lazy("Только не в перечне")),
        ],
    )


class ListUploadForm(SpreadsheetUploadForm):
    file_label = gettext_lazy("Файл с кодами организаций")


def _filtered(cleaned):
    year = cleaned["year"]
    organisations = (
        Organisation.objects.filter(is_active=True)
        .select_related("municipality")
        .annotate(
            listed=Exists(
                AssessmentListEntry.objects.filter(year=year, organisation=OuterRef("pk"))
            )
        )
        .order_by("municipality__name", "name")
    )
    if cleaned.get("kind"):
        organisations = organisations.filter(kind=cleaned["kind"])
    if cleaned.get("municipality"):
        organisations = organisations.filter(municipality=cleaned["municipality"])
    if cleaned.get("q"):
        organisations = organisations.filter(
            Q(name__icontains=cleaned["q"])
            | Q(short_name__icontains=cleaned["q"])
            | Q(code=cleaned["q"])
        )
    if cleaned.get("listed") == "yes":
        organisations = organisations.filter(listed=True)
    elif cleaned.get("listed") == "no":
        organisations = organisations.filter(listed=False)
    return organisations


def _summary(year):
    """Per kind: active organisations, and how many of them are on the list."""
    counts = {
        row["kind"]: row
        for row in Organisation.objects.filter(is_active=True)
        .values("kind")
        .annotate(
            total=Count("pk"),
            listed=Count("pk", filter=Q(assessment_list_entries__year=year)),
        )
        .order_by()
    }
    return [
        {
            "label": KIND_PLURALS[kind],
            "total": counts.get(kind.value, {}).get("total", 0),
            "listed": counts.get(kind.value, {}).get("listed", 0),
        }
        for kind in KIND_ORDER
    ]


def _filter_query(cleaned):
    return {
        "year": cleaned["year"],
        "kind": cleaned.get("kind") or "",
        "municipality": cleaned["municipality"].pk if cleaned.get("municipality") else "",
        "q": cleaned.get("q") or "",
        "listed": cleaned.get("listed") or "",
    }


@require_http_methods(["GET", "POST"])
@require_permissions(REGISTRY_PERMISSION)
def list_view(request):
    data = request.GET.copy()
    data.setdefault("year", str(timezone.localdate().year))
    filters = ListFilterForm(data)
    if not filters.is_valid():
        return admin_page(
            request,
            "registry/assessment/list.html",
            _("Перечень организаций для оценки"),
            icon="list-ul",
            status=400,
            filters=filters,
        )
    cleaned = filters.cleaned_data
    year = cleaned["year"]
    upload = ListUploadForm()
    import_errors = []
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "import":
            upload = ListUploadForm(request.POST, request.FILES)
            if upload.is_valid():
                found = assessment.read_codes(upload.cleaned_data["file"])
                if found.ok:
                    added = assessment.add(year, found.organisations, request.user)
                    messages.success(request, _added_message(added, len(found.organisations)))
                    return redirect(f"{request.path}?year={year}")
                import_errors = found.errors
        else:
            response = _change(request, action, year, cleaned)
            if response is not None:
                return response
    organisations = _filtered(cleaned)
    overdue = assessment.overdue(year)
    return admin_page(
        request,
        "registry/assessment/list.html",
        _("Перечень организаций для оценки"),
        icon="list-ul",
        status=400 if import_errors or upload.errors else 200,
        filters=filters,
        year=year,
        has_list=assessment.has_list(year),
        summary=_summary(year),
        overdue=overdue[:OVERDUE_SHOWN],
        overdue_count=len(overdue),
        overdue_more=max(0, len(overdue) - OVERDUE_SHOWN),
        period=assessment.assessment_period_years(),
        page=paginate(request, organisations, PER_PAGE),
        filter_query=_filter_query(cleaned),
        upload=upload,
        import_errors=import_errors,
    )


def _change(request, action, year, cleaned):
    """Add or remove the ticked organisations, or everything the filter shows."""
    if action in ("add_selected", "remove_selected"):
        ids = [value for value in request.POST.getlist("organisation") if value.isdigit()]
        chosen = Organisation.objects.filter(pk__in=ids, is_active=True)
    elif action in ("add_filtered", "remove_filtered"):
        chosen = _filtered({**cleaned, "listed": ""})
    else:
        messages.error(request, _("Неизвестное действие."))
        return None
    chosen = list(chosen)
    if action.startswith("add"):
        added = assessment.add(year, chosen, request.user)
        messages.success(request, _added_message(added, len(chosen)))
    else:
        removed = assessment.remove(year, chosen)
        messages.success(
            request,
            ngettext(
                "Из перечня убрана %(count)d организация.",
                "Из перечня убрано организаций: %(count)d.",
                removed,
            )
            % {"count": removed},
        )
    query = "&".join(f"{key}={value}" for key, value in _filter_query(cleaned).items() if value)
    return redirect(f"{request.path}?{query}")


def _added_message(added, chosen):
    message = ngettext(
        "В перечень добавлена %(count)d организация.",
        "В перечень добавлено организаций: %(count)d.",
        added,
    ) % {"count": added}
    if chosen > added:
        message += " " + _("Остальные (%(count)d) уже были в перечне.") % {"count": chosen - added}
    return message


@require_GET
@require_permissions(REGISTRY_PERMISSION)
def export_view(request, year):
    """The year's list as CSV (UTF-8 with BOM, so that Excel reads the Cyrillic)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["code", "name", "kind", "municipality"])
    entries = (
        AssessmentListEntry.objects.filter(year=year)
        .select_related("organisation__municipality")
        .order_by("organisation__municipality__name", "organisation__name")
    )
    for entry in entries:
        organisation = entry.organisation
        writer.writerow(
            [
                export_cell(value)
                for value in (
                    organisation.code,
                    organisation.name,
                    organisation.kind,
                    organisation.municipality.name,
                )
            ]
        )
    response = HttpResponse(
        ("\ufeff" + buffer.getvalue()).encode("utf-8"), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="assessment-list-{year}.csv"'
    return response
