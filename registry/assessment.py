"""The year's assessment list (перечень организаций): which organisations are assessed.

Editors set it for each year, by picking, by filter or by importing a list of codes; the
public council approves it. Two rules of the assessment hold here and nowhere else: an
organisation is assessed **at most once a year** (a unique constraint, not a check) and **at
least once in three years** (``overdue``: the list screen warns about those left out for that
long).

The rest of the cycle asks this module who is on the list: campaigns admit respondents only
of listed organisations, the computation rates and ranks only them, and so publication shows
only them. A year with no list at all is a year whose operator has not used lists (every
year before they existed): then every organisation is on it, as before, and the admin says so.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from core.memo import Memo
from core.tabular import TabularError, read_table

from .models import AssessmentListEntry, Organisation


# "Not less than once in three years" (273-ФЗ, ст. 95.2; docs/regulations.md §5, where the
# part number is unconfirmed): a setting, so an operator can follow a different reading.
def assessment_period_years():
    return settings.ASSESSMENT_PERIOD_YEARS


CODE_COLUMN = "code"
# Old lists are often kept with the registry's column names.
CODE_COLUMN_ALIASES = ("code", "код", "inn", "инн")


# {year: frozenset of organisation ids, or None without a list}, remembered by the process
# for PROCESS_MEMO_SECONDS: a survey submission asks it, at a region-wide peak, on every
# request; a change of the list in this process forgets it at once (``_changed``).
listed_by_year = Memo("assessment list by year")


def listed_ids(year):
    """The ids of ``year``'s listed organisations, or None when the year has no list (then
    every organisation is assessed)."""

    def read():
        ids = frozenset(
            AssessmentListEntry.objects.filter(year=year).values_list("organisation_id", flat=True)
        )
        return ids or None

    return listed_by_year.get(year, read, settings.PROCESS_MEMO_SECONDS)


def has_list(year):
    return listed_ids(year) is not None


def is_assessed(organisation_id, year):
    """Whether the organisation is assessed in ``year`` (always, for a year without a list)."""
    ids = listed_ids(year)
    return ids is None or organisation_id in ids


def assessed(organisations, year):
    """``organisations`` (a queryset) narrowed to those assessed in ``year``."""
    if not has_list(year):
        return organisations
    return organisations.filter(assessment_list_entries__year=year)


def _changed():
    # Now, for the rest of this request, and again at commit: a read in between (inside the
    # transaction) may remember a list that a rollback then undoes.
    listed_by_year.forget()


def add(year, organisations, user=None):
    """Put ``organisations`` on ``year``'s list; those already on it stay as they are.
    Returns how many were added."""
    entries = [
        AssessmentListEntry(year=year, organisation=organisation, added_by=user)
        for organisation in organisations
    ]
    with transaction.atomic():
        before = AssessmentListEntry.objects.filter(year=year).count()
        AssessmentListEntry.objects.bulk_create(entries, ignore_conflicts=True, batch_size=1000)
        added = AssessmentListEntry.objects.filter(year=year).count() - before
    transaction.on_commit(_changed)
    _changed()
    return added


def remove(year, organisations):
    """Take ``organisations`` off ``year``'s list. Returns how many were removed."""
    removed, _details = AssessmentListEntry.objects.filter(
        year=year, organisation__in=organisations
    ).delete()
    transaction.on_commit(_changed)
    _changed()
    return removed


def last_assessed_years(before_year):
    """{organisation_id: the latest year before ``before_year`` it was listed in}."""
    return dict(
        AssessmentListEntry.objects.filter(year__lt=before_year)
        .values("organisation_id")
        .annotate(last=Max("year"))
        .values_list("organisation_id", "last")
        .order_by()
    )


@dataclass(frozen=True)
class Overdue:
    organisation: Organisation
    last_year: int | None  # None: never on a list


def overdue(year):
    """Active organisations not on ``year``'s list that were last assessed the assessment
    period (three years) or more before (or never): leaving them out once more breaks the
    "at least once in three years" rule."""
    period = assessment_period_years()
    last = last_assessed_years(year)
    listed = listed_ids(year) or frozenset()
    candidates = (
        Organisation.objects.filter(is_active=True)
        .exclude(pk__in=listed)
        .select_related("municipality")
        .order_by("municipality__name", "name")
    )
    return [
        Overdue(organisation, last.get(organisation.pk))
        for organisation in candidates
        if last.get(organisation.pk) is None or year - last[organisation.pk] >= period
    ]


@dataclass
class ListImport:
    """What an import of a list of codes found: the organisations, or every bad row."""

    organisations: list = field(default_factory=list)
    errors: list = field(default_factory=list)  # (row, column, message)

    @property
    def ok(self):
        return not self.errors


def read_codes(source, filename=None):
    """The organisations named by a CSV/XLSX file's ``code`` column (``код``, ``inn`` and
    ``инн`` are read too), all or nothing: an unknown code, a repeated one or an
    inactive organisation is an error naming its row."""
    report = ListImport()
    try:
        table = read_table(source, filename, expected_columns=CODE_COLUMN_ALIASES)
    except TabularError as error:
        report.errors.append((0, "", str(error)))
        return report
    column = next((name for name in CODE_COLUMN_ALIASES if name in table.columns), None)
    if column is None:
        report.errors.append(
            (1, "", _("Нет столбца «code» с кодами организаций (первая строка файла)."))
        )
        return report
    for problem in table.problems:
        report.errors.append((problem.row, problem.column, problem.message))
    codes = {row.number: row.values.get(column, "") for row in table.rows}
    known = {
        organisation.code: organisation
        for organisation in Organisation.objects.filter(code__in=set(codes.values()))
    }
    seen = {}
    for number, code in codes.items():
        if not code:
            report.errors.append((number, column, _("Пустой код.")))
        elif code not in known:
            report.errors.append(
                (
                    number,
                    column,
                    _("Организации с кодом «%(code)s» нет в реестре.") % {"code": code},
                )
            )
        elif code in seen:
            report.errors.append(
                (
                    number,
                    column,
                    _("Код «%(code)s» уже был в строке %(row)s.")
                    % {"code": code, "row": seen[code]},
                )
            )
        elif not known[code].is_active:
            report.errors.append(
                (
                    number,
                    column,
                    _("Организация «%(name)s» не действует.") % {"name": known[code]},
                )
            )
        else:
            seen[code] = number
            report.organisations.append(known[code])
    if not codes and not report.errors:
        report.errors.append((0, "", _("В файле нет ни одного кода.")))
    if report.errors:
        report.organisations = []
    return report
