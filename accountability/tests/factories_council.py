"""Helpers of the council, discussion and year-page tests: people in each role, a published
year, and the discussion form's signed timestamp."""

import itertools
import time

from django.contrib.auth import get_user_model
from django.core import signing

from accountability.forms_discussion import STARTED_SALT
from core.permissions import editors_group
from registry.tests.factories import MunicipalityFactory, OrganisationFactory
from results.services import compute_year, publish_year
from results.tests.factories import AssessmentInputFactory
from schools.provisioning import add_staff_member, ensure_coordinator_group

_numbers = itertools.count(1)


def make_user(prefix, **extra):
    return get_user_model().objects.create_user(f"{prefix}{next(_numbers)}", password="x", **extra)


def make_editor():
    user = make_user("editor", is_staff=True)
    user.groups.add(editors_group())
    return user


def make_staff(organisation):
    user = make_user("staff")
    add_staff_member(organisation, user)
    return user


def make_coordinator(municipality=None):
    municipality = municipality or MunicipalityFactory()
    user = make_user("coordinator")
    user.groups.add(ensure_coordinator_group(municipality))
    return user


def publish_ratings(year, organisations):
    """Compute and publish ``year`` for ``organisations`` (worked-example inputs)."""
    for organisation in organisations:
        AssessmentInputFactory(year=year, organisation=organisation)
    compute_year(year)
    return publish_year(year)


def rated_organisation(year, **fields):
    """An organisation with a published result in ``year``."""
    organisation = OrganisationFactory(**fields)
    publish_ratings(year, [organisation])
    return organisation


def started_token(discussion, seconds_ago=60):
    """The discussion form's signed timestamp, as if the form was shown ``seconds_ago``."""
    return signing.dumps({"t": time.time() - seconds_ago, "d": discussion.pk}, salt=STARTED_SALT)
