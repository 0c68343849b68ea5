"""The relevance table: what a visitor types into the site search and which organisations they
must get, on every backend (SQLite, PostgreSQL, OpenSearch: CI runs this module on each).

Each row is a query and either the exact set of organisations found (``set()``: nothing), or
the organisation that must come first. The region is relevance_fixture.py.
"""

import pytest
from django.db import transaction

from core.search import MAX_QUERY_LENGTH

from .relevance_fixture import create_region

pytestmark = [pytest.mark.search, pytest.mark.django_db]

LYCEUMS = {"lyceum8", "lyceum3"}
GYMNASIUMS = {"gymnasium2", "vyborg_gymnasium"}
KINDERGARTENS = {"kindergarten5", "kindergarten17", "kindergarten25"}
SECONDARY = {"school12", "school1", "school15"}
PRIOZERSK = {"gymnasium2", "school1", "kindergarten5", "college"}
VYBORG = {"lyceum8", "vyborg_gymnasium", "school12", "kindergarten17", "sports"}
LODEYNOYE = {"school5", "kindergarten25", "creativity", "technical"}
SOSNOVY_BOR = {"lyceum3", "school15", "centre"}
MUNICIPAL_BUDGET_SCHOOLS = {
    "lyceum8",
    "lyceum3",
    "vyborg_gymnasium",
    "school12",
    "school1",
    "school15",
}

# (query, expected set of keys) — the exact set found.
EXPECTED_SETS = [
    # Word forms of organisation names.
    ("лицей", LYCEUMS),
    ("лицея", LYCEUMS),
    ("лицеи", LYCEUMS),
    ("в лицее", LYCEUMS),
    ("гимназия", GYMNASIUMS),
    ("гимназии", GYMNASIUMS),
    ("гимназиях", GYMNASIUMS),
    ("сады", KINDERGARTENS),
    ("детских садов", KINDERGARTENS),
    ("колледжи", {"college"}),
    ("техникума", {"technical"}),
    ("школы Приозерска", {"school1"}),
    # Municipalities in other cases, е for ё.
    ("Приозерском районе", PRIOZERSK),
    ("Приозёрский район", PRIOZERSK),
    ("Приозерск", PRIOZERSK),
    ("Приозёрск", PRIOZERSK),
    ("Выборгского района", VYBORG),
    ("лодейнопольском районе", LODEYNOYE),
    ("Лодейное Поле", LODEYNOYE),
    ("Сосновый Бор", SOSNOVY_BOR),
    ("колледжи Приозерского района", {"college"}),
    ("детский сад Выборгского района", {"kindergarten17"}),
    # One typo in a word of five letters or more (a wrong, missing, extra or swapped letter).
    ("гимназея", GYMNASIUMS),
    ("гимнзаия", GYMNASIUMS),
    ("коледж", {"college"}),
    ("Выборгскй район", VYBORG),
    ("политехнически", {"college"}),
    # Numbers, with and without «№».
    ("СОШ 12", {"school12"}),
    ("СОШ №12", {"school12"}),
    ("школа №5", {"school5"}),
    ("школа № 5", {"school5"}),
    ("школа N5", {"school5"}),
    ("5", {"school5", "kindergarten5"}),
    ("детский сад 5", {"kindergarten5"}),
    ("лицей 8", {"lyceum8"}),
    # Abbreviations, both ways.
    ("СОШ", SECONDARY),
    ("средняя школа", SECONDARY),
    ("ООШ", {"school5"}),
    ("основная школа", {"school5"}),
    ("МБОУ", MUNICIPAL_BUDGET_SCHOOLS),
    ("ДОУ", KINDERGARTENS),
    ("МБДОУ", {"kindergarten5"}),
    ("МАДОУ", {"kindergarten17"}),
    ("дошкольное учреждение", KINDERGARTENS),
    ("ЦДО", {"centre"}),
    ("центр дополнительного образования", {"centre"}),
    ("ДДТ", {"creativity"}),
    ("дом творчества", {"creativity"}),
    ("ДЮСШ", {"sports"}),
    ("спортивная школа", {"sports"}),
    ("ГБПОУ", {"college"}),
    ("МБУ ДО", {"centre", "creativity", "sports"}),
    # The last word as the start of a word, while typing.
    ("гимн", GYMNASIUMS),
    ("лиц", LYCEUMS),
    ("детский сад солн", {"kindergarten5"}),
    ("Выборгская гимн", {"vyborg_gymnasium"}),
    ("политех", {"college"}),
    # Nothing to find.
    ("космодром", set()),
    ("школа № 999", set()),
    ("лицей Лодейное Поле", set()),
    ("гимназия 7", set()),
    ("лицй", set()),
    ("Лицей № 99", set()),
    ("в на по", set()),
]

# (query, key of the organisation that must come first)
EXPECTED_FIRST = [
    ("Выборгская гимназия", "vyborg_gymnasium"),
    ("гимназия имени Пушкина", "gymnasium2"),
    ("СОШ № 1 Приозерск", "school1"),
    ("детский сад Ромашка", "kindergarten17"),
    ("Радуга", "centre"),
]


@pytest.fixture(scope="class")
def region(django_db_setup, django_db_blocker):
    """The region, created once for the class and rolled back after it (a class-scoped
    transaction around the tests' own); indexed documents are deleted after the class
    (conftest.py)."""
    with django_db_blocker.unblock(), transaction.atomic():
        organisations = create_region()
        yield {key: organisation.pk for key, organisation in organisations.items()}
        transaction.set_rollback(True)


def found(client, query):
    """Primary keys of the organisations the site search lists for ``query``, in order."""
    response = client.get("/search/", {"q": query, "scope": "organisations"})
    assert response.status_code == 200
    return [organisation.pk for organisation in response.context["organisation_results"]]


class TestRelevance:
    @pytest.mark.parametrize(("query", "expected"), EXPECTED_SETS)
    def test_finds_exactly_the_expected_organisations(self, client, region, query, expected):
        names = {pk: key for key, pk in region.items()}
        assert {names[pk] for pk in found(client, query)} == expected

    @pytest.mark.parametrize(("query", "expected"), EXPECTED_FIRST)
    def test_finds_the_expected_organisation_first(self, client, region, query, expected):
        pks = found(client, query)
        assert pks and pks[0] == region[expected]

    def test_a_very_long_query_is_cut_and_answered(self, client, region):
        response = client.get("/search/", {"q": "гимназия " * 6000, "page": str(10**12)})
        assert response.status_code == 200
        assert len(response.context["search_query"]) <= MAX_QUERY_LENGTH
