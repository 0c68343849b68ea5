"""The public council's page and its admin: members, meetings with decisions inline, and the
authority's management decisions; editors only in the admin."""

import datetime

import pytest
from django.urls import reverse

from accountability.models import CouncilDecision, CouncilMeeting, ManagementDecision
from registry.tests.factories import MunicipalityFactory, OrganisationFactory

from .factories import (
    CouncilDecisionFactory,
    CouncilMeetingFactory,
    CouncilMemberFactory,
    ManagementDecisionFactory,
)
from .factories_council import make_coordinator, make_editor, make_staff, publish_ratings

pytestmark = pytest.mark.django_db
YEAR = 2025


def test_the_council_page_shows_current_members_and_meetings_with_decisions(client):
    CouncilMemberFactory(full_name="Сидорова Анна Викторовна", role="chair")
    CouncilMemberFactory(full_name="Бывший Член Совета", until=datetime.date(2020, 1, 1))
    CouncilMemberFactory(full_name="<b>Петров</b>", position="<script>x</script>")
    older = CouncilMeetingFactory(date=datetime.date(2025, 3, 1), agenda="Перечень на 2025 год")
    newer = CouncilMeetingFactory(
        date=datetime.date(2026, 1, 20), number="7", agenda="Итоги оценки 2025 года"
    )
    CouncilDecisionFactory(
        meeting=older, topic=CouncilDecision.Topic.APPROVE_LIST, text="Утвердить перечень."
    )
    CouncilDecisionFactory(meeting=newer, text="Принять результаты к сведению.")
    publish_ratings(YEAR, [OrganisationFactory()])

    response = client.get(reverse("accountability_council"))
    assert response.status_code == 200
    assert "public" in response["Cache-Control"]
    page = response.content.decode()
    assert "Сидорова Анна Викторовна" in page and "председатель" in page
    assert "Бывший Член Совета" not in page
    assert "&lt;b&gt;Петров&lt;/b&gt;" in page and "<script>x" not in page
    assert page.index("Итоги оценки 2025 года") < page.index("Перечень на 2025 год")
    assert "протокол № 7" in page
    assert "Утвердить перечень." in page and "Принять результаты к сведению." in page
    assert reverse("accountability_year", args=[YEAR]) in page


def test_a_decision_on_a_year_without_a_public_page_is_not_linked(client):
    CouncilDecisionFactory(year=2031)
    page = client.get(reverse("accountability_council")).content.decode()
    assert "2031" in page
    assert reverse("accountability_year", args=[2031]) not in page


@pytest.fixture
def editor():
    return make_editor()


def test_editors_add_a_meeting_with_its_decisions_inline(client, editor):
    client.force_login(editor)
    add = reverse("accountability_council_meetings:add")
    assert client.get(add).status_code == 200
    data = {
        "date": "2026-01-20",
        "number": "3",
        "agenda": "О результатах оценки 2025 года",
        "protocol": "",
        "decisions-TOTAL_FORMS": "2",
        "decisions-INITIAL_FORMS": "0",
        "decisions-MIN_NUM_FORMS": "0",
        "decisions-MAX_NUM_FORMS": "1000",
        "decisions-0-year": "2025",
        "decisions-0-topic": "consider_results",
        "decisions-0-text": "Принять к сведению.",
        "decisions-0-ORDER": "1",
        "decisions-0-DELETE": "",
        "decisions-0-id": "",
        "decisions-1-year": "2025",
        "decisions-1-topic": "proposals",
        "decisions-1-text": "Предложить министерству утвердить планы.",
        "decisions-1-ORDER": "2",
        "decisions-1-DELETE": "",
        "decisions-1-id": "",
    }
    response = client.post(add, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    meeting = CouncilMeeting.objects.get()
    assert [d.topic for d in meeting.decisions.all()] == ["consider_results", "proposals"]
    bad = {**data, "decisions-0-year": "1900", "agenda": ""}
    refused = client.post(add, bad)
    assert refused.status_code == 200
    assert CouncilMeeting.objects.count() == 1


def test_editors_name_the_organisations_of_a_management_decision_by_code(client, editor):
    first, second = OrganisationFactory(), OrganisationFactory()
    client.force_login(editor)
    add = reverse("accountability_management_decisions:add")
    data = {
        "year": "2025",
        "date": "2026-02-10",
        "number": "15-р",
        "authority": "Министерство образования",
        "title": "Об утверждении планов",
        "text": "",
        "document": "",
        "organisation_codes": f"{first.code}\n{second.code}, 00000000000",
    }
    refused = client.post(add, data)
    assert refused.status_code == 200
    assert "Нет организаций с кодами: 00000000000" in refused.content.decode()
    assert not ManagementDecision.objects.exists()
    data["organisation_codes"] = f"{first.code}\n{second.code};{first.code}"
    assert client.post(add, data).status_code == 302
    decision = ManagementDecision.objects.get()
    assert set(decision.organisations.all()) == {first, second}
    edit = reverse("accountability_management_decisions:edit", args=[decision.pk])
    assert first.code in client.get(edit).content.decode()
    data["organisation_codes"] = second.code
    assert client.post(edit, data).status_code == 302
    assert list(decision.organisations.all()) == [second]


ADMIN_INDEXES = [
    "accountability_council_members",
    "accountability_council_meetings",
    "accountability_management_decisions",
    "accountability_discussions",
]


@pytest.mark.parametrize("viewset", ADMIN_INDEXES)
def test_editors_open_the_admin_screens(client, editor, viewset):
    ManagementDecisionFactory()
    CouncilDecisionFactory()
    CouncilMemberFactory()
    client.force_login(editor)
    assert client.get(reverse(f"{viewset}:index")).status_code == 200
    assert client.get(reverse(f"{viewset}:add")).status_code == 200


@pytest.mark.parametrize("role", ["school_staff", "coordinator"])
@pytest.mark.parametrize("viewset", ADMIN_INDEXES)
def test_school_staff_and_coordinators_are_kept_out_of_the_admin_screens(client, role, viewset):
    municipality = MunicipalityFactory()
    if role == "school_staff":
        user = make_staff(OrganisationFactory(municipality=municipality))
    else:
        user = make_coordinator(municipality)
    decision = ManagementDecisionFactory(title="Секретное до публикации")
    client.force_login(user)
    for url in (reverse(f"{viewset}:index"), reverse(f"{viewset}:add")):
        response = client.get(url)
        assert response.status_code in (302, 403)
        assert "Секретное" not in response.content.decode()
    edit = reverse("accountability_management_decisions:edit", args=[decision.pk])
    client.post(edit, {"title": "Изменено", "year": "2025", "date": "2026-01-01"})
    decision.refresh_from_db()
    assert decision.title == "Секретное до публикации"


def test_the_submenu_lists_the_screens_for_editors_only(client, editor):
    client.force_login(editor)
    screens = [reverse(f"{viewset}:index") for viewset in ADMIN_INDEXES]
    screens.append(reverse("accountability_discussion_entries"))
    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    for url in screens:
        assert f'"url": "{url}"' in dashboard
    staff = make_staff(OrganisationFactory())
    client.force_login(staff)
    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    for url in screens:
        assert f'"url": "{url}"' not in dashboard
