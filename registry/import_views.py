"""Admin screens for the registry exchange: import with a preview, and export.

Import is two steps. The uploaded file is checked by a dry run (nothing written) and shown
as a preview of what each row would do, or as the full list of errors; «Подтвердить импорт»
then runs the real, all-or-nothing import (``registry.registry_import``). Between the steps the
file waits under a generated name in ``MEDIA_ROOT/imports/`` (never served); the session
keeps only that name and a one-time token, so no path ever comes from the browser.

Only editors of the registry (add and change organisation) may import; school staff are
admin users too, and get 403. The URLs and the menu item are registered in wagtail_hooks.py.
"""

from django.contrib import messages
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.admin import PendingImport, SpreadsheetUploadForm, admin_page, require_permissions

from .models import Organisation
from .registry_import import EXPORT_FORMATS, export_registry, import_registry
from .resources import COLUMNS

IMPORT_PERMISSIONS = ("registry.add_organisation", "registry.change_organisation")
EXPORT_PERMISSIONS = ("registry.view_organisation",)
SESSION_KEY = "registry.registry_import.pending"
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class RegistryUploadForm(SpreadsheetUploadForm):
    file_label = gettext_lazy("Файл реестра")


class PendingRegistryImport(PendingImport):
    session_key = SESSION_KEY


def screen(request, template, **context):
    return admin_page(request, template, _("Импорт реестра организаций"), icon="upload", **context)


def upload_response(request, form, report=None):
    return screen(request, "registry/import/upload.html", form=form, report=report, columns=COLUMNS)


@require_http_methods(["GET", "POST"])
@require_permissions(*IMPORT_PERMISSIONS)
def import_view(request):
    """Upload → dry run: the preview with a confirm button, or the errors with the form."""
    form = RegistryUploadForm(request.POST or None, request.FILES or None)
    if request.method != "POST" or not form.is_valid():
        return upload_response(request, form)
    upload = form.cleaned_data["file"]
    report = import_registry(upload, upload.name, dry_run=True, user=request.user)
    if not report.ok:
        return upload_response(request, RegistryUploadForm(), report)
    pending = PendingRegistryImport.keep(request, upload)
    return screen(request, "registry/import/preview.html", report=report, pending=pending)


@require_POST
@require_permissions(*IMPORT_PERMISSIONS)
def confirm_view(request):
    pending = PendingRegistryImport.take(request, request.POST.get("token"))
    if pending is None:
        messages.error(
            request, _("Файл для импорта не найден или уже импортирован: загрузите его снова.")
        )
        return redirect("registry_exchange:import")
    try:
        report = import_registry(pending.path, dry_run=False, user=request.user)
    finally:
        pending.delete()
    if not report.ok:
        return upload_response(request, RegistryUploadForm(), report)
    messages.success(request, report.summary())
    return redirect("registry_exchange:import")


@require_GET
@require_permissions(*EXPORT_PERMISSIONS)
def export_view(request):
    fmt = request.GET.get("format", "xlsx")
    if fmt not in EXPORT_FORMATS:
        return HttpResponseBadRequest(_("Формат выгрузки: csv или xlsx."))
    data = export_registry(Organisation.objects.order_by("code"), fmt)
    response = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
    filename = f"organisations-{timezone.localdate():%Y-%m-%d}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
