"""The public page of a year: list, results (published only), council and management
decisions, approved plans, the discussion; and each organisation's entry in it."""

import datetime

import pytest
from django.urls import reverse

from accountability.models import ImprovementPlan
from accountability.year_views import plans_overview
from registry import assessment
from registry.tests.factories import OrganisationFactory
from results.models import RatingRevision
from results.services import compute_year
from results.tests.factories import AssessmentInputFactory

from .factories import (
    CouncilDecisionFactory,
    DiscussionEntryFactory,
    DiscussionFactory,
    ImprovementPlanFactory,
    ManagementDecisionFactory,
    PlanMeasureFactory,
)
from .factories_council import publish_ratings

pytestmark = pytest.mark.django_db
YEAR = 2025


@pytest.fixture
def school():
    return OrganisationFactory(short_name="Школа № 7", name="МБОУ «Школа № 7»")


@pytest.fixture
def kindergarten():
    return OrganisationFactory(
        short_name="Детский сад № 3", name="МБДОУ «Детский сад № 3»", kind="preschool"
    )


@pytest.fixture
def published(school, kindergarten):
    revision = publish_ratings(YEAR, [school, kindergarten])
    revision.publication_summary = {"objections": {"filed": 5, "accepted": 2, "rejected": 3}}
    revision.save(update_fields=["publication_summary"])
    return revision


def year_page(client, year=YEAR):
    return client.get(reverse("accountability_year", args=[year]))


def test_the_year_page_brings_the_year_together(client, published, school, kindergarten):
    CouncilDecisionFactory(
        year=YEAR, meeting__number="12", text="Рекомендовать организациям разработать планы."
    )
    CouncilDecisionFactory(year=YEAR - 1, text="Решение о другом годе")
    decision = ManagementDecisionFactory(year=YEAR, title="Об утверждении планов")
    decision.organisations.add(school)
    ManagementDecisionFactory(year=YEAR, title="О методических рекомендациях всем")
    discussion = DiscussionFactory(year=YEAR, is_open=False, summary="Поступило 2 предложения.")
    DiscussionEntryFactory(discussion=discussion, status="published")
    DiscussionEntryFactory(discussion=discussion, status="pending")

    response = year_page(client)
    assert response.status_code == 200
    assert "public" in response["Cache-Control"]
    page = response.content.decode()
    assert f"Итоги независимой оценки {YEAR} года" in page
    # The list by kind, collapsible, each organisation linked to its entry.
    assert "<details" in page and "общеобразовательные организации" in page.lower()
    assert "детские сады" in page.lower()
    assert reverse("accountability_year_organisation", args=[YEAR, school.code]) in page
    # Results: the ratings page, a mean per kind and the objections summary.
    assert reverse("ratings_year", args=[YEAR]) in page
    region = published.aggregates["kinds"]["school"]["region"]["total"]
    assert region.replace(".", ",") in page or region in page
    assert "подано 5" in page and "принято 2" in page and "отклонено 3" in page
    # Decisions.
    assert "Рекомендовать организациям разработать планы." in page
    assert "протокол № 12" in page
    assert "Решение о другом годе" not in page
    assert "Об утверждении планов" in page and "Касается 1 организации" in page
    assert "Касается всех организаций" in page
    # The discussion: closed, one published entry, the summary.
    assert "Обсуждение закрыто" in page and "Опубликовано 1 предложение" in page
    assert "Поступило 2 предложения." in page
    assert reverse("accountability_discussion", args=[YEAR]) in page


def test_plans_count_approved_plans_only(client, published, school, kindergarten):
    today = datetime.date.today()
    approved = ImprovementPlanFactory(
        organisation=school, year=YEAR, status=ImprovementPlan.Status.APPROVED
    )
    PlanMeasureFactory(plan=approved, done_text="Сделано", done_date=today, planned_date=today)
    PlanMeasureFactory(plan=approved, planned_date=today - datetime.timedelta(days=3))
    PlanMeasureFactory(plan=approved, planned_date=today + datetime.timedelta(days=30))
    PlanMeasureFactory(plan=approved, done_text="   ", done_date=today, planned_date=today)
    for status in ("draft", "submitted", "returned"):
        plan = ImprovementPlanFactory(organisation=OrganisationFactory(), year=YEAR, status=status)
        PlanMeasureFactory(plan=plan, planned_date=today - datetime.timedelta(days=3))
        PlanMeasureFactory(plan=plan, done_text="x", done_date=today)
    ImprovementPlanFactory(organisation=kindergarten, year=YEAR - 1, status="approved")

    overview = plans_overview(YEAR, assessed_count=2, today=today)
    assert overview == {
        "assessed": 2,
        "approved": 1,
        "measures": 4,
        "done": 1,
        "done_percent": 25,
        "overdue": 1,
    }
    page = year_page(client).content.decode()
    assert "Утверждено планов" in page and "1 (25 %)" in page


def test_nothing_of_a_draft_revision_reaches_the_page(client, published, school):
    # A correction computed into a new draft: its figures and summary are not public yet.
    AssessmentInputFactory(year=YEAR, organisation=OrganisationFactory(), values={"recommend": 10})
    compute_year(YEAR)
    draft = RatingRevision.objects.get(year=YEAR, status="draft")
    draft.publication_summary = {"objections": {"filed": 99, "accepted": 98, "rejected": 1}}
    draft.save(update_fields=["publication_summary"])
    page = year_page(client).content.decode()
    assert "подано 5" in page and "подано 99" not in page
    assert f"редакция {published.number}" in page
    # A year with nothing but a draft has no page.
    AssessmentInputFactory(year=YEAR + 1, organisation=school)
    compute_year(YEAR + 1)
    assert year_page(client, YEAR + 1).status_code == 404
    assert (
        client.get(
            reverse("accountability_year_organisation", args=[YEAR + 1, school.code])
        ).status_code
        == 404
    )


def test_a_year_with_a_list_but_no_results_yet_has_a_page(client, school):
    assessment.add(YEAR + 1, [school])
    response = year_page(client, YEAR + 1)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Результаты этого года ещё не опубликованы." in page
    assert "Школа № 7" in page


def test_a_year_with_nothing_answers_404_and_the_index_lists_years(client, published):
    assert year_page(client, 2019).status_code == 404
    index = client.get(reverse("accountability_years"))
    assert index.status_code == 200
    assert reverse("accountability_year", args=[YEAR]) in index.content.decode()
    assert reverse("accountability_year", args=[2019]) not in index.content.decode()


def test_the_organisations_entry_shows_its_decisions_and_discussion(client, published, school):
    named = ManagementDecisionFactory(year=YEAR, title="О ремонте кровли школы № 7")
    named.organisations.add(school)
    ManagementDecisionFactory(year=YEAR, title="Общее решение для всех")
    other = ManagementDecisionFactory(year=YEAR, title="Про другую школу")
    other.organisations.add(OrganisationFactory())
    discussion = DiscussionFactory(year=YEAR)
    DiscussionEntryFactory(
        discussion=discussion, organisation=school, status="published", text="Про школу 7"
    )
    DiscussionEntryFactory(
        discussion=discussion, organisation=school, status="held", text="Скрытое"
    )
    url = reverse("accountability_year_organisation", args=[YEAR, school.code])
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert "МБОУ «Школа № 7»" in page
    assert "Итоговый балл" in page
    assert "О ремонте кровли школы № 7" in page
    assert "Общее решение для всех" in page
    assert "Про другую школу" not in page
    assert "Про школу 7" in page and "Скрытое" not in page
    assert f"?organisation={school.code}" in page
    # An organisation not assessed that year has no entry.
    stranger = OrganisationFactory()
    assert (
        client.get(
            reverse("accountability_year_organisation", args=[YEAR, stranger.code])
        ).status_code
        == 404
    )


def test_the_year_page_fits_a_phone(client, published):
    """No fixed widths: tables scroll inside their wrapper, lists wrap (360 px)."""
    page = year_page(client).content.decode()
    assert 'name="viewport"' in page
    assert 'class="table-scroll"' in page
    assert "style=" not in page.split("<main", 1)[-1]


def test_a_long_kind_is_listed_on_its_own_pages(client, monkeypatch, school, kindergarten):
    """A region's 2,000 schools are not sent inline to a phone: past YEAR_LIST_INLINE the year
    page links to the kind's own list, a page at a time, in the same order."""
    monkeypatch.setattr("accountability.year_views.YEAR_LIST_INLINE", 2)
    monkeypatch.setattr("accountability.year_views.YEAR_LIST_PAGE_SIZE", 2)
    others = [
        OrganisationFactory(short_name=f"Школа № {n}", name=f"МБОУ «Школа № {n}»") for n in (11, 12)
    ]
    assessment.add(YEAR, [school, kindergarten, *others])
    page = year_page(client).content.decode()
    kind_url = reverse("accountability_year_kind", args=[YEAR, "school"])
    assert kind_url in page and "Открыть список (3)" in page
    assert "Школа № 11" not in page, "the long kind is not inline"
    assert "Детский сад № 3" in page, "a short kind stays inline"

    first = client.get(kind_url)
    assert first.status_code == 200 and "public" in first["Cache-Control"]
    second = client.get(kind_url, {"page": 2}).content.decode()
    shown = [
        name
        for name in ("Школа № 7", "Школа № 11", "Школа № 12")
        if name in first.content.decode() or name in second
    ]
    assert len(shown) == 3, "every school is on one of the two pages"
    assert "Всего: 3." in second and "с 3 по 3" in second
    assert 'rel="prev"' in second
    assert "Детский сад" not in second
    # Garbage page numbers give the last or first page, never an error.
    assert client.get(kind_url, {"page": "x"}).status_code == 200
    assert client.get(reverse("accountability_year_kind", args=[YEAR, "nope"])).status_code == 404
    assert client.get(reverse("accountability_year_kind", args=[2019, "school"])).status_code == 404
    assert (
        client.get(reverse("accountability_year_kind", args=[YEAR, "college"])).status_code == 404
    )
