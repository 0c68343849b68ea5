"""The figures of the operator's analytical report for one kind in one published year.

``gather(year, kind)`` reads the year's current published revision (never a draft: a year
without one raises ``ReportError``) and returns a ``ReportData`` that both renderings read,
the DOCX (``outputs.report_docx``) and the printable page, so the two always say the same
numbers. Means of criteria and of the total are the revision's stored aggregates, exactly as
the public archive shows them; means of indicators are not stored, and are the means of the
kind's rated results' displayed indicator values, rounded like every other mean.
"""

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accountability.models import Criterion, Shortcoming
from registry.kinds import KIND_AMONG, KIND_PLURALS
from registry.models import Organisation
from results import engine
from results.indicators import CRITERION_TITLES, INDICATOR_TITLES, policy_lines, short_label
from results.models import BAND_LABELS, MethodologyVersion, RatingResult, RatingRevision
from results.queries import kinds_of
from results.services import AGGREGATE_FIGURES
from surveys.coverage import Coverage, counts, organisation_coverage
from surveys.models import Campaign

# How many organisations the top and the bottom lists name.
LIST_LENGTH = 10
# How many of the most frequent shortcomings the report lists.
TYPICAL_SHORTCOMINGS = 15
CRITERIA = tuple(engine.CRITERIA)
# The report's sections, in order: the DOCX's «Heading 1» paragraphs and the printable
# page's <h2>, the same words in both.
SECTION_TITLES = {
    "method": gettext_lazy("1. Методика и выборка"),
    "criteria": gettext_lazy("2. Результаты по критериям"),
    "distribution": gettext_lazy("3. Распределение результатов"),
    "lists": gettext_lazy("4. Лучшие и отстающие организации"),
    "shortcomings": gettext_lazy("5. Типичные недостатки"),
    "recommendations": gettext_lazy("6. Рекомендации"),
    "appendix": gettext_lazy("Приложение. Результаты организаций"),
}


class ReportError(Exception):
    """A report that cannot be made; the message is for the editor (Russian)."""


@dataclass
class Means:
    """Means of one scope (the region or a municipality): rated organisations and figures."""

    name: str
    rated: int
    figures: dict  # code -> Decimal or None, over AGGREGATE_FIGURES


@dataclass
class IndicatorMean:
    code: str
    number: str  # "1.1"
    title: str
    criterion: str
    value: Decimal | None


@dataclass
class CoverageRow:
    """One municipality's (or the region's) coverage of one respondent group."""

    municipality: str
    group: str
    count: int
    contingent: int
    share: float | None
    target_percent: int | None


@dataclass
class BandCount:
    key: str
    label: str
    lower: int
    upper: str  # the highest total in the band as printed: «100», «89,99»
    count: int

    @property
    def range_label(self):
        return f"{self.lower}–{self.upper}"


@dataclass
class TypicalShortcoming:
    criterion: str  # «I. Открытость …»
    indicator: str  # «1.1»
    text: str
    organisations: int


@dataclass
class IndicatorShortcomings:
    indicator: str
    criterion: str
    organisations: int


@dataclass
class Row:
    """One organisation in the appendix and the top and bottom lists."""

    code: str
    name: str
    municipality: str
    status: str
    total: Decimal | None
    rank: int | None
    low_sample: bool
    respondents: int
    criteria: dict  # k1..k5 -> Decimal or None

    @property
    def is_rated(self):
        return self.status == RatingResult.Status.RATED


@dataclass
class ReportData:
    year: int
    kind: str
    kind_label: str  # «общеобразовательные организации»
    kind_among: str  # «среди общеобразовательных организаций»
    revision_number: int
    published_at: object
    methodology_code: str
    methodology_title: str
    policies: list  # results.indicators.PolicyLine
    respondents: int
    assessed: int
    rated: int
    not_rated: int
    low_sample: int
    coverage: list = field(default_factory=list)  # CoverageRow, region rows last
    coverage_note: str = ""
    region: Means | None = None
    municipalities: list = field(default_factory=list)  # Means, by name
    indicators: list = field(default_factory=list)  # IndicatorMean
    bands: list = field(default_factory=list)  # BandCount, highest band first
    top: list = field(default_factory=list)  # Row
    bottom: list = field(default_factory=list)  # Row
    shortcomings_by_indicator: list = field(default_factory=list)  # IndicatorShortcomings
    typical_shortcomings: list = field(default_factory=list)  # TypicalShortcoming
    organisations_with_shortcomings: int = 0
    rows: list = field(default_factory=list)  # Row, every organisation, by rank

    @property
    def title(self):
        return _(
            "Аналитический отчёт о результатах независимой оценки качества условий "
            "осуществления образовательной деятельности: %(kind)s, %(year)s год"
        ) % {
            "kind": self.kind_label,
            "year": self.year,
        }

    def criterion_columns(self):
        """[(code, «К1», title)] for the tables' headings."""
        return [(code, short_label(code), CRITERION_TITLES[code]) for code in CRITERIA]

    def region_rows(self):
        """(label, mean, is a criterion) of the region's table: each criterion followed by
        its indicators, the total last (the DOCX's table and the printable page's)."""
        region = self.region.figures
        rows = []
        for code, label, title in self.criterion_columns():
            rows.append((f"{label}. {title}", figure(region.get(code)), True))
            rows.extend(
                (f"{line.number}. {line.title}", figure(line.value), False)
                for line in self.indicators
                if line.criterion == code
            )
        rows.append((_("Итоговый балл"), figure(region.get("total")), True))
        return rows

    def municipality_rows(self):
        """[name, rated, К1 … К5, total] of each municipality, then of the region."""
        return [
            [
                item.name,
                item.rated,
                *(figure(item.figures.get(code)) for code in CRITERIA),
                figure(item.figures.get("total")),
            ]
            for item in [*self.municipalities, self.region]
        ]

    def sample_lines(self):
        """The sample in sentences."""
        lines = [
            _("Организаций в оценке: %(n)s.") % {"n": self.assessed},
            _("Получили итоговый балл и место: %(n)s.") % {"n": self.rated},
            _("Не получили балла (недостаточно ответов): %(n)s.") % {"n": self.not_rated},
            _("Респондентов всего: %(n)s.") % {"n": self.respondents},
        ]
        if self.low_sample:
            lines.append(
                _("Из оценённых с пометкой «мало ответов»: %(n)s.") % {"n": self.low_sample}
            )
        return lines

    def appendix_rows(self):
        """Every organisation's cells in the appendix: place, code, name, municipality,
        К1 … К5, total («*» when rated on few answers)."""
        rows = []
        for row in self.rows:
            total = figure(row.total)
            if row.low_sample and row.total is not None:
                total += "*"
            rows.append(
                [
                    "—" if row.rank is None else row.rank,
                    row.code,
                    row.name,
                    row.municipality,
                    *(figure(row.criteria.get(code)) for code in CRITERIA),
                    total,
                ]
            )
        return rows

    def criterion_means(self):
        """[(code, «К1», title, region mean)] and the total: the bar chart's data."""
        figures = self.region.figures if self.region else {}
        return [
            (
                code,
                short_label(code),
                CRITERION_TITLES.get(code, _("Итоговый балл")),
                figures.get(code),
            )
            for code in (*CRITERIA, "total")
        ]


def published_revision(year):
    """The year's current published revision; a year still in draft is refused."""
    revision = RatingRevision.objects.current_of(year)
    if revision is None:
        raise ReportError(
            _(
                "Рейтинг %(year)s года не опубликован: отчёт строится только по "
                "опубликованным результатам."
            )
            % {"year": year}
        )
    return revision


def report_kinds(revision):
    """The kinds with results in ``revision``, in the public order."""
    return kinds_of(revision.aggregates.get("assessed_kinds"), revision.results.all())


def gather(year, kind, progress=None):
    """The report's figures; ``progress(percent, step)`` is told as each part is read."""
    progress = progress or (lambda percent, step: None)
    revision = published_revision(year)
    if kind not in report_kinds(revision):
        raise ReportError(
            _("В опубликованном рейтинге %(year)s года нет организаций этого типа.")
            % {"year": year}
        )
    results = list(
        revision.results.filter(kind=kind)
        .defer("inputs", "search_document")
        .order_by("-status", "rank", "name")
    )
    policies = revision.applied_policies
    methodology = MethodologyVersion.objects.filter(code=policies.methodology_code).first()
    rated = [result for result in results if result.is_rated]
    data = ReportData(
        year=year,
        kind=kind,
        kind_label=str(KIND_PLURALS[kind]),
        kind_among=str(KIND_AMONG[kind]),
        revision_number=revision.number,
        published_at=revision.published_at,
        methodology_code=policies.methodology_code,
        methodology_title=methodology.title if methodology else policies.methodology_code,
        policies=policy_lines(policies, kind),
        respondents=sum(result.respondents for result in results),
        assessed=len(results),
        rated=len(rated),
        not_rated=len(results) - len(rated),
        low_sample=sum(1 for result in rated if result.low_sample),
    )
    progress(15, _("Охват анкетирования"))
    data.coverage, data.coverage_note = _coverage(year, kind, results)
    progress(30, _("Средние значения критериев"))
    data.region, data.municipalities = _means(revision, kind)
    data.indicators = _indicator_means(rated)
    data.bands = _bands(rated, policies.bands)
    progress(45, _("Лучшие и отстающие организации"))
    data.rows = [_row(result) for result in results]
    rated_rows = [row for row in data.rows if row.is_rated]
    data.top = rated_rows[:LIST_LENGTH]
    data.bottom = rated_rows[LIST_LENGTH:][-LIST_LENGTH:]
    progress(55, _("Типичные недостатки"))
    _shortcomings(data, year, [result.organisation_id for result in results])
    return data


def _row(result):
    return Row(
        code=result.code,
        name=result.short_name or result.name,
        municipality=result.municipality_name,
        status=result.status,
        total=result.total,
        rank=result.rank,
        low_sample=result.low_sample,
        respondents=result.respondents,
        criteria={code: getattr(result, code) for code in CRITERIA},
    )


def _means(revision, kind):
    """The region's and each municipality's means as the revision stored them."""
    aggregates = revision.aggregates
    # Revisions published before kinds were ranked apart keep means over all kinds.
    means = aggregates.get("kinds", {}).get(kind, {}) if "kinds" in aggregates else aggregates

    def read(name, summary):
        return Means(
            name=name,
            rated=summary.get("rated", 0),
            figures={
                code: None if summary.get(code) is None else Decimal(summary[code])
                for code in AGGREGATE_FIGURES
            },
        )

    region = read(_("Регион"), means.get("region", {}))
    municipalities = sorted(
        (read(item["name"], item) for item in means.get("municipalities", {}).values()),
        key=lambda item: item.name,
    )
    return region, municipalities


def _indicator_means(rated):
    lines = []
    for criterion, weights in engine.CRITERIA.items():
        for code in weights:
            values = [getattr(result, code) for result in rated]
            values = [value for value in values if value is not None]
            lines.append(
                IndicatorMean(
                    code=code,
                    number=code[1:].replace("_", "."),
                    title=str(INDICATOR_TITLES[code]),
                    criterion=criterion,
                    value=engine.display(engine.mean(values)) if values else None,
                )
            )
    return lines


def _bands(rated, bands):
    """Rated organisations per band of the total, highest band first."""
    ordered = sorted(bands, key=lambda pair: pair[0], reverse=True)
    tally = Counter(engine.band(result.total, ordered) for result in rated)
    counted, upper = [], "100"
    for lower, key in ordered:
        counted.append(
            BandCount(
                key=key,
                label=str(BAND_LABELS.get(key, key)),
                lower=lower,
                upper=upper,
                count=tally.get(key, 0),
            )
        )
        # Totals have two decimals: a band ends just below the next one's lower bound.
        upper = figure(Decimal(lower) - Decimal("0.01"))
    return counted


def _coverage(year, kind, results):
    """Accepted answers per respondent group against its contingent, per municipality and
    for the region, for the organisations in the report; ([], note) for a year whose survey
    counts were imported rather than collected on the portal."""
    campaigns = [
        campaign
        for campaign in Campaign.objects.filter(year=year)
        .prefetch_related("municipalities")
        .order_by("-opens_at", "-pk")
        if kind in campaign.kinds
    ]
    if not campaigns:
        return [], _(
            "Анкетирование этого года проводилось вне портала: охват по группам "
            "респондентов не рассчитывается, число респондентов взято из данных оценки."
        )
    tallies = {}
    for campaign in campaigns:
        for (organisation_id, audience, status), n in counts(campaign).items():
            key = (audience, status)
            per_organisation = tallies.setdefault(organisation_id, {})
            per_organisation[key] = per_organisation.get(key, 0) + n
    organisations = Organisation.objects.in_bulk([result.organisation_id for result in results])
    areas = {campaign.pk: campaign.area_ids() for campaign in campaigns}
    by_municipality, region = {}, Coverage()
    # {audience: (the group's label, its target or None when organisations differ)}
    groups = {}
    for result in results:
        organisation = organisations[result.organisation_id]
        # The latest campaign surveying the organisation's area decides its groups.
        campaign = next(
            (
                item
                for item in campaigns
                if not areas[item.pk] or organisation.municipality_id in areas[item.pk]
            ),
            campaigns[0],
        )
        item = organisation_coverage(organisation, campaign, tallies.get(organisation.pk, {}))
        by_municipality.setdefault(result.municipality_name, Coverage()).add(item)
        region.add(item)
        for group in item.groups:
            label, target = groups.setdefault(group.audience, (group.label, group.target_percent))
            if target != group.target_percent:
                groups[group.audience] = (label, None)
    rows = []
    for name, coverage in [*sorted(by_municipality.items()), (_("Регион"), region)]:
        for group in coverage.groups:
            label, target = groups.get(group.audience, (group.label, None))
            rows.append(
                CoverageRow(
                    municipality=name,
                    group=label,
                    count=group.count,
                    contingent=group.contingent,
                    share=group.share,
                    target_percent=target,
                )
            )
    return rows, ""


def _shortcomings(data, year, organisation_ids):
    """The kept shortcomings (active, still shown by the evidence:
    ``accountability.publication.kept_shortcomings``) of the kind's organisations, counted
    by indicator and by source or wording (an organisation counts once per line)."""
    kept = Shortcoming.objects.filter(
        organisation_id__in=organisation_ids,
        year=year,
        status=Shortcoming.Status.ACTIVE,
        stale=False,
    ).values_list("organisation_id", "criterion", "indicator", "source", "source_key", "text")
    by_indicator, by_source, wordings, criteria = {}, {}, {}, {}
    with_any = set()
    for organisation_id, criterion, indicator, source, source_key, text in kept:
        with_any.add(organisation_id)
        by_indicator.setdefault(indicator, set()).add(organisation_id)
        criteria[indicator] = criterion
        # Derived shortcomings share a source key across organisations; the operator's own
        # ones have a key per row, so those are grouped by their wording.
        key = (
            ("text", indicator, " ".join(text.split()).lower())
            if source == Shortcoming.Source.OPERATOR
            else ("source", indicator, source_key)
        )
        by_source.setdefault(key, set()).add(organisation_id)
        wordings.setdefault(key, Counter())[text] += 1
    data.organisations_with_shortcomings = len(with_any)
    data.shortcomings_by_indicator = [
        IndicatorShortcomings(
            indicator=indicator,
            criterion=str(Criterion(criteria[indicator]).label),
            organisations=len(members),
        )
        for indicator, members in sorted(
            by_indicator.items(), key=lambda pair: (-len(pair[1]), _number_key(pair[0]))
        )
    ]
    frequent = sorted(
        by_source.items(), key=lambda pair: (-len(pair[1]), _number_key(pair[0][1]), pair[0][2])
    )[:TYPICAL_SHORTCOMINGS]
    data.typical_shortcomings = [
        TypicalShortcoming(
            criterion=str(Criterion(criteria[key[1]]).label),
            indicator=key[1],
            # The wording most organisations have for it.
            text=wordings[key].most_common(1)[0][0],
            organisations=len(members),
        )
        for key, members in frequent
    ]


def _number_key(indicator):
    """«1.1» < «1.2» < «10.1»: indicators in the methodology's order."""
    return tuple(int(part) if part.isdigit() else 0 for part in indicator.split("."))


def figure(value):
    """A figure as the report prints it: two decimals with a comma, «—» for none."""
    if value is None:
        return "—"
    return f"{value:.2f}".replace(".", ",")


def share_text(value):
    """A coverage share in percent («42,5»), «—» without a contingent."""
    if value is None:
        return "—"
    return f"{value:.1f}".replace(".", ",")


def recommendation_blocks(text):
    """The editor's plain-text recommendations as [("p", text) | ("ul", [items])]:
    paragraphs apart by an empty line, lines starting with «- », «• » or «* » as list items."""
    blocks = []
    for chunk in "\n".join(line.rstrip() for line in (text or "").splitlines()).split("\n\n"):
        paragraph, items = [], []
        for line in chunk.strip().splitlines():
            stripped = line.strip()
            if stripped[:2] in ("- ", "• ", "* "):
                if paragraph:
                    blocks.append(("p", " ".join(paragraph)))
                    paragraph = []
                items.append(stripped[2:].strip())
            elif stripped:
                if items:
                    blocks.append(("ul", items))
                    items = []
                paragraph.append(stripped)
        if paragraph:
            blocks.append(("p", " ".join(paragraph)))
        if items:
            blocks.append(("ul", items))
    return blocks
