"""The compare page adds organisations by search on the page itself: a GET search form,
results each with «Добавить к сравнению» (a plain GET form, no JavaScript), the chosen ones
kept in the query string and removable, the limit of four respected, one kind at a time."""

import re
from html import unescape

import pytest
from django.urls import reverse

from results.services import compute_year, publish_year

from .factories import AssessmentInputFactory

pytestmark = [pytest.mark.django_db, pytest.mark.search]
YEAR = 2025
COMPARE = reverse("ratings_compare")


@pytest.fixture
def schools(db):
    names = ["Гимназия № 1", "Гимназия № 2", "Гимназия № 3", "Гимназия № 4", "Гимназия № 5"]
    rows = {
        name: AssessmentInputFactory(
            year=YEAR, organisation__name=f"МБОУ «{name}»", organisation__short_name=name
        )
        for name in names
    }
    rows["Детский сад"] = AssessmentInputFactory(
        year=YEAR,
        organisation__name="МБДОУ «Гимназический детский сад»",
        organisation__short_name="Детский сад",
        organisation__kind="preschool",
    )
    compute_year(YEAR)
    publish_year(YEAR)
    return {name: row.organisation.code for name, row in rows.items()}


def add_forms(html):
    """[(hidden org codes, the button's text)] of every «Добавить к сравнению» form."""
    forms = []
    for form in re.findall(r"<form[^>]*>(.*?)</form>", html, flags=re.S):
        if "Добавить к сравнению" not in form:
            continue
        codes = re.findall(r'name="org" value="([^"]*)"', form)
        label = re.sub(r"<[^>]+>", "", re.search(r"<button.*?</button>", form, re.S).group(0))
        forms.append((codes, " ".join(unescape(label).split())))
    return forms


def test_the_compare_page_has_its_own_search_form_keeping_the_chosen(client, schools):
    response = client.get(COMPARE, {"year": YEAR, "org": schools["Гимназия № 1"]})
    html = response.content.decode()
    search_form = re.search(r'<form[^>]*id="compare-search"[^>]*>(.*?)</form>', html, re.S).group(1)
    assert 'name="q"' in search_form
    assert re.findall(r'name="org" value="([^"]*)"', search_form) == [schools["Гимназия № 1"]]
    assert f'name="year" value="{YEAR}"' in search_form


def test_search_results_offer_to_add_each_to_the_chosen_ones(client, schools):
    first = schools["Гимназия № 1"]
    response = client.get(COMPARE, {"year": YEAR, "org": first, "q": "Гимназия"})
    forms = add_forms(response.content.decode())
    # The chosen one is not offered again; every other school is, added to the chosen one.
    assert len(forms) == 4
    assert all(codes[0] == first and len(codes) == 2 for codes, _label in forms)
    assert {codes[1] for codes, _label in forms} == {
        schools[f"Гимназия № {n}"] for n in (2, 3, 4, 5)
    }
    assert forms[0][1].startswith("Добавить к сравнению Гимназия № ")
    # Only the compared kind: the kindergarten named like them is not offered.
    assert schools["Детский сад"] not in [code for codes, _ in forms for code in codes]
    assert "найдено организаций: 5" in response.content.decode()


def test_following_an_add_form_compares_both(client, schools):
    first, second = schools["Гимназия № 1"], schools["Гимназия № 2"]
    response = client.get(COMPARE, {"year": YEAR, "org": [first, second]})
    assert [result.code for result in response.context["compared"]] == [first, second]
    html = response.content.decode()
    assert "Выбрано организаций: 2 из 4 возможных" in html
    # Each chosen one can be removed, keeping the other.
    removal = {r.code: url for r, url in response.context["removals"]}
    assert f"org={second}" in removal[first] and f"org={first}" not in removal[first]


def test_before_any_is_chosen_search_looks_through_every_kind(client, schools):
    response = client.get(COMPARE, {"year": YEAR, "q": "детский сад"})
    forms = add_forms(response.content.decode())
    assert [codes for codes, _label in forms] == [[schools["Детский сад"]]]


def test_four_chosen_is_the_limit_no_more_is_offered(client, schools):
    four = [schools[f"Гимназия № {n}"] for n in (1, 2, 3, 4)]
    response = client.get(COMPARE, {"year": YEAR, "org": four, "q": "Гимназия"})
    html = response.content.decode()
    assert add_forms(html) == []
    assert 'id="compare-search"' not in html
    assert "Выбрано наибольшее число организаций (4)" in html
    # Crafting a fifth into the query string is cut to four, as before.
    five = client.get(COMPARE, {"year": YEAR, "org": [*four, schools["Гимназия № 5"]]})
    assert len(five.context["compared"]) == 4 and five.context["too_many"]


def test_a_search_that_finds_nothing_says_so_and_what_to_try(client, schools):
    response = client.get(COMPARE, {"year": YEAR, "q": "Несуществующая"})
    html = response.content.decode()
    assert "По запросу «Несуществующая» ничего не найдено." in html
    assert "Попробуйте часть названия" in html


def test_junk_queries_do_not_break_the_page(client, schools):
    for query in ("'\"<>" * 200, "*", "ё"):
        assert client.get(COMPARE, {"year": YEAR, "q": query}).status_code == 200
