"""The cabinet on a 360 px phone, in a real browser: no page scrolls sideways, the checklist's
error summary takes the focus after a refused submission and its links reach items in other
sections, and «Выйти» signs out."""

import datetime
import os
import re

import pytest
from django.contrib.auth import get_user_model

from monitoring.models import Checklist
from monitoring.tests.factories import small_template
from registry.tests.factories import OrganisationFactory
from schools.provisioning import add_staff_member
from surveys.tests.factories import CampaignFactory
from tests.cabinet_world import PASSWORD, cabinet_world, pages

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


PHONE_WIDTH = 360


def fits_the_screen(page):
    # Against the device's width, not innerWidth: a mobile browser zooms out to show a page
    # wider than the screen, and its innerWidth then grows with the page.
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH


def sign_in(page, base_url, username, next_url="/cabinet/"):
    page.goto(f"{base_url}/admin/login/?next={next_url}")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("form button[type=submit]").click()
    page.wait_for_url(re.compile(f".*{re.escape(next_url)}$"))


def test_the_checklist_fits_a_phone_and_its_error_summary_takes_the_focus(
    live_server, phone_page, tmp_path
):
    today = datetime.date.today()
    small_template(today.year)
    CampaignFactory(year=today.year, report_deadline=today + datetime.timedelta(days=10))
    school = OrganisationFactory(
        name="Муниципальное бюджетное общеобразовательное учреждение «Средняя "
        "общеобразовательная школа № 5 с углублённым изучением отдельных предметов»"
    )
    staff = get_user_model().objects.create_user(
        "secretary", password=PASSWORD, first_name="Мария", last_name="Иванова-Петрова"
    )
    add_staff_member(school, staff)
    page = phone_page
    sign_in(page, live_server.url, "secretary", "/cabinet/report/")
    assert fits_the_screen(page)
    assert page.get_by_text("Вы вошли как Мария Иванова-Петрова").is_visible()

    # The first section answered, then sent: refused, the summary focused.
    for legend in ("Подраздел «Основные сведения»", "Подраздел «Документы»"):
        page.locator("fieldset", has_text=legend).get_by_label("Есть", exact=True).check()
    page.get_by_role("button", name="Отправить оператору").click()
    summary = page.locator("#form-errors")
    summary.wait_for()
    page.wait_for_function("document.activeElement && document.activeElement.id === 'form-errors'")
    assert "Отчёт не отправлен" in summary.inner_text()
    assert fits_the_screen(page)
    if os.environ.get("SCREENSHOTS"):
        page.screenshot(path=str(tmp_path / "checklist-refused.png"), full_page=True)
    assert Checklist.objects.get(organisation=school).status == Checklist.Status.DRAFT

    # A link to an item of another section opens that section at the item, marked.
    summary.get_by_role("link", name="Питьевая вода").click()
    page.wait_for_url(re.compile(r".*\?section=comfort&check=1#item-\d+$"))
    item = page.locator("fieldset.checklist-item", has_text="Питьевая вода")
    assert "has-error" in item.get_attribute("class")
    assert item.get_by_text("Не отмечено: выберите «Есть» или «Нет».").is_visible()
    assert item.get_by_label("Есть", exact=True).get_attribute("aria-invalid") == "true"
    # Followed to an item, the summary does not take the focus back.
    assert page.evaluate("document.activeElement.id") != "form-errors"
    assert fits_the_screen(page)


def test_no_cabinet_page_scrolls_sideways_on_a_phone_and_logout_signs_out(
    live_server, browser, tmp_path
):
    world = cabinet_world()
    # Long unbroken words where people type them: names of the school and of the user.
    school = world["school"]
    school.name = "МБОУ «" + "Среднеобщеобразовательная" * 3 + "»"
    school.save(update_fields=["name"])
    staff = world["staff"]
    staff.last_name = "Иванова-" + "Петрова" * 5
    staff.save(update_fields=["last_name"])
    by_person = {}
    for visits in pages(world).values():
        for person, method, path, _data, _status in visits:
            if method == "get":
                by_person.setdefault(person, []).append(path)
    too_wide = []
    for person, paths in by_person.items():
        context = browser.new_context(
            viewport={"width": PHONE_WIDTH, "height": 740},
            locale="ru-RU",
            is_mobile=True,
            has_touch=True,
        )
        page = context.new_page()
        page.set_default_timeout(20_000)
        sign_in(page, live_server.url, person.username)
        for path in paths:
            page.goto(f"{live_server.url}{path}")
            if not fits_the_screen(page):
                width = page.evaluate("document.documentElement.scrollWidth")
                too_wide.append((person.username, path, width))
                if os.environ.get("SCREENSHOTS"):
                    name = re.sub(r"\W+", "-", path)
                    page.screenshot(path=str(tmp_path / f"{name}.png"), full_page=True)
        context.close()
    assert not too_wide

    # «Выйти» from a cabinet page: the sign-in form, and the cabinet asks to sign in again.
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="ru-RU")
    page = context.new_page()
    page.set_default_timeout(20_000)
    sign_in(page, live_server.url, world["expert"].username)
    page.get_by_role("button", name="Выйти").click()
    page.wait_for_url(re.compile(r".*/admin/login/\?next=/cabinet/$"))
    assert page.get_by_text("Вы вышли из личного кабинета").is_visible()
    page.goto(f"{live_server.url}/cabinet/")
    page.wait_for_url(re.compile(r".*/admin/login/.*"))
    context.close()
