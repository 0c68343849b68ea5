"""Policies stored with the methodology version and with each revision, and shown wherever
a result appears: the result card, the exports, the admin."""

import csv
import io
import json
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from openpyxl import load_workbook

from results import engine, exports
from results.models import AppliedPolicies, MethodologyVersion, RatingResult, RatingRevision
from results.services import compute_year, methodology_for_year, publish_year
from surveys.models import RespondentGroup

from .factories import AssessmentInputFactory

pytestmark = pytest.mark.django_db
YEAR = 2025
# The columns of methodology §5, in their order: new columns only ever come after them.
SPEC_COLUMNS = [
    "code",
    "name",
    "municipality",
    "kind",
    "year",
    "status",
    "respondents",
    *engine.FIGURES,
    "rank",
]
NINE_RESPONDENTS = {
    "respondents": 9,
    "stand_used": 8,
    "stand_satisfied": 7,
    "site_used": 6,
    "site_satisfied": 6,
    "comfort_satisfied": 8,
    "disabled": 1,
    "disabled_satisfied": 1,
    "first_contact_satisfied": 9,
    "direct_service_satisfied": 8,
    "distance_used": 5,
    "distance_satisfied": 5,
    "recommend": 7,
    "schedule_satisfied": 8,
    "overall_satisfied": 9,
}


def set_policies(**fields):
    MethodologyVersion.objects.filter(code="noko-2019").update(**fields)


def current(row):
    return RatingResult.objects.public().get(organisation=row.organisation)


@pytest.fixture
def small_and_large():
    """A 9-respondent school (the minimum is 10) and the worked example's school, one
    municipality."""
    large = AssessmentInputFactory(year=YEAR, organisation__short_name="Большая школа")
    small = AssessmentInputFactory(
        year=YEAR,
        organisation__municipality=large.organisation.municipality,
        organisation__short_name="Малая школа",
        values=NINE_RESPONDENTS,
    )
    return small, large


def test_rate_and_flag_marks_the_result_in_lists_the_archive_compare_and_the_api(
    client, small_and_large
):
    small, large = small_and_large
    set_policies(min_respondents_mode="rate_and_flag")
    compute_year(YEAR)
    publish_year(YEAR)
    codes = [small.organisation.code, large.organisation.code]
    for url, params in (
        (reverse("ratings"), {}),
        (reverse("ratings_year", args=[YEAR]), {}),
        (reverse("ratings_compare"), {"year": YEAR, "org": codes}),
    ):
        content = client.get(url, params).content.decode()
        assert content.count('class="low-sample"') == 1, url
    api = client.get(reverse("ratings_api")).json()
    assert {row["code"]: row["low_sample"] for row in api["results"]} == {
        small.organisation.code: True,
        large.organisation.code: False,
    }


def test_exclude_by_default_leaves_nine_respondents_unrated(small_and_large):
    small, large = small_and_large
    compute_year(YEAR)
    publish_year(YEAR)
    result = current(small)
    assert result.status == engine.INSUFFICIENT_DATA and result.total is None
    assert result.rank is None and not result.low_sample
    assert current(large).rank == 1


def test_rate_and_flag_rates_ranks_and_marks_nine_respondents(client, small_and_large):
    small, large = small_and_large
    set_policies(min_respondents_mode="rate_and_flag")
    report = compute_year(YEAR)
    assert (report.rated, report.insufficient) == (2, 0)
    revision = publish_year(YEAR)
    result = current(small)
    assert result.status == engine.RATED and result.low_sample
    # Ranked among the others like any rated result (here above the worked example's 86.10).
    assert result.total == Decimal("88.33")
    assert (result.rank, result.municipality_rank) == (1, 1)
    assert (current(large).rank, current(large).low_sample) == (2, False)
    assert revision.applied_policies.min_respondents_mode == "rate_and_flag"

    card = client.get(small.organisation.page.url).content.decode()
    assert 'class="low-sample"' in card and "мало ответов" in card
    assert "Мало ответов" in card and "при минимуме 10" in card
    assert "оценивать с пометкой «мало ответов»" in card
    large_card = client.get(large.organisation.page.url).content.decode()
    assert 'class="low-sample"' not in large_card

    rows = list(
        csv.DictReader(
            io.StringIO(client.get(reverse("ratings_export", args=[YEAR, "csv"])).content.decode())
        )
    )
    assert list(rows[0]) == [*SPEC_COLUMNS, "low_sample"]
    flags = {row["code"]: row["low_sample"] for row in rows}
    assert flags == {small.organisation.code: "true", large.organisation.code: "false"}

    document = json.loads(client.get(reverse("ratings_export", args=[YEAR, "json"])).content)
    assert document["columns"] == [*SPEC_COLUMNS, "low_sample"]
    assert {row["code"]: row["low_sample"] for row in document["results"]} == {
        small.organisation.code: True,
        large.organisation.code: False,
    }
    assert document["min_respondents_mode"] == "rate_and_flag"

    workbook = load_workbook(
        io.BytesIO(client.get(reverse("ratings_export", args=[YEAR, "xlsx"])).content)
    )
    sheet = workbook.worksheets[0]
    header = [cell.value for cell in sheet[1]]
    assert header == [*SPEC_COLUMNS, "low_sample"]
    marked = {
        row[header.index("code")].value: row[header.index("low_sample")].value
        for row in sheet.iter_rows(min_row=2)
    }
    assert marked == {small.organisation.code: True, large.organisation.code: False}


def test_every_policy_is_stated_in_exports_and_on_the_card(client, small_and_large):
    _small, large = small_and_large
    set_policies(rounding_policy="per_indicator")
    school_parents = RespondentGroup.objects.get(
        methodology_version="noko-2019", kind="school", audience="parents"
    )
    school_parents.coverage_target_percent = 60
    school_parents.save()
    compute_year(YEAR)
    publish_year(YEAR)

    document = json.loads(client.get(reverse("ratings_export", args=[YEAR, "json"])).content)
    assert {
        key: document[key]
        for key in (
            "methodology",
            "denominator_policy",
            "min_respondents",
            "min_respondents_mode",
            "zero_denominator_policy",
            "rounding_policy",
        )
    } == {
        "methodology": "noko-2019",
        "denominator_policy": "answered",
        "min_respondents": 10,
        "min_respondents_mode": "exclude",
        "zero_denominator_policy": "rescale",
        "rounding_policy": "per_indicator",
    }
    # Each respondent group's own coverage target, a policy the surveys app keeps per group.
    assert {"kind": "school", "group": "parents", "percent": 60} in document["coverage_targets"]

    workbook = load_workbook(
        io.BytesIO(client.get(reverse("ratings_export", args=[YEAR, "xlsx"])).content)
    )
    assert workbook.sheetnames[1] == exports.POLICIES_SHEET == "Методика"
    rules = dict(workbook[exports.POLICIES_SHEET].iter_rows(min_row=2, values_only=True))
    assert rules["Код версии"] == "noko-2019"
    assert rules["Знаменатель показателей 1.3 и 4.3"] == "ответившие на вопрос (answered)"
    assert rules["Минимум респондентов"] == "10"
    assert rules["Если респондентов меньше минимума"].startswith("не оценивать")
    assert rules["Показатель с нулевым знаменателем"].startswith("показатель не учитывается")
    assert rules["Округление"].startswith("округление каждого показателя")
    target = f"Цель охвата анкетирования: общеобразовательные организации, {school_parents.title}"
    assert rules[target] == "60 %"
    assert any(label.startswith("Цель охвата анкетирования: детские сады") for label in rules)

    csv_text = client.get(reverse("ratings_export", args=[YEAR, "csv"])).content.decode()
    assert "Методика" not in csv_text  # a CSV file stays one table

    card = client.get(large.organisation.page.url).content.decode()
    for words in (
        "Правила расчёта",
        "Знаменатель показателей 1.3 и 4.3",
        "Минимум респондентов",
        "Если респондентов меньше минимума",
        "Показатель с нулевым знаменателем",
        "Округление",
        target,
        "Каждый показатель округляется до сотых перед расчётом критерия",
    ):
        assert words in card, words


def test_count_as_zero_for_an_organisation_without_disabled_respondents(client):
    row = AssessmentInputFactory(year=YEAR, values={"disabled": 0, "disabled_satisfied": 0})
    set_policies(zero_denominator_policy="count_as_zero")
    compute_year(YEAR)
    publish_year(YEAR)
    result = current(row)
    # 0.3 × 60 + 0.4 × 80 + 0.3 × 0, with no rescaling; the total drops accordingly.
    assert (result.p3_3, result.k3) == (Decimal("0.00"), Decimal("50.00"))
    assert result.total == Decimal("81.60")  # (89.807… + 85 + 50 + 94.6 + 88.6) / 5
    card = client.get(row.organisation.page.url).content.decode()
    assert "нет данных, засчитано 0.00" in card or "нет данных, засчитано 0,00" in card
    assert "засчитывается как 0 баллов с полным весом" in card


def test_rescale_by_default_for_an_organisation_without_disabled_respondents():
    row = AssessmentInputFactory(year=YEAR, values={"disabled": 0, "disabled_satisfied": 0})
    compute_year(YEAR)
    result = RatingResult.objects.get(organisation=row.organisation)
    assert result.p3_3 is None and result.k3 == Decimal("71.43")  # (18 + 32) / 0.7


def test_the_draft_stores_every_policy():
    AssessmentInputFactory(year=YEAR)
    set_policies(min_respondents_mode="rate_and_flag")
    revision = compute_year(YEAR).revision
    revision.refresh_from_db()
    assert revision.policies == {
        "methodology_code": "noko-2019",
        "denominator": "answered",
        "min_respondents": 10,
        "min_respondents_mode": "rate_and_flag",
        "zero_denominator": "rescale",
        "rounding": "exact",
        "bands": [[90, "high"], [70, "above_average"], [50, "average"], [0, "low"]],
    }
    assert (
        AppliedPolicies.from_stored(revision.policies).engine_policies()
        == (methodology_for_year(YEAR)[1])
    )


def test_a_revision_stored_before_the_policies_existed_reads_as_the_defaults(client):
    row = AssessmentInputFactory(year=YEAR)
    compute_year(YEAR)
    revision = publish_year(YEAR)
    # What _draft_revision wrote before the policies of issue #15.
    revision.policies = {
        "denominator": "answered",
        "min_respondents": 10,
        "bands": [[90, "high"], [70, "above_average"], [50, "average"], [0, "low"]],
        "methodology_code": "noko-2019",
    }
    revision.save(update_fields=["policies"])
    applied = RatingRevision.objects.get(pk=revision.pk).applied_policies
    assert applied == AppliedPolicies(methodology_code="noko-2019")
    assert applied.engine_policies() == engine.Policies()
    assert (applied.min_respondents_mode, applied.zero_denominator, applied.rounding) == (
        "exclude",
        "rescale",
        "exact",
    )
    document = json.loads(client.get(reverse("ratings_export", args=[YEAR, "json"])).content)
    assert document["rounding_policy"] == "exact"
    card = client.get(row.organisation.page.url).content.decode()
    assert "Расчёт ведётся точно, округление до сотых — только при показе." in card


def test_a_revision_without_any_stored_policy_names_its_version():
    AssessmentInputFactory(year=YEAR)
    revision = compute_year(YEAR).revision
    revision.policies = {}
    assert revision.applied_policies == AppliedPolicies(methodology_code="noko-2019")


def test_editing_the_version_never_changes_a_published_revision(client):
    row = AssessmentInputFactory(year=YEAR)
    compute_year(YEAR)
    published = publish_year(YEAR)
    before = published.applied_policies
    set_policies(
        denominator_policy="total",
        min_respondents=300,
        min_respondents_mode="rate_and_flag",
        zero_denominator_policy="count_as_zero",
        rounding_policy="per_indicator",
    )
    published.refresh_from_db()
    assert published.applied_policies == before
    assert current(row).total == Decimal("86.10")
    card = client.get(row.organisation.page.url).content.decode()
    assert "ответившие на вопрос (answered)" in card
    # The next computation of the year follows the version as it is now.
    draft = compute_year(YEAR).revision
    assert draft.applied_policies.rounding == "per_indicator"
    assert draft.applied_policies.min_respondents == 300


def test_an_archived_year_is_recomputed_with_its_own_version():
    MethodologyVersion.objects.create(
        code="noko-2026",
        title="Методика 2026",
        valid_from_year=2026,
        rounding_policy="per_indicator",
        min_respondents_mode="rate_and_flag",
    )
    AssessmentInputFactory(year=YEAR)
    AssessmentInputFactory(year=2026)
    assert compute_year(YEAR).revision.applied_policies.methodology_code == "noko-2019"
    assert compute_year(YEAR).revision.applied_policies.rounding == "exact"
    newer = compute_year(2026).revision.applied_policies
    assert (newer.methodology_code, newer.rounding) == ("noko-2026", "per_indicator")


def test_methodology_version_form_shows_the_policies_in_russian(client):
    admin = get_user_model().objects.create_superuser("admin", password="x")
    client.force_login(admin)
    version = MethodologyVersion.objects.get(code="noko-2019")
    url = reverse("methodology_versions:edit", args=[version.pk])
    page = client.get(url).content.decode()
    for words in (
        "Правила расчёта",
        "Если респондентов меньше минимума",
        "Оценивать с пометкой",
        "Показатель с нулевым знаменателем",
        "Округление",
        "Опубликованные редакции рейтинга сохраняют правила",
    ):
        assert words.lower() in page.lower(), words


def test_publication_screen_shows_each_revisions_policies_and_low_samples(client, small_and_large):
    set_policies(min_respondents_mode="rate_and_flag")
    compute_year(YEAR)
    admin = get_user_model().objects.create_superuser("admin", password="x")
    client.force_login(admin)
    page = client.get(reverse("results_publication")).content.decode()
    assert "из них с пометкой «мало ответов»: 1" in page
    assert "оценивать с пометкой «мало ответов»" in page
    assert "Цель охвата анкетирования: детские сады" in page
