"""The bus.gov.ru-ready results of a year and kind: XLSX, CSV and XML with a shipped schema.

One row per organisation assessed in the year's current published revision (never a draft,
never a superseded revision): its identifiers (ИНН, КПП, ОГРН and bus.gov.ru card from the
registry as it is now), name and municipality as published, every indicator and criterion,
the total and rank, the shortcomings the public reads (``accountability.publication``) and
the approved improvement plan with each measure's planned and actual dates, responsible
person and status (``accountability.plans``).

The composition is meant to be the one Приказ Минфина России от 07.05.2019 № 66н sets for
information about results of independent assessment on bus.gov.ru. Its text was not found
(docs/regulations.md §2, UNCONFIRMED): the columns are built from what the portal holds and
await the order's text. Every column is declared once, in ``ORGANISATION_FIELDS`` and
``MEASURE_FIELDS`` (output name, source, type, Russian description), so mapping them onto
the order's field list means editing those lists and ``schema/busgov-results.xsd``, which a
test holds to them.

Formats:

- XLSX: sheet «Результаты» (a row per organisation) and sheet «Мероприятия» (a row per
  measure of an approved plan); figures are numbers, dates are dates.
- CSV: the first sheet only, UTF-8 with a BOM (so that Excel shows Cyrillic),
  comma-separated, header first; figures with a dot and two decimals, dates ISO.
  The per-criterion shortcomings and the plan's measures are also joined into text
  columns (a line each) so that one table tells everything.
- XML in the namespace ``XML_NAMESPACE``, valid against ``SCHEMA_PATH``: an element per
  column (left out when there is no value), then the shortcomings and the measures as
  elements of their own; decimals with a dot, dates ISO.

Text cells of XLSX and CSV go through ``core.spreadsheets.export_cell`` (no formulas, no
control characters); XML text loses the characters XML 1.0 cannot hold.
"""

import csv
import datetime
import io
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from lxml import etree
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from accountability.models import Criterion, ImprovementPlan, Objection
from accountability.plans import MEASURE_STATUS_LABELS, measure_status, public_plans
from accountability.publication import kept_shortcomings_of_year
from core.spreadsheets import export_cell
from core.validators import CONTROL_CHARACTERS
from registry.models import Organisation
from results import engine
from results.models import RatingRevision

__all__ = [
    "CONTENT_TYPES",
    "FORMATS",
    "MEASURE_FIELDS",
    "ORGANISATION_FIELDS",
    "SCHEMA_PATH",
    "XML_NAMESPACE",
    "Checklist",
    "NoPublishedYear",
    "build_rows",
    "checklist",
    "export",
    "published_kinds",
    "published_revision",
]

FORMATS = ("xlsx", "csv", "xml")
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
    "xml": "application/xml; charset=utf-8",
}
XML_NAMESPACE = "urn:noko:busgov-results:1"
SCHEMA_PATH = Path(__file__).resolve().parent / "schema" / "busgov-results.xsd"

# Besides the C0 controls, what XML 1.0 cannot hold at all (lxml refuses to write it).
NOT_XML_CHARACTERS = re.compile("[\ufffe\uffff\ud800-\udfff]")
TEXT, DECIMAL, INTEGER, DATE, BOOLEAN = "text", "decimal", "integer", "date", "boolean"
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV", 5: "V"}


class NoPublishedYear(LookupError):
    """The year has no current published revision: there is nothing to export."""


@dataclass(frozen=True)
class FieldSpec:
    """One column: ``column`` is its name in every format (the CSV/XLSX header, the XML
    element), ``source`` the key of the built row it reads, ``kind`` its type, ``label``
    what it means. ``in_xml`` is false for text that the XML carries as elements."""

    column: str
    source: str
    kind: str
    label: str
    in_xml: bool = True


def _figure_label(code):
    if code == "total":
        return gettext_lazy("Итоговый балл")
    if code.startswith("k"):
        return format_lazy(gettext_lazy("Критерий {number}"), number=code[1:])
    return format_lazy(gettext_lazy("Показатель {number}"), number=code[1:].replace("_", "."))


ORGANISATION_FIELDS = (
    FieldSpec("inn", "inn", TEXT, gettext_lazy("ИНН")),
    FieldSpec("kpp", "kpp", TEXT, gettext_lazy("КПП")),
    FieldSpec("ogrn", "ogrn", TEXT, gettext_lazy("ОГРН")),
    FieldSpec("busgov_url", "busgov_url", TEXT, gettext_lazy("Карточка на bus.gov.ru")),
    FieldSpec("code", "code", TEXT, gettext_lazy("Код в реестре портала")),
    FieldSpec("name", "name", TEXT, gettext_lazy("Полное название (как опубликовано)")),
    FieldSpec("municipality", "municipality", TEXT, gettext_lazy("Муниципалитет")),
    FieldSpec("kind", "kind", TEXT, gettext_lazy("Тип организации (код)")),
    FieldSpec("year", "year", INTEGER, gettext_lazy("Год оценки")),
    FieldSpec("status", "status", TEXT, gettext_lazy("Статус: rated или insufficient_data")),
    FieldSpec("respondents", "respondents", INTEGER, gettext_lazy("Число респондентов")),
    *(FieldSpec(code, code, DECIMAL, _figure_label(code)) for code in engine.FIGURES),
    FieldSpec("rank", "rank", INTEGER, gettext_lazy("Место в регионе среди организаций типа")),
    FieldSpec("low_sample", "low_sample", BOOLEAN, gettext_lazy("Мало ответов")),
    *(
        FieldSpec(
            f"shortcomings_k{number}",
            f"shortcomings_k{number}",
            TEXT,
            format_lazy(gettext_lazy("Недостатки по критерию {roman}"), roman=ROMAN[number]),
            in_xml=False,
        )
        for number in Criterion.values
    ),
    FieldSpec(
        "plan_approved_on",
        "plan_approved_on",
        DATE,
        gettext_lazy("План устранения недостатков утверждён (дата)"),
    ),
    FieldSpec("plan_approver", "plan_approver", TEXT, gettext_lazy("Кто утвердил план")),
    FieldSpec("measures_total", "measures_total", INTEGER, gettext_lazy("Мероприятий в плане")),
    FieldSpec("measures_done", "measures_done", INTEGER, gettext_lazy("Из них выполнено")),
    FieldSpec("measures_overdue", "measures_overdue", INTEGER, gettext_lazy("Из них просрочено")),
    FieldSpec(
        "plan_measures",
        "plan_measures",
        TEXT,
        gettext_lazy("Мероприятия плана: срок, ответственный, исполнение"),
        in_xml=False,
    ),
)

SHORTCOMING_FIELDS = (
    FieldSpec("criterion", "criterion", INTEGER, gettext_lazy("Критерий (1–5)")),
    FieldSpec("indicator", "indicator", TEXT, gettext_lazy("Показатель")),
    FieldSpec("text", "text", TEXT, gettext_lazy("Недостаток")),
)

MEASURE_FIELDS = (
    FieldSpec("criterion", "criterion", INTEGER, gettext_lazy("Критерий (1–5)")),
    FieldSpec("shortcoming", "shortcoming", TEXT, gettext_lazy("Недостаток")),
    FieldSpec("measure", "measure", TEXT, gettext_lazy("Мероприятие")),
    FieldSpec("planned_date", "planned_date", DATE, gettext_lazy("Плановый срок")),
    FieldSpec("responsible_name", "responsible_name", TEXT, gettext_lazy("Ответственный: ФИО")),
    FieldSpec(
        "responsible_position",
        "responsible_position",
        TEXT,
        gettext_lazy("Ответственный: должность"),
    ),
    FieldSpec("done_text", "done_text", TEXT, gettext_lazy("Реализованные меры")),
    FieldSpec("done_date", "done_date", DATE, gettext_lazy("Фактический срок")),
    FieldSpec("status", "status", TEXT, gettext_lazy("Статус: done, overdue или planned")),
)
# The measures sheet of the XLSX starts with the organisation's keys.
MEASURE_SHEET_KEYS = ("inn", "kpp", "code")

RESULTS_SHEET = "Результаты"
MEASURES_SHEET = "Мероприятия"


# --- What is exported -------------------------------------------------------------------


def published_revision(year):
    """The year's current published revision, or None: drafts and superseded revisions are
    never exported."""
    return RatingRevision.objects.current_of(year)


def published_kinds(revision):
    """The kinds present in ``revision`` with how many organisations each: {kind: count}."""
    return dict(
        revision.results.order_by()
        .values("kind")
        .annotate(count=Count("pk"))
        .values_list("kind", "count")
    )


def _require_revision(year):
    revision = published_revision(year)
    if revision is None:
        raise NoPublishedYear(year)
    return revision


def _shortcomings_by_organisation(year, results):
    """The published shortcomings of the organisations of ``results``, as
    ``accountability.publication.published_shortcomings`` reads them (the operator's kept
    ones: active and still shown by the evidence; the year is final, as its revision is
    published) — in one query instead of one per organisation."""
    grouped = {}
    kept = kept_shortcomings_of_year(year).filter(
        organisation__in=results.values("organisation_id")
    )
    for shortcoming in kept:
        grouped.setdefault(shortcoming.organisation_id, []).append(shortcoming)
    return grouped


def _local_date(moment):
    return timezone.localtime(moment).date() if moment else None


def _measure_line(measure):
    """One measure as a line of the joined text column."""
    parts = [f"{ROMAN[measure['criterion']]}. {measure['measure'] or measure['shortcoming']}"]
    if measure["planned_date"]:
        parts.append(_("срок %(date)s") % {"date": measure["planned_date"].isoformat()})
    responsible = ", ".join(
        value for value in (measure["responsible_name"], measure["responsible_position"]) if value
    )
    if responsible:
        parts.append(_("ответственный: %(who)s") % {"who": responsible})
    state = str(MEASURE_STATUS_LABELS[measure["status"]])
    if measure["done_date"]:
        state += " " + measure["done_date"].isoformat()
    if measure["done_text"]:
        state += ": " + measure["done_text"]
    parts.append(state)
    return "; ".join(parts)


def _measures(plan, today):
    return [
        {
            "criterion": measure.criterion,
            "shortcoming": measure.shortcoming_text,
            "measure": measure.measure,
            "planned_date": measure.planned_date,
            "responsible_name": measure.responsible_name,
            "responsible_position": measure.responsible_position,
            "done_text": measure.done_text,
            "done_date": measure.done_date,
            "status": measure_status(measure, today),
        }
        for measure in plan.measures.all()
    ]


def build_rows(year, kind, today=None):
    """The rows of ``kind`` in ``year``'s current published revision, in rank order: dicts
    with every ``source`` of ``ORGANISATION_FIELDS``, plus ``shortcomings`` and ``measures``
    (lists of dicts keyed by the sources of ``SHORTCOMING_FIELDS`` and ``MEASURE_FIELDS``).
    ``today`` decides which measures are overdue. Raises NoPublishedYear."""
    today = today or timezone.localdate()
    revision = _require_revision(year)
    results = revision.results.filter(kind=kind)
    shortcomings = _shortcomings_by_organisation(year, results)
    plans = {
        plan.organisation_id: plan
        for plan in public_plans(year).filter(organisation__in=results.values("organisation_id"))
    }
    rows = []
    ordered = results.select_related("organisation").order_by("-status", "rank", "name", "code")
    for result in ordered:
        organisation = result.organisation
        row = {
            "inn": organisation.inn,
            "kpp": organisation.kpp,
            "ogrn": organisation.ogrn,
            "busgov_url": organisation.busgov_url,
            "code": result.code,
            "name": result.name,
            "municipality": result.municipality_name,
            "kind": result.kind,
            "year": result.year,
            "status": result.status,
            "respondents": result.respondents,
            **{code: getattr(result, code) for code in engine.FIGURES},
            "rank": result.rank,
            "low_sample": result.low_sample,
            "shortcomings": [
                {"criterion": item.criterion, "indicator": item.indicator, "text": item.text}
                for item in shortcomings.get(organisation.pk, [])
            ],
        }
        for number in Criterion.values:
            row[f"shortcomings_k{number}"] = "\n".join(
                item["text"] for item in row["shortcomings"] if item["criterion"] == number
            )
        plan = plans.get(organisation.pk)
        measures = _measures(plan, today) if plan else []
        row.update(
            {
                "plan_approved_on": _local_date(plan.approved_at) if plan else None,
                "plan_approver": plan.approver_title if plan else "",
                "measures_total": len(measures) if plan else None,
                "measures_done": sum(m["status"] == "done" for m in measures) if plan else None,
                "measures_overdue": (
                    sum(m["status"] == "overdue" for m in measures) if plan else None
                ),
                "plan_measures": "\n".join(_measure_line(measure) for measure in measures),
                "measures": measures,
            }
        )
        rows.append(row)
    return revision, rows


# --- The checklist before export ---------------------------------------------------------


@dataclass
class Checklist:
    """What is missing before the year's kind goes to bus.gov.ru. Downloads are allowed
    anyway; the screen says what the file will lack."""

    assessed: int
    without_identifiers: list  # Organisation, with .missing: the names of what is blank
    without_plan: list  # Organisation, with .plan: its plan in another status or None
    open_objections: list  # Objection still filed (not decided)

    @property
    def complete(self):
        return not (self.without_identifiers or self.without_plan or self.open_objections)


def checklist(year, kind):
    """The checklist of ``kind`` in ``year``'s current published revision. Raises
    NoPublishedYear."""
    revision = _require_revision(year)
    assessed = Organisation.objects.filter(
        pk__in=revision.results.filter(kind=kind).values("organisation_id")
    ).select_related("municipality")
    without_identifiers = []
    for organisation in assessed.filter(Q(inn="") | Q(kpp="")).order_by("name", "code"):
        organisation.missing = [
            label
            for label, value in ((_("ИНН"), organisation.inn), (_("КПП"), organisation.kpp))
            if not value
        ]
        without_identifiers.append(organisation)
    approved = ImprovementPlan.objects.filter(year=year, status=ImprovementPlan.Status.APPROVED)
    other_plans = {
        plan.organisation_id: plan
        for plan in ImprovementPlan.objects.filter(year=year, organisation__in=assessed).exclude(
            status=ImprovementPlan.Status.APPROVED
        )
    }
    without_plan = []
    for organisation in assessed.exclude(pk__in=approved.values("organisation_id")).order_by(
        "name", "code"
    ):
        organisation.plan = other_plans.get(organisation.pk)
        without_plan.append(organisation)
    open_objections = list(
        Objection.objects.filter(
            stage__year=year, status=Objection.Status.FILED, organisation__in=assessed
        )
        .select_related("organisation")
        .order_by("filed_at", "pk")
    )
    return Checklist(
        assessed=assessed.count(),
        without_identifiers=without_identifiers,
        without_plan=without_plan,
        open_objections=open_objections,
    )


# --- Formats ------------------------------------------------------------------------------


def _csv_text(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def to_csv(rows):
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([spec.column for spec in ORGANISATION_FIELDS])
    for row in rows:
        writer.writerow([_csv_text(export_cell(row[spec.source])) for spec in ORGANISATION_FIELDS])
    return buffer.getvalue().encode("utf-8")


def _xlsx_cell(sheet, value):
    value = export_cell(value)
    if isinstance(value, datetime.date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = "yyyy-mm-dd"
        return cell
    return value


def to_xlsx(rows, title=RESULTS_SHEET):
    workbook = Workbook(write_only=True)
    results = workbook.create_sheet(title=title[:31])
    results.append([spec.column for spec in ORGANISATION_FIELDS])
    measures = workbook.create_sheet(title=MEASURES_SHEET)
    measures.append([*MEASURE_SHEET_KEYS, *(spec.column for spec in MEASURE_FIELDS)])
    for row in rows:
        results.append([_xlsx_cell(results, row[spec.source]) for spec in ORGANISATION_FIELDS])
        for measure in row["measures"]:
            measures.append(
                [
                    *(_xlsx_cell(measures, row[key]) for key in MEASURE_SHEET_KEYS),
                    *(_xlsx_cell(measures, measure[spec.source]) for spec in MEASURE_FIELDS),
                ]
            )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xml_text(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return NOT_XML_CHARACTERS.sub("", CONTROL_CHARACTERS.sub("", str(value)))


def _xml_fields(parent, specs, values):
    """An element per spec with a value; a missing value (None or empty text) leaves the
    optional element out."""
    for spec in specs:
        value = values[spec.source]
        if value is None or value == "":
            continue
        etree.SubElement(parent, f"{{{XML_NAMESPACE}}}{spec.column}").text = _xml_text(value)


def to_xml(rows, revision, kind):
    ns = f"{{{XML_NAMESPACE}}}"
    root = etree.Element(f"{ns}busgovResults", nsmap={None: XML_NAMESPACE})
    root.set("year", str(revision.year))
    root.set("kind", kind)
    root.set("revision", str(revision.number))
    if revision.published_at:
        root.set("publishedAt", timezone.localtime(revision.published_at).isoformat())
    root.set("generatedAt", timezone.localtime().replace(microsecond=0).isoformat())
    xml_fields = [spec for spec in ORGANISATION_FIELDS if spec.in_xml]
    for row in rows:
        element = etree.SubElement(root, f"{ns}organisation")
        _xml_fields(element, xml_fields, row)
        if row["shortcomings"]:
            container = etree.SubElement(element, f"{ns}shortcomings")
            for shortcoming in row["shortcomings"]:
                item = etree.SubElement(container, f"{ns}shortcoming")
                _xml_fields(item, SHORTCOMING_FIELDS, shortcoming)
        if row["measures"]:
            container = etree.SubElement(element, f"{ns}measures")
            for measure in row["measures"]:
                item = etree.SubElement(container, f"{ns}measure")
                _xml_fields(item, MEASURE_FIELDS, measure)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def export(year, kind, fmt, today=None):
    """The file of ``kind`` in ``year`` as bytes. Raises NoPublishedYear, or ValueError for
    an unknown format."""
    if fmt not in FORMATS:
        raise ValueError(f"Unknown export format {fmt!r}; expected one of {FORMATS}")
    revision, rows = build_rows(year, kind, today)
    if fmt == "csv":
        return to_csv(rows)
    if fmt == "xlsx":
        return to_xlsx(rows, title=f"{RESULTS_SHEET} {year}")
    return to_xml(rows, revision, kind)


def schema():
    """The shipped XSD, parsed (for tests and for whoever checks a file before upload)."""
    return etree.XMLSchema(etree.parse(str(SCHEMA_PATH)))
