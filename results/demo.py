"""Demo ratings: three published years and a draft for the year whose survey is open, each
year of the kinds on its assessment list (registry/demo.py), so the archive ranks each kind
on its own.

Survey counts come from the demo campaigns' responses (surveys.demo); the checklist counts
below stand in for what the monitoring checklists produce, drawn per school and year from a
seeded generator so that every run builds the same region.
"""

import random

from django.db import transaction
from django.utils import timezone

from registry.assessment import is_assessed
from registry.models import Organisation
from surveys.counts import campaign_years

from .models import AssessmentInput, RatingRevision
from .services import compute_year, publish_year

SEED = 344
CORRECTION_NOTE = (
    "Исправлены данные мониторинга сайтов двух организаций после апелляции; места в "
    "рейтинге пересчитаны."
)


def checklist_inputs(rng, quality):
    stand_norm, site_norm = 14, 50
    return {
        "stand_items": min(stand_norm, round(stand_norm * rng.uniform(quality - 0.15, 1.05))),
        "stand_norm": stand_norm,
        "site_items": min(site_norm, round(site_norm * rng.uniform(quality - 0.1, 1.02))),
        "site_norm": site_norm,
        "distance_channels": rng.randint(2, 6),
        "comfort_conditions": rng.randint(3, 7),
        "territory_conditions": rng.randint(1, 5),
        "service_conditions": rng.randint(1, 6),
    }


def load_results(*, publish_last_past=True):
    """Returns the number of years computed (0 when the demo already has ratings).

    Past years are published and the current one left as a draft. With
    ``publish_last_past=False`` the last past year stays a draft too, for the demo of what
    comes after the numbers to take it through the preliminary stage and publish it."""
    if RatingRevision.objects.exists():
        return 0

    rng = random.Random(SEED)
    organisations = list(Organisation.objects.filter(is_active=True).order_by("code"))
    quality = {org.pk: rng.uniform(0.55, 0.95) for org in organisations}
    this_year = timezone.localdate().year
    years = campaign_years()
    past = [year for year in years if year < this_year]
    held = past[-1:] if past and not publish_last_past else []
    for year in years:
        # Drawn for every organisation, so each keeps its figures whichever kinds a year
        # assesses; stored for those on the year's list.
        drawn = [(org, checklist_inputs(rng, quality[org.pk])) for org in organisations]
        with transaction.atomic():
            AssessmentInput.objects.bulk_create(
                [
                    AssessmentInput(
                        organisation=org,
                        year=year,
                        checklist_source=AssessmentInput.Source.CHECKLISTS,
                        **inputs,
                    )
                    for org, inputs in drawn
                    if is_assessed(org.pk, year)
                ]
            )
            compute_year(year)
            if year < this_year and year not in held:
                publish_year(year)
    # A correction after publication: the last published year gets a second revision, so
    # the archive shows how a republished year looks.
    published = [year for year in past if year not in held]
    if published:
        year = published[-1]
        for row in AssessmentInput.objects.filter(year=year).order_by("organisation__code")[:2]:
            row.site_items = row.site_norm
            row.save()
        compute_year(year)
        publish_year(year, change_note=CORRECTION_NOTE)
    return len(years)
