"""Campaigns survey only the organisations on their year's assessment list."""

import pytest

from registry import assessment
from registry.tests.factories import OrganisationFactory
from surveys.coverage import coverage_report
from surveys.models import campaign_for

from .factories import CampaignFactory

pytestmark = pytest.mark.django_db


def test_a_campaign_takes_only_listed_organisations_once_its_year_has_a_list(client):
    campaign = CampaignFactory(year=2026)
    listed, unlisted = OrganisationFactory(), OrganisationFactory()
    # No list yet: everyone of the campaign's kinds answers, as before lists existed.
    assert campaign_for(unlisted) == campaign
    assessment.add(2026, [listed])
    assert campaign_for(listed) == campaign
    assert campaign_for(unlisted) is None
    assert client.get(f"/survey/{listed.code}/parents/").status_code == 200
    closed = client.get(f"/survey/{unlisted.code}/parents/")
    assert closed.status_code == 410
    assert set(coverage_report(campaign).by_organisation) == {listed}
