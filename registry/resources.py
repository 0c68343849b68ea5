"""django-import-export resources of the registry, for import and export alike.

``OrganisationResource`` is the exchange format of methodology §5: the columns ``code, name,
short_name, kind, municipality, address, website, contingent_parents, contingent_students``
and the optional ``founder`` (``municipal`` | ``regional``: who approves the improvement
plan) and official identifiers ``inn``, ``kpp``, ``ogrn``, ``busgov_url``
(``registry.identifiers``; a file without one of these columns leaves it as it is), the
municipality by name and the kind as its code. Using one resource both ways keeps
an exported file importable as it is. Files of the older format name the contingents
``pupils_1_8`` and ``pupils_9_11``; ``COLUMN_ALIASES`` reads them as the new columns.

The widgets validate each cell and say what is wrong in Russian; the message becomes one line
of the import report ("Строка 7, столбец contingent_parents: …"). How a whole file is
imported (all or nothing, locking, the report) is ``registry.registry_import``.
"""

import re

from anyascii import anyascii
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from import_export import fields, resources, widgets
from import_export.instance_loaders import BaseInstanceLoader

from core.spreadsheets import export_cell

from . import identifiers
from .models import Municipality, Organisation

COLUMNS = [
    "code",
    "name",
    "short_name",
    "kind",
    "municipality",
    "address",
    "website",
    "contingent_parents",
    "contingent_students",
    "founder",
    "inn",
    "kpp",
    "ogrn",
    "busgov_url",
]
# Older names of columns, still accepted on import (methodology §5) and read as the new ones.
COLUMN_ALIASES = {
    "pupils_1_8": "contingent_parents",
    "pupils_9_11": "contingent_students",
}
# A file may leave out the other columns: the organisations then keep what they have.
REQUIRED_COLUMNS = ["code", "name", "kind", "municipality"]

CODE_PATTERN = re.compile(r"^[0-9A-Za-zА-ЯЁа-яё-]+$")
# A number a spreadsheet stored as a float: "7707083893.0" (or with a comma).
FLOAT_RENDERING = re.compile(r"^(\d+)[.,]0+$")
SCIENTIFIC_NOTATION = re.compile(r"^\d+(?:[.,]\d+)?[eE][+]?\d+$")
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
WHOLE_NUMBER = re.compile(r"^(-?)(\d+)(?:[.,](\d+))?$")
# Spaces people and Excel put between thousands: "1 200", with a non-breaking or thin space.
DIGIT_GROUP_SEPARATORS = re.compile(r"[ \u00a0\u202f\u2009]")
# No school has a million pupils: a larger figure is a typing slip, not a contingent.
MAX_CONTINGENT = 1_000_000
# Codes are looked up in chunks that stay below SQLite's limit on query parameters.
LOOKUP_CHUNK = 500


def max_length(model, field_name):
    return model._meta.get_field(field_name).max_length


class TextWidget(widgets.CharWidget):
    """Text stripped of surrounding spaces, within the model field's length."""

    def __init__(self, *, required=False, max_length=None):
        super().__init__(allow_blank=True)
        self.required = required
        self.max_length = max_length

    def clean(self, value, row=None, **kwargs):
        text = "" if value is None else str(value).strip()
        if not text:
            if self.required:
                raise ValueError(_("не заполнено"))
            return ""
        if self.max_length and len(text) > self.max_length:
            message = ngettext(
                "длиннее %(limit)s знака (сейчас %(length)s)",
                "длиннее %(limit)s знаков (сейчас %(length)s)",
                self.max_length,
            )
            raise ValueError(message % {"limit": self.max_length, "length": len(text)})
        if CONTROL_CHARACTERS.search(text):
            raise ValueError(_("содержит управляющие символы"))
        return text


class CodeWidget(TextWidget):
    def __init__(self):
        super().__init__(required=True, max_length=max_length(Organisation, "code"))

    def clean(self, value, row=None, **kwargs):
        code = super().clean(value, row, **kwargs)
        if not CODE_PATTERN.match(code):
            raise ValueError(_("код может содержать только цифры, буквы и дефис"))
        return code


class WebsiteWidget(TextWidget):
    validate_url = URLValidator(schemes=["http", "https"])

    def __init__(self):
        super().__init__(max_length=max_length(Organisation, "website"))

    def clean(self, value, row=None, **kwargs):
        url = super().clean(value, row, **kwargs)
        if url:
            try:
                self.validate_url(url)
            except ValidationError as error:
                raise ValueError(_("нужен адрес сайта вида https://school.example.ru")) from error
        return url


class IdentifierWidget(TextWidget):
    """ИНН, КПП or ОГРН as text: digit groups' spaces dropped, a spreadsheet's "7707083893.0"
    read as the number it is. Digits Excel lost — leading zeros of a number cell, the tail of
    "7,70708E+09" — cannot be guessed back, so such a cell is refused with a hint."""

    def __init__(self, field_name, validate, label, *, digits):
        super().__init__(max_length=max_length(Organisation, field_name))
        self.validate = validate
        self.label = label
        self.digits = digits

    def clean(self, value, row=None, **kwargs):
        text = DIGIT_GROUP_SEPARATORS.sub("", super().clean(value, row, **kwargs))
        if SCIENTIFIC_NOTATION.match(text):
            raise ValueError(
                _(
                    "%(label)s записан как число в экспоненциальной форме («%(value)s»), "
                    "цифры потеряны: задайте столбцу текстовый формат и введите номер заново"
                )
                % {"label": self.label, "value": text}
            )
        float_match = FLOAT_RENDERING.match(text)
        if float_match:
            text = float_match.group(1)
        try:
            self.validate(text)
        except ValidationError as error:
            message = " ".join(error.messages)
            if text.isdigit() and len(text) < self.digits:
                message += " " + _(
                    "Если номер начинается с нуля, Excel мог его отбросить: задайте столбцу "
                    "текстовый формат."
                )
            raise ValueError(message) from error
        return text


class BusgovUrlWidget(TextWidget):
    def __init__(self):
        super().__init__(max_length=max_length(Organisation, "busgov_url"))

    def clean(self, value, row=None, **kwargs):
        url = super().clean(value, row, **kwargs)
        try:
            identifiers.validate_busgov_url(url)
        except ValidationError as error:
            raise ValueError(" ".join(error.messages)) from error
        return url


class KindWidget(widgets.Widget):
    """The kind's code (``school``…) or its Russian name, in any letter case."""

    def clean(self, value, row=None, **kwargs):
        text = "" if value is None else str(value).strip().lower()
        if not text:
            raise ValueError(_("не заполнено"))
        if text in Organisation.Kind.values:
            return text
        by_label = {str(label).lower(): kind for kind, label in Organisation.Kind.choices}
        if text in by_label:
            return by_label[text]
        raise ValueError(
            _(
                "неизвестный тип «%(value)s»: укажите school, preschool, college или additional "
                "(или название типа)"
            )
            % {"value": value}
        )

    def render(self, value, obj=None, **kwargs):
        return value or ""


class FounderWidget(widgets.Widget):
    """Who founded the organisation (and so approves its improvement plan): ``municipal`` or
    ``regional``, or the Russian word; empty means municipal, as most schools are."""

    def clean(self, value, row=None, **kwargs):
        text = "" if value is None else str(value).strip().lower()
        if not text:
            return Organisation.Founder.MUNICIPAL
        if text in Organisation.Founder.values:
            return text
        by_label = {str(label).lower(): founder for founder, label in Organisation.Founder.choices}
        if text in by_label:
            return by_label[text]
        raise ValueError(
            _("неизвестный учредитель «%(value)s»: укажите municipal или regional")
            % {"value": value}
        )

    def render(self, value, obj=None, **kwargs):
        return value or ""


class ContingentWidget(widgets.IntegerWidget):
    """A number of people in a respondent group: "1 200", "1200", "1200.0" or "1200,0"; empty
    is 0."""

    def clean(self, value, row=None, **kwargs):
        text = DIGIT_GROUP_SEPARATORS.sub("", "" if value is None else str(value).strip())
        if not text:
            return 0
        match = WHOLE_NUMBER.match(text)
        if match is None:
            raise ValueError(_("должно быть целым числом, а не «%(value)s»") % {"value": value})
        sign, whole, fraction = match.groups()
        if fraction and fraction.strip("0"):
            raise ValueError(_("должно быть целым числом, а не «%(value)s»") % {"value": value})
        number = int(whole)
        if sign and number:
            raise ValueError(_("не может быть отрицательным"))
        if number > MAX_CONTINGENT:
            raise ValueError(_("слишком большое число: %(number)s") % {"number": number})
        return number

    def render(self, value, obj=None, **kwargs):
        # Plain digits whatever the locale's number format (no "1 200"); a real number in XLSX.
        if value is None:
            return ""
        return value if kwargs.get("force_native_type") else str(value)


class MunicipalityWidget(widgets.ForeignKeyWidget):
    """A municipality by its exact name; one not yet in the registry is created.

    The registry's municipalities are read once per import. In a dry run a new one is only
    named (an unsaved instance), so a preview writes nothing at all."""

    def __init__(self):
        super().__init__(Municipality, field="name")
        self.by_name = None
        self.taken_slugs = None
        self.created = []  # names, in order of first mention

    def clean(self, value, row=None, **kwargs):
        name = "" if value is None else str(value).strip()
        if not name:
            raise ValueError(_("не заполнено"))
        limit = max_length(Municipality, "name")
        if len(name) > limit:
            message = ngettext("длиннее %(limit)s знака", "длиннее %(limit)s знаков", limit)
            raise ValueError(message % {"limit": limit})
        if CONTROL_CHARACTERS.search(name):
            raise ValueError(_("содержит управляющие символы"))
        if self.by_name is None:
            self.by_name = {m.name: m for m in Municipality.objects.all()}
            self.taken_slugs = {m.slug for m in self.by_name.values()}
        municipality = self.by_name.get(name)
        if municipality is None:
            municipality = Municipality(name=name, slug=self.new_slug(name))
            if not kwargs.get("dry_run"):
                municipality.save()
            self.by_name[name] = municipality
            self.created.append(name)
        return municipality

    def new_slug(self, name):
        limit = max_length(Municipality, "slug")
        base = slugify(anyascii(name))[: limit - 4].strip("-") or "municipality"
        slug, number = base, 2
        while slug in self.taken_slugs:
            slug, number = f"{base}-{number}", number + 1
        self.taken_slugs.add(slug)
        return slug


class OrganisationLoader(BaseInstanceLoader):
    """The organisations a file names, fetched in a few queries instead of one per row."""

    def __init__(self, resource, dataset=None):
        super().__init__(resource, dataset)
        codes = []
        if dataset is not None and "code" in (dataset.headers or []):
            codes = sorted({str(code or "").strip() for code in dataset["code"]} - {""})
        queryset = Organisation.objects.select_related("municipality")
        self.by_code = {}
        for start in range(0, len(codes), LOOKUP_CHUNK):
            for organisation in queryset.filter(code__in=codes[start : start + LOOKUP_CHUNK]):
                self.by_code[organisation.code] = organisation

    def get_instance(self, row):
        return self.by_code.get(str(row.get("code") or "").strip())


class OrganisationResource(resources.ModelResource):
    code = fields.Field("code", "code", CodeWidget())
    name = fields.Field(
        "name", "name", TextWidget(required=True, max_length=max_length(Organisation, "name"))
    )
    short_name = fields.Field(
        "short_name", "short_name", TextWidget(max_length=max_length(Organisation, "short_name"))
    )
    kind = fields.Field("kind", "kind", KindWidget())
    municipality = fields.Field("municipality", "municipality", MunicipalityWidget())
    address = fields.Field(
        "address", "address", TextWidget(max_length=max_length(Organisation, "address"))
    )
    website = fields.Field("website", "website", WebsiteWidget())
    contingent_parents = fields.Field(
        "contingent_parents", "contingent_parents", ContingentWidget()
    )
    contingent_students = fields.Field(
        "contingent_students", "contingent_students", ContingentWidget()
    )
    founder = fields.Field("founder", "founder", FounderWidget())
    inn = fields.Field(
        "inn",
        "inn",
        IdentifierWidget("inn", identifiers.validate_inn, "ИНН", digits=identifiers.INN_LENGTH),
    )
    kpp = fields.Field(
        "kpp",
        "kpp",
        IdentifierWidget("kpp", identifiers.validate_kpp, "КПП", digits=identifiers.KPP_LENGTH),
    )
    ogrn = fields.Field(
        "ogrn",
        "ogrn",
        IdentifierWidget("ogrn", identifiers.validate_ogrn, "ОГРН", digits=identifiers.OGRN_LENGTH),
    )
    busgov_url = fields.Field("busgov_url", "busgov_url", BusgovUrlWidget())

    class Meta:
        model = Organisation
        fields = COLUMNS
        import_order = COLUMNS
        export_order = COLUMNS
        import_id_fields = ["code"]
        instance_loader_class = OrganisationLoader
        # An unchanged row is not saved at all, so re-importing a file is a no-op.
        skip_unchanged = True
        report_skipped = True
        skip_html_diff = True
        clean_model_instances = True
        use_transactions = True
        # Saved one by one through Organisation.save(): every new organisation gets its
        # page, staff group and collection from the post-save provisioning.
        use_bulk = False

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.inn_kpp_owners = None  # {(inn, kpp): code}, read at the first row checked

    @property
    def created_municipalities(self):
        return list(self.fields["municipality"].widget.created)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        # Model validation minus two per-row queries that prove nothing here: the widget found
        # or made the municipality, and ``code`` is the key the row was matched by (duplicates
        # within a file are refused beforehand, the unique constraint remains the last guard).
        errors = dict(import_validation_errors or {})
        if not self._meta.clean_model_instances:
            return super().validate_instance(instance, errors, validate_unique)
        # The one constraint (ИНН + КПП) is checked against the registry read once, not by
        # a query per row.
        try:
            instance.full_clean(
                exclude=[*errors, "municipality"], validate_unique=False, validate_constraints=False
            )
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if "inn" not in errors and "kpp" not in errors:
            clash = self.inn_kpp_clash(instance)
            if clash:
                errors.setdefault("kpp", []).append(clash)
        if errors:
            raise ValidationError(errors)

    def inn_kpp_clash(self, instance):
        """Why the organisation's ИНН and КПП may not be its own (another organisation of the
        registry or an earlier row of the file has them), or None. Rows an import leaves
        unchanged are not checked, but their pairs are in the registry already."""
        if not instance.inn or not instance.kpp:
            return None
        if self.inn_kpp_owners is None:
            self.inn_kpp_owners = {
                (inn, kpp): code
                for inn, kpp, code in Organisation.objects.exclude(inn="")
                .exclude(kpp="")
                .values_list("inn", "kpp", "code")
            }
        key = (instance.inn, instance.kpp)
        owner = self.inn_kpp_owners.setdefault(key, instance.code)
        if owner == instance.code:
            return None
        return _(
            "ИНН %(inn)s с КПП %(kpp)s уже у организации с кодом «%(code)s»: у филиала свой КПП"
        ) % {"inn": instance.inn, "kpp": instance.kpp, "code": owner}

    def save_instance(self, instance, is_create, row, **kwargs):
        if kwargs.get("dry_run"):
            # A preview classifies rows without writing: saving would provision a page, group
            # and collection for each new organisation only to roll them back.
            return
        super().save_instance(instance, is_create, row, **kwargs)

    def export_field(self, field, instance, **kwargs):
        # Names and addresses come from schools; none may reach a spreadsheet as a formula.
        return export_cell(super().export_field(field, instance, **kwargs))
