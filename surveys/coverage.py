"""Survey coverage: accepted responses against the contingent, with the 50 % target.

One aggregate query per call; results are cached for a minute, which is as fresh as the
dashboards promise and keeps a region of 2,000 schools cheap to watch during the peak."""

from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Count

from registry.models import Organisation

from .models import Audience, Response

TARGET_SHARE = 0.5
CACHE_SECONDS = 60


@dataclass
class Coverage:
    parents: int = 0
    students: int = 0
    parents_contingent: int = 0
    students_contingent: int = 0
    flagged: int = 0

    @staticmethod
    def share(count, contingent):
        return round(100 * count / contingent, 1) if contingent else None

    @property
    def parents_share(self):
        return self.share(self.parents, self.parents_contingent)

    @property
    def students_share(self):
        return self.share(self.students, self.students_contingent)

    @property
    def target_met(self):
        shares = [s for s in (self.parents_share, self.students_share) if s is not None]
        return bool(shares) and all(s >= TARGET_SHARE * 100 for s in shares)

    def add(self, other):
        for name in ("parents", "students", "parents_contingent", "students_contingent", "flagged"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


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
    organisations = organisations if organisations is not None else Organisation.objects.all()
    organisations = organisations.filter(is_active=True).select_related("municipality")
    tallies = counts(campaign)
    report = CoverageReport()
    for organisation in organisations.order_by("municipality__name", "name"):
        item = Coverage(
            parents=tallies.get((organisation.pk, Audience.PARENTS, Response.Status.ACCEPTED), 0),
            students=tallies.get((organisation.pk, Audience.STUDENTS, Response.Status.ACCEPTED), 0),
            parents_contingent=organisation.pupils_1_8,
            students_contingent=organisation.pupils_9_11,
            flagged=sum(
                tallies.get((organisation.pk, audience, Response.Status.FLAGGED), 0)
                for audience in Audience.values
            ),
        )
        report.by_organisation[organisation] = item
        report.by_municipality.setdefault(organisation.municipality, Coverage()).add(item)
        report.total.add(item)
    return report
