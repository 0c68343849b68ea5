"""Public ratings: only published years, on every path; exports and API."""

import csv
import io
import json
import re
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from openpyxl import load_workbook

from registry.tests.factories import MunicipalityFactory
from results.models import RatingResult
from results.search import refill_current_documents
from results.services import compute_year, publish_year

from .factories import AssessmentInputFactory

pytestmark = pytest.mark.django_db
YEAR = 2025


@pytest.fixture
def published(db):
    north = MunicipalityFactory(name="Северный район", slug="north")
    south = MunicipalityFactory(name="Южный район", slug="south")
    rows = [
        AssessmentInputFactory(
            year=YEAR,
            organisation__municipality=north,
            organisation__name="МБОУ «Школа № 1 имени Гагарина»",
            organisation__short_name="Школа № 1",
        ),
        AssessmentInputFactory(
            year=YEAR,
            organisation__municipality=south,
            organisation__name='=HYPERLINK("http://evil")',
            organisation__short_name="Лицей",
            organisation__kind="college",
            values={"recommend": 100},
        ),
        AssessmentInputFactory(
            year=YEAR,
            organisation__municipality=south,
            organisation__name="МБДОУ «Детский сад № 3»",
            organisation__short_name="Детский сад № 3",
            organisation__kind="preschool",
            values={
                "respondents": 5,
                "stand_used": 5,
                "stand_satisfied": 5,
                "site_used": 5,
                "site_satisfied": 5,
                "comfort_satisfied": 5,
                "disabled": 1,
                "disabled_satisfied": 1,
                "first_contact_satisfied": 5,
                "direct_service_satisfied": 5,
                "distance_used": 5,
                "distance_satisfied": 5,
                "recommend": 5,
                "schedule_satisfied": 5,
                "overall_satisfied": 5,
            },
        ),
    ]
    compute_year(YEAR)
    publish_year(YEAR)
    return rows


@pytest.fixture
def draft_only(db):
    row = AssessmentInputFactory(
        year=YEAR + 1,
        organisation__short_name="Черновая школа",
        organisation__name="Черновая школа",
    )
    compute_year(YEAR + 1)
    return row


def test_ratings_page_lists_the_latest_published_year(client, published):
    response = client.get(reverse("ratings"))
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("public") or "public" in response["Cache-Control"]
    content = response.content.decode()
    # One kind at a time (each is ranked on its own): schools first, the others one tab away.
    assert "Школа № 1" in content and "Лицей</a>" not in content
    assert [tab["kind"] for tab in response.context["kind_tabs"]] == [
        "school",
        "preschool",
        "college",
    ]
    kindergartens = client.get(reverse("ratings"), {"kind": "preschool"}).content.decode()
    assert "недостаточно ответов" in kindergartens


def test_filters_by_municipality_kind_and_band(client, published):
    by_municipality = client.get(
        reverse("ratings"), {"year": YEAR, "municipality": "south", "kind": "all"}
    )
    page = by_municipality.context["results_page"]
    assert {r.short_name for r in page.object_list} == {"Лицей", "Детский сад № 3"}
    # Ranks are within the municipality when filtered by it.
    assert by_municipality.context["scoped_rank"]
    by_kind = client.get(reverse("ratings"), {"year": YEAR, "kind": "college"})
    assert [r.short_name for r in by_kind.context["results_page"].object_list] == ["Лицей"]
    unrated = client.get(reverse("ratings"), {"year": YEAR, "band": "none", "kind": "all"})
    assert [r.short_name for r in unrated.context["results_page"].object_list] == [
        "Детский сад № 3"
    ]


@pytest.mark.search
def test_search_by_name_and_municipality(client, published):
    by_name = client.get(reverse("ratings"), {"q": "Гагарина"})
    assert [r.short_name for r in by_name.context["results_page"].object_list] == ["Школа № 1"]
    by_municipality = client.get(reverse("ratings"), {"q": "Южный"})
    assert {r.short_name for r in by_municipality.context["results_page"].object_list} == {
        "Лицей",
        "Детский сад № 3",
    }


@pytest.mark.search
@pytest.mark.parametrize("order", ["rank", "name", "municipality"])
def test_search_results_keep_every_listing_order(client, published, order):
    response = client.get(reverse("ratings"), {"q": "Южный", "order": order})
    names = [r.short_name for r in response.context["results_page"].object_list]
    assert sorted(names) == ["Детский сад № 3", "Лицей"]
    if order == "name":  # «=HYPERLINK…» sorts before «МБДОУ…»
        assert names == ["Лицей", "Детский сад № 3"]
    # Answered by the configured engine itself, not by the fallback.
    assert not response.context["search_degraded"]


@pytest.mark.search
@pytest.mark.parametrize(
    "params",
    [{"q": "ш" * 50_000}, {"page": str(10**12)}, {"page": "abc"}, {"order": "'; DROP"}],
)
def test_hostile_parameters_give_a_page_not_an_error(client, published, params):
    response = client.get(reverse("ratings"), params)
    assert response.status_code in (200, 400)


@pytest.mark.search
def test_draft_year_is_invisible_on_every_public_path(client, published, draft_only):
    draft_year = YEAR + 1
    assert client.get(reverse("ratings"), {"year": draft_year}).status_code == 400
    searched = client.get(reverse("ratings"), {"q": "Черновая"})
    assert not searched.context["results_page"].object_list
    assert client.get(reverse("ratings_year", args=[draft_year])).status_code == 404
    for fmt in ("csv", "xlsx", "json"):
        assert client.get(reverse("ratings_export", args=[draft_year, fmt])).status_code == 404
    api = client.get(reverse("ratings_api"), {"year": draft_year})
    assert api.status_code == 400
    assert "Черновая" not in client.get(reverse("ratings_api"), {"q": "Черновая"}).content.decode()
    compare = client.get(
        reverse("ratings_compare"), {"year": draft_year, "org": draft_only.organisation.code}
    )
    assert "Черновая школа</a>" not in compare.content.decode()
    school_page = client.get(draft_only.organisation.page.url)
    assert "Опубликованных результатов пока нет" in school_page.content.decode()
    assert not RatingResult.objects.public().filter(year=draft_year).exists()
    # Nothing of the draft reached the search index.
    assert not list(RatingResult.objects.search("Черновая"))
    with pytest.raises(Exception, match="не опубликован"):
        call_command("export_ratings", year=draft_year, fmt="csv")


def test_year_archive_shows_municipality_and_region_means(client, published):
    response = client.get(reverse("ratings_year", args=[YEAR]))
    assert response.status_code == 200
    # Means within the kind shown: schools by default.
    region = response.context["region"]
    assert region["rated"] == 1
    names = [m["name"] for m in response.context["municipalities"]]
    assert names == ["Северный район"]
    content = response.content.decode()
    assert "Средние по муниципалитетам" in content and "<svg" in content
    colleges = client.get(reverse("ratings_year", args=[YEAR]), {"kind": "college"})
    assert [m["name"] for m in colleges.context["municipalities"]] == ["Южный район"]
    assert colleges.context["region"]["rated"] == 1


def test_republished_year_keeps_the_old_revision_readable(client, published):
    row = published[0]
    row.recommend = 100
    row.save()
    compute_year(YEAR)
    publish_year(YEAR, change_note="Исправлена ошибка в данных.")
    current = client.get(reverse("ratings_year", args=[YEAR]))
    assert "Исправлена ошибка в данных." in current.content.decode()
    old = client.get(reverse("ratings_year", args=[YEAR]), {"revision": 1})
    assert old.status_code == 200
    assert "Эта редакция заменена новой" in old.content.decode()
    assert client.get(reverse("ratings_year", args=[YEAR]), {"revision": 9}).status_code == 404


def published_figures():
    return {
        r.code: {code: r.figures()[code] for code in ("k1", "total")} | {"rank": r.rank}
        for r in RatingResult.objects.public()
    }


def test_csv_export_parses_back_to_the_same_numbers(client, published):
    response = client.get(reverse("ratings_export", args=[YEAR, "csv"]))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))
    expected = published_figures()
    assert len(rows) == 3
    for row in rows:
        figures = expected[row["code"]]
        assert (Decimal(row["total"]) if row["total"] else None) == figures["total"]
        assert (Decimal(row["k1"]) if row["k1"] else None) == figures["k1"]
        assert (int(row["rank"]) if row["rank"] else None) == figures["rank"]
    # Text that a spreadsheet would run is escaped.
    assert any(row["name"].startswith("'=HYPERLINK") for row in rows)
    # Kind by kind (ranks are within the kind); numbers with a dot and two decimals, empty
    # where there is no data.
    assert [row["kind"] for row in rows] == ["school", "preschool", "college"]
    assert re.fullmatch(r"\d+\.\d\d", rows[0]["total"])
    assert rows[1]["status"] == "insufficient_data" and rows[1]["total"] == ""


def test_xlsx_export_has_numbers_and_no_formulas(client, published):
    response = client.get(reverse("ratings_export", args=[YEAR, "xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [cell.value for cell in sheet[1]]
    assert header[:7] == ["code", "name", "municipality", "kind", "year", "status", "respondents"]
    expected = published_figures()
    for row in sheet.iter_rows(min_row=2):
        values = dict(zip(header, row, strict=True))
        assert values["name"].data_type != "f"
        total = values["total"].value
        assert (None if total is None else Decimal(str(total)).quantize(Decimal("0.01"))) == (
            expected[values["code"].value]["total"]
        )


def test_json_export_and_command_agree(client, published, tmp_path):
    response = client.get(reverse("ratings_export", args=[YEAR, "json"]))
    document = json.loads(response.content)
    assert document["year"] == YEAR and document["methodology"] == "noko-2019"
    expected = published_figures()
    for row in document["results"]:
        assert (Decimal(row["total"]) if row["total"] else None) == expected[row["code"]]["total"]
    output = tmp_path / "ratings.json"
    call_command("export_ratings", year=YEAR, fmt="json", output=str(output))
    assert json.loads(output.read_text(encoding="utf-8"))["results"] == document["results"]


@pytest.mark.search
def test_api_filters_and_paginates(client, published):
    response = client.get(reverse("ratings_api"), {"page_size": 2, "kind": "all"})
    body = response.json()
    assert response.status_code == 200
    assert (body["count"], body["year"], body["pages"], len(body["results"])) == (3, YEAR, 2, 2)
    assert body["next"].endswith("page=2") or "page=2" in body["next"]
    second = client.get(body["next"]).json()
    assert len(second["results"]) == 1 and second["previous"]
    kind = client.get(reverse("ratings_api"), {"kind": "preschool"}).json()
    assert [r["status"] for r in kind["results"]] == ["insufficient_data"]
    assert kind["results"][0]["total"] is None
    assert client.get(reverse("ratings_api"), {"page": "x"}).status_code == 400
    assert client.get(reverse("ratings_api"), {"page": "99"}).status_code == 404
    assert client.get(reverse("ratings_api"), {"kind": "zoo"}).status_code == 400
    searched = client.get(reverse("ratings_api"), {"q": "Гагарина"}).json()
    assert [r["short_name"] for r in searched["results"]] == ["Школа № 1"]
    assert searched["count"] == 1 and "notice" not in searched


def test_openapi_schema_is_published(client):
    schema = client.get(reverse("ratings_api_schema")).json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/ratings/" in schema["paths"]
    names = {p["name"] for p in schema["paths"]["/api/v1/ratings/"]["get"]["parameters"]}
    assert {"q", "year", "municipality", "kind", "page"} <= names


def test_school_page_shows_the_result_card_with_how_it_was_calculated(client, published):
    page = published[0].organisation.page
    content = client.get(page.url).content.decode()
    assert "Как посчитано" in content
    assert "50 × (стенд / норма стенда + сайт / норма сайта)" in content
    assert "86,10" in content or "86.10" in content
    assert "noko-2019" in content
    unrated = published[2].organisation.page
    assert "Недостаточно ответов" in client.get(unrated.url).content.decode()


def test_compare_shows_up_to_four_side_by_side(client, published):
    school = AssessmentInputFactory(
        year=YEAR, organisation__municipality=published[0].organisation.municipality
    )
    compute_year(YEAR)
    publish_year(YEAR, change_note="Добавлена школа.")
    codes = [published[0].organisation.code, school.organisation.code]
    response = client.get(reverse("ratings_compare"), {"year": YEAR, "org": codes})
    assert [r.code for r in response.context["compared"]] == codes
    assert "<table" in response.content.decode() and "<svg" in response.content.decode()
    too_many = client.get(reverse("ratings_compare"), {"org": [*codes, "a", "b", "c"]})
    assert too_many.context["too_many"]


@pytest.mark.search
def test_search_understands_russian_word_forms(client, published):
    # The organisation's name says «Школа»; a visitor types «школы».
    response = client.get(reverse("ratings"), {"q": "школы"})
    assert "Школа № 1" in [r.short_name for r in response.context["results_page"].object_list]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="search documents are PostgreSQL's")
def test_an_upgraded_deployment_finds_word_forms_in_results_published_before(client, published):
    # A document filled by an earlier version: no normalised text, so no abbreviations.
    RatingResult.objects.update(search_document=None)
    assert not client.get(reverse("ratings"), {"q": "школы"}).context["results_page"].object_list

    refill_current_documents()  # what migration 0014 runs

    response = client.get(reverse("ratings"), {"q": "школы"})
    assert "Школа № 1" in [r.short_name for r in response.context["results_page"].object_list]
