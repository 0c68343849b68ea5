"""Forms of the improvement plans: the draft (one card per measure), the execution report
with its evidence file, the founder's decision and the filters of the lists.

Forms check types, lengths and files; what a plan needs before submission or approval is the
service's rule (``accountability.plans``), and its messages are put on these forms' fields.
"""

import os

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from PIL import Image as PILImage

from core.uploads import (
    contains_markup,
    document_content_matches,
    png_text_contains_markup,
    without_metadata,
)
from core.validators import reject_control_characters
from registry.models import Municipality, Organisation

from .plans import DASHBOARD_STATUSES, DRAFT_FIELDS, STATUS_LABELS

TEXT_MAX_LENGTH = 2000
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
EVIDENCE_EXTENSIONS = {"pdf": None, "jpg": "JPEG", "jpeg": "JPEG", "png": "PNG"}
DATE_WIDGET = {"format": "%Y-%m-%d", "attrs": {"type": "date"}}


def text_field(label, max_length=TEXT_MAX_LENGTH, rows=3, required=False):
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        validators=[reject_control_characters],
        widget=forms.Textarea(attrs={"rows": rows, "maxlength": max_length}),
    )


def line_field(label, max_length=200, required=False, **attrs):
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        validators=[reject_control_characters],
        widget=forms.TextInput(attrs={"maxlength": max_length, **attrs}),
    )


class MeasureForm(forms.Form):
    """One measure of a draft (columns 1–4). Nothing is required: a draft is saved part-way.
    Column 1 of a measure made from a published shortcoming is shown, not edited."""

    shortcoming_text = text_field(_("Недостаток, выявленный в ходе оценки"))
    measure = text_field(_("Мероприятие по устранению недостатка"))
    planned_date = forms.DateField(
        label=_("Плановый срок реализации"),
        required=False,
        widget=forms.DateInput(**DATE_WIDGET),
    )
    responsible_name = line_field(
        _("Ответственный исполнитель: фамилия, имя, отчество"), autocomplete="name"
    )
    responsible_position = line_field(
        _("Должность ответственного"), autocomplete="organization-title"
    )
    remove = forms.BooleanField(label=_("Удалить это мероприятие"), required=False)

    def __init__(self, measure, data=None):
        self.measure_obj = measure
        super().__init__(
            data,
            prefix=f"m{measure.pk}",
            initial={field: getattr(measure, field) for field in DRAFT_FIELDS},
        )
        self.from_list = measure.shortcoming_id is not None
        if self.from_list:
            self.fields["shortcoming_text"].disabled = True
            del self.fields["remove"]

    @property
    def criterion(self):
        return self.measure_obj.criterion

    def values(self):
        return {
            field: value
            for field, value in self.cleaned_data.items()
            if field != "remove" and not self.fields[field].disabled
        }


class PlanDraftForm:
    """The draft's measures, a MeasureForm each, validated and saved together."""

    def __init__(self, plan, data=None):
        self.plan = plan
        self.forms = [MeasureForm(measure, data) for measure in plan.measures.all()]

    def is_valid(self):
        # Every card validated, not only up to the first bad one: all errors show at once.
        valid = [form.is_valid() for form in self.forms]
        return all(valid)

    def changes(self):
        return {form.measure_obj.pk: form.values() for form in self.forms}

    def removed(self):
        return [form.measure_obj.pk for form in self.forms if form.cleaned_data.get("remove")]

    def add_errors(self, errors):
        """Put the service's {measure pk: {field: [messages]}} on the measures' fields."""
        for form in self.forms:
            for field, messages in errors.get(form.measure_obj.pk, {}).items():
                for message in messages:
                    form.add_error(field, message)


def _check_image(upload, expected_format):
    try:
        with PILImage.open(upload) as image:
            found_format = image.format
            pixels = image.size[0] * image.size[1]
    except PILImage.DecompressionBombError as exc:
        raise forms.ValidationError(_("Изображение слишком большое по числу точек.")) from exc
    except (OSError, ValueError) as exc:
        raise forms.ValidationError(_("Файл не открывается как изображение.")) from exc
    finally:
        upload.seek(0)
    if found_format != expected_format:
        raise forms.ValidationError(_("Содержимое файла не соответствует его расширению."))
    if pixels > settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS:
        raise forms.ValidationError(
            _("Изображение больше %(n)s млн точек: уменьшите его.")
            % {"n": settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS // 1_000_000}
        )
    if png_text_contains_markup(upload):
        raise forms.ValidationError(_("Файл содержит HTML или скрипт и не может быть загружен."))
    # Photos of the works may carry the phone's GPS position: stored without it.
    return without_metadata(upload)


def checked_evidence(upload):
    """An evidence file as the portal stores it, or ValidationError: PDF, JPEG or PNG up to
    10 MB whose content matches its extension and carries no markup."""
    if upload.size > EVIDENCE_MAX_BYTES:
        raise forms.ValidationError(_("Файл больше 10 МБ."))
    extension = os.path.splitext(upload.name or "")[1].lower().lstrip(".")
    if extension not in EVIDENCE_EXTENSIONS:
        raise forms.ValidationError(_("Приложите файл PDF, JPEG или PNG."))
    if contains_markup(upload):
        raise forms.ValidationError(_("Файл содержит HTML или скрипт и не может быть загружен."))
    expected_format = EVIDENCE_EXTENSIONS[extension]
    if expected_format is None:
        if not document_content_matches(upload, "pdf"):
            raise forms.ValidationError(_("Содержимое файла не соответствует расширению .pdf."))
        upload.seek(0)
        return upload
    return _check_image(upload, expected_format)


class ExecutionForm(forms.Form):
    """The execution report of one measure (columns 5.1 and 5.2, with evidence). What is
    required is the service's rule; this form checks types and the file."""

    done_text = text_field(_("Реализованные меры по устранению недостатка"))
    done_date = forms.DateField(
        label=_("Фактический срок реализации"),
        required=False,
        widget=forms.DateInput(**DATE_WIDGET),
    )
    evidence_url = forms.URLField(
        label=_("Ссылка на подтверждение (страница сайта, фотография)"),
        required=False,
        max_length=500,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"maxlength": 500, "inputmode": "url"}),
    )
    evidence_file = forms.FileField(
        label=_("Файл-подтверждение: PDF, JPEG или PNG, до 10 МБ"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )

    def __init__(self, measure, data=None, files=None, today=None):
        self.measure_obj = measure
        super().__init__(
            data,
            files,
            prefix=f"x{measure.pk}",
            initial={
                "done_text": measure.done_text,
                "done_date": measure.done_date,
                "evidence_url": measure.evidence_url,
            },
        )
        if today is not None:
            self.fields["done_date"].widget.attrs["max"] = today.isoformat()

    def clean_evidence_url(self):
        url = self.cleaned_data["evidence_url"]
        if url and not url.lower().startswith(("http://", "https://")):
            raise forms.ValidationError(_("Ссылка должна начинаться с http:// или https://."))
        return url

    def clean_evidence_file(self):
        upload = self.cleaned_data.get("evidence_file")
        if not upload:
            return None
        return checked_evidence(upload)


class ApproveForm(forms.Form):
    approver_title = line_field(
        _("Утверждаю: должность, ФИО"),
        max_length=300,
        required=True,
        placeholder=_("Начальник управления образования И. И. Иванов"),
    )


class ReturnForm(forms.Form):
    comment = text_field(_("Что исправить (организация увидит комментарий)"), required=True)


def kind_choices():
    return [("", _("Все типы")), *Organisation.Kind.choices]


class PlansFilterForm(forms.Form):
    """The public list's filters: municipality (by slug) and kind."""

    municipality = forms.ModelChoiceField(
        label=_("Муниципалитет"),
        queryset=Municipality.objects.none(),
        to_field_name="slug",
        required=False,
        empty_label=_("Все муниципалитеты"),
    )
    kind = forms.ChoiceField(label=_("Тип организации"), required=False, choices=kind_choices)

    def __init__(self, data=None, municipalities=None):
        super().__init__(data)
        self.fields["municipality"].queryset = (
            municipalities if municipalities is not None else Municipality.objects.all()
        ).order_by("name")

    def filter(self, organisations_field, queryset):
        """``queryset`` narrowed by the filters; ``organisations_field`` leads to the
        organisation ("" when the queryset is of organisations)."""
        prefix = f"{organisations_field}__" if organisations_field else ""
        municipality = self.cleaned_data.get("municipality")
        kind = self.cleaned_data.get("kind")
        if municipality is not None:
            queryset = queryset.filter(**{f"{prefix}municipality": municipality})
        if kind:
            queryset = queryset.filter(**{f"{prefix}kind": kind})
        return queryset


class DashboardFilterForm(PlansFilterForm):
    status = forms.ChoiceField(
        label=_("Состояние плана"),
        required=False,
        choices=lambda: [("", _("Все")), *((s, STATUS_LABELS[s]) for s in DASHBOARD_STATUSES)],
    )
