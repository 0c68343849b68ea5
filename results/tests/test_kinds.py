"""Each kind of organisation is ranked on its own, everywhere results appear.

Schools, kindergartens, colleges and additional-education centres are surveyed with
different respondents; a region publishes each kind as its own list (methodology §5,
``rank``). Four organisations in one municipality: two schools and two kindergartens, with
the kindergartens' totals between the schools'.
"""

import csv
import io

import pytest
from django.urls import reverse

from registry.tests.factories import MunicipalityFactory
from results.models import RatingResult
from results.services import compute_year, publish_year

from .factories import AssessmentInputFactory

pytestmark = pytest.mark.django_db
YEAR = 2025


@pytest.fixture
def two_kinds(db):
    town = MunicipalityFactory(name="Городской округ", slug="town")
    village = MunicipalityFactory(name="Сельский район", slug="village")

    def organisation(code, kind, recommend, municipality=town):
        return AssessmentInputFactory(
            year=YEAR,
            organisation__code=code,
            organisation__short_name=code,
            organisation__kind=kind,
            organisation__municipality=municipality,
            values={"recommend": recommend},
        ).organisation

    organisations = {
        "school-best": organisation("school-best", "school", 200),
        "kindergarten-good": organisation("kindergarten-good", "preschool", 190),
        "kindergarten-fair": organisation("kindergarten-fair", "preschool", 150),
        "school-worst": organisation("school-worst", "school", 100),
        "school-village": organisation("school-village", "school", 120, village),
    }
    compute_year(YEAR)
    publish_year(YEAR)
    return organisations


def ranks():
    return {
        result.code: (result.rank, result.municipality_rank)
        for result in RatingResult.objects.public()
    }


def test_ranks_are_within_the_kind_in_the_region_and_in_the_municipality(two_kinds):
    assert ranks() == {
        "school-best": (1, 1),
        "school-village": (2, 1),
        "school-worst": (3, 2),
        "kindergarten-good": (1, 1),
        "kindergarten-fair": (2, 2),
    }


def test_means_are_kept_per_kind(two_kinds):
    revision = RatingResult.objects.public().first().revision
    assert revision.aggregates["kinds"]["school"]["region"]["rated"] == 3
    assert revision.aggregates["kinds"]["preschool"]["region"]["rated"] == 2
    assert set(revision.aggregates["kinds"]["preschool"]["municipalities"]) == {
        str(two_kinds["kindergarten-good"].municipality_id)
    }
    assert revision.aggregates["assessed_kinds"] == ["school", "preschool"]


def listed(response):
    return [(result.code, result.rank) for result in response.context["results_page"].object_list]


def test_ratings_page_shows_one_kind_with_its_own_ranks(client, two_kinds):
    schools = client.get(reverse("ratings"))
    assert listed(schools) == [("school-best", 1), ("school-village", 2), ("school-worst", 3)]
    content = schools.content.decode()
    assert "среди общеобразовательных организаций" in content
    assert "Детские сады" in content  # the tab to the other kind of the year
    kindergartens = client.get(reverse("ratings"), {"kind": "preschool"})
    assert listed(kindergartens) == [("kindergarten-good", 1), ("kindergarten-fair", 2)]
    in_town = client.get(reverse("ratings"), {"kind": "school", "municipality": "town"})
    assert [
        (result.code, result.municipality_rank)
        for result in in_town.context["results_page"].object_list
    ] == [("school-best", 1), ("school-worst", 2)]


def test_a_kind_not_assessed_in_the_year_says_so(client, two_kinds):
    response = client.get(reverse("ratings"), {"kind": "college"})
    assert listed(response) == []
    assert "колледжи и техникумы не оценивались" in response.content.decode()


def test_the_ratings_page_says_which_kinds_were_assessed_in_which_year(client, two_kinds):
    content = client.get(reverse("ratings")).content.decode()
    assert "Какие организации оценивались" in content
    assert "общеобразовательные организации, детские сады" in content


def test_archive_shows_each_kind_with_its_own_ranks_and_means(client, two_kinds):
    archive = client.get(reverse("ratings_year", args=[YEAR]), {"kind": "preschool"})
    assert listed(archive) == [("kindergarten-good", 1), ("kindergarten-fair", 2)]
    assert archive.context["region"]["rated"] == 2
    assert "?kind=preschool" in archive.content.decode()  # the kind's own open data


def test_exports_rank_within_the_kind_and_can_be_taken_per_kind(client, two_kinds):
    whole = client.get(reverse("ratings_export", args=[YEAR, "csv"]))
    rows = list(csv.DictReader(io.StringIO(whole.content.decode("utf-8"))))
    assert [(row["code"], row["kind"], row["rank"]) for row in rows] == [
        ("school-best", "school", "1"),
        ("school-village", "school", "2"),
        ("school-worst", "school", "3"),
        ("kindergarten-good", "preschool", "1"),
        ("kindergarten-fair", "preschool", "2"),
    ]
    one_kind = client.get(reverse("ratings_export", args=[YEAR, "csv"]), {"kind": "preschool"})
    assert 'filename="noko-ratings-2025-preschool.csv"' in one_kind["Content-Disposition"]
    codes = [row["code"] for row in csv.DictReader(io.StringIO(one_kind.content.decode()))]
    assert codes == ["kindergarten-good", "kindergarten-fair"]
    assert (
        client.get(reverse("ratings_export", args=[YEAR, "csv"]), {"kind": "zoo"}).status_code
        == 404
    )


def test_api_defaults_to_one_kind_and_ranks_within_it(client, two_kinds):
    default = client.get(reverse("ratings_api")).json()
    assert default["kind"] == "school" and default["kinds"] == ["school", "preschool"]
    assert [(row["code"], row["rank"]) for row in default["results"]] == [
        ("school-best", 1),
        ("school-village", 2),
        ("school-worst", 3),
    ]
    kindergartens = client.get(reverse("ratings_api"), {"kind": "preschool"}).json()
    assert [(row["code"], row["rank"]) for row in kindergartens["results"]] == [
        ("kindergarten-good", 1),
        ("kindergarten-fair", 2),
    ]


def test_compare_takes_only_organisations_of_one_kind(client, two_kinds):
    response = client.get(
        reverse("ratings_compare"),
        {"year": YEAR, "org": ["school-best", "kindergarten-good", "school-worst"]},
    )
    assert [result.code for result in response.context["compared"]] == [
        "school-best",
        "school-worst",
    ]
    assert [result.code for result in response.context["other_kind"]] == ["kindergarten-good"]
    assert "только организации одного типа" in response.content.decode()
