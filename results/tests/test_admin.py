"""Admin screens of ratings: editors may, school staff may not."""

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from registry.tests.factories import OrganisationFactory
from results.models import AssessmentInput, InputChange, RatingRevision
from results.services import compute_year
from schools.provisioning import add_staff_member

from .factories import EXAMPLE_INPUTS, AssessmentInputFactory, inputs_csv

pytestmark = pytest.mark.django_db
YEAR = 2025


@pytest.fixture
def school_staff():
    user = get_user_model().objects.create_user("staff", password="x")
    add_staff_member(OrganisationFactory(), user)
    return user


ADMIN_URLS = [
    ("results_publication", []),
    ("results_inputs_import", []),
    ("rating_results:index", []),
    ("assessment_inputs:index", []),
    ("input_changes:index", []),
]


@pytest.mark.parametrize(("name", "args"), ADMIN_URLS)
def test_school_staff_cannot_open_ratings_admin(client, school_staff, name, args):
    client.force_login(school_staff)
    response = client.get(reverse(name, args=args))
    assert response.status_code in (302, 403)
    assert client.post(reverse("results_compute", args=[YEAR])).status_code == 403
    assert client.post(reverse("results_publish", args=[YEAR])).status_code == 403
    assert not RatingRevision.objects.exists()


@pytest.mark.parametrize(("name", "args"), ADMIN_URLS)
def test_editor_opens_ratings_admin(client, editor, name, args):
    AssessmentInputFactory(year=YEAR)
    client.force_login(editor)
    assert client.get(reverse(name, args=args)).status_code == 200


def test_editor_computes_reviews_and_publishes(client, editor):
    row = AssessmentInputFactory(year=YEAR)
    client.force_login(editor)
    client.post(reverse("results_compute", args=[YEAR]))
    draft = RatingRevision.objects.get(year=YEAR)
    assert draft.status == "draft" and draft.computed_by == editor
    result = draft.results.get()
    inspect = client.get(reverse("rating_results:inspect", args=[result.pk]))
    assert inspect.status_code == 200 and "86" in inspect.content.decode()
    # Results are read-only, even for editors.
    assert client.get(reverse("rating_results:edit", args=[result.pk])).status_code in (302, 403)
    # Publishing asks for confirmation first (test_publication_confirmation.py).
    token = client.get(reverse("results_publish", args=[YEAR])).context["preview"].token
    client.post(reverse("results_publish", args=[YEAR]), {"confirm": token})
    draft.refresh_from_db()
    assert draft.status == "published" and draft.published_by == editor
    assert row.organisation.rating_results.get().is_current


def test_editor_edit_of_inputs_is_audited_and_checked(client, editor):
    row = AssessmentInputFactory(year=YEAR)
    client.force_login(editor)
    url = reverse("assessment_inputs:edit", args=[row.pk])
    data = {"organisation": row.organisation.pk, "year": YEAR, **EXAMPLE_INPUTS}
    bad = client.post(url, {**data, "distance_satisfied": 121})
    assert bad.status_code == 200
    assert "больше, чем" in bad.content.decode()
    client.post(url, {**data, "distance_channels": 5})
    row.refresh_from_db()
    assert row.distance_channels == 5 and row.checklist_source == "editor"
    change = InputChange.objects.get(organisation=row.organisation, source="editor")
    assert change.changes == {"distance_channels": [3, 5]} and change.user == editor


def test_inputs_import_preview_then_confirm(client, editor):
    school = OrganisationFactory()
    client.force_login(editor)
    upload = SimpleUploadedFile(
        "inputs.csv", inputs_csv([{"code": school.code, **EXAMPLE_INPUTS}]), "text/csv"
    )
    preview = client.post(reverse("results_inputs_import"), {"year": YEAR, "file": upload})
    assert "Будет добавлено: 1" in preview.content.decode()
    assert not AssessmentInput.objects.exists()
    token = preview.context["pending"].token
    client.post(reverse("results_inputs_import_confirm"), {"token": token})
    assert AssessmentInput.objects.get(organisation=school, year=YEAR).respondents == 200
    # The same token does not import twice.
    again = client.post(reverse("results_inputs_import_confirm"), {"token": token})
    assert again.status_code == 302


def test_inputs_import_errors_are_listed(client, editor):
    client.force_login(editor)
    upload = SimpleUploadedFile(
        "inputs.csv", inputs_csv([{"code": "нет", **EXAMPLE_INPUTS}]), "text/csv"
    )
    response = client.post(reverse("results_inputs_import"), {"year": YEAR, "file": upload})
    assert "нет в реестре" in response.content.decode()


def test_editor_searches_results_of_drafts_too(client, editor):
    AssessmentInputFactory(year=YEAR, organisation__name="МБОУ «Школа № 1 имени Гагарина»")
    AssessmentInputFactory(year=YEAR, organisation__name="МБОУ «Лицей № 2»")
    compute_year(YEAR)
    gagarin = RatingRevision.objects.get().results.get(name__contains="Гагарина")
    client.force_login(editor)
    for query in ("Гагарина", gagarin.code):
        response = client.get(reverse("rating_results:index"), {"q": query})
        assert response.status_code == 200
        assert "Гагарина" in response.content.decode()
        assert "Лицей № 2" not in response.content.decode()
