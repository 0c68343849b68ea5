"""Moderation by the operator's editors: only published entries are public, answers show with
them, text is escaped everywhere and exports are formula-safe (security.md cases 7, 8, 38)."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accountability import discussion as services
from accountability.models import DiscussionEntry
from registry.tests.factories import MunicipalityFactory, OrganisationFactory

from .factories import DiscussionEntryFactory, DiscussionFactory
from .factories_council import make_coordinator, make_editor, make_staff, rated_organisation

pytestmark = pytest.mark.django_db
YEAR = 2025
SCRIPT = '<script>alert("x")</script>"><svg onload=alert(1)>'


@pytest.fixture
def discussion():
    return DiscussionFactory(year=YEAR)


@pytest.fixture
def editor():
    return make_editor()


def public_page(client, organisation=None):
    url = reverse("accountability_discussion", args=[YEAR])
    if organisation is not None:
        url += f"?organisation={organisation.code}"
    return client.get(url).content.decode()


def test_only_published_entries_are_public(client, discussion, editor):
    texts = {
        status: DiscussionEntryFactory(discussion=discussion, text=f"Текст {status}", status=status)
        for status in DiscussionEntry.Status.values
    }
    page = public_page(client)
    assert "Текст published" in page
    for status in ("pending", "held", "rejected"):
        assert f"Текст {status}" not in page
    services.reject_entry(texts["published"], editor)
    assert "Текст published" not in public_page(client)


def test_published_with_the_operators_answer_it_shows_on_the_page_and_the_organisation_entry(
    client, discussion, editor
):
    organisation = rated_organisation(YEAR)
    entry = DiscussionEntryFactory(
        discussion=discussion, organisation=organisation, text="Почему нет пандуса?"
    )
    client.force_login(editor)
    detail = reverse("accountability_discussion_entry", args=[entry.pk])
    assert client.post(detail, {"action": "publish"}).status_code == 302
    response = client.post(detail, {"action": "answer", "answer": "Пандус включён в план."})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.status == DiscussionEntry.Status.PUBLISHED and entry.moderated_by == editor
    assert entry.answered_by == DiscussionEntry.AnsweredBy.OPERATOR
    client.logout()
    for page in (
        public_page(client),
        public_page(client, organisation),
        client.get(
            reverse("accountability_year_organisation", args=[YEAR, organisation.code])
        ).content.decode(),
    ):
        assert "Почему нет пандуса?" in page
        assert "Пандус включён в план." in page
        assert "Ответ оператора" in page


def test_editors_publish_and_reject_several_at_once(client, discussion, editor):
    held = DiscussionEntryFactory(
        discussion=discussion, status=DiscussionEntry.Status.HELD, held_reason="x"
    )
    pending = DiscussionEntryFactory(discussion=discussion)
    client.force_login(editor)
    index = reverse("accountability_discussion_entries")
    listing = client.get(index)
    assert listing.status_code == 200
    assert "x" in listing.content.decode()
    client.post(index, {"action": "publish", "entry": [held.pk]})
    client.post(index, {"action": "reject", "entry": [pending.pk]})
    held.refresh_from_db()
    pending.refresh_from_db()
    assert held.status == DiscussionEntry.Status.PUBLISHED
    assert pending.status == DiscussionEntry.Status.REJECTED


def test_script_stays_escaped_on_the_public_page_the_admin_and_the_export(
    client, discussion, editor
):
    organisation = rated_organisation(YEAR)
    DiscussionEntryFactory(
        discussion=discussion,
        organisation=organisation,
        author_name=SCRIPT[:100],
        text=SCRIPT,
        answer=SCRIPT,
        answered_by=DiscussionEntry.AnsweredBy.OPERATOR,
        status=DiscussionEntry.Status.PUBLISHED,
    )
    pages = [
        public_page(client),
        public_page(client, organisation),
        client.get(
            reverse("accountability_year_organisation", args=[YEAR, organisation.code])
        ).content.decode(),
    ]
    client.force_login(editor)
    pages.append(
        client.get(reverse("accountability_discussion_entries") + "?status=all").content.decode()
    )
    entry = DiscussionEntry.objects.get()
    pages.append(
        client.get(reverse("accountability_discussion_entry", args=[entry.pk])).content.decode()
    )
    for page in pages:
        assert "<script>alert" not in page
        assert "<svg onload" not in page
        assert "&lt;script&gt;" in page
    staff = make_staff(organisation)
    client.force_login(staff)
    cabinet = client.get(reverse("accountability_cabinet_discussion")).content.decode()
    assert "<script>alert" not in cabinet and "&lt;script&gt;" in cabinet


def test_exports_are_formula_safe_and_clean(client, discussion, editor):
    DiscussionEntryFactory(
        discussion=discussion,
        author_name="@SUM(1+1)",
        text='=HYPERLINK("http://evil.example","жми")\x07',
        answer="+cmd|' /C calc'!A0",
        status=DiscussionEntry.Status.HELD,
        held_reason=services.REASON_LINKS,
    )
    client.force_login(editor)
    base = reverse("accountability_discussion_export", args=["xlsx"])
    xlsx = client.get(f"{base}?status=all&year={YEAR}")
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    rows = list(sheet.iter_rows(values_only=False))
    header = [cell.value for cell in rows[0]]
    cells = dict(zip(header, rows[1], strict=True))
    for column in ("author_name", "text", "answer"):
        assert cells[column].data_type != "f"
        assert cells[column].value.startswith("'")
    assert "\x07" not in cells["text"].value
    csv_response = client.get(reverse("accountability_discussion_export", args=["csv"]))
    assert csv_response.status_code == 200
    # Waiting entries by default; the held one is among them.
    reader = csv.DictReader(io.StringIO(csv_response.content.decode("utf-8-sig")))
    row = next(reader)
    assert row["text"].startswith("'=HYPERLINK")
    assert row["author_name"] == "'@SUM(1+1)"
    assert client.get(reverse("accountability_discussion_export", args=["pdf"])).status_code == 404


def test_script_in_the_export_stays_text(client, discussion, editor):
    DiscussionEntryFactory(discussion=discussion, text=SCRIPT)
    client.force_login(editor)
    response = client.get(reverse("accountability_discussion_export", args=["csv"]))
    assert response["Content-Type"].startswith("text/csv")
    assert SCRIPT.replace('"', '""') in response.content.decode("utf-8-sig")


@pytest.mark.parametrize("role", ["anonymous", "school_staff", "coordinator"])
def test_moderation_and_exports_are_for_editors_only(client, discussion, role):
    entry = DiscussionEntryFactory(discussion=discussion, text="Ждёт модерации")
    if role == "school_staff":
        client.force_login(make_staff(OrganisationFactory()))
    elif role == "coordinator":
        client.force_login(make_coordinator(MunicipalityFactory()))
    urls = [
        reverse("accountability_discussion_entries"),
        reverse("accountability_discussion_entry", args=[entry.pk]),
        reverse("accountability_discussion_export", args=["csv"]),
        reverse("accountability_discussions:index"),
        reverse("accountability_discussions:add"),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code in (302, 403), url
        assert "Ждёт модерации" not in response.content.decode()
    client.post(
        reverse("accountability_discussion_entry", args=[entry.pk]),
        {"action": "publish"},
    )
    client.post(
        reverse("accountability_discussion_entries"), {"action": "publish", "entry": entry.pk}
    )
    entry.refresh_from_db()
    assert entry.status == DiscussionEntry.Status.PENDING


def test_editors_open_a_discussion_in_the_admin_and_dates_are_checked(client, editor):
    client.force_login(editor)
    add = reverse("accountability_discussions:add")
    assert client.get(add).status_code == 200
    data = {
        "year": YEAR,
        "is_open": "on",
        "opens_on": "2026-01-31",
        "closes_on": "2026-01-10",
        "intro": "Обсуждаем",
        "summary": "",
    }
    refused = client.post(add, data)
    assert refused.status_code == 200
    assert "Дата окончания раньше даты начала" in refused.content.decode()
    data["opens_on"], data["closes_on"] = "2026-01-10", "2026-01-31"
    assert client.post(add, data).status_code == 302
    assert services.discussion_of(YEAR).is_open
