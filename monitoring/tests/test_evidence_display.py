"""What editors read of the checker's evidence on a checklist: the verdict in words, how it was
found, what proved it, an excerpt and the subsection's missing or outdated microdata."""

import pytest
from django.urls import reverse

from core.permissions import editors_group
from monitoring.models import Checklist
from monitoring.site_checks import store_findings

from .evidence import finding, standard_round
from .factories import UserFactory


@pytest.fixture
def checked_round():
    return standard_round()


@pytest.mark.django_db
def test_the_editor_reads_the_verdict_in_words_and_what_the_subsection_lacks(client, checked_round):
    monitoring_round, organisation, items = checked_round
    common, document, phone = items["/sveden/common"], items["/sveden/document"], items["phone"]
    store_findings(
        monitoring_round,
        organisation,
        {
            common.pk: finding(
                verdict="outdated",
                how_found="variant",
                matched="itemprop fullName, addressPlace",
                excerpt="Полное наименование: МБОУ СОШ № 1",
                items={"fullName": "present", "addressPlaceSet": "outdated", "regDate": "missing"},
            ),
            document.pk: finding(present=False, verdict="placeholder", how_found="same_page"),
            phone.pk: finding(verdict="present", how_found="contacts", matched="(4236) 62-40-68"),
        },
    )
    editor = UserFactory(is_staff=True)
    editor.groups.add(editors_group())
    client.force_login(editor)
    checklist = Checklist.objects.get(round=monitoring_round)
    page = client.get(reverse("monitoring_checklist", args=[checklist.pk])).content.decode()
    assert "Проверка сайта: есть, но разметка устаревшая</strong>, по другому адресу." in page
    assert "Чем подтверждено: itemprop fullName, addressPlace" in page
    assert "Полное наименование: МБОУ СОШ № 1" in page
    assert "<code>regDate</code> — Дата создания образовательной организации" in page
    assert "Микроразметка: нет (1)" in page
    assert "Микроразметка: устаревшее название (1)</strong>" in page
    # What is there folds away; what is missing or outdated is in view.
    assert "<summary><small>Микроразметка: есть (1)</small></summary>" in page
    assert "Проверка сайта: заглушка: страница без содержания</strong>, на той же странице" in page
    assert "на странице контактов" in page and "(4236) 62-40-68" in page
    # An item the checker has not looked at says nothing about a check.
    empty = checklist.answers.get(item=items["/sveden/struct"])
    assert not empty.pre_filled
    assert page.count("Проверка сайта:") == 3


@pytest.mark.django_db
def test_a_school_user_cannot_open_the_evidence_page(client, checked_round):
    monitoring_round, organisation, items = checked_round
    store_findings(monitoring_round, organisation, {items["phone"].pk: finding(verdict="present")})
    client.force_login(UserFactory(is_staff=False))
    checklist = Checklist.objects.get(round=monitoring_round)
    response = client.get(reverse("monitoring_checklist", args=[checklist.pk]))
    assert response.status_code in (302, 403)
    assert "Проверка сайта:" not in response.content.decode()


@pytest.mark.django_db
def test_the_spravka_says_which_missing_subsection_is_a_placeholder(client, checked_round):
    monitoring_round, organisation, items = checked_round
    document, inter = items["/sveden/document"], items["/sveden/inter"]
    store_findings(
        monitoring_round,
        organisation,
        {
            document.pk: finding(present=False, verdict="placeholder", how_found="standard"),
            inter.pk: finding(present=False, verdict="absent"),
        },
    )
    editor = UserFactory(is_staff=True)
    editor.groups.add(editors_group())
    client.force_login(editor)
    page = client.get(reverse("monitoring_round_report", args=[monitoring_round.pk]))
    text = page.content.decode()
    assert f"{document.text} (заглушка: страница без содержания)" in text
    assert f"{inter.text};" in text or f"{inter.text}<" in text
    assert f"{inter.text} (" not in text  # plainly absent: no remark
