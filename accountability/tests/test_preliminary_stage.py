"""The operator opens a year's preliminary stage; publication waits for its end and then
records the objections; a draft never reaches the public, whoever asks."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accountability import preliminary
from accountability.models import Objection, PreliminaryStage
from core.workdays import add_working_days
from results.models import MethodologyVersion, RatingResult, RatingRevision
from results.services import RatingsError, compute_year, publish_year
from results.tests.factories import AssessmentInputFactory

from .factories import ObjectionFactory
from .factories_preliminary import YEAR, pass_deadline, region

pytestmark = pytest.mark.django_db

INDEX = reverse("accountability_preliminary")


@pytest.fixture
def people():
    return region()


def open_url(year=YEAR):
    return reverse("accountability_preliminary_open", args=[year])


def test_the_operator_opens_the_stage_and_the_deadline_counts_working_days(client, people):
    MethodologyVersion.objects.update(objection_working_days=10)
    client.force_login(people.editor)
    page = client.get(INDEX)
    assert page.status_code == 200
    assert "Открыть предварительные результаты" in page.content.decode()

    response = client.post(open_url(), {f"open-{YEAR}-opens_on": "2025-12-25"})

    assert response.status_code == 302
    stage = PreliminaryStage.objects.get(year=YEAR)
    assert stage.opens_on == datetime.date(2025, 12, 25)
    assert stage.working_days == 10
    # 26, 29, 30 December; 31 December and 1–11 January off; then 12–16 and 19–20 January.
    assert stage.objections_until == datetime.date(2026, 1, 20)
    assert stage.opened_by == people.editor
    page = client.get(reverse("accountability_preliminary_stage", args=[YEAR]))
    assert page.status_code == 200
    assert "20.01.2026" in page.content.decode()


def test_the_opening_date_defaults_to_today_and_the_policy_sets_the_days(people):
    MethodologyVersion.objects.update(objection_working_days=3)
    stage = preliminary.open_stage(YEAR, people.editor)
    today = timezone.localdate()
    assert stage.opens_on == today
    assert stage.objections_until == add_working_days(today, 3)


def test_opening_without_a_computed_draft_is_refused_in_russian(client):
    people = region(compute=False)
    client.force_login(people.editor)
    response = client.post(open_url(), {f"open-{YEAR}-opens_on": "2025-12-01"}, follow=True)
    assert "нет рассчитанного черновика" in response.content.decode()
    assert not PreliminaryStage.objects.exists()


def test_a_stage_opens_once_a_year(people):
    preliminary.open_stage(YEAR, people.editor)
    with pytest.raises(preliminary.PreliminaryError, match="уже открыты"):
        preliminary.open_stage(YEAR, people.editor)


def test_the_stage_page_filters_objections_by_status_and_municipality(client, people):
    stage = preliminary.open_stage(YEAR, people.editor)
    ObjectionFactory(stage=stage, organisation=people.school, reason="Ошибка в стенде")
    ObjectionFactory(
        stage=stage,
        organisation=people.far_school,
        reason="Ошибка в анкетах",
        status=Objection.Status.REJECTED,
        answer="Нет оснований",
    )
    client.force_login(people.editor)
    url = reverse("accountability_preliminary_stage", args=[YEAR])

    everything = client.get(url).content.decode()
    assert "Ошибка в стенде" in everything and "Ошибка в анкетах" in everything
    assert "Возражений: 2; принято 0, отклонено 1, ждут решения 1." in everything

    filed = client.get(url, {"status": "filed"}).content.decode()
    assert "Ошибка в стенде" in filed and "Ошибка в анкетах" not in filed

    south = client.get(url, {"municipality": people.far_school.municipality_id}).content.decode()
    assert "Ошибка в анкетах" in south and "Ошибка в стенде" not in south

    junk = client.get(url, {"status": "<script>", "municipality": "x", "page": "abc"})
    assert junk.status_code == 200


@pytest.mark.parametrize("who", ["staff", "coordinator", "other_coordinator"])
def test_school_staff_and_coordinators_never_reach_the_operator_screens(client, people, who):
    stage = preliminary.open_stage(YEAR, people.editor)
    objection = ObjectionFactory(stage=stage, organisation=people.school)
    client.force_login(getattr(people, who))
    for url in (
        INDEX,
        reverse("accountability_preliminary_stage", args=[YEAR]),
        reverse("accountability_objection", args=[objection.pk]),
    ):
        assert client.get(url).status_code == 403
    assert client.post(open_url(2026), {"open-2026-opens_on": "2026-12-01"}).status_code == 403
    response = client.post(
        reverse("accountability_objection", args=[objection.pk]),
        {"action": "reject", "reject-answer": "Нет"},
    )
    assert response.status_code == 403
    objection.refresh_from_db()
    assert objection.status == Objection.Status.FILED


def test_anonymous_visitors_are_sent_to_sign_in(client, people):
    response = client.get(INDEX)
    assert response.status_code == 302
    assert "login" in response["Location"]
    assert client.post(open_url(), {}).status_code == 302
    assert not PreliminaryStage.objects.exists()


def test_the_menu_item_shows_to_the_operator_only(client, people):
    client.force_login(people.editor)
    assert INDEX in client.get(reverse("wagtailadmin_home")).content.decode()
    client.force_login(people.coordinator)
    assert INDEX not in client.get(reverse("wagtailadmin_home")).content.decode()


def test_publication_waits_for_the_deadline(client, people):
    preliminary.open_stage(YEAR, people.editor)
    with pytest.raises(RatingsError, match="Идёт приём возражений"):
        publish_year(YEAR, people.editor)
    assert not RatingRevision.objects.current().filter(year=YEAR).exists()
    assert PreliminaryStage.objects.get(year=YEAR).finished_at is None


def test_publication_is_refused_while_objections_are_pending_naming_how_many(client, people):
    stage = preliminary.open_stage(YEAR, people.editor)
    ObjectionFactory(stage=stage, organisation=people.school)
    ObjectionFactory(stage=stage, organisation=people.neighbour)
    ObjectionFactory(
        stage=stage,
        organisation=people.far_school,
        status=Objection.Status.REJECTED,
        answer="Нет оснований",
    )
    pass_deadline(stage)
    client.force_login(people.editor)

    url = reverse("results_publish", args=[YEAR])
    token = client.get(url).context["preview"].token  # publishing asks for confirmation
    response = client.post(url, {"confirm": token}, follow=True)

    assert "Не рассмотрено возражений на предварительные результаты 2025 года: 2" in (
        response.content.decode()
    )
    assert not RatingRevision.objects.current().filter(year=YEAR).exists()


def test_publication_records_the_counts_and_finishes_the_stage(client, people):
    stage = preliminary.open_stage(YEAR, people.editor)
    ObjectionFactory(
        stage=stage, organisation=people.school, status=Objection.Status.ACCEPTED, answer="Да"
    )
    ObjectionFactory(
        stage=stage, organisation=people.neighbour, status=Objection.Status.REJECTED, answer="Нет"
    )
    pass_deadline(stage)

    revision = publish_year(YEAR, people.editor)

    assert revision.publication_summary == {
        "objections": {"filed": 2, "accepted": 1, "rejected": 1}
    }
    stage.refresh_from_db()
    assert stage.finished_at is not None
    page = client.get(reverse("ratings_year", args=[YEAR])).content.decode()
    assert "Предварительные результаты: подано возражений — 2, принято — 1, отклонено — 1." in page


def test_a_year_without_a_stage_publishes_as_before(client, people):
    revision = publish_year(YEAR, people.editor)
    assert revision.publication_summary == {}
    page = client.get(reverse("ratings_year", args=[YEAR])).content.decode()
    assert "Предварительные результаты" not in page


def test_the_draft_of_a_preliminary_year_is_never_public(client, people):
    # The year before is published, so search and the API have something to find.
    AssessmentInputFactory(organisation=people.school, year=YEAR - 1)
    compute_year(YEAR - 1)
    publish_year(YEAR - 1)
    preliminary.open_stage(YEAR, people.editor)
    name = people.school.name
    found = client.get("/api/v1/ratings/", {"year": YEAR - 1}).json()
    assert [row["year"] for row in found["results"]] == [YEAR - 1]
    assert client.get(reverse("ratings_year", args=[YEAR])).status_code == 404
    assert client.get(reverse("ratings_export", args=[YEAR, "csv"])).status_code == 404
    assert client.get(reverse("ratings_export", args=[YEAR, "json"])).status_code == 404
    api = client.get("/api/v1/ratings/", {"year": YEAR})
    assert name not in api.content.decode()
    everything = client.get("/api/v1/ratings/")
    assert all(row["year"] != YEAR for row in everything.json()["results"])
    search = client.get(reverse("ratings"), {"q": people.school.short_name, "year": YEAR})
    assert name not in search.content.decode()
    # Searching every year finds the published year's result only.
    search = client.get(reverse("ratings"), {"q": people.school.short_name})
    assert f"/ratings/{YEAR}/" not in search.content.decode()
    assert set(RatingResult.objects.public().values_list("year", flat=True)) == {YEAR - 1}
