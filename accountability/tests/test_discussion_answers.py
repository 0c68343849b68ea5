"""The organisation's staff answer published entries about their own organisation from the
cabinet; nobody else's, nothing unpublished, never over the operator's answer."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from accountability import discussion as services
from accountability.models import DiscussionEntry
from registry.tests.factories import OrganisationFactory

from .factories import DiscussionEntryFactory, DiscussionFactory
from .factories_council import make_coordinator, make_editor, make_staff, rated_organisation

pytestmark = pytest.mark.django_db
YEAR = 2025


@pytest.fixture
def school():
    return rated_organisation(YEAR)


@pytest.fixture
def entry(school):
    return DiscussionEntryFactory(
        discussion=DiscussionFactory(year=YEAR),
        organisation=school,
        text="Когда отремонтируют спортзал?",
        status=DiscussionEntry.Status.PUBLISHED,
    )


def answer_url(entry):
    return reverse("accountability_cabinet_discussion_answer", args=[entry.pk])


def test_staff_answer_an_entry_about_their_organisation_and_it_is_published(client, school, entry):
    client.force_login(make_staff(school))
    cabinet = client.get(reverse("accountability_cabinet_discussion"))
    assert cabinet.status_code == 200
    assert "Когда отремонтируют спортзал?" in cabinet.content.decode()
    assert "no-cache" in cabinet["Cache-Control"] or "private" in cabinet["Cache-Control"]
    response = client.post(answer_url(entry), {"answer": "Ремонт летом 2026 года."})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.answer == "Ремонт летом 2026 года."
    assert entry.answered_by == DiscussionEntry.AnsweredBy.ORGANISATION
    client.logout()
    page = client.get(reverse("accountability_discussion", args=[YEAR])).content.decode()
    assert "Ремонт летом 2026 года." in page and "Ответ организации" in page


def test_staff_of_another_organisation_get_404_and_change_nothing(client, entry):
    other = make_staff(OrganisationFactory())
    client.force_login(other)
    assert (
        "спортзал" not in client.get(reverse("accountability_cabinet_discussion")).content.decode()
    )
    assert client.post(answer_url(entry), {"answer": "Чужой ответ"}).status_code == 404
    entry.refresh_from_db()
    assert entry.answer == ""


def test_anonymous_visitors_are_sent_to_sign_in(client, entry):
    for response in (
        client.get(reverse("accountability_cabinet_discussion")),
        client.post(answer_url(entry), {"answer": "Аноним"}),
    ):
        assert response.status_code == 302 and "login" in response["Location"]
    entry.refresh_from_db()
    assert entry.answer == ""


def test_a_coordinator_is_no_organisations_staff(client, entry):
    client.force_login(make_coordinator(entry.organisation.municipality))
    assert client.get(reverse("accountability_cabinet_discussion")).status_code == 403
    assert client.post(answer_url(entry), {"answer": "Координатор"}).status_code == 403
    entry.refresh_from_db()
    assert entry.answer == ""


@pytest.mark.parametrize("status", ["pending", "held", "rejected"])
def test_unpublished_entries_cannot_be_answered_by_the_organisation(client, school, entry, status):
    entry.status = status
    entry.save()
    client.force_login(make_staff(school))
    assert client.post(answer_url(entry), {"answer": "Ответ"}).status_code == 404
    assert (
        "спортзал" not in client.get(reverse("accountability_cabinet_discussion")).content.decode()
    )
    entry.refresh_from_db()
    assert entry.answer == ""


def test_the_operators_answer_is_not_the_organisations_to_replace(client, school, entry):
    services.answer_entry(entry, make_editor(), "Ответ оператора по существу.")
    staff = make_staff(school)
    client.force_login(staff)
    assert client.post(answer_url(entry), {"answer": "Наш ответ"}).status_code == 400
    entry.refresh_from_db()
    assert entry.answer == "Ответ оператора по существу."
    with pytest.raises(PermissionDenied):
        services.answer_entry(entry, staff, "Наш ответ")


def test_an_answer_with_control_characters_is_refused(client, school, entry):
    client.force_login(make_staff(school))
    response = client.post(answer_url(entry), {"answer": "Ответ\u202eтсккер"})
    assert response.status_code == 400
    assert "служебные символы" in response.content.decode()
    entry.refresh_from_db()
    assert entry.answer == ""
