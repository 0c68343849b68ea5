"""People, organisations and campaigns around a frozen day for the reminders' tests."""

import datetime
import itertools
import smtplib

from django.contrib.auth import get_user_model
from django.core.mail.backends.locmem import EmailBackend
from django.utils import timezone

from core.permissions import editors_group
from registry.models import AssessmentListEntry
from registry.tests.factories import MunicipalityFactory, OrganisationFactory
from schools.provisioning import add_staff_member, ensure_coordinator_group
from surveys.tests.factories import CampaignFactory

# The frozen «today» of every test: rules and sending take it as an argument.
TODAY = datetime.date(2026, 11, 20)
REFUSED_PREFIX = "refused"

_numbers = itertools.count(1)


def days(n):
    return datetime.timedelta(days=n)


def moment(day, hour=12):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def make_user(prefix, *, email=True, **extra):
    number = next(_numbers)
    address = f"{prefix}{number}@example.ru" if email else ""
    return get_user_model().objects.create_user(
        f"{prefix}{number}", email=address, password="x", **extra
    )


def staff_of(organisation, prefix="staff", **extra):
    person = make_user(prefix, **extra)
    add_staff_member(organisation, person)
    return person


def editor():
    person = make_user("editor", is_staff=True)
    person.groups.add(editors_group())
    return person


def coordinator_of(municipality):
    person = make_user("coordinator", is_staff=True)
    person.groups.add(ensure_coordinator_group(municipality))
    return person


def closed_campaign(report_deadline, year=2026):
    """A campaign over before TODAY (no coverage reminders) with a report deadline."""
    return CampaignFactory(
        year=year,
        opens_at=moment(TODAY - days(60)),
        closes_at=moment(TODAY - days(30)),
        report_deadline=report_deadline,
    )


def open_campaign(last_day, year=2026):
    """A campaign open on TODAY whose last day of answers is ``last_day``."""
    return CampaignFactory(
        year=year,
        opens_at=moment(TODAY - days(20)),
        closes_at=moment(last_day + days(1), hour=0),
    )


def school(municipality=None, *, listed_in=None, **fields):
    organisation = OrganisationFactory(municipality=municipality or MunicipalityFactory(), **fields)
    if listed_in:
        AssessmentListEntry.objects.create(year=listed_in, organisation=organisation)
    return organisation


class RefusingBackend(EmailBackend):
    """The locmem backend, except that an address starting with «refused» is refused as an
    SMTP server would refuse it."""

    def send_messages(self, messages):
        for message in messages:
            refused = [a for a in message.recipients() if a.startswith(REFUSED_PREFIX)]
            if refused:
                raise smtplib.SMTPRecipientsRefused(
                    dict.fromkeys(refused, (550, b"5.1.1 No such user"))
                )
        return super().send_messages(messages)
