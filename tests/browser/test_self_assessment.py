"""A school fills its self-assessment over two visits with photos and submits it; an editor
returns it with a comment; the school fixes and resubmits; the editor accepts it."""

import datetime
import io
import re

import pytest
from django.contrib.auth import get_user_model
from PIL import Image as PILImage

from core.permissions import editors_group
from monitoring.models import Checklist
from monitoring.tests.factories import small_template
from registry.tests.factories import OrganisationFactory
from results.models import AssessmentInput
from schools.provisioning import add_staff_member
from surveys.tests.factories import CampaignFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
PASSWORD = "пароль-для-теста-1"


def log_in(browser, base_url, username, next_url):
    context = browser.new_context(viewport={"width": 1024, "height": 800}, locale="ru-RU")
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto(f"{base_url}/admin/login/?next={next_url}")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("form button[type=submit]").click()
    page.wait_for_url(re.compile(f".*{re.escape(next_url)}$"))
    return context, page


def answer(page, item_text, value):
    fieldset = page.locator("fieldset", has_text=item_text)
    fieldset.get_by_label(value, exact=True).check()
    return fieldset


def section_heading(page, label):
    return page.get_by_role("heading", name=re.compile(f"Раздел \\d из \\d: {re.escape(label)}"))


def open_section(page, label):
    page.get_by_role("navigation", name="Разделы").get_by_role("link", name=label).click()
    section_heading(page, label).wait_for()


def save_and_go_on(page, label):
    """«Сохранить и перейти к разделу» to ``label``, waiting for that section's page."""
    page.get_by_role("button", name=f"Сохранить и перейти к разделу «{label}»").click()
    section_heading(page, label).wait_for()


def test_self_assessment_round_trip(live_server, browser, tmp_path):
    template = small_template(datetime.date.today().year)
    CampaignFactory(
        year=template.year, report_deadline=datetime.date.today() + datetime.timedelta(days=10)
    )
    school = OrganisationFactory(name="Школа № 5 имени Пушкина")
    User = get_user_model()
    staff = User.objects.create_user("secretary", password=PASSWORD)
    add_staff_member(school, staff)
    editor = User.objects.create_user("operator", password=PASSWORD, is_staff=True)
    editor.groups.add(editors_group())
    photo = tmp_path / "stand.jpg"
    buffer = io.BytesIO()
    PILImage.new("RGB", (200, 150), (20, 120, 60)).save(buffer, format="JPEG")
    photo.write_bytes(buffer.getvalue())

    # First visit: a few answers in two sections, each saved as a draft; then the browser
    # is closed.
    context, page = log_in(browser, live_server.url, "secretary", "/cabinet/")
    page.get_by_role("link", name=re.compile("Справка самообследования")).click()
    answer(page, "Подраздел «Основные сведения»", "Есть")
    page.get_by_role("button", name="Сохранить черновик").click()
    page.get_by_text("Черновик сохранён").wait_for()
    open_section(page, "Комфортность условий")
    answer(page, "Питьевая вода", "Есть")
    page.get_by_role("button", name="Сохранить черновик").click()
    page.get_by_text("Черновик сохранён").wait_for()
    assert page.get_by_text("Заполнено 2 из 8").is_visible()
    page.screenshot(path=tmp_path / "01-draft.png", full_page=True)
    context.close()

    # Second visit: the draft is there; the rest is answered section by section, photos
    # attached, submitted from the last section.
    context, page = log_in(browser, live_server.url, "secretary", "/cabinet/report/")
    assert (
        page.locator("fieldset", has_text="Подраздел «Основные сведения»")
        .get_by_label("Есть", exact=True)
        .is_checked()
    )
    answer(page, "Подраздел «Документы»", "Есть")
    save_and_go_on(page, "Информационный стенд")
    answer(page, "Наименование и учредитель", "Есть").locator("input[type=file]").set_input_files(
        photo
    )
    answer(page, "Режим работы", "Нет")
    save_and_go_on(page, "Дистанционные способы взаимодействия")
    answer(page, "Телефон", "Есть")
    save_and_go_on(page, "Комфортность условий")
    assert (
        page.locator("fieldset", has_text="Питьевая вода")
        .get_by_label("Есть", exact=True)
        .is_checked()
    )
    save_and_go_on(page, "Территория и помещения для инвалидов")
    answer(page, "Пандус", "Есть").locator("input[type=file]").set_input_files(photo)
    save_and_go_on(page, "Условия получения услуг инвалидами")
    answer(page, "Помощь обученных работников", "Нет")
    page.get_by_role("button", name="Отправить оператору").click()
    page.get_by_text("Отчёт отправлен оператору на проверку").wait_for()
    # No more editing, in any section.
    assert page.locator("fieldset[disabled]").count() == 2
    assert page.get_by_role("button", name="Сохранить черновик").count() == 0
    open_section(page, "Информационный стенд")
    assert page.locator("fieldset[disabled]").count() == 2
    context.close()
    checklist = Checklist.objects.get(organisation=school, source=Checklist.Source.SELF)
    assert checklist.status == Checklist.Status.SUBMITTED

    # The editor returns it with a comment.
    context, page = log_in(browser, live_server.url, "operator", "/admin/checklists/")
    page.get_by_role("link", name="Школа № 5 имени Пушкина").click()
    page.wait_for_url(re.compile(r".*/admin/checklists/\d+/$"))
    photos = page.locator("main img[alt='Пандус'], main img[alt='Наименование и учредитель']")
    photos.first.wait_for()
    assert photos.count() == 2  # the photos are shown to the reviewer
    page.fill("#return-comment", "Режим работы на стенде есть на фото — отметьте его.")
    page.get_by_role("button", name="Вернуть на доработку").click()
    page.get_by_text("Возвращено на доработку").wait_for()
    context.close()

    # The school reads the comment, fixes and resubmits.
    context, page = log_in(browser, live_server.url, "secretary", "/cabinet/report/")
    assert "отметьте его" in page.locator("main").inner_text()
    open_section(page, "Информационный стенд")
    answer(page, "Режим работы", "Есть")
    page.get_by_role("button", name="Отправить оператору").click()
    page.get_by_text("Отчёт отправлен оператору на проверку").wait_for()
    context.close()

    # The editor accepts; the ratings' inputs now come from the checklist.
    context, page = log_in(browser, live_server.url, "operator", "/admin/checklists/")
    page.get_by_role("link", name="Школа № 5 имени Пушкина").click()
    page.get_by_role("button", name="Принять").click()
    page.get_by_text("Принято").first.wait_for()
    page.screenshot(path=tmp_path / "02-accepted.png", full_page=True)
    context.close()
    checklist.refresh_from_db()
    assert checklist.status == Checklist.Status.ACCEPTED
    inputs = AssessmentInput.objects.get(organisation=school, year=template.year)
    assert (inputs.stand_items, inputs.stand_norm, inputs.service_conditions) == (2, 2, 0)
