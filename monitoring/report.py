"""The monitoring report (справка) of a round: per organisation the share of monitored items
present and what is missing, per municipality and for the region, and what changed since
the previous round. Shares are exact fractions until printed (half-up, one decimal).
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook

from core.spreadsheets import export_cell

from .models import Checklist, ChecklistAnswer, Section, Verdict

MONITORED_SECTIONS = {Section.WEBSITE, Section.APPEALS, Section.DISTANCE}


def percent(share):
    if share is None:
        return None
    return (Decimal(share.numerator * 100) / Decimal(share.denominator)).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )


@dataclass
class OrganisationRow:
    organisation: object
    present: int
    total: int
    missing: list
    previous: Fraction | None = None
    fixed: list = field(default_factory=list)
    lost: list = field(default_factory=list)

    @property
    def share(self):
        return Fraction(self.present, self.total) if self.total else None

    @property
    def percent(self):
        return percent(self.share)

    @property
    def previous_percent(self):
        return percent(self.previous)

    @property
    def change(self):
        if self.previous is None or self.share is None:
            return None
        return percent(self.share) - percent(self.previous)


@dataclass
class GroupRow:
    name: str
    organisations: int
    share: Fraction | None

    @property
    def percent(self):
        return percent(self.share)


@dataclass
class RoundReport:
    round: object
    previous_round: object
    rows: list
    municipalities: list
    region: GroupRow


def monitored(item):
    return item.section in MONITORED_SECTIONS or bool(item.auto_check)


def answers_by_organisation(monitoring_round, verdicts=None):
    """{organisation id: {item text: present}} for the round's monitoring checklists; fills
    ``verdicts`` ({organisation id: {item text: the checker's verdict}}) when given."""
    result = {}
    answers = ChecklistAnswer.objects.filter(
        checklist__round=monitoring_round, checklist__source=Checklist.Source.MONITORING
    ).select_related("item", "checklist")
    for answer in answers:
        if monitored(answer.item):
            organisation_id = answer.checklist.organisation_id
            result.setdefault(organisation_id, {})[answer.item.text] = bool(answer.present)
            if verdicts is not None and answer.evidence_verdict:
                verdicts.setdefault(organisation_id, {})[answer.item.text] = answer
    return result


# Verdicts that say more than «нет» about a missing item: named in the list of what is missing.
TOLD_VERDICTS = {Verdict.PLACEHOLDER, Verdict.UNREACHABLE}


def missing_text(text, answer):
    if answer is not None and answer.evidence_verdict in TOLD_VERDICTS and not answer.present:
        return f"{text} ({answer.get_evidence_verdict_display()})"
    return text


def build_report(monitoring_round):
    previous_round = monitoring_round.previous()
    verdicts = {}
    current = answers_by_organisation(monitoring_round, verdicts)
    before = answers_by_organisation(previous_round) if previous_round else {}
    items = [
        i for i in monitoring_round.template.items.order_by("sort_order", "pk") if monitored(i)
    ]
    rows = []
    for organisation in monitoring_round.organisations.select_related("municipality").order_by(
        "municipality__name", "name"
    ):
        found = current.get(organisation.pk, {})
        present = sum(1 for item in items if found.get(item.text))
        row = OrganisationRow(
            organisation=organisation,
            present=present,
            total=len(items),
            missing=[
                missing_text(item.text, verdicts.get(organisation.pk, {}).get(item.text))
                for item in items
                if not found.get(item.text)
            ],
        )
        earlier = before.get(organisation.pk)
        if earlier:
            row.previous = Fraction(sum(1 for v in earlier.values() if v), len(earlier))
            row.fixed = [t for t in found if found[t] and earlier.get(t) is False]
            row.lost = [t for t in found if not found[t] and earlier.get(t)]
        rows.append(row)

    def group(name, members):
        shares = [r.share for r in members if r.share is not None]
        return GroupRow(name, len(members), sum(shares) / len(shares) if shares else None)

    municipalities = {}
    for row in rows:
        municipalities.setdefault(row.organisation.municipality.name, []).append(row)
    return RoundReport(
        round=monitoring_round,
        previous_round=previous_round,
        rows=rows,
        municipalities=[group(name, members) for name, members in sorted(municipalities.items())],
        region=group(_("Регион"), rows),
    )


def report_xlsx(report):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Организации")
    sheet.append(
        [
            _("Код"),
            _("Организация"),
            _("Муниципалитет"),
            _("Есть пунктов"),
            _("Всего пунктов"),
            _("Доля, %"),
            _("Доля в прошлом раунде, %"),
            _("Изменение, п.п."),
            _("Чего нет"),
            _("Появилось"),
            _("Пропало"),
        ]
    )
    for row in report.rows:
        sheet.append(
            [
                export_cell(row.organisation.code),
                export_cell(row.organisation.name),
                export_cell(row.organisation.municipality.name),
                row.present,
                row.total,
                # openpyxl writes a Decimal as a number: no binary float after the rounding.
                row.percent,
                row.previous_percent,
                row.change,
                export_cell("; ".join(row.missing)),
                export_cell("; ".join(row.fixed)),
                export_cell("; ".join(row.lost)),
            ]
        )
    summary = workbook.create_sheet(_("Муниципалитеты"))
    summary.append([_("Муниципалитет"), _("Организаций"), _("Средняя доля, %")])
    for group in [*report.municipalities, report.region]:
        summary.append([export_cell(group.name), group.organisations, group.percent])
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
