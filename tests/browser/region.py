"""A small published region the browser tests share: two municipalities, four schools with
different scores, the year 2025 computed and published."""

from registry.tests.factories import MunicipalityFactory
from results.services import compute_year, publish_year
from results.tests.factories import AssessmentInputFactory

SCHOOLS = [
    ("north", "Гимназия № 1", 170),
    ("north", "Школа № 2", 150),
    ("south", "Гимназия № 3", 190),
    ("south", "Лицей № 4", 120),
]


def publish_region(north_name="Северный район", full_name="МАОУ «{}»"):
    """``north_name`` and ``full_name`` (a format of the short name) let a test choose long
    words, which is what overflows a phone's width."""
    municipalities = {
        "north": MunicipalityFactory(name=north_name, slug="north"),
        "south": MunicipalityFactory(name="Южный район", slug="south"),
    }
    for municipality, short_name, recommend in SCHOOLS:
        AssessmentInputFactory(
            year=2025,
            organisation__municipality=municipalities[municipality],
            organisation__name=full_name.format(short_name),
            organisation__short_name=short_name,
            values={"recommend": recommend},
        )
    compute_year(2025)
    publish_year(2025)
