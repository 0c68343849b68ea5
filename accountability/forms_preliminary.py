"""Forms of the preliminary stage: opening it, filing an objection with attachments, and the
operator's decisions (the corrected inputs are checked the way the engine checks them)."""

import os
import re

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from PIL import Image as PILImage

from core.uploads import (
    contains_markup,
    document_content_matches,
    png_text_contains_markup,
    without_metadata,
)
from core.validators import reject_control_characters
from registry.models import Municipality
from results import engine
from results.indicators import INDICATOR_TITLES
from results.models import AssessmentInput

from .models import Objection
from .preliminary import MAX_ATTACHMENTS, MAX_REASON_LENGTH, correctable_fields
from .publication import kept_shortcomings

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
# Extension → the format Pillow must find inside (None: a PDF, checked by its signature).
ATTACHMENT_FORMATS = {"pdf": None, "jpg": "JPEG", "jpeg": "JPEG", "png": "PNG"}
# Direction overrides and isolates: they make a text read differently from what it says
# (security.md case 6); tab and line breaks stay allowed.
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
ANSWER_MAX_LENGTH = 5000


def reject_invisible_characters(value):
    reject_control_characters(value)
    if BIDI_CONTROLS.search(value or ""):
        raise ValidationError(
            _("Текст содержит символы смены направления письма: удалите их."),
            code="bidi_controls",
        )


class OpenStageForm(forms.Form):
    opens_on = forms.DateField(
        label=_("Дата открытия"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"opens_on": timezone.localdate()})
        super().__init__(*args, **kwargs)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input; each is cleaned like a single FileField."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if not data:
            return []
        if not isinstance(data, list | tuple):
            data = [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in data]


def checked_attachment(upload):
    """The upload if it is a PDF, JPEG or PNG by its content and carries no markup (images
    come back without EXIF/XMP, as every photo on the portal); ValidationError otherwise."""
    name = upload.name or ""
    extension = os.path.splitext(name)[1].lower().lstrip(".")
    if extension not in ATTACHMENT_FORMATS:
        raise ValidationError(
            _("«%(name)s»: можно приложить только PDF, JPEG или PNG.") % {"name": name}
        )
    if upload.size > MAX_ATTACHMENT_BYTES:
        raise ValidationError(
            _("«%(name)s» больше %(limit)s.")
            % {"name": name, "limit": filesizeformat(MAX_ATTACHMENT_BYTES)}
        )
    expected = ATTACHMENT_FORMATS[extension]
    if expected is None:
        if not document_content_matches(upload, "pdf"):
            raise ValidationError(_("«%(name)s» не является PDF-файлом.") % {"name": name})
    else:
        too_large = ValidationError(
            _("«%(name)s»: слишком большое изображение (больше %(limit)s пикселей).")
            % {"name": name, "limit": settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS}
        )
        upload.seek(0)
        try:
            # Only the header is read here: the pixel count is checked before any decoding.
            with PILImage.open(upload) as image:
                found, (width, height) = image.format, image.size
        except PILImage.DecompressionBombError:
            raise too_large from None
        except (OSError, ValueError):
            found, width, height = None, 0, 0
        finally:
            upload.seek(0)
        if found != expected:
            raise ValidationError(
                _("«%(name)s» не является изображением %(format)s.")
                % {"name": name, "format": expected}
            )
        if width * height > settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS:
            raise too_large
    if contains_markup(upload) or (expected == "PNG" and png_text_contains_markup(upload)):
        raise ValidationError(
            _("«%(name)s» содержит HTML или скрипт и не может быть загружен.") % {"name": name}
        )
    return upload if expected is None else without_metadata(upload)


class ObjectionForm(forms.Form):
    indicator = forms.ChoiceField(label=_("Показатель"), required=False)
    shortcoming = forms.ModelChoiceField(
        label=_("Недостаток из перечня"),
        queryset=None,
        required=False,
        empty_label=_("— не выбран —"),
    )
    reason = forms.CharField(
        label=_("Суть возражения"),
        max_length=MAX_REASON_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        validators=[reject_invisible_characters],
    )
    attachments = MultipleFileField(label=_("Подтверждающие документы"), required=False)

    def __init__(self, *args, organisation, year, **kwargs):
        # Ids unique on the page, which may carry a form per open year.
        kwargs.setdefault("auto_id", f"objection-{year}-%s")
        super().__init__(*args, **kwargs)
        self.fields["reason"].help_text = _(
            "Что в предварительных результатах неверно и почему; не больше %(n)s знаков."
        ) % {"n": MAX_REASON_LENGTH}
        # The whole request is limited too (MAX_REQUEST_BODY_SIZE), so the hint says both.
        self.fields["attachments"].help_text = _(
            "До %(count)s файлов PDF, JPEG или PNG, каждый не больше %(each)s, вместе не больше "
            "%(total)s."
        ) % {
            "count": MAX_ATTACHMENTS,
            "each": filesizeformat(MAX_ATTACHMENT_BYTES),
            "total": filesizeformat(settings.MAX_REQUEST_BODY_SIZE),
        }
        self.fields["indicator"].choices = [("", _("— карточка в целом —"))] + [
            (code[1:].replace("_", "."), f"{code[1:].replace('_', '.')}. {INDICATOR_TITLES[code]}")
            for code in engine.INDICATORS
        ]
        self.fields["shortcoming"].queryset = kept_shortcomings(organisation, year)
        self.fields["shortcoming"].label_from_instance = lambda item: (
            f"{item.indicator}: {item.text[:120]}"
        )

    def clean_attachments(self):
        uploads = self.cleaned_data.get("attachments") or []
        if len(uploads) > MAX_ATTACHMENTS:
            raise ValidationError(
                _("Можно приложить не больше %(limit)s файлов.") % {"limit": MAX_ATTACHMENTS}
            )
        checked, errors = [], []
        for upload in uploads:
            try:
                checked.append(checked_attachment(upload))
            except ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise ValidationError(errors)
        return checked


class AnswerField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Ответ организации"))
        kwargs.setdefault("max_length", ANSWER_MAX_LENGTH)
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 4}))
        kwargs.setdefault("validators", [reject_invisible_characters])
        super().__init__(**kwargs)


class RejectObjectionForm(forms.Form):
    prefix = "reject"

    answer = AnswerField(
        help_text=_("Почему возражение отклонено. Ответ увидит только эта организация.")
    )


def _input_label(name):
    return str(AssessmentInput._meta.get_field(name).verbose_name)


def problem_text(problem, values):
    """The engine's reason in the operator's words, naming fields as the form does."""
    if problem.code == "missing":
        return _("Укажите число.")
    if problem.code in ("not_integer", "negative"):
        return _("Нужно целое неотрицательное число.")
    if problem.code == "zero_norm":
        return _("Норма не может быть равна 0.")
    if problem.code == "above_list":
        return _("Не больше %(limit)s — столько пунктов в перечне методики.") % {
            "limit": problem.limit
        }
    if problem.code == "above_bound":
        return _("Не может быть больше, чем «%(bound)s» (%(limit)s).") % {
            "bound": _input_label(problem.limit),
            "limit": values.get(problem.limit),
        }
    return problem.code


class AcceptObjectionForm(forms.Form):
    """The answer and the organisation's inputs for the year, pre-filled with the current
    ones; only the fields a recomputation keeps are editable (``correctable_fields``)."""

    prefix = "accept"

    answer = AnswerField(
        help_text=_("Что исправлено. Ответ увидит только эта организация."),
    )

    def __init__(self, *args, year, inputs, **kwargs):
        super().__init__(*args, **kwargs)
        self.inputs = inputs
        editable = set(correctable_fields(year))
        for name in engine.INPUT_FIELDS:
            self.fields[name] = forms.IntegerField(
                label=_input_label(name),
                min_value=0,
                max_value=10_000_000,
                initial=inputs.get(name),
                disabled=name not in editable,
                required=name in editable,
            )

    def clean(self):
        cleaned = super().clean()
        values = {name: cleaned.get(name) for name in engine.INPUT_FIELDS}
        if all(value is not None for value in values.values()):
            for problem in engine.validate(values):
                if problem.field in self.fields and problem.field not in self.errors:
                    self.add_error(problem.field, problem_text(problem, values))
        return cleaned

    def corrected_values(self):
        """The inputs the operator changed: {field: new value}."""
        return {
            name: self.cleaned_data[name]
            for name in engine.INPUT_FIELDS
            if not self.fields[name].disabled and self.cleaned_data[name] != self.inputs.get(name)
        }


class ObjectionFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Решение"),
        required=False,
        choices=[("", _("все")), *Objection.Status.choices],
    )
    municipality = forms.ModelChoiceField(
        label=_("Муниципалитет"),
        queryset=Municipality.objects.order_by("name"),
        required=False,
        empty_label=_("все"),
    )

    def filter(self, objections):
        if not self.is_valid():
            return objections
        if self.cleaned_data["status"]:
            objections = objections.filter(status=self.cleaned_data["status"])
        if self.cleaned_data["municipality"]:
            objections = objections.filter(
                organisation__municipality=self.cleaned_data["municipality"]
            )
        return objections
