"""The year's assessment list drives the computation: only listed organisations are rated,
ranked and published."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from registry import assessment
from results.models import RatingResult
from results.services import compute_year, publish_year

from .factories import AssessmentInputFactory

pytestmark = pytest.mark.django_db
YEAR = 2025


def test_only_listed_organisations_are_computed_ranked_and_published(client):
    listed = AssessmentInputFactory(year=YEAR, values={"recommend": 100}).organisation
    unlisted = AssessmentInputFactory(year=YEAR, values={"recommend": 190}).organisation
    assessment.add(YEAR, [listed])
    report = compute_year(YEAR)
    assert report.not_listed == 1
    publish_year(YEAR)
    public = RatingResult.objects.public()
    # Ranked among the listed only: first, although the unlisted one scored higher.
    assert [(result.organisation_id, result.rank) for result in public] == [(listed.pk, 1)]
    listing = client.get(reverse("ratings")).content.decode()
    assert listed.short_name in listing and unlisted.short_name not in listing


def test_without_a_list_every_organisation_with_inputs_is_computed(capsys):
    AssessmentInputFactory(year=YEAR)
    AssessmentInputFactory(year=YEAR)
    call_command("compute_ratings", year=YEAR)
    assert "Не в перечне" not in capsys.readouterr().out
    assert RatingResult.objects.filter(year=YEAR).count() == 2
