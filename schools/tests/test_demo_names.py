"""The demo region's names are Russian as a registry would write them: adjectives of towns
declined by the rules, not by gluing «ский» to the name."""

import pytest

from registry.models import Organisation
from schools.demo import build_full_registry, district_adjective, town_adjective


@pytest.mark.parametrize(
    ("town", "adjective"),
    [
        ("с. Сосновка", "Сосновский"),
        ("с. Каменка", "Каменский"),
        ("д. Берёзовка", "Берёзовский"),
        ("г. Приозёрск", "Приозёрский"),
        ("г. Северогорск", "Северогорский"),
        ("г. Кемерово", "Кемеровский"),
        ("г. Ярославль", "Ярославский"),
        ("г. Пермь", "Пермский"),
        ("г. Тихвин", "Тихвинский"),
        ("г. Заречный", "Заречный"),
        ("пгт Береговой", "Береговой"),
        ("г. Ключи", "Ключевской"),
        ("пгт Лесной", "Лесновский"),
    ],
)
def test_a_towns_adjective_follows_the_declension_rules(town, adjective):
    assert town_adjective(town) == adjective


def test_a_district_lends_its_own_adjective_and_a_city_district_its_towns():
    assert district_adjective("Сосновский муниципальный район", "с. Сосновка") == "Сосновский"
    assert district_adjective("Городской округ Приозёрск", "г. Приозёрск") == "Приозёрский"


def test_no_demo_college_is_named_with_a_glued_suffix():
    _municipalities, organisations = build_full_registry()
    colleges = [
        row["short_name"] for row in organisations if row["kind"] == Organisation.Kind.COLLEGE
    ]

    assert "ГБПОУ «Сосновский ТТ»" in colleges
    assert "ГБПОУ «Каменский ККИ»" in colleges
    assert [name for name in colleges if "каский" in name or "ойский" in name] == []
    assert [name for name in colleges if "Городской" in name] == []
