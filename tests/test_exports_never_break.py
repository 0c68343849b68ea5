"""Every export answers, whatever text reached the data (security.md cases 8 and 38): control
characters in an anonymous answer or an organisation's name, and formulas in any column."""

import csv
import io

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from openpyxl import load_workbook

from accountability.models import DiscussionEntry, ImprovementPlan
from accountability.tests.factories import (
    DiscussionEntryFactory,
    DiscussionFactory,
    ImprovementPlanFactory,
    PlanMeasureFactory,
)
from core.permissions import editors_group
from results.services import compute_year, publish_year
from results.tests.factories import AssessmentInputFactory
from surveys.tests.factories import CampaignFactory, ResponseFactory

pytestmark = pytest.mark.django_db
YEAR = 2025
# Escape, start of heading, vertical tab: what real answers and pasted names carry.
CONTROLS = "\x1b\x01\x0b"


@pytest.fixture
def region():
    row = AssessmentInputFactory(
        year=YEAR,
        organisation__name=f"+SUM(1,1) Школа{CONTROLS} № 1",
        organisation__short_name=f"@Школа{CONTROLS} № 1",
    )
    campaign = CampaignFactory()
    ResponseFactory(
        campaign=campaign, organisation=row.organisation, suggestion=f"Нужен{CONTROLS} ремонт"
    )
    compute_year(YEAR)
    publish_year(YEAR)
    plan = ImprovementPlanFactory(
        organisation=row.organisation, year=YEAR, status=ImprovementPlan.Status.APPROVED
    )
    PlanMeasureFactory(plan=plan, measure=f"=cmd|' /C calc'!A0{CONTROLS} пандус")
    DiscussionEntryFactory(
        discussion=DiscussionFactory(year=YEAR),
        organisation=row.organisation,
        text=f"-2+3{CONTROLS} предложение",
        status=DiscussionEntry.Status.PUBLISHED,
    )
    return row


@pytest.fixture
def editor_client(client):
    editor = get_user_model().objects.create_user("editor", password="x", is_staff=True)
    editor.groups.add(editors_group())
    client.force_login(editor)
    return client


def body(response):
    if hasattr(response, "streaming_content"):
        return b"".join(response.streaming_content)
    return response.content


def xlsx_texts(response):
    sheet = load_workbook(io.BytesIO(body(response))).worksheets[0]
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    return [str(cell.value) for row in sheet.iter_rows() for cell in row if cell.value]


def csv_texts(response):
    text = body(response).decode("utf-8-sig")
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def assert_clean(texts, *expected):
    assert not any(ch in text for text in texts for ch in CONTROLS)
    for value in expected:
        assert value in texts, (value, texts[:40])
    assert not any(text.startswith(("+SUM", "@Школа")) for text in texts)


EXPORTS = [
    ("public ratings", lambda c: c.get(f"/ratings/{YEAR}/export.xlsx"), ["'+SUM(1,1) Школа № 1"]),
    ("public ratings", lambda c: c.get(f"/ratings/{YEAR}/export.csv"), ["'+SUM(1,1) Школа № 1"]),
    (
        "survey answers",
        lambda c: c.get("/admin/surveys/export.xlsx"),
        ["Нужен ремонт"],
    ),
    ("survey answers", lambda c: c.get("/admin/surveys/export.csv"), ["Нужен ремонт"]),
    (
        "registry",
        lambda c: c.get("/admin/organisations/", {"export": "xlsx"}),
        ["'+SUM(1,1) Школа № 1"],
    ),
    (
        "assessment inputs",
        lambda c: c.get(reverse("assessment_inputs:index"), {"export": "csv"}),
        # The organisation column is an object, not text: it was written as is.
        ["'@Школа № 1"],
    ),
    (
        "plans open data",
        lambda c: c.get(f"/plans/{YEAR}/export.xlsx"),
        ["'=cmd|' /C calc'!A0 пандус"],
    ),
    ("plans open data", lambda c: c.get(f"/plans/{YEAR}/export.csv"), ["'+SUM(1,1) Школа № 1"]),
    (
        "plans dashboard",
        lambda c: c.get(reverse("accountability_plans_dashboard_export", args=["xlsx"])),
        ["'+SUM(1,1) Школа № 1"],
    ),
    (
        "discussion entries",
        lambda c: c.get(
            reverse("accountability_discussion_export", args=["xlsx"]), {"status": "published"}
        ),
        ["'-2+3 предложение"],
    ),
    (
        "discussion entries",
        lambda c: c.get(
            reverse("accountability_discussion_export", args=["csv"]), {"status": "published"}
        ),
        ["'-2+3 предложение"],
    ),
]


@pytest.mark.parametrize(("what", "fetch", "expected"), EXPORTS, ids=lambda v: str(v)[:20])
def test_every_export_answers_with_clean_text(editor_client, region, what, fetch, expected):
    response = fetch(editor_client)
    assert response.status_code == 200, what
    is_xlsx = "spreadsheetml" in response["Content-Type"]
    texts = xlsx_texts(response) if is_xlsx else csv_texts(response)
    assert_clean(texts, *expected)
