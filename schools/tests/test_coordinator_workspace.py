"""The coordinator's workspace in the cabinet: their municipalities' organisations with report,
coverage, experts and plan; filters, export, materials handed over, expert proposals."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accountability import plans
from accountability.tests.factories_plans import (
    YEAR,
    coordinator_of,
    editor,
    plan_in,
    region,
    staff_of,
    user,
)
from monitoring.models import Checklist, Expert
from monitoring.tests.factories import ExpertAssignmentFactory, ExpertFactory, small_template
from registry.tests.factories import OrganisationFactory
from surveys.models import Audience
from surveys.tests.factories import CampaignFactory, ResponseFactory

PASSWORD = "пароль-для-теста-1"
WORKSPACE = "/cabinet/municipality/"
EXPORT = "/cabinet/municipality/export.csv"
PROPOSALS = "/cabinet/municipality/experts/"


@pytest.fixture
def world(db):
    people = region()
    template = small_template(2026)
    campaign = CampaignFactory(year=2026)
    school, second = people["school"], people["second"]
    for _ in range(3):
        ResponseFactory(campaign=campaign, organisation=school, audience=Audience.PARENTS)
    ResponseFactory(campaign=campaign, organisation=people["southern"])
    Checklist.objects.create(
        organisation=school,
        template=template,
        source=Checklist.Source.SELF,
        status=Checklist.Status.SUBMITTED,
    )
    assignment = ExpertAssignmentFactory(
        organisation=school, template=template, expert__full_name="Петрова Анна Ивановна"
    )
    Checklist.objects.create(
        organisation=school,
        template=template,
        source=Checklist.Source.EXPERT,
        status=Checklist.Status.SUBMITTED,
    )
    southern_assignment = ExpertAssignmentFactory(
        organisation=people["southern"], template=template
    )
    plan_in(plans.Status.SUBMITTED, school)
    people.update(
        template=template,
        campaign=campaign,
        assignment=assignment,
        southern_assignment=southern_assignment,
        coordinator=coordinator_of(people["north"]),
        stranger=coordinator_of(people["south"]),
        staff=staff_of(school),
        editor=editor(),
        second=second,
    )
    return people


def signed_in(client, person):
    client.login(username=person.username, password=PASSWORD)
    return client


def export_rows(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_cabinet_of_a_coordinator_is_their_workspace(client, world):
    response = signed_in(client, world["coordinator"]).get("/cabinet/")
    assert response.status_code == 200
    assert "Кабинет координатора" in response.text
    assert "Школа № 1" in response.text
    assert "Школа № 9" not in response.text
    assert "no-cache" in response["Cache-Control"] or "private" in response["Cache-Control"]


def test_the_list_shows_report_coverage_assignment_and_plan_status(client, world):
    response = signed_in(client, world["coordinator"]).get(WORKSPACE)
    rows = {row.organisation: row for row in response.context["page_obj"]}
    school = rows[world["school"]]
    assert school.report_status == Checklist.Status.SUBMITTED
    parents = school.coverage.parents
    assert (parents.count, parents.contingent) == (3, 400)
    assert school.below_target
    [item] = school.assignments
    assert item.assignment.expert.full_name == "Петрова Анна Ивановна"
    assert item.observation_submitted
    assert school.plan.status == plans.Status.SUBMITTED
    second = rows[world["second"]]
    assert second.report_status == "not_started"
    assert second.plan.status == plans.MISSING
    assert "Петрова Анна Ивановна" in response.text
    assert "отправлен на проверку" in response.text.lower()
    assert "3 из 400" in response.text


def test_filters_narrow_the_list_and_never_reach_another_municipality(client, world):
    client = signed_in(client, world["coordinator"])
    names = lambda query: {  # noqa: E731
        row.organisation.short_name for row in client.get(WORKSPACE, query).context["page_obj"]
    }
    assert names({"report": "submitted"}) == {"Школа № 1"}
    assert names({"report": "not_started"}) == {"Школа № 2", "Колледж"}
    assert names({"plan": "submitted"}) == {"Школа № 1"}
    assert names({"kind": "college"}) == {"Колледж"}
    assert names({"q": "Колледж"}) == {"Колледж"}
    assert names({"q": "1000000002"}) == {"Школа № 2"}
    assert names({"q": "1000000009"}) == set()
    # Another municipality in the filter is not a choice: the form refuses it.
    response = client.get(WORKSPACE, {"municipality": world["south"].pk})
    assert response.status_code == 400
    assert not response.context["page_obj"].object_list


def test_below_target_filter_keeps_organisations_under_a_groups_target(client, world):
    client = signed_in(client, world["coordinator"])
    rows = client.get(WORKSPACE, {"below_target": "on"}).context["page_obj"]
    assert world["school"] in {row.organisation for row in rows}
    assert all(row.below_target for row in rows)


def test_export_is_the_filtered_list_of_the_coordinators_municipality_only(client, world):
    client = signed_in(client, world["coordinator"])
    response = client.get(EXPORT)
    assert response.status_code == 200
    assert response.content.startswith("\ufeff".encode())
    rows = export_rows(response)
    assert rows[0][0] == "Муниципалитет"
    codes = {row[1] for row in rows[1:]}
    assert codes == {"1000000001", "1000000002", "1000000003"}
    school_row = next(row for row in rows if row[1] == "1000000001")
    assert "Петрова Анна Ивановна" in school_row[7]
    assert "отправлен на проверку" in school_row[4]
    assert school_row[8] == "1 из 1"
    filtered = export_rows(client.get(EXPORT, {"report": "submitted"}))
    assert [row[1] for row in filtered[1:]] == ["1000000001"]
    assert client.get(EXPORT, {"municipality": world["south"].pk}).status_code == 400


def test_export_is_formula_safe(client, world):
    world["school"].name = '=HYPERLINK("http://evil.example")'
    world["school"].save()
    rows = export_rows(signed_in(client, world["coordinator"]).get(EXPORT))
    name = next(row[2] for row in rows if row[1] == "1000000001")
    assert name.startswith("'=")


@pytest.mark.parametrize("role", ["staff", "editor", "anonymous", "expert"])
def test_people_who_coordinate_nothing_have_no_workspace(client, world, role):
    if role == "expert":
        client.force_login(world["assignment"].expert.user)
    elif role != "anonymous":
        signed_in(client, world[role])
    for url in (WORKSPACE, EXPORT, PROPOSALS):
        response = client.get(url)
        assert response.status_code in (302, 404), url
        if role != "anonymous":
            assert response.status_code == 404


def test_school_staff_and_experts_keep_their_own_cabinets(client, world):
    response = signed_in(client, world["staff"]).get("/cabinet/")
    assert response.status_code == 200
    assert "Справка самообследования" in response.text
    assert "Кабинет координатора" not in response.text
    client.logout()
    expert = world["assignment"].expert
    client.force_login(expert.user)
    response = client.get("/cabinet/")
    assert response.status_code == 200
    assert "Мои назначения" in response.text


def test_coordinator_marks_materials_handed_over_in_their_municipality(client, world):
    client = signed_in(client, world["coordinator"])
    assignment = world["assignment"]
    response = client.post(
        f"{WORKSPACE}assignments/{assignment.pk}/materials/",
        {"handed_over_on": "2026-11-20", "query": "report=submitted"},
    )
    assert response.status_code == 302
    assert response["Location"] == f"{WORKSPACE}?report=submitted"
    assignment.refresh_from_db()
    assert assignment.materials_handed_over_on == datetime.date(2026, 11, 20)


def test_materials_of_another_municipality_answer_404(client, world):
    foreign = world["southern_assignment"]
    response = signed_in(client, world["coordinator"]).post(
        f"{WORKSPACE}assignments/{foreign.pk}/materials/", {"handed_over_on": "2026-11-20"}
    )
    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.materials_handed_over_on is None


def test_materials_date_in_the_future_is_refused(client, world):
    assignment = world["assignment"]
    signed_in(client, world["coordinator"]).post(
        f"{WORKSPACE}assignments/{assignment.pk}/materials/", {"handed_over_on": "2100-01-01"}
    )
    assignment.refresh_from_db()
    assert assignment.materials_handed_over_on is None


def test_materials_cannot_be_marked_by_staff_or_with_get(client, world):
    assignment = world["assignment"]
    url = f"{WORKSPACE}assignments/{assignment.pk}/materials/"
    assert signed_in(client, world["coordinator"]).get(url).status_code == 405
    client.logout()
    response = signed_in(client, world["staff"]).post(url, {"handed_over_on": "2026-11-20"})
    assert response.status_code == 404


def test_coordinator_proposes_an_expert_who_waits_for_approval(client, world):
    client = signed_in(client, world["coordinator"])
    response = client.post(
        PROPOSALS,
        {
            "full_name": "Сидоров Пётр Ильич",
            "municipality": world["north"].pk,
            "employer": world["second"].pk,
            "employer_name": "",
            "phone": "+7 (900) 000-00-00",
            "email": "Sidorov@example.com",
        },
    )
    assert response.status_code == 302
    expert = Expert.objects.get(full_name="Сидоров Пётр Ильич")
    assert expert.status == Expert.Status.PROPOSED
    assert expert.user is None
    assert expert.email == "sidorov@example.com"
    assert expert.municipality == world["north"]
    page = client.get(PROPOSALS)
    assert "Сидоров Пётр Ильич" in page.text
    assert "предложен" in page.text.lower()


def test_a_proposal_for_another_municipality_is_refused(client, world):
    response = signed_in(client, world["coordinator"]).post(
        PROPOSALS,
        {
            "full_name": "Сидоров Пётр Ильич",
            "municipality": world["south"].pk,
            "employer_name": "Школа",
            "phone": "+7 900 000-00-00",
            "email": "sidorov@example.com",
        },
    )
    assert response.status_code == 400
    assert not Expert.objects.filter(full_name="Сидоров Пётр Ильич").exists()


def test_an_expert_proposed_twice_is_refused_with_a_message(client, world):
    client = signed_in(client, world["coordinator"])
    data = {
        "full_name": "Сидоров Пётр Ильич",
        "municipality": world["north"].pk,
        "employer_name": "Институт развития образования",
        "phone": "+7 900 000-00-00",
        "email": "sidorov@example.com",
    }
    assert client.post(PROPOSALS, data).status_code == 302
    again = client.post(PROPOSALS, {**data, "email": "other@example.com"})
    assert again.status_code == 400
    assert "уже есть" in again.text
    by_email = client.post(PROPOSALS, {**data, "full_name": "Другой Человек"})
    assert by_email.status_code == 400
    assert Expert.objects.filter(status=Expert.Status.PROPOSED).count() == 1


def test_another_coordinator_does_not_see_the_proposals(client, world):
    ExpertFactory(
        full_name="Предложенный Севером",
        user=None,
        status=Expert.Status.PROPOSED,
        municipality=world["north"],
        proposed_by=world["coordinator"],
        proposed_at=datetime.datetime(2026, 11, 1, tzinfo=datetime.UTC),
    )
    response = signed_in(client, world["stranger"]).get(PROPOSALS)
    assert response.status_code == 200
    assert "Предложенный Севером" not in response.text


def test_the_list_of_many_organisations_takes_a_constant_number_of_queries(client, world):
    client = signed_in(client, world["coordinator"])
    client.get(WORKSPACE)
    with CaptureQueriesContext(connection) as few:
        client.get(WORKSPACE)
    for _ in range(30):
        OrganisationFactory(municipality=world["north"])
    # As before the first count: what the process remembers (the site, the menu) was
    # forgotten by the new pages and is read again once.
    client.get(WORKSPACE)
    with CaptureQueriesContext(connection) as many:
        response = client.get(WORKSPACE)
    assert len(response.context["page_obj"].object_list) == 33
    assert len(many) <= len(few) + 2


def test_a_user_who_coordinates_and_works_at_a_school_gets_a_link_to_the_workspace(client, world):
    person = user("both", is_staff=True)
    person.groups.add(world["north"].coordinator_group)
    from schools.provisioning import add_staff_member

    add_staff_member(world["school"], person)
    response = signed_in(client, person).get("/cabinet/")
    assert "Справка самообследования" in response.text
    assert WORKSPACE in response.text
    assert YEAR
