"""What a visitor sees of the Russian search on each page that searches: the site search (links
to the organisation's page and its latest result card, the ratings pages), the directory and the
ratings, each saying how many were found and, when none, what to try."""

import pytest
from django.urls import reverse

from home.tests.factories import site_home_page
from registry.tests.factories import MunicipalityFactory, OrganisationFactory
from results.services import compute_year, publish_year
from results.tests.factories import AssessmentInputFactory
from schools.provisioning import get_school_index

pytestmark = [pytest.mark.search, pytest.mark.django_db]
YEAR = 2025


@pytest.fixture
def region(db):
    site_home_page()
    priozersk = MunicipalityFactory(name="Приозёрский муниципальный район", slug="priozersk")
    vyborg = MunicipalityFactory(name="Выборгский район", slug="vyborg")
    gymnasium = AssessmentInputFactory(
        year=YEAR,
        organisation__name="Муниципальное автономное общеобразовательное учреждение «Гимназия № 2»",
        organisation__short_name="МАОУ «Гимназия № 2»",
        organisation__municipality=priozersk,
        organisation__address="г. Приозёрск, ул. Гоголя, д. 33",
    ).organisation
    lyceum = AssessmentInputFactory(
        year=YEAR,
        organisation__name="Муниципальное бюджетное общеобразовательное учреждение «Лицей № 8»",
        organisation__short_name="МБОУ «Лицей № 8»",
        organisation__municipality=vyborg,
        organisation__address="г. Выборг, ул. Ленина, д. 14",
    ).organisation
    compute_year(YEAR)
    publish_year(YEAR)
    # Not assessed: no result card to link to.
    kindergarten = OrganisationFactory(
        name="Муниципальное бюджетное дошкольное образовательное учреждение «Детский сад № 5»",
        short_name="МБДОУ «Детский сад № 5»",
        kind="preschool",
        municipality=priozersk,
        address="г. Приозёрск, ул. Калинина, д. 9",
    )
    return {"gymnasium": gymnasium, "lyceum": lyceum, "kindergarten": kindergarten}


def test_an_organisation_found_links_to_its_page_and_latest_result_card(client, region):
    response = client.get("/search/", {"q": "гимназии", "scope": "organisations"})
    page_url = region["gymnasium"].page.url
    assert f'href="{page_url}"' in response.text
    assert f'href="{page_url}#rezultaty"' in response.text
    assert f"Результаты оценки {YEAR} года" in response.text


def test_an_organisation_without_a_published_result_links_to_its_page_only(client, region):
    response = client.get("/search/", {"q": "детского сада", "scope": "organisations"})
    page_url = region["kindergarten"].page.url
    assert f'href="{page_url}"' in response.text
    assert "#rezultaty" not in response.text
    assert "Результаты оценки" not in response.text


def test_the_home_page_search_form_leads_to_linked_organisations(client, region):
    home = client.get("/")
    assert 'action="/search/"' in home.text
    response = client.get("/search/", {"q": "лицея"})
    assert f'href="{region["lyceum"].page.url}"' in response.text


@pytest.mark.parametrize("query", ["рейтинг", "рейтинги", "итоги 2025", "результаты оценки"])
def test_the_ratings_pages_are_found_when_asked_for(client, region, query):
    response = client.get("/search/", {"q": query})
    assert f'href="{reverse("ratings_year", args=[YEAR])}"' in response.text
    if query != "итоги 2025":
        assert f'href="{reverse("ratings")}"' in response.text


def test_the_ratings_pages_are_not_listed_for_other_words_or_years(client, region):
    for query in ("гимназия", "итоги 2019"):
        response = client.get("/search/", {"q": query, "scope": "pages"})
        assert response.context["ratings_pages"] == [], query


def test_the_ratings_pages_are_not_listed_when_only_organisations_are_searched(client, region):
    response = client.get("/search/", {"q": "рейтинг", "scope": "organisations"})
    assert f'href="{reverse("ratings_year", args=[YEAR])}"' not in response.text


def test_site_search_says_how_many_were_found(client, region):
    response = client.get("/search/", {"q": "лицея", "scope": "organisations"})
    assert "Найдено: 1 организация" in response.text
    assert "Ничего не найдено" not in response.text


def test_site_search_finding_nothing_says_so_and_what_to_try(client, region):
    response = client.get("/search/", {"q": "космодром", "scope": "organisations"})
    assert "Ничего не найдено." in response.text
    assert "проверить, как написано название" in response.text
    assert (
        'href="/search/?q=%D0%BA%D0%BE%D1%81%D0%BC%D0%BE%D0%B4%D1%80%D0%BE%D0%BC&amp;scope=all"'
        in (response.text)
    )
    assert f'href="{reverse("ratings")}"' in response.text


def test_the_directory_finds_word_forms_and_says_how_many(client, region):
    directory = get_school_index().url
    response = client.get(directory, {"q": "лицея"})
    assert "Найдена 1 организация" in response.text
    assert region["lyceum"].name in response.text
    assert region["gymnasium"].name not in response.text


def test_the_directory_finding_nothing_offers_to_drop_the_filters(client, region):
    directory = get_school_index().url
    response = client.get(
        directory, {"q": "лицея", "municipality": region["gymnasium"].municipality_id}
    )
    assert "Найдено организаций: 0" in response.text
    assert "Ничего не найдено." in response.text
    assert f'href="{directory}?q=%D0%BB%D0%B8%D1%86%D0%B5%D1%8F"' in response.text
    assert "Искать во всех муниципалитетах и среди всех типов" in response.text


def test_the_directory_without_filters_does_not_offer_to_drop_them(client, region):
    response = client.get(get_school_index().url, {"q": "космодром"})
    assert "Ничего не найдено." in response.text
    assert "Искать во всех муниципалитетах" not in response.text


def test_the_ratings_search_finds_word_forms_and_says_how_many(client, region):
    response = client.get(reverse("ratings"), {"q": "гимназии"})
    assert response.status_code == 200
    assert "Найдена 1 организация" in response.text
    assert "МАОУ «Гимназия № 2»" in response.text
    assert "МБОУ «Лицей № 8»" not in response.text


def test_the_ratings_search_finds_a_municipality_in_another_case(client, region):
    response = client.get(reverse("ratings"), {"q": "Приозерском районе"})
    assert "МАОУ «Гимназия № 2»" in response.text
    assert "МБОУ «Лицей № 8»" not in response.text


def test_the_ratings_search_finding_nothing_says_so_and_what_to_try(client, region):
    response = client.get(reverse("ratings"), {"q": "гимназии", "municipality": "vyborg"})
    assert "Найдено организаций: 0" in response.text
    assert "Ничего не найдено." in response.text
    assert "Убрать фильтры по муниципалитету и уровню" in response.text
    assert "Искать по всему сайту" in response.text


def test_the_ratings_search_without_filters_does_not_offer_to_drop_them(client, region):
    response = client.get(reverse("ratings"), {"q": "космодром"})
    assert "Ничего не найдено." in response.text
    assert "Убрать фильтры" not in response.text


def test_the_ratings_search_before_any_publication_says_none_is_published(client):
    # No published year: the hints must not try to carry a year that does not exist.
    response = client.get("/ratings/", {"kind": "school", "q": "гимназии"})
    assert response.status_code == 200
    assert "Опубликованных рейтингов пока нет." in response.content.decode()


def test_site_search_counts_agree_with_the_number_in_russian(client, region):
    response = client.get("/search/", {"q": "муниципальное", "scope": "organisations"})
    assert "Найдено: 3 организации" in response.text
