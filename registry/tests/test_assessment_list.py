"""The year's assessment list: at most once a year, at least once in three, set by editors
by picking, by filter or from a file, and nobody else."""

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction

from core.permissions import editors_group
from registry import assessment
from registry.models import AssessmentListEntry
from registry.tests.factories import OrganisationFactory
from schools.provisioning import add_staff_member

pytestmark = pytest.mark.django_db
User = get_user_model()
URL = "/admin/assessment-list/"
YEAR = 2026


@pytest.fixture
def editor(client):
    user = User.objects.create_user("editor", "editor@example.com", "password")
    user.groups.add(editors_group())
    client.force_login(user)
    return user


def test_an_organisation_is_on_a_years_list_at_most_once():
    school = OrganisationFactory()
    assessment.add(YEAR, [school])
    assert assessment.add(YEAR, [school]) == 0
    with pytest.raises(IntegrityError), transaction.atomic():
        AssessmentListEntry.objects.create(year=YEAR, organisation=school)


def test_a_year_without_a_list_assesses_everyone_and_a_list_only_its_own():
    listed, other = OrganisationFactory(), OrganisationFactory()
    assert assessment.is_assessed(other.pk, YEAR) and not assessment.has_list(YEAR)
    assessment.add(YEAR, [listed])
    assert assessment.is_assessed(listed.pk, YEAR)
    assert not assessment.is_assessed(other.pk, YEAR)
    assert assessment.is_assessed(other.pk, YEAR + 1)  # another year has no list yet


def test_those_left_out_for_three_years_are_warned_about():
    recent = OrganisationFactory(name="Оценена в прошлом году")
    three_years_ago = OrganisationFactory(name="Оценена три года назад")
    never = OrganisationFactory(name="Ни разу не оценена")
    on_this_years_list = OrganisationFactory(name="В перечне этого года")
    assessment.add(YEAR - 1, [recent])
    assessment.add(YEAR - 3, [three_years_ago, on_this_years_list])
    assessment.add(YEAR, [on_this_years_list])
    warned = {item.organisation.name: item.last_year for item in assessment.overdue(YEAR)}
    assert warned == {"Оценена три года назад": YEAR - 3, "Ни разу не оценена": None}
    assert never.pk and recent.pk


def test_editors_pick_organisations_and_see_the_warning(client, editor):
    school = OrganisationFactory(name="Школа № 5")
    kindergarten = OrganisationFactory(name="Детский сад № 7", kind="preschool")
    page = client.get(URL, {"year": YEAR})
    content = page.content.decode()
    assert page.status_code == 200
    assert "ещё не составлен" in content
    assert "не оценивавшихся 3 года и дольше: 2" in content
    response = client.post(
        f"{URL}?year={YEAR}", {"action": "add_selected", "organisation": [school.pk]}
    )
    assert response.status_code == 302
    assert list(AssessmentListEntry.objects.values_list("organisation", "year")) == [
        (school.pk, YEAR)
    ]
    assert AssessmentListEntry.objects.get().added_by == editor
    client.post(f"{URL}?year={YEAR}&kind=preschool", {"action": "add_filtered"})
    assert set(AssessmentListEntry.objects.values_list("organisation", flat=True)) == {
        school.pk,
        kindergarten.pk,
    }
    client.post(f"{URL}?year={YEAR}", {"action": "remove_selected", "organisation": [school.pk]})
    assert list(AssessmentListEntry.objects.values_list("organisation", flat=True)) == [
        kindergarten.pk
    ]
    export = client.get(f"{URL}{YEAR}/export.csv")
    assert "Детский сад № 7" in export.content.decode("utf-8-sig")


def test_a_file_of_codes_is_added_whole_or_not_at_all(client, editor):
    first = OrganisationFactory(code="1001")
    OrganisationFactory(code="1002")

    def upload(text):
        return client.post(
            f"{URL}?year={YEAR}",
            {"action": "import", "file": SimpleUploadedFile("list.csv", text.encode())},
        )

    bad = upload("code\n1001\n9999\n1001\n")
    assert bad.status_code == 400
    content = bad.content.decode()
    assert "Организации с кодом «9999» нет в реестре." in content
    assert "Код «1001» уже был в строке 2." in content
    assert not AssessmentListEntry.objects.exists()
    good = upload("Код;Название\n1001;Школа\n1002;Другая\n")
    assert good.status_code == 302
    assert AssessmentListEntry.objects.filter(year=YEAR).count() == 2
    assert assessment.is_assessed(first.pk, YEAR)


def test_school_staff_cannot_reach_the_list(client):
    school = OrganisationFactory()
    staff = User.objects.create_user("staff", "staff@example.com", "password")
    add_staff_member(school, staff)
    client.force_login(staff)
    assert client.get(URL).status_code == 403
    assert (
        client.post(
            f"{URL}?year={YEAR}", {"action": "add_selected", "organisation": [school.pk]}
        ).status_code
        == 403
    )
    assert not AssessmentListEntry.objects.exists()
