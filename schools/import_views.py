"""Admin screens for the registry exchange: import with a preview, and export.

Import is two steps. The uploaded file is checked by a dry run (nothing written) and shown
as a preview of what each row would do, or as the full list of errors; «Подтвердить импорт»
then runs the real, all-or-nothing import (``schools.registry_import``). Between the steps the
file waits under a generated name in ``MEDIA_ROOT/imports/`` (never served); the session
keeps only that name and a one-time token, so no path ever comes from the browser.

Only editors of the registry (add and change organisation) may import; school staff are
admin users too, and get 403. Importing this module registers the URLs and the menu item.
"""

import re
import time
import uuid
from functools import wraps
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.files.storage import FileSystemStorage
from django.core.validators import FileExtensionValidator
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import include, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.defaults import permission_denied
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .models import Organisation
from .registry_import import EXPORT_FORMATS, export_registry, import_registry
from .resources import COLUMNS
from .tabular import MAX_FILE_BYTES

IMPORT_PERMISSIONS = ("schools.add_organisation", "schools.change_organisation")
EXPORT_PERMISSIONS = ("schools.view_organisation",)
SESSION_KEY = "schools.registry_import.pending"
PENDING_DIRECTORY = "imports"
# A preview nobody confirmed is deleted at the next upload after this many seconds.
PENDING_MAX_AGE = 24 * 60 * 60
STORED_NAME = re.compile(r"^[0-9a-f]{32}\.(csv|xlsx)$")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def require_permissions(*permissions):
    """403 unless the user holds every one of ``permissions``.

    Wagtail turns a PermissionDenied raised inside an admin view into a redirect to the
    dashboard; school staff are untrusted admin users, and a plain 403 is the honest answer."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.has_perms(permissions):
                return permission_denied(request, PermissionDenied())
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


class RegistryUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Файл реестра"),
        help_text=gettext_lazy("CSV или XLSX (первый лист), не больше 20 МБ."),
        validators=[FileExtensionValidator(["csv", "xlsx"])],
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(_("Файл больше 20 МБ."))
        return upload


class PendingImport:
    """The file between preview and confirmation: stored under a generated name, known to
    the session that uploaded it, used once. The uploader's file name is only displayed.
    Other imports (assessment inputs) subclass it with their own ``session_key``."""

    session_key = SESSION_KEY

    def __init__(self, stored_name, original_name, token):
        self.stored_name = stored_name
        self.original_name = original_name
        self.token = token

    @staticmethod
    def storage():
        return FileSystemStorage(location=Path(settings.MEDIA_ROOT) / PENDING_DIRECTORY)

    @classmethod
    def keep(cls, request, upload):
        cls.discard(request)
        purge_stale_files(cls.storage())
        extension = Path(upload.name).suffix.lower().lstrip(".")
        upload.seek(0)
        stored_name = cls.storage().save(f"{uuid.uuid4().hex}.{extension}", upload)
        pending = cls(stored_name, Path(upload.name).name[:200], uuid.uuid4().hex)
        request.session[cls.session_key] = {
            "stored_name": pending.stored_name,
            "original_name": pending.original_name,
            "token": pending.token,
        }
        return pending

    @classmethod
    def take(cls, request, token):
        """The pending import of this session if ``token`` is its token; the session forgets
        it either way, so a double submission imports once."""
        data = request.session.pop(cls.session_key, None)
        if not data:
            return None
        pending = cls.from_session(data)
        if not token or token != pending.token:
            pending.delete()
            return None
        if not STORED_NAME.match(pending.stored_name) or not cls.storage().exists(
            pending.stored_name
        ):
            return None
        return pending

    @classmethod
    def discard(cls, request):
        data = request.session.pop(cls.session_key, None)
        if data:
            cls.from_session(data).delete()

    @classmethod
    def from_session(cls, data):
        return cls(data["stored_name"], data.get("original_name", ""), data.get("token", ""))

    @property
    def path(self):
        return self.storage().path(self.stored_name)

    def delete(self):
        if STORED_NAME.match(self.stored_name):
            self.storage().delete(self.stored_name)


def purge_stale_files(storage):
    try:
        _directories, names = storage.listdir("")
    except FileNotFoundError:
        return
    cutoff = time.time() - PENDING_MAX_AGE
    for name in names:
        if STORED_NAME.match(name) and storage.get_modified_time(name).timestamp() < cutoff:
            storage.delete(name)


def page_context(**context):
    title = _("Импорт реестра организаций")
    return {"page_title": title, "header_title": title, "header_icon": "upload", **context}


def upload_response(request, form, report=None):
    return TemplateResponse(
        request,
        "schools/import/upload.html",
        page_context(form=form, report=report, columns=COLUMNS),
    )


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
    pending = PendingImport.keep(request, upload)
    return TemplateResponse(
        request,
        "schools/import/preview.html",
        page_context(report=report, pending=pending),
    )


@require_POST
@require_permissions(*IMPORT_PERMISSIONS)
def confirm_view(request):
    pending = PendingImport.take(request, request.POST.get("token"))
    if pending is None:
        messages.error(
            request, _("Файл для импорта не найден или уже импортирован: загрузите его снова.")
        )
        return redirect("schools_registry:import")
    try:
        report = import_registry(pending.path, dry_run=False, user=request.user)
    finally:
        pending.delete()
    if not report.ok:
        return upload_response(request, RegistryUploadForm(), report)
    messages.success(request, report.summary())
    return redirect("schools_registry:import")


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


@hooks.register("register_admin_urls")
def register_registry_exchange_urls():
    urls = [
        path("import/", import_view, name="import"),
        path("import/confirm/", confirm_view, name="confirm"),
        path("export/", export_view, name="export"),
    ]
    return [path("registry/", include((urls, "schools_registry"), namespace="schools_registry"))]


class PermissionsMenuItem(MenuItem):
    def __init__(self, *args, permissions, **kwargs):
        super().__init__(*args, **kwargs)
        self.permissions = permissions

    def is_shown(self, request):
        return request.user.has_perms(self.permissions)


@hooks.register("register_admin_menu_item")
def register_registry_import_menu_item():
    return PermissionsMenuItem(
        gettext_lazy("Импорт реестра"),
        reverse("schools_registry:import"),
        name="registry-import",
        icon_name="upload",
        order=201,  # right after «Реестр»
        permissions=IMPORT_PERMISSIONS,
    )
