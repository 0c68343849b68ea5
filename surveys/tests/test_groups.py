"""Respondent groups per kind of organisation, and campaigns per kind and area (issue 15).

A kindergarten's parents see a kindergarten questionnaire and nothing else; each kind's groups
have their own wording, contingent and coverage target; several campaigns may be open at once
but an organisation is in at most one."""

import datetime

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils import timezone
from wagtail.models import Page

from core.permissions import editors_group
from home.tests.factories import site_home_page
from registry.models import Organisation
from registry.tests.factories import MunicipalityFactory, OrganisationFactory
from surveys import services
from surveys.counts import campaign_settings, year_coverage
from surveys.coverage import coverage_report
from surveys.models import Campaign, PupilSplit, RespondentGroup, SurveyPage, campaign_for
from surveys.tests.factories import (
    CampaignFactory,
    ResponseFactory,
    kind_questionnaire,
    standard_questionnaire,
)

pytestmark = pytest.mark.django_db

Kind = Organisation.Kind
ALL_YES = {**{f"q{n}": "yes" for n in range(1, 15)}, "q6": "no", "q15": ""}
ALL_YES.pop("q7")

# What each kind offers, in order (methodology §5, "Respondent groups by kind").
EXPECTED_GROUPS = {
    Kind.SCHOOL: ["parents", "students"],
    Kind.PRESCHOOL: ["parents"],
    Kind.COLLEGE: ["students", "parents"],
    Kind.ADDITIONAL: ["parents", "students"],
}


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()


def question_text(questionnaire):
    return " ".join(
        [questionnaire.title, questionnaire.intro]
        + [question["text"] for question in questionnaire.questions]
    )


def groups(kind, version="noko-2019"):
    return list(
        RespondentGroup.objects.filter(methodology_version=version, kind=kind).order_by("position")
    )


@pytest.mark.parametrize("kind", list(EXPECTED_GROUPS))
def test_each_kind_has_its_seeded_groups(kind):
    seeded = groups(kind)
    assert [group.audience for group in seeded] == EXPECTED_GROUPS[kind]
    for group in seeded:
        assert group.coverage_target_percent == 50
        assert (group.questionnaire.kind, group.questionnaire.audience) == (kind, group.audience)
        # The full 675н comfort list (methodology §2.2) in q5.
        q5 = next(q["text"] for q in group.questionnaire.questions if q["key"] == "q5")
        for condition in (
            "зоны отдыха",
            "навигации",
            "питьевой воды",
            "санитарно-гигиенических",
            "санитарное состояние",
            "транспортная доступность",
            "записи",
        ):
            assert condition in q5


def test_kindergarten_questionnaire_speaks_of_a_kindergarten_only():
    text = question_text(kind_questionnaire(Kind.PRESCHOOL)).lower()
    assert "детск" in text and "воспитанник" in text
    for word in ("класс", "школа", "школ"):
        assert word not in text, word
    group = groups(Kind.PRESCHOOL)[0]
    assert "класс" not in group.title.lower() and "школ" not in group.title.lower()


def test_college_and_additional_questionnaires_name_their_organisation():
    for audience in ("parents", "students"):
        college = question_text(kind_questionnaire(Kind.COLLEGE, audience)).lower()
        assert "колледж" in college and "школ" not in college and "класс" not in college
        additional = question_text(kind_questionnaire(Kind.ADDITIONAL, audience)).lower()
        assert "организаци" in additional and "школ" not in additional


def test_old_school_questionnaires_are_untouched():
    """Old responses keep the wording they answered: 675н-2018 is still the school's."""
    parents = standard_questionnaire("parents")
    assert parents.kind == Kind.SCHOOL
    assert parents.title == "Анкета для родителей обучающихся 1–8 классов"


def test_a_group_takes_only_a_questionnaire_of_its_kind_and_audience():
    group = groups(Kind.PRESCHOOL)[0]
    group.questionnaire = kind_questionnaire(Kind.SCHOOL)
    with pytest.raises(ValidationError) as refused:
        group.full_clean()
    assert "написана для другой группы" in str(refused.value)


def test_copying_a_version_copies_its_groups_and_refuses_to_merge():
    copied = services.copy_respondent_groups("noko-2019", "noko-2027")
    assert copied == RespondentGroup.objects.filter(methodology_version="noko-2019").count()
    assert [g.audience for g in groups(Kind.COLLEGE, "noko-2027")] == ["students", "parents"]
    with pytest.raises(ValidationError, match="уже есть группы"):
        services.copy_respondent_groups("noko-2019", "noko-2027")


def test_editor_copies_groups_in_the_admin(client, django_user_model):
    editor = django_user_model.objects.create_user("editor", "e@example.com", "pw")
    editor.groups.add(editors_group())
    editor.is_superuser = True
    editor.save()
    client.force_login(editor)
    assert client.get("/admin/respondent_groups/").status_code == 200
    assert client.get("/admin/respondent_groups/", {"kind": "preschool"}).status_code == 200
    response = client.post(
        "/admin/surveys/groups/copy/", {"source": "noko-2019", "target": "noko-2030"}
    )
    assert response.status_code == 302
    assert RespondentGroup.objects.filter(methodology_version="noko-2030").count() == 7


# --- The public questionnaire routes -----------------------------------------------------


@pytest.mark.parametrize("suffix", ["", "embed/", "thanks/", "embed/thanks/", "qr.svg", "qr.png"])
def test_a_group_the_kind_lacks_is_404(client, suffix):
    CampaignFactory()
    kindergarten = OrganisationFactory(kind=Kind.PRESCHOOL)
    assert client.get(f"/survey/{kindergarten.code}/students/{suffix}").status_code == 404
    assert client.get(f"/survey/{kindergarten.code}/parents/{suffix}").status_code == 200


def test_a_group_the_kind_lacks_is_404_outside_a_campaign_too(client):
    kindergarten = OrganisationFactory(kind=Kind.PRESCHOOL)
    assert client.get(f"/survey/{kindergarten.code}/students/").status_code == 404
    assert client.get(f"/survey/{kindergarten.code}/parents/").status_code == 410


def test_kindergarten_parents_answer_the_kindergarten_questionnaire(client, settings):
    settings.SURVEY_MIN_FILL_SECONDS = 0
    campaign = CampaignFactory()
    kindergarten = OrganisationFactory(kind=Kind.PRESCHOOL)
    page = client.get(f"/survey/{kindergarten.code}/parents/")
    html = page.content.decode()
    assert "Анкета для родителей (законных представителей) воспитанников детского сада" in html
    assert "класс" not in html.lower()
    token = page.context["form"].initial["form_token"]
    response = client.post(
        f"/survey/{kindergarten.code}/parents/", {**ALL_YES, "form_token": token}
    )
    assert response.status_code == 302
    stored = kindergarten.survey_responses.get()
    assert stored.campaign == campaign
    assert stored.questionnaire == kind_questionnaire(Kind.PRESCHOOL)


def test_the_pupil_split_of_the_campaign_titles_the_school_groups(client):
    CampaignFactory(pupil_split=PupilSplit.AGE)
    school = OrganisationFactory()
    html = client.get(f"/survey/{school.code}/students/").content.decode()
    assert "Анкета для обучающихся 14 лет и старше" in html
    assert "9–11" not in html


def test_leaflet_has_one_code_per_group_of_the_kind(client):
    CampaignFactory()
    college = OrganisationFactory(kind=Kind.COLLEGE)
    kindergarten = OrganisationFactory(kind=Kind.PRESCHOOL)
    college_leaflet = client.get(f"/survey/{college.code}/leaflet/").content.decode()
    assert "Анкета для студентов колледжа" in college_leaflet
    assert f"/survey/{college.code}/parents/" in college_leaflet
    leaflet = client.get(f"/survey/{kindergarten.code}/leaflet/").content.decode()
    assert f"/survey/{kindergarten.code}/parents/" in leaflet
    assert f"/survey/{kindergarten.code}/students/" not in leaflet
    assert "1–8" not in leaflet and "9–11" not in leaflet


# --- The «Пройти анкету» picker ------------------------------------------------------------


@pytest.mark.parametrize("kind", list(EXPECTED_GROUPS))
def test_picker_offers_the_kinds_groups_with_their_titles(client, kind):
    CampaignFactory()
    municipality = MunicipalityFactory(slug="priozersk")
    organisation = OrganisationFactory(kind=kind, municipality=municipality)
    page = site_home_page().add_child(instance=SurveyPage(title="Пройти анкету", slug="anketa"))
    html = client.get(page.url, {"municipality": "priozersk"}).content.decode()
    for group in groups(kind):
        assert f"/survey/{organisation.code}/{group.audience}/" in html
        assert group.title in html
    for audience in {"parents", "students"} - set(EXPECTED_GROUPS[kind]):
        assert f"/survey/{organisation.code}/{audience}/" not in html


def test_picker_says_when_an_organisation_has_no_open_campaign(client):
    CampaignFactory(kinds=[Kind.SCHOOL])
    municipality = MunicipalityFactory(slug="priozersk")
    OrganisationFactory(kind=Kind.SCHOOL, municipality=municipality)
    kindergarten = OrganisationFactory(kind=Kind.PRESCHOOL, municipality=municipality)
    page = Page.get_first_root_node().get_children().first().specific
    page = page.add_child(instance=SurveyPage(title="Пройти анкету", slug="anketa"))
    html = client.get(page.url, {"municipality": "priozersk"}).content.decode()
    assert "в этой организации анкетирование не проводится" in html
    assert f"/survey/{kindergarten.code}/parents/" not in html


# --- Coverage per group ------------------------------------------------------------------


def test_coverage_per_group_with_its_own_target():
    campaign = CampaignFactory()
    RespondentGroup.objects.filter(
        methodology_version="noko-2019", kind=Kind.COLLEGE, audience="parents"
    ).update(coverage_target_percent=20)
    college = OrganisationFactory(kind=Kind.COLLEGE, contingent_parents=10, contingent_students=40)
    kindergarten = OrganisationFactory(
        kind=Kind.PRESCHOOL, contingent_parents=10, contingent_students=0
    )
    for _ in range(3):
        ResponseFactory(campaign=campaign, organisation=college, audience="parents")
    for _ in range(20):
        ResponseFactory(campaign=campaign, organisation=college, audience="students")
    for _ in range(4):
        ResponseFactory(campaign=campaign, organisation=kindergarten, audience="parents")

    report = coverage_report(campaign)
    college_coverage = report.by_organisation[college]
    assert [g.audience for g in college_coverage.groups] == ["students", "parents"]
    parents = college_coverage.parents
    assert (parents.count, parents.contingent, parents.share) == (3, 10, 30.0)
    assert parents.target_percent == 20 and parents.target_met
    students = college_coverage.students
    assert (students.share, students.target_percent, students.target_met) == (50.0, 50, True)
    assert college_coverage.target_met

    kindergarten_coverage = report.by_organisation[kindergarten]
    assert [g.audience for g in kindergarten_coverage.groups] == ["parents"]
    assert kindergarten_coverage.students is None
    assert kindergarten_coverage.parents.share == 40.0
    assert not kindergarten_coverage.target_met
    assert kindergarten_coverage.parents.label == "Родители воспитанников"

    assert report.total.parents.count == 7 and report.total.parents.contingent == 20

    yearly = year_coverage(kindergarten, campaign.year)
    assert [g.audience for g in yearly.groups] == ["parents"]
    assert yearly.parents.share == 40.0


def test_admin_coverage_shows_targets_and_no_missing_group(client, django_user_model):
    campaign = CampaignFactory()
    kindergarten = OrganisationFactory(kind=Kind.PRESCHOOL, contingent_parents=10)
    ResponseFactory(campaign=campaign, organisation=kindergarten, audience="parents")
    editor = django_user_model.objects.create_user("editor", "e@example.com", "pw")
    editor.groups.add(editors_group())
    client.force_login(editor)
    html = client.get("/admin/surveys/").content.decode()
    assert "Родители воспитанников" in html
    assert "цель" in html
    csv_text = client.get("/admin/surveys/", {"export": "csv"}).content.decode("utf-8")
    assert "contingent_parents" in csv_text
    assert f"{kindergarten.code}," in csv_text
    line = next(line for line in csv_text.splitlines() if line.startswith(kindergarten.code))
    # The students group a kindergarten lacks: empty cells, not zeros.
    assert line.endswith(",1,10,10.0,50,,,,,0")


# --- Campaigns per kind and area ---------------------------------------------------------


def window(days_from_now, length=20):
    opens = timezone.now() + datetime.timedelta(days=days_from_now)
    return {"opens_at": opens, "closes_at": opens + datetime.timedelta(days=length)}


def new_campaign(title, kinds, municipalities=None, **fields):
    campaign = Campaign(
        year=2026,
        title=title,
        kinds=kinds,
        methodology_version="noko-2019",
        **{**window(-5), **fields},
    )
    return services.save_campaign(campaign, municipalities)


def test_two_open_campaigns_for_different_kinds_each_organisation_answers_in_its_own(
    client, settings
):
    settings.SURVEY_MIN_FILL_SECONDS = 0
    schools = new_campaign("Школы, осень", [Kind.SCHOOL, Kind.COLLEGE])
    kindergartens = new_campaign("Детские сады, весна", [Kind.PRESCHOOL], **window(-2, 10))
    school = OrganisationFactory(kind=Kind.SCHOOL)
    kindergarten = OrganisationFactory(kind=Kind.PRESCHOOL)
    additional = OrganisationFactory(kind=Kind.ADDITIONAL)
    assert campaign_for(school) == schools
    assert campaign_for(kindergarten) == kindergartens
    assert campaign_for(additional) is None

    for organisation, campaign in ((school, schools), (kindergarten, kindergartens)):
        page = client.get(f"/survey/{organisation.code}/parents/")
        assert page.context["campaign"] == campaign
        token = page.context["form"].initial["form_token"]
        assert (
            client.post(
                f"/survey/{organisation.code}/parents/", {**ALL_YES, "form_token": token}
            ).status_code
            == 302
        )
        assert organisation.survey_responses.get().campaign == campaign
    assert client.get(f"/survey/{additional.code}/parents/").status_code == 410
    # A year of two campaigns: the settings of the one covering a kind, or of the latest.
    assert campaign_settings(2026, kind=Kind.PRESCHOOL).title == "Детские сады, весна"
    assert campaign_settings(2026, kind=Kind.SCHOOL).title == "Школы, осень"
    assert campaign_settings(2026).title == "Детские сады, весна"


def test_campaigns_by_area_split_one_kind_between_municipalities():
    north, south = MunicipalityFactory(), MunicipalityFactory()
    early = new_campaign("Север", [Kind.SCHOOL], [north])
    late = new_campaign("Юг", [Kind.SCHOOL], [south], **window(-1))
    assert campaign_for(OrganisationFactory(municipality=north)) == early
    assert campaign_for(OrganisationFactory(municipality=south)) == late
    assert campaign_for(OrganisationFactory()) is None


def test_an_organisation_in_two_open_campaigns_is_refused_with_the_others_name():
    north = MunicipalityFactory()
    new_campaign("Школы и детские сады региона", [Kind.SCHOOL, Kind.PRESCHOOL])
    with pytest.raises(ValidationError) as refused:
        new_campaign("Детские сады севера", [Kind.PRESCHOOL], [north], **window(5))
    message = " ".join(refused.value.messages)
    assert "«Школы и детские сады региона»" in message
    assert "только в одной открытой кампании" in message
    assert "дошкольная образовательная организация" in message
    assert not Campaign.objects.filter(title="Детские сады севера").exists()
    # The model's own clean says the same, for any other path that validates.
    unsaved = Campaign(
        year=2026, title="Ещё школы", kinds=[Kind.SCHOOL], methodology_version="x", **window(0)
    )
    with pytest.raises(ValidationError, match="Школы и детские сады региона"):
        unsaved.full_clean()
    # No overlap in time, kind or area: accepted.
    new_campaign("Школы весной", [Kind.SCHOOL], **window(40))
    new_campaign("Колледжи", [Kind.COLLEGE])


def test_a_campaign_needs_a_kind():
    with pytest.raises(ValidationError, match="хотя бы один тип"):
        new_campaign("Без типов", [])


def test_editor_is_refused_an_overlapping_campaign_in_the_admin(client, django_user_model):
    existing = new_campaign("Кампания школ", [Kind.SCHOOL])
    editor = django_user_model.objects.create_superuser("boss", "b@example.com", "pw")
    client.force_login(editor)
    now = timezone.localtime()
    data = {
        "title": "Вторая кампания школ",
        "year": "2026",
        "opens_at": now.strftime("%Y-%m-%d %H:%M"),
        "closes_at": (now + datetime.timedelta(days=3)).strftime("%Y-%m-%d %H:%M"),
        "kinds": ["school", "preschool"],
        "pupil_split": "grades",
        "methodology_version": "noko-2019",
        "min_respondents": "10",
    }
    response = client.post("/admin/campaigns/new/", data)
    assert response.status_code == 200
    assert f"«{existing.title}»" in response.content.decode()
    assert Campaign.objects.count() == 1
    data["kinds"] = ["preschool"]
    response = client.post("/admin/campaigns/new/", data)
    assert response.status_code == 302
    assert Campaign.objects.get(title="Вторая кампания школ").kinds == ["preschool"]
