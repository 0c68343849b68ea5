"""Organised sessions are approved by the municipality's coordinator or an editor before they
lift the per-address limit; the screen lists them with their orders and admitted answers, and a
rejected session's answers go back to review (security.md case 37)."""

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse

from core.permissions import editors_group
from registry.tests.factories import MunicipalityFactory, OrganisationFactory
from schools.provisioning import add_staff_member
from surveys import services, tokens
from surveys.models import OrganisedSession, Response
from surveys.tests.factories import CampaignFactory, OrganisedSessionFactory
from surveys.tests.test_questionnaire import answers

pytestmark = pytest.mark.django_db
URL = "/admin/surveys/sessions/"
CLASSROOM = "198.51.100.40"


@pytest.fixture
def region():
    cache.clear()
    services.daily_keys.forget()
    municipality = MunicipalityFactory(name="Приозёрский район")
    school = OrganisationFactory(municipality=municipality)
    campaign = CampaignFactory()
    session = OrganisedSessionFactory(
        campaign=campaign, organisation=school, expected_participants=6
    )
    User = get_user_model()
    staff = User.objects.create_user("staff")
    add_staff_member(school, staff)
    # A municipality's coordinator group comes with its first organisation.
    municipality.refresh_from_db()
    elsewhere = OrganisationFactory().municipality
    elsewhere.refresh_from_db()
    coordinator = User.objects.create_user("coordinator")
    coordinator.groups.add(municipality.coordinator_group)
    stranger = User.objects.create_user("other-coordinator")
    stranger.groups.add(elsewhere.coordinator_group)
    editor = User.objects.create_user("editor")
    editor.groups.add(editors_group())
    return {
        "school": school,
        "campaign": campaign,
        "session": session,
        "staff": staff,
        "coordinator": coordinator,
        "stranger": stranger,
        "editor": editor,
    }


def answer_from_classroom(client, region, times):
    url = f"/survey/{region['school'].code}/parents/"
    for _ in range(times):
        client.cookies.clear()
        token = tokens.issue_token(region["campaign"], region["school"], "parents")
        client.post(url, {**answers(), "form_token": token}, REMOTE_ADDR=CLASSROOM)


def statuses():
    return list(Response.objects.order_by("pk").values_list("status", flat=True))


@override_settings(SURVEY_MIN_FILL_SECONDS=0, SURVEY_MAX_PER_ADDRESS_PER_HOUR=2)
def test_a_session_lifts_the_limit_only_once_approved(client, region):
    answer_from_classroom(client, region, 4)
    # Registered by the school alone: the class's answers past the limit wait for review.
    assert statuses() == ["accepted"] * 2 + ["flagged"] * 2

    client.force_login(region["coordinator"])
    response = client.post(URL, {"session": region["session"].pk, "action": "approve"})
    assert response.status_code == 302
    session = OrganisedSession.objects.get()
    assert session.status == "approved" and session.reviewed_by == region["coordinator"]
    # The held answers are admitted by the approval, and so are the next ones.
    assert statuses() == ["accepted"] * 4
    client.logout()
    answer_from_classroom(client, region, 4)
    # Up to the expected six of the day: the seventh and eighth wait again.
    assert statuses() == ["accepted"] * 6 + ["flagged"] * 2
    assert session.admitted_responses.count() == 4


@override_settings(SURVEY_MIN_FILL_SECONDS=0, SURVEY_MAX_PER_ADDRESS_PER_HOUR=1)
def test_a_rejected_session_sends_its_answers_back_to_review(client, region):
    services.approve_session(region["session"], region["editor"])
    answer_from_classroom(client, region, 3)
    assert statuses() == ["accepted"] * 3
    client.force_login(region["coordinator"])
    no_reason = client.post(URL, {"session": region["session"].pk, "action": "reject"})
    assert no_reason.status_code == 302
    assert OrganisedSession.objects.get().status == "approved"  # a reason is required
    client.post(
        URL, {"session": region["session"].pk, "action": "reject", "comment": "Нет подписи"}
    )
    assert OrganisedSession.objects.get().status == "rejected"
    # The one answer within the limit stays; the two the session admitted wait for review.
    assert statuses() == ["accepted", "flagged", "flagged"]
    assert set(Response.objects.filter(status="flagged").values_list("flag_reason", flat=True)) == {
        services.REASON_SESSION_REJECTED
    }


def test_the_screen_lists_sessions_with_orders_for_those_who_decide(client, region):
    client.force_login(region["coordinator"])
    page = client.get(URL, {"campaign": region["campaign"].pk})
    assert page.status_code == 200
    content = page.content.decode()
    assert region["school"].name in content and "на рассмотрении" in content
    order = client.get(reverse("surveys_session_order", args=[region["session"].pk]))
    assert order.status_code == 200 and b"".join(order.streaming_content).startswith(b"%PDF")


def test_the_school_and_other_coordinators_cannot_decide(client, region):
    for user in ("staff", "stranger"):
        client.force_login(region[user])
        response = client.post(URL, {"session": region["session"].pk, "action": "approve"})
        assert response.status_code in (302, 403)
        assert OrganisedSession.objects.get().status == "pending", user
    # The school may read its own order, not decide on it; a stranger may not even read it.
    client.force_login(region["staff"])
    assert client.get(URL).status_code in (302, 403)
    order = reverse("surveys_session_order", args=[region["session"].pk])
    assert client.get(order).status_code == 200
    client.force_login(region["stranger"])
    assert client.get(order).status_code == 404
