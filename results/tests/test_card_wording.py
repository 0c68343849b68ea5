"""How the result card and the rating rows word their figures: weights with a decimal comma,
a place with the number of places beside it, the year a coverage line is about."""

import re

import pytest
from django.urls import reverse

from registry.tests.factories import MunicipalityFactory
from results.services import compute_year, publish_year
from surveys.tests.factories import CampaignFactory, ResponseFactory

from .factories import AssessmentInputFactory

pytestmark = pytest.mark.django_db
YEAR = 2025


def text_of(client, url):
    html = client.get(url).content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def schools(db):
    """Three schools (two in the north) and a kindergarten, published in YEAR: the best school
    of the north leads the region."""
    north = MunicipalityFactory(name="Северный район")
    south = MunicipalityFactory(name="Южный район")
    rows = [
        AssessmentInputFactory(
            year=YEAR, organisation__municipality=north, organisation__short_name="Школа № 1"
        ),
        AssessmentInputFactory(
            year=YEAR,
            organisation__municipality=north,
            organisation__short_name="Школа № 2",
            values={"recommend": 40},
        ),
        AssessmentInputFactory(
            year=YEAR,
            organisation__municipality=south,
            organisation__short_name="Школа № 3",
            values={"recommend": 60},
        ),
        AssessmentInputFactory(
            year=YEAR,
            organisation__municipality=south,
            organisation__short_name="Детский сад № 4",
            organisation__kind="preschool",
        ),
    ]
    compute_year(YEAR)
    publish_year(YEAR)
    return [row.organisation for row in rows]


def test_weights_are_printed_with_a_decimal_comma(client, schools):
    html = client.get(schools[0].page.url).content.decode()

    assert "<td>0,3</td>" in html and "<td>0,4</td>" in html
    assert "<td>0.3</td>" not in html and "<td>0.4</td>" not in html


def test_the_card_gives_the_place_with_the_number_of_places_of_the_kind(client, schools):
    best, second, _south, kindergarten = schools

    assert (
        "Место в регионе среди общеобразовательных организаций: 1 из 3; "
        "в муниципалитете «Северный район»: 1 из 2."
    ) in text_of(client, best.page.url)
    assert "2 из 2." in text_of(client, second.page.url)
    # The kindergarten is ranked among kindergartens only.
    assert ": 1 из 1; в муниципалитете «Южный район»: 1 из 1." in text_of(
        client, kindergarten.page.url
    )


def test_the_rating_rows_give_the_place_with_the_number_of_places(client, schools):
    ratings = text_of(client, reverse("ratings"))
    assert "1 из 3 Школа № 1" in ratings
    assert "3 из 3 Школа № 2" in ratings
    # Scoped to a municipality, the rows count that municipality's places.
    scoped = text_of(client, reverse("ratings") + f"?municipality={schools[0].municipality.slug}")
    assert "2 из 2 Школа № 2" in scoped
    archive = text_of(client, reverse("ratings_year", args=[YEAR]))
    assert "1 из 3 Школа № 1" in archive
    kindergartens = text_of(client, reverse("ratings_year", args=[YEAR]) + "?kind=preschool")
    assert "1 из 1 Детский сад № 4" in kindergartens


def test_the_coverage_line_of_a_past_years_card_names_that_year(client, schools):
    campaign = CampaignFactory(year=YEAR, kinds=["school"])
    ResponseFactory(campaign=campaign, organisation=schools[0])

    text = text_of(client, schools[0].page.url)

    assert f"Охват анкетирования в {YEAR} году:" in text
    assert "в этом году" not in text
