"""What the other domains may ask the surveys app (its one public module).

The ratings read the year's campaign settings and the questionnaire's answers counted as
rating inputs; monitoring reads the schools' report deadline. Everything else in this app is
its own business: a change inside it should never reach `results` or `monitoring` except
through the names here.
"""

from dataclasses import dataclass

from django.db.models import Count, Q

from registry.models import Organisation

from .coverage import organisation_coverage
from .models import Campaign, Response, groups_of

# Keys of the questionnaire (methodology §3) and the rating input each «Да» adds one to.
SURVEY_COUNT_KEYS = {
    "stand_used": "q1",
    "stand_satisfied": "q2",
    "site_used": "q3",
    "site_satisfied": "q4",
    "comfort_satisfied": "q5",
    "disabled": "q6",
    "disabled_satisfied": "q7",
    "first_contact_satisfied": "q8",
    "direct_service_satisfied": "q9",
    "distance_used": "q10",
    "distance_satisfied": "q11",
    "recommend": "q12",
    "schedule_satisfied": "q13",
    "overall_satisfied": "q14",
}
# The order of the figures in ``survey_counts`` rows (the engine's SURVEY_FIELDS; a test holds
# the two together).
SURVEY_FIELDS = ("respondents", *SURVEY_COUNT_KEYS)


@dataclass(frozen=True)
class CampaignSettings:
    """What the year's latest campaign decides for the rating."""

    title: str
    methodology_version: str
    min_respondents: int


def campaign_settings(year, kind=None):
    """The settings of ``year``'s latest campaign (of those covering ``kind``, when given), or
    None for a year without one.

    A year may have several campaigns (per kind and area); without ``kind`` the one opened
    last decides, as when a year had one campaign."""
    campaigns = Campaign.objects.filter(year=year).order_by("-opens_at", "-pk")
    campaign = next(
        (item for item in campaigns if kind is None or kind in item.kinds),
        None,
    )
    if campaign is None:
        return None
    return CampaignSettings(
        title=str(campaign),
        methodology_version=campaign.methodology_version,
        min_respondents=campaign.min_respondents,
    )


def has_campaign(year):
    return Campaign.objects.filter(year=year).exists()


def campaign_years():
    """Every year that has a campaign, oldest first."""
    return sorted(set(Campaign.objects.values_list("year", flat=True)))


def report_deadline(year):
    """The last day schools may edit their self-assessment for ``year``, or None: the latest
    deadline of the year's campaigns, so that no campaign's organisations are cut short."""
    campaign = (
        Campaign.objects.filter(year=year, report_deadline__isnull=False)
        .order_by("-report_deadline")
        .first()
    )
    return campaign.report_deadline if campaign else None


def survey_counts(year):
    """{organisation_id: (figures in SURVEY_FIELDS order)} from accepted responses of the
    year's campaigns.

    One aggregate query (``GROUP BY organisation``): a «Да» adds one to its count; a question
    skipped by routing (NULL) counts neither way. Flagged and rejected responses are left out.
    Rows come back as tuples: for a country, building 50,000 dictionaries costs more than
    the merge they feed.
    """
    aggregates = {
        name: Count("pk", filter=Q(**{key: True})) for name, key in SURVEY_COUNT_KEYS.items()
    }
    rows = (
        Response.objects.filter(campaign__year=year, status=Response.Status.ACCEPTED)
        .order_by()
        .values("organisation_id")
        .annotate(respondents=Count("pk"), **aggregates)
        .values_list("organisation_id", *SURVEY_FIELDS)
    )
    return {row[0]: row[1:] for row in rows}


def year_coverage(organisation, year):
    """Accepted responses of the year against each respondent group's contingent and target,
    or None without responses.

    The groups are those of the organisation's kind in the methodology version of the
    campaign it answered in (the latest, should there be several in a year)."""
    rows = list(
        Response.objects.filter(
            organisation=organisation, campaign__year=year, status=Response.Status.ACCEPTED
        )
        .order_by()
        .values_list("campaign_id", "audience")
        .annotate(n=Count("pk"))
    )
    if not rows:
        return None
    campaign = (
        Campaign.objects.filter(pk__in={campaign_id for campaign_id, _a, _n in rows})
        .order_by("-opens_at", "-pk")
        .first()
    )
    tallies = {}
    for _campaign_id, audience, n in rows:
        key = (audience, Response.Status.ACCEPTED)
        tallies[key] = tallies.get(key, 0) + n
    return organisation_coverage(organisation, campaign, tallies)


@dataclass(frozen=True)
class CoverageTarget:
    kind: str
    audience: str
    title: str
    percent: int


def coverage_targets(methodology_version):
    """The survey coverage target of every respondent group of ``methodology_version``, kind
    by kind: a policy of the version, stated with its results (exports, «как посчитано»)."""
    return [
        CoverageTarget(kind, group.audience, group.title, group.coverage_target_percent)
        for kind in Organisation.Kind.values
        for group in groups_of(methodology_version, kind)
    ]
