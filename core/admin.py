"""Building blocks of the portal's own admin screens: permission checks, menu items, the page
frame, the file kept between an import's preview and its confirmation, and safe exports."""

import re
import time
import uuid
from functools import wraps
from pathlib import Path

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.storage import FileSystemStorage
from django.core.validators import FileExtensionValidator
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.defaults import permission_denied
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic import IndexView

from .spreadsheets import export_cell
from .tabular import MAX_FILE_BYTES

PENDING_DIRECTORY = "imports"
# A preview nobody confirmed is deleted at the next upload after this many seconds.
PENDING_MAX_AGE = 24 * 60 * 60
STORED_NAME = re.compile(r"^[0-9a-f]{32}\.(csv|xlsx)$")


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


def admin_page(request, template, title, *, icon, status=200, **context):
    """An admin screen with its title in the header and the browser tab."""
    return TemplateResponse(
        request,
        template,
        {"page_title": title, "header_title": title, "header_icon": icon, **context},
        status=status,
    )


class PermissionMenuItem(MenuItem):
    """A menu item shown only to users for whom ``check(user)`` is true."""

    def __init__(self, *args, check, **kwargs):
        super().__init__(*args, **kwargs)
        self.check = check

    def is_shown(self, request):
        return self.check(request.user)


class SafeExportIndexView(IndexView):
    """Every cell of the admin's CSV and XLSX exports goes through the portal's export helper:
    Wagtail escapes formulas only in XLSX and only in text columns."""

    def preprocess_field_value(self, field, value, export_format):
        return export_cell(super().preprocess_field_value(field, value, export_format))


class SpreadsheetUploadForm(forms.Form):
    """The file of an import screen: CSV or XLSX within the reader's size limit. Subclasses
    name the file (``file_label``) and add their own fields."""

    file_label = gettext_lazy("Файл")

    file = forms.FileField(
        help_text=gettext_lazy("CSV или XLSX (первый лист), не больше 20 МБ."),
        validators=[FileExtensionValidator(["csv", "xlsx"])],
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].label = self.file_label

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(_("Файл больше 20 МБ."))
        return upload


class PendingImport:
    """The file between preview and confirmation: stored under a generated name, known to
    the session that uploaded it, used once. The uploader's file name is only displayed.
    Each import subclasses it with its own ``session_key``."""

    session_key = None

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
