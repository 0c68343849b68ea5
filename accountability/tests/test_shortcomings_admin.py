"""The operator's shortcoming screens through real views as a non-superuser editor, and
the denied side for school staff, coordinators and anonymous visitors."""

import pytest
from django.urls import reverse

from accountability.models import Shortcoming, ShortcomingChange
from registry.tests.factories import MunicipalityFactory, OrganisationFactory

from .factories_shortcomings import (
    YEAR,
    computed_year,
    coordinator,
    editor,
    imported,
    school_staff,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def school():
    organisation = imported().organisation
    computed_year()
    return organisation


@pytest.fixture
def operator(client):
    user = editor()
    client.force_login(user)
    return user


def organisation_url(organisation, year=YEAR):
    return reverse("accountability_shortcomings_organisation", args=[year, organisation.pk])


def action_url(row, action):
    return reverse("accountability_shortcoming_action", args=[row.pk, action])


def test_the_editor_derives_a_year_and_reads_each_organisation_by_criterion(
    client, operator, school
):
    index = client.get(reverse("accountability_shortcomings"))
    assert index.status_code == 200 and str(YEAR) in index.content.decode()
    year_url = reverse("accountability_shortcomings_year", args=[YEAR])
    assert "Выявить недостатки по данным" in client.get(year_url).content.decode()
    response = client.post(reverse("accountability_shortcomings_derive_year", args=[YEAR]))
    assert response.status_code == 302
    assert Shortcoming.objects.filter(organisation=school).count() == 8
    assert set(ShortcomingChange.objects.values_list("user", flat=True)) == {operator.pk}
    listing = client.get(year_url).content.decode()
    assert school.name in listing
    page = client.get(organisation_url(school))
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"] and "private" in page["Cache-Control"]
    text = page.content.decode()
    for heading in (
        "I. Открытость",
        "II. Комфортность",
        "III. Доступность",
        "V. Удовлетворённость",
    ):
        assert heading in text
    assert "удовлетворены 75 % (9 из 12; порог 90 %)" in text
    assert "выявлен по данным" in text  # the trail


def test_a_large_year_is_derived_by_a_background_task(client, operator, school, monkeypatch):
    from accountability import shortcoming_views

    monkeypatch.setattr(shortcoming_views, "INLINE_LIMIT", 0)
    enqueued, task = [], shortcoming_views.derive_year_task

    class RecordingTask:
        def enqueue(self, *args):
            enqueued.append(args)
            return task.enqueue(*args)  # the immediate backend of the tests runs it

    monkeypatch.setattr(shortcoming_views, "derive_year_task", RecordingTask())
    response = client.post(
        reverse("accountability_shortcomings_derive_year", args=[YEAR]), follow=True
    )
    assert enqueued == [(YEAR, operator.pk)]
    assert "новых 8" in response.content.decode()
    assert Shortcoming.objects.filter(organisation=school).count() == 8


def test_the_menu_item_is_the_operators_only(client, operator):
    response = client.get(reverse("wagtailadmin_home"))
    assert reverse("accountability_shortcomings") in response.content.decode()
    client.force_login(coordinator(MunicipalityFactory()))
    response = client.get(reverse("wagtailadmin_home"))
    assert reverse("accountability_shortcomings") not in response.content.decode()


def test_the_year_page_filters_searches_and_pages_through_many_organisations(client, operator):
    north, south = MunicipalityFactory(name="Северный район"), MunicipalityFactory()
    for number in range(55):
        imported(
            organisation__municipality=north if number % 2 else south,
            organisation__name=f"Гимназия № {number}",
        )
    imported(organisation__name="Детский сад «Солнышко»", organisation__kind="preschool")
    computed_year()
    url = reverse("accountability_shortcomings_year", args=[YEAR])
    first = client.get(url).content.decode()
    assert "Страница 1 из 2 (организаций: 56)" in first
    second = client.get(url, {"page": "2"}).content.decode()
    assert "Страница 2 из 2" in second
    assert client.get(url, {"page": "abc"}).status_code == 200
    only_north = client.get(url, {"municipality": north.pk}).content.decode()
    assert only_north.count("Гимназия №") == 27
    kind = client.get(url, {"kind": "preschool"}).content.decode()
    assert "Солнышко" in kind and "Гимназия" not in kind
    found = client.get(url, {"q": "Гимназия № 17"}).content.decode()
    assert "Гимназия № 17" in found and "Гимназия № 18" not in found
    # Junk in the filters is ignored, never an error.
    assert client.get(url, {"municipality": "x", "q": "y" * 5000}).status_code == 200


def test_forms_rerender_with_russian_field_errors_and_change_nothing(client, operator, school):
    client.post(reverse("accountability_shortcomings_derive", args=[YEAR, school.pk]))
    row = Shortcoming.objects.get(organisation=school, source_key="q:q7")
    response = client.post(action_url(row, "dismiss"), {f"dismiss-{row.pk}-reason": "  "})
    assert response.status_code == 400
    assert "Укажите причину, по которой недостаток снимается." in response.content.decode()
    response = client.post(action_url(row, "edit"), {f"edit-{row.pk}-text": ""})
    assert response.status_code == 400
    assert "Напишите формулировку недостатка." in response.content.decode()
    response = client.post(
        reverse("accountability_shortcomings_add", args=[YEAR, school.pk]),
        {"indicator": "", "text": "<script>alert(1)</script>"},
    )
    assert response.status_code == 400 and "Выберите показатель." in response.content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.content.decode()
    assert "<script>alert(1)" not in response.content.decode()
    response = client.post(
        reverse("accountability_shortcomings_merge", args=[YEAR, school.pk]),
        {"shortcomings": [row.pk], "target": row.pk},
    )
    assert response.status_code == 400
    assert "Отметьте хотя бы один недостаток, кроме основного." in response.content.decode()
    row.refresh_from_db()
    assert row.status == Shortcoming.Status.ACTIVE and not row.edited
    assert Shortcoming.objects.filter(organisation=school).count() == 8
    assert not ShortcomingChange.objects.exclude(action=ShortcomingChange.Action.DERIVED).exists()


def test_the_editor_edits_dismisses_restores_merges_and_adds_through_the_screens(
    client, operator, school
):
    client.post(reverse("accountability_shortcomings_derive", args=[YEAR, school.pk]))
    q7, q12, q13 = (
        Shortcoming.objects.get(organisation=school, source_key=key)
        for key in ("q:q7", "q:q12", "q:q13")
    )
    client.post(action_url(q7, "edit"), {f"edit-{q7.pk}-text": "Нет пандуса у входа"})
    client.post(action_url(q12, "dismiss"), {f"dismiss-{q12.pk}-reason": "Опрос сорван"})
    client.post(action_url(q12, "restore"))
    merge = client.post(
        reverse("accountability_shortcomings_merge", args=[YEAR, school.pk]),
        {"shortcomings": [q12.pk, q13.pk], "target": q12.pk, "text": "Низкая удовлетворённость"},
    )
    assert merge.status_code == 302
    added = client.post(
        reverse("accountability_shortcomings_add", args=[YEAR, school.pk]),
        {"indicator": "4.1", "text": "Грубость на вахте", "evidence": "жалоба № 5"},
    )
    assert added.status_code == 302
    for row in (q7, q12, q13):
        row.refresh_from_db()
    assert (q7.text, q7.edited) == ("Нет пандуса у входа", True)
    assert (q12.status, q12.text, q13.status, q13.merged_into) == (
        "active",
        "Низкая удовлетворённость",
        "merged",
        q12,
    )
    assert Shortcoming.objects.get(source=Shortcoming.Source.OPERATOR).evidence == "жалоба № 5"
    actions = list(
        ShortcomingChange.objects.exclude(action="derived")
        .order_by("pk")
        .values_list("action", "user")
    )
    assert actions == [
        ("edited", operator.pk),
        ("dismissed", operator.pk),
        ("restored", operator.pk),
        ("merged", operator.pk),
        ("merged", operator.pk),
        ("added", operator.pk),
    ]
    trail = client.get(organisation_url(school)).content.decode()
    for label in ("изменена формулировка", "снят", "возвращён", "объединён", "добавлен вручную"):
        assert label in trail
    assert "Опрос сорван" in trail and operator.username in trail


def test_unknown_actions_and_years_out_of_range_are_not_found(client, operator, school):
    row = Shortcoming.objects.create(
        organisation=school,
        year=YEAR,
        criterion=1,
        indicator="1.1",
        source="operator",
        source_key="operator:x",
        text="x",
    )
    assert client.post(action_url(row, "delete")).status_code == 404
    assert client.get(organisation_url(school, year=99999)).status_code == 404
    assert (
        client.post(reverse("accountability_shortcomings_derive_year", args=[1900])).status_code
        == 404
    )


def test_a_year_not_yet_computed_says_so(client, operator):
    organisation = OrganisationFactory()
    response = client.get(reverse("accountability_shortcomings_year", args=[2030]))
    assert "ещё не рассчитан" in response.content.decode()
    response = client.post(
        reverse("accountability_shortcomings_derive_year", args=[2030]), follow=True
    )
    assert "ещё не рассчитан" in response.content.decode()
    response = client.post(
        reverse("accountability_shortcomings_derive", args=[2030, organisation.pk]), follow=True
    )
    assert "ещё не рассчитан" in response.content.decode()


def denied_requests(school, row):
    """Every screen and every POST of this part, with data an operator would send."""
    return [
        ("get", reverse("accountability_shortcomings"), {}),
        ("get", reverse("accountability_shortcomings_year", args=[YEAR]), {}),
        ("get", organisation_url(school), {}),
        ("post", reverse("accountability_shortcomings_derive_year", args=[YEAR]), {}),
        ("post", reverse("accountability_shortcomings_derive", args=[YEAR, school.pk]), {}),
        (
            "post",
            reverse("accountability_shortcomings_add", args=[YEAR, school.pk]),
            {"indicator": "1.1", "text": "Подброшено"},
        ),
        (
            "post",
            reverse("accountability_shortcomings_merge", args=[YEAR, school.pk]),
            {"shortcomings": [row.pk], "target": row.pk},
        ),
        ("post", action_url(row, "edit"), {f"edit-{row.pk}-text": "Подменено"}),
        ("post", action_url(row, "dismiss"), {f"dismiss-{row.pk}-reason": "Не нравится"}),
        ("post", action_url(row, "restore"), {}),
    ]


@pytest.mark.parametrize(
    "who", ["own_staff", "other_staff", "coordinator", "other_coordinator", "anonymous"]
)
def test_nobody_but_the_operator_opens_the_screens_or_changes_anything(client, school, who):
    from accountability import shortcomings

    shortcomings.derive(school, YEAR)
    row = Shortcoming.objects.get(organisation=school, source_key="q:q7")
    users = {
        "own_staff": lambda: school_staff(school),
        "other_staff": lambda: school_staff(OrganisationFactory()),
        "coordinator": lambda: coordinator(school.municipality),
        "other_coordinator": lambda: coordinator(MunicipalityFactory()),
        "anonymous": lambda: None,
    }
    user = users[who]()
    if user is not None:
        client.force_login(user)
    before = list(Shortcoming.objects.order_by("pk").values())
    entries = ShortcomingChange.objects.count()
    for method, url, data in denied_requests(school, row):
        response = getattr(client, method)(url, data)
        if user is None:
            assert response.status_code == 302 and "/login/" in response["Location"], url
        else:
            assert response.status_code == 403, url
            assert "Подброшено" not in response.content.decode()
    assert list(Shortcoming.objects.order_by("pk").values()) == before
    assert ShortcomingChange.objects.count() == entries
