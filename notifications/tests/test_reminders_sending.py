"""Sending: the parts and links of a message, unsubscribed recipients, a failing address,
retries, a concurrent run's claim, and the command with its dry run."""

import io

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from accountability.models import Objection
from accountability.tests.factories import ObjectionFactory
from notifications import services
from notifications.models import Category, SentNotification, Unsubscription
from notifications.rules import Recipient, due_messages
from registry.tests.factories import MunicipalityFactory
from surveys.tests.factories import OrganisedSessionFactory

from .factories import TODAY, closed_campaign, days, moment, open_campaign, school, staff_of

pytestmark = pytest.mark.django_db

REFUSING = "notifications.tests.factories.RefusingBackend"


@pytest.fixture
def answered():
    """School A with two members and an answered objection."""
    a = school()
    first = staff_of(a, "first")
    second = staff_of(a, "second")
    objection = ObjectionFactory(
        organisation=a,
        status=Objection.Status.ACCEPTED,
        answer="Показатель исправлен.",
        decided_at=moment(TODAY),
    )
    return a, first, second, objection


def test_a_message_has_text_and_html_parts_with_absolute_links_and_unsubscribe_headers(answered):
    _a, first, _second, _objection = answered
    services.send_due(TODAY)
    message = next(m for m in mail.outbox if m.to == [first.email])

    assert message.subject == "Возражение по результатам 2025 года принято"
    ((html, mimetype),) = message.alternatives
    assert mimetype == "text/html"
    assert 'href="http://testserver/cabinet/preliminary/"' in html
    assert "http://testserver/cabinet/preliminary/" in message.body
    assert "http://testserver/notifications/unsubscribe/" in message.body
    assert 'href="http://testserver/notifications/unsubscribe/' in html
    header = message.extra_headers["List-Unsubscribe"]
    assert header.startswith("<http://testserver/notifications/unsubscribe/")
    assert header.endswith("/one-click/>")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    row = SentNotification.objects.get(email=first.email)
    assert row.status == SentNotification.Status.SENT
    assert row.subject == message.subject
    assert row.user == first and row.day == TODAY


def test_nothing_goes_to_a_recipient_who_left_the_category_and_the_others_still_get_it(answered):
    _a, first, second, _objection = answered
    Unsubscription.objects.create(email=first.email, category=Category.OBJECTION_ANSWERED)
    report = services.send_due(TODAY)
    assert [m.to for m in mail.outbox] == [[second.email]]
    assert report.unsubscribed == 1
    assert not SentNotification.objects.filter(email=first.email).exists()


def test_leaving_one_category_keeps_the_others(answered):
    _a, first, _second, _objection = answered
    Unsubscription.objects.create(email=first.email, category=Category.DEADLINE)
    services.send_due(TODAY)
    assert first.email in [address for m in mail.outbox for address in m.to]


def test_an_unsubscription_follows_the_user_to_a_new_address(answered):
    _a, first, _second, _objection = answered
    Unsubscription.objects.create(
        email=first.email, user=first, category=Category.OBJECTION_ANSWERED
    )
    first.email = "new-address@example.ru"
    first.save()
    services.send_due(TODAY)
    assert "new-address@example.ru" not in [a for m in mail.outbox for a in m.to]


def test_a_refused_address_is_logged_as_failed_and_the_others_are_sent(answered, settings):
    settings.EMAIL_BACKEND = REFUSING
    a, first, second, _objection = answered
    refused = staff_of(a, "refused")

    report = services.send_due(TODAY)

    assert report.sent == 2 and report.failed == 1
    assert sorted(m.to[0] for m in mail.outbox) == sorted([first.email, second.email])
    row = SentNotification.objects.get(email=refused.email)
    assert row.status == SentNotification.Status.FAILED
    assert "SMTPRecipientsRefused" in row.error and "550" in row.error


def test_a_failed_message_is_retried_on_a_later_day_not_the_same_day(answered, settings):
    settings.EMAIL_BACKEND = REFUSING
    a, _first, _second, _objection = answered
    refused = staff_of(a, "refused")
    services.send_due(TODAY)
    services.send_due(TODAY)
    assert SentNotification.objects.get(email=refused.email).attempts == 1

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox.clear()
    services.send_due(TODAY + days(1))

    assert [m.to for m in mail.outbox] == [[refused.email]]
    row = SentNotification.objects.get(email=refused.email)
    assert (row.status, row.attempts, row.error, row.day) == ("sent", 2, "", TODAY + days(1))


def test_a_message_stops_being_retried_after_the_last_attempt(answered, settings):
    settings.EMAIL_BACKEND = REFUSING
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 2
    a, _first, _second, _objection = answered
    refused = staff_of(a, "refused")
    for offset in range(4):
        services.send_due(TODAY + days(offset))
    row = SentNotification.objects.get(email=refused.email)
    assert (row.status, row.attempts) == ("failed", 2)


def test_a_row_claimed_by_a_concurrent_run_is_not_sent_again(answered):
    _a, first, second, objection = answered
    SentNotification.objects.create(
        category=Category.OBJECTION_ANSWERED,
        key=f"objection:{objection.pk}",
        email=first.email,
        day=TODAY,
        status=SentNotification.Status.SENDING,
    )
    services.send_due(TODAY)
    assert [m.to for m in mail.outbox] == [[second.email]]


def test_claiming_twice_gives_the_row_to_one_caller_only(answered):
    _a, first, _second, _objection = answered
    (message,) = due_messages(TODAY)
    recipient = Recipient(first.email.upper(), first)
    assert services.claim(message, recipient, TODAY) is not None
    assert services.claim(message, Recipient(first.email, first), TODAY) is None
    assert SentNotification.objects.count() == 1


def test_a_missing_attachment_fails_that_message_only(answered):
    north = MunicipalityFactory(expert_email="expert@north.example.ru")
    session = OrganisedSessionFactory(
        organisation=school(north),
        campaign=open_campaign(last_day=TODAY + days(30)),
        starts_at=moment(TODAY + days(1)),
        ends_at=moment(TODAY + days(1), 13),
    )
    session.order_document.storage.delete(session.order_document.name)

    report = services.send_due(TODAY)

    assert report.failed == 1 and report.sent == 2
    row = SentNotification.objects.get(email="expert@north.example.ru")
    assert row.status == "failed"


# --- The command --------------------------------------------------------------------------------


def test_the_dry_run_lists_what_would_go_and_sends_and_writes_nothing(answered):
    _a, first, second, objection = answered
    out = io.StringIO()
    call_command("send_reminders", "--date", TODAY.isoformat(), "--dry-run", stdout=out)
    assert mail.outbox == []
    assert not SentNotification.objects.exists()
    output = out.getvalue()
    assert f"objection:{objection.pk}\t{first.email}" in output
    assert second.email in output
    assert "было бы отправлено 2" in output


def test_the_command_sends_for_the_given_date_once(answered):
    out = io.StringIO()
    call_command("send_reminders", "--date", TODAY.isoformat(), stdout=out)
    call_command("send_reminders", "--date", TODAY.isoformat(), stdout=out)
    assert len(mail.outbox) == 2
    assert "Отправлено 2" in out.getvalue()
    assert "Отправлено 0, ошибок 0, уже отправлено раньше 2" in out.getvalue()


def test_the_command_rejects_a_malformed_date():
    with pytest.raises(CommandError):
        call_command("send_reminders", "--date", "20.11.2026")


def test_the_deadline_dry_run_counts_messages_already_sent():
    a = school()
    staff_of(a)
    closed_campaign(report_deadline=TODAY + days(1))
    services.send_due(TODAY)
    report = services.send_due(TODAY, dry_run=True)
    assert report.planned == [] and report.already == 1


def test_quotes_and_ampersands_stay_plain_in_the_subject_and_text_and_escaped_in_html():
    north = MunicipalityFactory(expert_email="expert@north.example.ru")
    a = school(north, name='МБОУ "Школа & Ко"', short_name='МБОУ "Школа & Ко"')
    OrganisedSessionFactory(
        organisation=a,
        campaign=open_campaign(last_day=TODAY + days(30)),
        starts_at=moment(TODAY + days(1)),
        ends_at=moment(TODAY + days(1), 13),
    )
    services.send_due(TODAY)
    (message,) = mail.outbox
    day = f"{TODAY + days(1):%d.%m.%Y}"
    assert message.subject == f'Организованное анкетирование: МБОУ "Школа & Ко", {day}'
    assert '«МБОУ "Школа & Ко"»' in message.body
    html = message.alternatives[0].content
    assert "МБОУ &quot;Школа &amp; Ко&quot;" in html
    assert "<title>Организованное анкетирование: МБОУ &quot;Школа &amp; Ко&quot;," in html
