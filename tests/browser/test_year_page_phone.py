"""The year page, the council page and the discussion on a 360 px phone, in a real browser:
nothing wider than the screen, the form sent and thanked."""

import os

import pytest

from accountability.models import DiscussionEntry
from accountability.tests.factories import (
    CouncilDecisionFactory,
    CouncilMemberFactory,
    DiscussionEntryFactory,
    DiscussionFactory,
    ManagementDecisionFactory,
)
from accountability.tests.factories_council import publish_ratings
from registry.tests.factories import OrganisationFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
YEAR = 2025
LONG_WORD = "Предложение" * 20


def fits_the_screen(page):
    return page.evaluate("document.documentElement.scrollWidth <= 360")


def test_a_visitor_reads_the_year_and_leaves_a_proposal_on_a_phone(
    live_server,
    phone_page,
    tmp_path,
):
    school = OrganisationFactory(short_name="Школа № 1")
    publish_ratings(YEAR, [school, OrganisationFactory(kind="preschool")])
    CouncilMemberFactory(full_name="Сидорова Анна Викторовна", position=LONG_WORD)
    CouncilDecisionFactory(year=YEAR, text=LONG_WORD)
    ManagementDecisionFactory(year=YEAR, title=LONG_WORD).organisations.add(school)
    discussion = DiscussionFactory(year=YEAR)
    DiscussionEntryFactory(
        discussion=discussion,
        status="published",
        text="https://example.com/" + "a" * 200,
        answer="Спасибо, учтём.",
        answered_by="operator",
    )

    page = phone_page
    page.goto(f"{live_server.url}/year/{YEAR}/")
    assert page.locator("h1").inner_text() == f"Итоги независимой оценки {YEAR} года"
    assert fits_the_screen(page)
    page.locator("summary", has_text="Общеобразовательные организации").click()
    page.get_by_role("link", name="Школа № 1").first.wait_for()
    assert fits_the_screen(page)
    if os.environ.get("SCREENSHOTS"):
        page.screenshot(path=str(tmp_path / "year.png"), full_page=True)
    page.goto(f"{live_server.url}/year/{YEAR}/discussion/")
    if os.environ.get("SCREENSHOTS"):
        page.screenshot(path=str(tmp_path / "discussion.png"), full_page=True)

    page.goto(f"{live_server.url}/council/")
    assert fits_the_screen(page)

    page.goto(f"{live_server.url}/year/{YEAR}/discussion/")
    assert fits_the_screen(page)
    page.get_by_role("textbox", name="Предложение или комментарий").fill(
        "Прошу опубликовать итоги по районам."
    )
    page.get_by_role("button", name="Отправить").click()
    page.get_by_role("heading", name="Спасибо! Ваше предложение отправлено.").wait_for()
    assert fits_the_screen(page)
    entry = DiscussionEntry.objects.exclude(status="published").get()
    # Sent within a second or two of the page loading: a script's speed, held for review.
    assert entry.status in (DiscussionEntry.Status.PENDING, DiscussionEntry.Status.HELD)
    assert entry.text == "Прошу опубликовать итоги по районам."
