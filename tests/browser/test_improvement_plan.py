"""The organisation's part of the plan round trip on a 360 px phone: sign in, start the plan
from the published shortcomings, fill a measure, save the draft, submit; after the founder's
approval (through the service) report the execution. No page scrolls sideways."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from accountability import plans
from accountability.models import Criterion, ImprovementPlan
from accountability.tests.factories import ShortcomingFactory
from accountability.tests.factories_plans import YEAR, coordinator_of, publish
from registry.tests.factories import MunicipalityFactory, OrganisationFactory
from schools.provisioning import add_staff_member

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
PASSWORD = "пароль-для-теста-1"


def no_horizontal_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= 360")


def test_school_drafts_submits_and_reports_its_plan_on_a_phone(live_server, phone_page, tmp_path):
    municipality = MunicipalityFactory(name="Северный район", slug="north")
    school = OrganisationFactory(
        municipality=municipality, short_name="Школа № 5", name="МБОУ «Школа № 5»"
    )
    ShortcomingFactory(
        organisation=school,
        year=YEAR,
        criterion=Criterion.ACCESSIBILITY,
        indicator="3.1",
        text="Нет пандуса у главного входа, которым пользуются родители с колясками",
    )
    publish(YEAR, [school])
    staff = get_user_model().objects.create_user("secretary", password=PASSWORD)
    add_staff_member(school, staff)
    coordinator = coordinator_of(municipality)
    page = phone_page
    url = f"{live_server.url}/cabinet/plan/{YEAR}/"

    page.goto(f"{live_server.url}/admin/login/?next=/cabinet/plan/{YEAR}/")
    page.fill("#id_username", "secretary")
    page.fill("#id_password", PASSWORD)
    page.locator("form button[type=submit]").click()
    page.wait_for_url(re.compile(rf".*/cabinet/plan/{YEAR}/$"))
    page.get_by_role("button", name="Составить план").click()
    page.get_by_text("План создан по опубликованным недостаткам").wait_for()
    assert no_horizontal_scroll(page)

    measure = ImprovementPlan.objects.get(organisation=school).measures.get()
    card = page.locator(f"#measure-{measure.pk}")
    assert "Нет пандуса у главного входа" in card.inner_text()
    card.get_by_label("Мероприятие по устранению недостатка").fill(
        "Установить пандус с поручнями у главного входа"
    )
    card.get_by_label("Ответственный исполнитель: фамилия, имя, отчество").fill(
        "Петров Пётр Петрович"
    )
    page.get_by_role("button", name="Сохранить черновик").click()
    page.get_by_text("Черновик сохранён.").wait_for()
    assert no_horizontal_scroll(page)
    page.screenshot(path=tmp_path / "01-draft.png", full_page=True)

    # Submitting without a date and a position names both, in Russian, on the card.
    page.get_by_role("button", name="Отправить на утверждение").click()
    page.get_by_text("Укажите плановый срок реализации.").first.wait_for()
    assert page.get_by_text("Укажите должность ответственного.").first.is_visible()
    assert no_horizontal_scroll(page)
    card = page.locator(f"#measure-{measure.pk}")
    planned = timezone.localdate() + datetime.timedelta(days=120)
    card.get_by_label("Плановый срок реализации").fill(planned.isoformat())
    card.get_by_label("Должность ответственного").fill("заместитель директора по АХЧ")
    page.get_by_role("button", name="Отправить на утверждение").click()
    page.get_by_text("План отправлен учредителю на утверждение.").wait_for()
    plan = ImprovementPlan.objects.get(organisation=school)
    assert plan.status == ImprovementPlan.Status.SUBMITTED
    measure.refresh_from_db()
    assert measure.measure == "Установить пандус с поручнями у главного входа"
    assert measure.planned_date == planned

    # The founder approves (through the service); the school reports what it did.
    plans.approve(plan, coordinator, "Начальник управления образования И. И. Иванов")
    page.goto(url)
    page.get_by_text("Отчитаться об исполнении").click()
    card = page.locator(f"#measure-{measure.pk}")
    card.get_by_label("Реализованные меры по устранению недостатка").fill(
        "Пандус с поручнями установлен, принят по акту"
    )
    card.get_by_label("Фактический срок реализации").fill(timezone.localdate().isoformat())
    card.get_by_label("Ссылка на подтверждение").fill("https://school5.example/news/ramp")
    card.get_by_role("button", name="Сохранить отчёт").click()
    page.get_by_text("Отчёт об исполнении сохранён.").wait_for()
    assert "100 %" in page.locator("main").inner_text()
    assert no_horizontal_scroll(page)
    page.screenshot(path=tmp_path / "02-reported.png", full_page=True)

    # The public plan reads well on the phone too.
    page.goto(f"{live_server.url}/plans/{YEAR}/{school.code}/")
    assert "УТВЕРЖДАЮ" in page.locator("main").inner_text()
    assert "Пандус с поручнями установлен" in page.locator("main").inner_text()
    assert no_horizontal_scroll(page)
    page.screenshot(path=tmp_path / "03-public.png", full_page=True)
    page.goto(f"{live_server.url}/plans/{YEAR}/")
    assert no_horizontal_scroll(page)
