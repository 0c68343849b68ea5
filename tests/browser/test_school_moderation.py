"""A school edits its profile, submits it for moderation, and an editor approves it."""

import re
from io import StringIO

import pytest
from django.core.management import call_command

from schools.demo import DEMO_ACCOUNTS
from schools.models import Organisation, SchoolPage

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def log_in(page, base_url, username, password):
    page.goto(f"{base_url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.locator("form button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/admin/$"))


def test_school_edits_profile_and_editor_approves(live_server, browser, tmp_path):
    call_command("load_demo", "--scale", "small", "--with-accounts", stdout=StringIO())
    school_page = SchoolPage.objects.get(organisation=Organisation.objects.order_by("code")[0])
    passwords = {name: password for name, password, _role, _index in DEMO_ACCOUNTS}
    edit_url = f"{live_server.url}/admin/pages/{school_page.pk}/edit/"

    school = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ru-RU")
    page = school.new_page()
    page.set_default_timeout(20_000)
    log_in(page, live_server.url, "school1", passwords["school1"])
    # The trimmed menu: no registry, no users, no settings.
    menu = page.locator("#wagtail-sidebar").inner_text()
    assert "Реестр" not in menu and "Настройки" not in menu

    page.goto(edit_url)
    page.fill("#id_intro", "Школа с бассейном и обсерваторией.")
    page.screenshot(path=tmp_path / "01-school-edit.png")
    page.locator("[data-w-dropdown-target='toggle']").last.click()
    page.get_by_role("button", name=re.compile("модерац|Отправить", re.I)).first.click()
    page.wait_for_load_state()
    page.screenshot(path=tmp_path / "02-submitted.png")
    school_page.refresh_from_db()
    assert school_page.current_workflow_state is not None
    assert (
        "обсерваторией"
        not in page.context.new_page().goto(f"{live_server.url}{school_page.url}").text()
    )
    school.close()

    editor = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ru-RU")
    page = editor.new_page()
    page.set_default_timeout(20_000)
    log_in(page, live_server.url, "editor", passwords["editor"])
    assert school_page.title in page.locator("main").inner_text()  # awaiting review panel
    page.goto(edit_url)
    page.locator("[data-w-dropdown-target='toggle']").last.click()
    page.locator(
        "button[data-workflow-action-name='approve']:not([data-workflow-action-modal-url])"
    ).click()
    page.wait_for_load_state()
    page.screenshot(path=tmp_path / "03-approved.png")

    public = editor.new_page()
    public.goto(f"{live_server.url}{school_page.url}")
    assert "Школа с бассейном и обсерваторией." in public.content()
    editor.close()
