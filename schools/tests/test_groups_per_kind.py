"""What an organisation's profile page and cabinet offer its respondents: its own kind's
groups, titled as the groups are, in its own campaign (issue 15)."""

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache

from registry.models import Organisation
from registry.tests.factories import OrganisationFactory
from schools.provisioning import add_staff_member
from surveys.models import RespondentGroup
from surveys.tests.factories import CampaignFactory, ResponseFactory

pytestmark = pytest.mark.django_db

Kind = Organisation.Kind
EXPECTED = {
    Kind.SCHOOL: {"parents", "students"},
    Kind.PRESCHOOL: {"parents"},
    Kind.COLLEGE: {"parents", "students"},
    Kind.ADDITIONAL: {"parents", "students"},
}


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()


def kind_groups(kind):
    return RespondentGroup.objects.filter(methodology_version="noko-2019", kind=kind)


@pytest.mark.parametrize("kind", list(EXPECTED))
def test_profile_page_offers_only_the_kinds_groups(client, kind):
    CampaignFactory()
    organisation = OrganisationFactory(kind=kind)
    response = client.get(organisation.page.url)
    html = response.content.decode()
    offered = {item["audience"] for item in response.context["survey_forms"]}
    assert offered == EXPECTED[kind]
    for group in kind_groups(kind):
        assert group.title in html
        assert f'action="/survey/{organisation.code}/{group.audience}/"' in html
    for audience in {"parents", "students"} - EXPECTED[kind]:
        assert f"/survey/{organisation.code}/{audience}/" not in html


def test_kindergarten_page_says_nothing_of_classes_or_school(client):
    CampaignFactory()
    kindergarten = OrganisationFactory(
        kind=Kind.PRESCHOOL, name="МБДОУ «Детский сад № 5»", short_name="Детский сад № 5"
    )
    response = client.get(kindergarten.page.url)
    survey = response.content.decode().split('id="anketa"', 1)[1].split("</section>", 1)[0]
    assert "воспитанников детского сада" in survey
    assert "класс" not in survey.lower()
    assert "школ" not in survey.lower()


def test_profile_page_of_a_kind_outside_every_open_campaign_has_no_forms(client):
    CampaignFactory(kinds=[Kind.SCHOOL])
    college = OrganisationFactory(kind=Kind.COLLEGE)
    response = client.get(college.page.url)
    assert response.context["survey_forms"] == []
    assert "Сейчас анкетирование не проводится" in response.content.decode()


@pytest.mark.parametrize("kind", list(EXPECTED))
def test_cabinet_offers_the_kinds_groups_and_their_coverage(client, kind):
    campaign = CampaignFactory()
    organisation = OrganisationFactory(kind=kind, contingent_parents=10, contingent_students=10)
    ResponseFactory(campaign=campaign, organisation=organisation, audience="parents")
    staff = get_user_model().objects.create_user("staff", "s@example.com", "pw")
    add_staff_member(organisation, staff)
    client.force_login(staff)
    response = client.get("/cabinet/")
    html = response.content.decode()
    assert {link["audience"] for link in response.context["links"]} == EXPECTED[kind]
    coverage = response.context["coverage"]
    assert {group.audience for group in coverage.groups} == EXPECTED[kind]
    for group in kind_groups(kind):
        assert group.title in html
        assert group.short_label in html
    assert "цель — 50 %" in html
    for audience in {"parents", "students"} - EXPECTED[kind]:
        assert f"/survey/{organisation.code}/{audience}/" not in html
