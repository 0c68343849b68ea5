"""A year with a computed draft, the people who act on it, and files to attach."""

import datetime
import io
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image as PILImage

from accountability.models import PreliminaryStage
from core.permissions import editors_group
from registry.tests.factories import MunicipalityFactory, OrganisationFactory
from results.services import compute_year
from results.tests.factories import AssessmentInputFactory
from schools.provisioning import add_staff_member

YEAR = 2025


@dataclass
class Region:
    """Two schools in one municipality and one in another, each with its staff; the first
    municipality's coordinator, another's, and the operator's editor."""

    school: object
    neighbour: object
    far_school: object
    staff: object
    neighbour_staff: object
    coordinator: object
    other_coordinator: object
    editor: object


def user(username, *groups):
    account = get_user_model().objects.create_user(username, password="x")
    for group in groups:
        account.groups.add(group)
    return account


def staff_of(organisation, username):
    account = user(username)
    add_staff_member(organisation, account)
    return account


def region(year=YEAR, compute=True):
    north = MunicipalityFactory(name="Северный район")
    south = MunicipalityFactory(name="Южный район")
    school = OrganisationFactory(municipality=north, short_name="Школа № 1")
    neighbour = OrganisationFactory(municipality=north, short_name="Школа № 2")
    far_school = OrganisationFactory(municipality=south, short_name="Школа № 3")
    for organisation, recommend in ((school, 120), (neighbour, 170), (far_school, 150)):
        AssessmentInputFactory(
            organisation=organisation, year=year, values={"recommend": recommend}
        )
    staff = staff_of(school, "staff")
    neighbour_staff = staff_of(neighbour, "neighbour-staff")
    staff_of(far_school, "far-staff")
    # A municipality's coordinator group comes with its first provisioned organisation.
    north.refresh_from_db()
    south.refresh_from_db()
    if compute:
        compute_year(year)
    return Region(
        school=school,
        neighbour=neighbour,
        far_school=far_school,
        staff=staff,
        neighbour_staff=neighbour_staff,
        coordinator=user("coordinator", north.coordinator_group),
        other_coordinator=user("other-coordinator", south.coordinator_group),
        editor=user("editor", editors_group()),
    )


def pass_deadline(stage):
    """What the calendar does after the stage's last day: the deadline lies behind us."""
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    PreliminaryStage.objects.filter(pk=stage.pk).update(
        opens_on=min(stage.opens_on, yesterday), objections_until=yesterday
    )
    stage.refresh_from_db()
    return stage


def pdf_upload(name="akt.pdf", body=b"stand photos"):
    content = b"%PDF-1.4\n" + body + b"\n%%EOF\n"
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def image_bytes(image_format="PNG"):
    buffer = io.BytesIO()
    PILImage.new("RGB", (8, 8), (200, 30, 30)).save(buffer, format=image_format)
    return buffer.getvalue()


def image_upload(name="stand.png", image_format="PNG", extra=b""):
    content_type = "image/png" if image_format == "PNG" else "image/jpeg"
    return SimpleUploadedFile(name, image_bytes(image_format) + extra, content_type=content_type)
