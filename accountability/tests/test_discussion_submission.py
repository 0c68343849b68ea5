"""Leaving a proposal in the public discussion: anonymity, spam control that holds rather than
drops, a closed discussion, bad input (docs/security.md cases 5–10)."""

import datetime

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from accountability import discussion as services
from accountability.models import DiscussionEntry
from registry.tests.factories import OrganisationFactory

from .factories import DiscussionFactory
from .factories_council import rated_organisation, started_token

pytestmark = pytest.mark.django_db
YEAR = 2025
ADDRESS = "203.0.113.77"


@pytest.fixture
def discussion():
    return DiscussionFactory(year=YEAR, intro="Обсуждаем итоги оценки 2025 года.")


def url(organisation=None):
    base = reverse("accountability_discussion", args=[YEAR])
    return f"{base}?organisation={organisation.code}" if organisation else base


def post(client, discussion, organisation=None, seconds_ago=60, address=ADDRESS, **fields):
    data = {
        "author_name": "Мария",
        "text": "Предлагаю публиковать итоги по каждому району.",
        "contact_website": "",
        "form_started": started_token(discussion, seconds_ago),
        **fields,
    }
    return client.post(url(organisation), data, REMOTE_ADDR=address)


def test_an_ordinary_proposal_waits_for_moderation_and_the_visitor_is_thanked(client, discussion):
    response = post(client, discussion)
    assert response.status_code == 302
    assert response["Location"] == reverse("accountability_discussion_thanks", args=[YEAR])
    entry = DiscussionEntry.objects.get()
    assert entry.status == DiscussionEntry.Status.PENDING and entry.held_reason == ""
    assert entry.author_name == "Мария" and entry.organisation is None
    thanks = client.get(response["Location"])
    assert "Спасибо" in thanks.content.decode()
    # Pending entries are not shown.
    assert "каждому району" not in client.get(url()).content.decode()


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"contact_website": "http://spam.example"}, services.REASON_HONEYPOT),
        ({"seconds_ago": 1}, services.REASON_TOO_FAST),
        (
            {"text": "Купите: https://a.example http://b.example www.c.example d-shop.ru"},
            services.REASON_LINKS,
        ),
    ],
)
def test_a_spammy_proposal_is_held_with_its_reason_never_dropped(
    client, discussion, fields, reason
):
    seconds_ago = fields.pop("seconds_ago", 60)
    assert post(client, discussion, seconds_ago=seconds_ago, **fields).status_code == 302
    entry = DiscussionEntry.objects.get()
    assert entry.status == DiscussionEntry.Status.HELD
    assert entry.held_reason == reason


def test_one_or_two_links_are_fine(client, discussion):
    post(client, discussion, text="Подробности на сайте https://school.example/sveden/")
    assert DiscussionEntry.objects.get().status == DiscussionEntry.Status.PENDING


def test_past_the_daily_limit_from_one_address_entries_are_held(client, discussion):
    limit = services.MAX_ENTRIES_PER_ADDRESS_PER_DAY
    for number in range(limit + 2):
        assert post(client, discussion, text=f"Предложение номер {number}").status_code == 302
    statuses = list(DiscussionEntry.objects.order_by("pk").values_list("status", "held_reason"))
    assert statuses[:limit] == [(DiscussionEntry.Status.PENDING, "")] * limit
    assert statuses[limit:] == [(DiscussionEntry.Status.HELD, services.REASON_BURST)] * 2
    # Another address (another family) is not held for it.
    post(client, discussion, address="198.51.100.5", text="С другого адреса")
    assert DiscussionEntry.objects.latest("pk").status == DiscussionEntry.Status.PENDING


def test_with_the_cache_down_entries_are_held_not_accepted_unchecked(
    client, discussion, monkeypatch
):
    monkeypatch.setattr(services, "daily_key", lambda today: None)
    post(client, discussion)
    entry = DiscussionEntry.objects.get()
    assert entry.status == DiscussionEntry.Status.HELD
    assert entry.held_reason == services.REASON_SAFE_MODE


def test_nothing_of_the_address_is_stored_in_the_row_the_cache_or_a_session(client, discussion):
    post(client, discussion)
    entry = DiscussionEntry.objects.get()
    row = DiscussionEntry.objects.filter(pk=entry.pk).values().get()
    assert ADDRESS not in repr(row)
    assert isinstance(row["submitted_on"], datetime.date)
    assert not isinstance(row["submitted_on"], datetime.datetime)
    stored = cache._cache  # the test settings' local-memory cache
    assert stored, "the per-address counter is in the cache"
    assert not any(ADDRESS in str(key) for key in stored)
    assert not any(ADDRESS.encode() in value for value in stored.values())
    assert not Session.objects.exists()
    assert settings.SESSION_COOKIE_NAME not in client.cookies


def test_the_page_and_the_form_are_private_and_csrf_protected(discussion):
    client = Client(enforce_csrf_checks=True)
    page = client.get(url())
    assert page.status_code == 200
    assert "private" in page["Cache-Control"] and "no-store" in page["Cache-Control"]
    assert 'name="csrfmiddlewaretoken"' in page.content.decode()
    refused = post(client, discussion)
    assert refused.status_code == 403
    assert not DiscussionEntry.objects.exists()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"text": ""}, "Напишите предложение"),
        ({"text": "   \n  "}, "Напишите предложение"),
        ({"text": "x" * 3001}, "3000"),
        ({"text": "Нормальный текст\u202eтсккер"}, "служебные символы"),
        ({"text": "NUL\x00внутри"}, ""),
        ({"author_name": "И" * 101}, "100"),
        ({"author_name": "Имя\x07"}, "служебные символы"),
        ({"form_started": "forged"}, "Форма устарела"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_stored(
    client, discussion, fields, message
):
    response = post(client, discussion, **fields)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not DiscussionEntry.objects.exists()
    # The re-rendered form carries a fresh timestamp, so the corrected text can be sent.
    assert 'name="form_started"' in response.content.decode()


def test_a_form_token_of_another_discussion_is_refused(client, discussion):
    other = DiscussionFactory(year=YEAR - 1)
    response = post(client, discussion, form_started=started_token(other))
    assert response.status_code == 400
    assert not DiscussionEntry.objects.exists()


def test_a_proposal_about_one_organisation_needs_its_published_result(client, discussion):
    rated = rated_organisation(YEAR)
    unrated = OrganisationFactory()
    page = client.get(url(rated))
    assert page.status_code == 200 and rated.name in page.content.decode()
    assert post(client, discussion, organisation=rated).status_code == 302
    entry = DiscussionEntry.objects.get()
    assert entry.organisation == rated
    assert client.get(url(unrated)).status_code == 404
    assert post(client, discussion, organisation=unrated).status_code == 404
    assert client.get(f"{url()}?organisation={'9' * 500}").status_code == 404
    assert DiscussionEntry.objects.count() == 1


def test_a_closed_discussion_shows_no_form_and_refuses_a_post_plainly(client, discussion):
    token = started_token(discussion)
    discussion.is_open = False
    discussion.save()
    page = client.get(url())
    assert page.status_code == 200
    assert 'name="text"' not in page.content.decode()
    assert 'name="form_started"' not in page.content.decode()
    assert "Обсуждение закрыто" in page.content.decode()
    refused = post(client, discussion, form_started=token)
    assert refused.status_code == 410
    assert "не сохранён" in refused.content.decode()
    assert not DiscussionEntry.objects.exists()


def test_dates_close_a_discussion_even_when_it_is_marked_open(discussion):
    today = datetime.date(2026, 1, 20)
    discussion.opens_on = datetime.date(2026, 1, 10)
    discussion.closes_on = datetime.date(2026, 1, 31)
    assert services.is_open(discussion, today)
    assert not services.is_open(discussion, datetime.date(2026, 1, 9))
    assert not services.is_open(discussion, datetime.date(2026, 2, 1))
    with pytest.raises(services.DiscussionClosed):
        services.submit_entry(
            services.Proposal(discussion=discussion, text="Поздно"),
            now=datetime.datetime(2026, 2, 1, 12, tzinfo=datetime.UTC),
        )


def test_a_year_without_a_discussion_answers_404(client):
    assert client.get(url()).status_code == 404
    assert client.get(reverse("accountability_discussion_thanks", args=[YEAR])).status_code == 404


def test_submit_entry_can_be_called_without_a_request(discussion):
    """The demo and commands store entries through the same service, with nothing to count."""
    entry = services.submit_entry(
        services.Proposal(discussion=discussion, text="Из демонстрационных данных")
    )
    assert entry.status == DiscussionEntry.Status.PENDING
