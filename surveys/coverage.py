"""Survey coverage: accepted responses of each respondent group against its contingent, with
the group's own target (``RespondentGroup.coverage_target_percent``).

An organisation shows only its kind's groups; totals per municipality and region add the
groups up by URL segment (``parents`` / ``students``), whatever the kinds inside.

One aggregate query per call; results are cached for a minute, which is as fresh as the
dashboards promise and keeps a region of 2,000 schools cheap to watch during the peak."""

from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Count

from registry.assessment import assessed
from registry.models import Organisation

from .models import Audience, Response, groups_of

CACHE_SECONDS = 60
# Which registry column holds the contingent of the group at each URL segment.
CONTINGENT_FIELDS = {
    Audience.PARENTS: "contingent_parents",
    Audience.STUDENTS: "contingent_students",
}


def contingent_of(organisation, audience):
    return getattr(organisation, CONTINGENT_FIELDS[audience])


def share(count, contingent):
    return round(100 * count / contingent, 1) if contingent else None


@dataclass
class GroupCoverage:
    """One respondent group: accepted answers, its contingent and its target (percent)."""

    audience: str
    label: str
    count: int = 0
    contingent: int = 0
    target_percent: int | None = None  # None for a sum over groups with different targets

    @property
    def share(self):
        return share(self.count, self.contingent)

    @property
    def target_met(self):
        return (
            self.share is not None
            and self.target_percent is not None
            and self.share >= self.target_percent
        )


@dataclass
class Coverage:
    """An organisation's groups (or, for a municipality or the region, sums per segment)."""

    groups: list = field(default_factory=list)  # GroupCoverage, in the groups' order
    flagged: int = 0

    def group(self, audience):
        return next((item for item in self.groups if item.audience == audience), None)

    @property
    def parents(self):
        return self.group(Audience.PARENTS)

    @property
    def students(self):
        return self.group(Audience.STUDENTS)

    @property
    def target_met(self):
        """Every group with a contingent reached its own target."""
        counted = [item for item in self.groups if item.share is not None]
        return bool(counted) and all(item.target_met for item in counted)

    def add(self, other):
        """Add ``other``'s groups to this sum, segment by segment."""
        for item in other.groups:
            total = self.group(item.audience)
            if total is None:
                total = GroupCoverage(item.audience, str(Audience(item.audience).label))
                self.groups.append(total)
                self.groups.sort(key=lambda group: Audience.values.index(group.audience))
            total.count += item.count
            total.contingent += item.contingent
        self.flagged += other.flagged


def organisation_coverage(organisation, campaign, tallies, status=Response.Status.ACCEPTED):
    """``organisation``'s Coverage under ``campaign``'s groups from ``{(audience, status): n}``
    tallies of its responses."""
    groups = groups_of(campaign.methodology_version, organisation.kind) if campaign else []
    return Coverage(
        groups=[
            GroupCoverage(
                audience=group.audience,
                label=group.label_for(campaign),
                count=tallies.get((group.audience, status), 0),
                contingent=contingent_of(organisation, group.audience),
                target_percent=group.coverage_target_percent,
            )
            for group in groups
        ],
        flagged=sum(
            n
            for (_audience, item_status), n in tallies.items()
            if item_status == Response.Status.FLAGGED
        ),
    )


@dataclass
class CoverageReport:
    by_organisation: dict = field(default_factory=dict)  # organisation -> Coverage
    by_municipality: dict = field(default_factory=dict)  # municipality -> Coverage
    total: Coverage = field(default_factory=Coverage)


def counts(campaign):
    """{(organisation_id, audience, status): n} for the campaign, cached for a minute."""
    key = f"surveys:coverage:{campaign.pk}"
    result = cache.get(key)
    if result is None:
        rows = (
            Response.objects.filter(campaign=campaign)
            .exclude(status=Response.Status.REJECTED)
            .values_list("organisation_id", "audience", "status")
            .annotate(n=Count("id"))
            .order_by()
        )
        result = {(org, audience, status): n for org, audience, status, n in rows}
        cache.set(key, result, CACHE_SECONDS)
    return result


def coverage_report(campaign, organisations=None):
    """Coverage of the organisations ``campaign`` covers (of ``organisations``, or all)."""
    organisations = organisations if organisations is not None else Organisation.objects.all()
    organisations = organisations.filter(is_active=True, kind__in=campaign.kinds)
    area_ids = campaign.area_ids()
    if area_ids:
        organisations = organisations.filter(municipality__in=area_ids)
    organisations = assessed(organisations, campaign.year)
    tallies = {}
    for (organisation_id, audience, status), n in counts(campaign).items():
        tallies.setdefault(organisation_id, {})[(audience, status)] = n
    report = CoverageReport()
    for organisation in organisations.select_related("municipality").order_by(
        "municipality__name", "name"
    ):
        item = organisation_coverage(organisation, campaign, tallies.get(organisation.pk, {}))
        report.by_organisation[organisation] = item
        report.by_municipality.setdefault(organisation.municipality, Coverage()).add(item)
        report.total.add(item)
    return report
