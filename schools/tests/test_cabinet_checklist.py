"""The self-assessment one section at a time: progress per section and in all, navigation
that needs no JavaScript, saving that leaves the other sections alone, and a refused
submission that links to each missing item and marks it in place."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile

from home.tests.test_uploads import png_bytes
from monitoring import services
from monitoring.models import Checklist, ChecklistAnswer
from monitoring.tests.factories import ExpertAssignmentFactory, UserFactory, small_template
from registry.tests.factories import OrganisationFactory
from schools.provisioning import add_staff_member
from surveys.tests.factories import CampaignFactory

pytestmark = pytest.mark.django_db
REPORT_URL = "/cabinet/report/"
# small_template's sections in order, with their item counts.
SECTIONS = [
    ("website", 2),
    ("stand", 2),
    ("distance", 1),
    ("comfort", 1),
    ("territory", 1),
    ("service", 1),
]


@pytest.fixture
def checklist():
    today = datetime.date.today()
    template = small_template(today.year)
    CampaignFactory(year=today.year, report_deadline=today + datetime.timedelta(days=10))
    return services.checklist_for(OrganisationFactory(), template, Checklist.Source.SELF)


@pytest.fixture
def client(client, checklist):
    staff = UserFactory()
    add_staff_member(checklist.organisation, staff)
    client.force_login(staff)
    return client


def item(checklist, text):
    return checklist.answers.get(item__text=text).item_id


def section_post(checklist, section, present="yes", **overrides):
    """What the form of ``section`` posts: its items answered ``present`` (overrides by
    item text), the hidden section field and the save button."""
    data = {"section": section, "save": ""}
    for answer in checklist.answers.filter(item__section=section).select_related("item"):
        data[f"item-{answer.item_id}-present"] = overrides.get(answer.item.text, present)
        data[f"item-{answer.item_id}-note"] = ""
    return data


def soup(response):
    return BeautifulSoup(response.content.decode(), "html.parser")


def stored(checklist):
    return {a.item.text: a.present for a in checklist.answers.select_related("item").order_by("pk")}


def test_the_checklist_opens_on_its_first_section_with_progress_and_every_section_listed(
    client, checklist
):
    page = soup(client.get(REPORT_URL))
    assert page.select_one(".checklist-progress").get_text(strip=True) == "Заполнено 0 из 8"
    nav = page.select("nav.checklist-nav li")
    assert [li.a["href"] for li in nav] == [f"?section={code}" for code, _n in SECTIONS]
    assert [li.select_one(".checklist-nav__count").get_text(strip=True) for li in nav] == [
        f"заполнено 0 из {n}" for _code, n in SECTIONS
    ]
    assert nav[0].a["aria-current"] == "page"
    legends = [legend.get_text(" ", strip=True) for legend in page.select("fieldset legend")]
    assert legends == ["Подраздел «Основные сведения»", "Подраздел «Документы»"]
    assert "Раздел 1 из 6" in page.select_one(".checklist-form h2").get_text()


def test_a_section_is_chosen_by_its_link_and_an_unknown_one_falls_back_to_the_first(
    client, checklist
):
    page = soup(client.get(f"{REPORT_URL}?section=stand"))
    assert page.select_one("nav.checklist-nav a[aria-current]").get_text() == (
        "Информационный стенд"
    )
    assert [f["id"] for f in page.select("fieldset.checklist-item")] == [
        f"item-{item(checklist, 'Наименование и учредитель')}",
        f"item-{item(checklist, 'Режим работы')}",
    ]
    assert page.select_one("input[name=section]")["value"] == "stand"
    fallback = soup(client.get(f"{REPORT_URL}?section=nonsense"))
    assert fallback.select_one("input[name=section]")["value"] == "website"


def test_saving_a_section_keeps_the_answers_of_the_others(client, checklist):
    response = client.post(REPORT_URL, section_post(checklist, "website"))
    assert response.status_code == 302
    assert response["Location"] == f"{REPORT_URL}?section=website"

    # The stand's form; fields of another section smuggled into it are ignored.
    data = section_post(checklist, "stand", **{"Режим работы": "no"})
    data[f"item-{item(checklist, 'Подраздел «Документы»')}-present"] = "no"
    data[f"item-{item(checklist, 'Питьевая вода')}-present"] = "no"
    client.post(REPORT_URL, data)
    answers = stored(checklist)
    assert answers["Подраздел «Основные сведения»"] is True
    assert answers["Подраздел «Документы»"] is True
    assert (answers["Наименование и учредитель"], answers["Режим работы"]) == (True, False)
    assert answers["Питьевая вода"] is None

    page = soup(client.get(f"{REPORT_URL}?section=stand"))
    assert page.select_one(".checklist-progress").get_text(strip=True) == "Заполнено 4 из 8"
    counts = [c.get_text(strip=True) for c in page.select(".checklist-nav__count")]
    assert counts[:3] == ["заполнено 2 из 2 ✓", "заполнено 2 из 2 ✓", "заполнено 0 из 1"]


def test_a_draft_with_gaps_is_saved_and_the_next_button_moves_on(client, checklist):
    data = section_post(checklist, "website", present="")
    data[f"item-{item(checklist, 'Подраздел «Основные сведения»')}-present"] = "yes"
    del data["save"]
    data["next"] = ""
    response = client.post(REPORT_URL, data, follow=True)
    assert response.redirect_chain[-1][0] == f"{REPORT_URL}?section=stand"
    assert "Раздел сохранён" in response.content.decode()
    assert stored(checklist)["Подраздел «Основные сведения»"] is True
    assert stored(checklist)["Подраздел «Документы»"] is None
    checklist.refresh_from_db()
    assert checklist.status == Checklist.Status.DRAFT


def test_submitting_with_gaps_lists_each_missing_item_with_links_across_sections(client, checklist):
    client.post(REPORT_URL, section_post(checklist, "website"))
    data = section_post(checklist, "stand", **{"Режим работы": ""})
    del data["save"]
    data["submit"] = ""
    response = client.post(REPORT_URL, data)
    assert response.status_code == 400
    checklist.refresh_from_db()
    assert checklist.status == Checklist.Status.DRAFT
    assert stored(checklist)["Наименование и учредитель"] is True  # the section was saved

    page = soup(response)
    summary = page.select_one("#form-errors")
    assert summary["role"] == "alert" and summary["tabindex"] == "-1"
    assert summary.has_attr("data-autofocus")
    assert "Отчёт не отправлен" in summary.h2.get_text()
    links = {a.get_text(): a["href"] for a in summary.select("li a")}
    photo_item = item(checklist, "Наименование и учредитель")
    assert links == {
        # In the section shown: an anchor on this page.
        "Наименование и учредитель": f"#item-{photo_item}",
        "Режим работы": f"#item-{item(checklist, 'Режим работы')}",
        # In other sections: that section, with the marks kept.
        "Телефон": f"?section=distance&check=1#item-{item(checklist, 'Телефон')}",
        "Питьевая вода": f"?section=comfort&check=1#item-{item(checklist, 'Питьевая вода')}",
        "Пандус": f"?section=territory&check=1#item-{item(checklist, 'Пандус')}",
        "Помощь обученных работников": (
            f"?section=service&check=1#item-{item(checklist, 'Помощь обученных работников')}"
        ),
    }
    text = summary.get_text(" ", strip=True)
    assert "нет фотографии" in text and "не отмечено «Есть» или «Нет»" in text
    # No paragraph of item names joined together any more.
    assert "Не заполнены пункты:" not in response.content.decode()

    # Each missing item of this section is marked where it is.
    fieldset = page.select_one(f"#item-{photo_item}")
    assert "has-error" in fieldset["class"]
    message = fieldset.select_one(f"#item-{photo_item}-gap")
    assert message.get_text().startswith("Нужна фотография")
    photo = fieldset.select_one("input[type=file]")
    assert photo["aria-invalid"] == "true"
    assert photo["aria-describedby"] == f"item-{photo_item}-gap"
    unanswered = page.select_one(f"#item-{item(checklist, 'Режим работы')}")
    for radio in unanswered.select("input[type=radio]"):
        assert radio["aria-invalid"] == "true"
        assert radio["aria-describedby"] == f"item-{item(checklist, 'Режим работы')}-gap"
    # The navigation says where the gaps are; its links keep the marks.
    nav = page.select_one("nav.checklist-nav")
    assert nav.select_one("a")["href"] == "?section=website&check=1"
    assert "1 пункт требует внимания" in nav.get_text()


def test_following_a_summary_link_shows_that_sections_marks_without_taking_the_focus(
    client, checklist
):
    page = soup(client.get(f"{REPORT_URL}?section=comfort&check=1"))
    water = item(checklist, "Питьевая вода")
    fieldset = page.select_one(f"#item-{water}")
    assert "has-error" in fieldset["class"]
    assert fieldset.select_one(f"#item-{water}-gap").get_text() == (
        "Не отмечено: выберите «Есть» или «Нет»."
    )
    summary = page.select_one("#form-errors")
    assert not summary.has_attr("data-autofocus")  # only right after the refused submission
    assert summary.h2.get_text() == "Осталось заполнить"
    assert page.select_one("input[name=check]")["value"] == "1"
    # Saving in this mode comes back to it, with one gap fewer.
    data = section_post(checklist, "comfort") | {"check": "1"}
    response = client.post(REPORT_URL, data)
    assert response["Location"] == f"{REPORT_URL}?section=comfort&check=1"
    after = soup(client.get(response["Location"]))
    assert after.select_one(f"#item-{water} .field-error") is None
    assert "Питьевая вода" not in after.select_one("#form-errors").get_text()


def test_without_a_submission_nothing_is_marked(client, checklist):
    page = soup(client.get(f"{REPORT_URL}?section=comfort"))
    assert page.select_one("#form-errors") is None
    assert page.select_one(".has-error") is None
    assert page.select_one("[aria-invalid]") is None


def test_a_complete_checklist_is_submitted_from_any_section(client, checklist):
    for code, _n in SECTIONS:
        client.post(REPORT_URL, section_post(checklist, code))
    data = section_post(checklist, "stand")
    del data["save"]
    data["submit"] = ""
    for answer in checklist.answers.filter(item__photo_required=True, item__section="stand"):
        data[f"item-{answer.item_id}-photo"] = SimpleUploadedFile(
            "stand.png", png_bytes(), content_type="image/png"
        )
    refused = client.post(REPORT_URL, data)  # the ramp's photo is still missing
    assert refused.status_code == 400
    assert [a.get_text() for a in soup(refused).select("#form-errors li a")] == ["Пандус"]
    territory = section_post(checklist, "territory")
    ramp = item(checklist, "Пандус")
    territory[f"item-{ramp}-photo"] = SimpleUploadedFile(
        "ramp.png", png_bytes(), content_type="image/png"
    )
    del territory["save"]
    territory["submit"] = ""
    response = client.post(REPORT_URL, territory, follow=True)
    assert "Отчёт отправлен оператору на проверку" in response.content.decode()
    checklist.refresh_from_db()
    assert checklist.status == Checklist.Status.SUBMITTED


def test_a_submitted_report_is_read_only_in_every_section(client, checklist):
    Checklist.objects.filter(pk=checklist.pk).update(status=Checklist.Status.SUBMITTED)
    for code, count in SECTIONS:
        page = soup(client.get(f"{REPORT_URL}?section={code}"))
        assert len(page.select("fieldset.checklist-item[disabled]")) == count
        assert page.select_one("button[name=save]") is None
    response = client.post(REPORT_URL, section_post(checklist, "website"), follow=True)
    assert "Отчёт отправлен и ждёт проверки" in response.content.decode()
    assert not ChecklistAnswer.objects.filter(checklist=checklist, present=True).exists()


def test_an_invalid_upload_in_one_section_saves_nothing_and_is_summarised(client, checklist):
    client.post(REPORT_URL, section_post(checklist, "website"))
    data = section_post(checklist, "stand")
    photo_item = item(checklist, "Наименование и учредитель")
    data[f"item-{photo_item}-photo"] = SimpleUploadedFile(
        "x.png", b"<html><script>alert(1)</script></html>", content_type="image/png"
    )
    response = client.post(REPORT_URL, data)
    assert response.status_code == 400
    page = soup(response)
    assert page.select_one("#form-errors").select_one("a")["href"] == f"#item-{photo_item}"
    assert page.select_one(f"#item-{photo_item} input[type=file]")["aria-invalid"] == "true"
    # What was typed is still in the form; nothing of it stored; the other section intact.
    assert page.select_one(f"#id_item-{photo_item}-present_0").has_attr("checked")
    answers = stored(checklist)
    assert answers["Наименование и учредитель"] is None
    assert answers["Подраздел «Основные сведения»"] is True


def test_the_experts_observation_sheet_has_the_same_sections(client, checklist):
    assignment = ExpertAssignmentFactory(
        organisation=checklist.organisation, template=checklist.template
    )
    client.force_login(assignment.expert.user)
    url = f"/cabinet/expert/{assignment.pk}/"
    page = soup(client.get(f"{url}?section=territory"))
    assert [li.a.get_text() for li in page.select("nav.checklist-nav li")][4] == (
        "Территория и помещения для инвалидов"
    )
    assert page.select_one("input[name=section]")["value"] == "territory"
    sheet = services.checklist_for(
        checklist.organisation, checklist.template, Checklist.Source.EXPERT
    )
    data = section_post(sheet, "territory", present="no")
    client.post(url, data)
    assert stored(sheet)["Пандус"] is False
    assert stored(checklist)["Пандус"] is None  # the school's own report is another checklist
