"""Self-assessment through the cabinet and review in the admin: drafts, deadline and
reopening, status transitions and who may make each, scoping, photo validation, and the
rating inputs an accepted checklist produces (with the precedence rule)."""

import datetime
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image as PILImage
from wagtail.images import get_image_model

from core.permissions import editors_group
from home.tests.test_uploads import huge_png_header, jpeg_with_gps, png_bytes
from monitoring import services
from monitoring.models import Checklist, ChecklistAnswer, ExpertAssignment, conflict_of_interest
from registry import assessment
from registry.tests.factories import OrganisationFactory
from results.models import AssessmentInput, InputChange
from schools.provisioning import add_staff_member
from surveys.tests.factories import CampaignFactory

from .factories import ExpertAssignmentFactory, ExpertFactory, UserFactory, small_template

pytestmark = pytest.mark.django_db
YEAR = 2026
REPORT_URL = "/cabinet/report/"


@pytest.fixture
def template():
    return small_template(YEAR)


@pytest.fixture
def school():
    return OrganisationFactory()


@pytest.fixture
def staff(school):
    user = UserFactory()
    add_staff_member(school, user)
    return user


@pytest.fixture
def editor():
    user = UserFactory(is_staff=True)
    user.groups.add(editors_group())
    return user


def answers_post(checklist, present="yes", **overrides):
    """POST data answering every item of ``checklist``; overrides by item text."""
    data = {}
    for answer in checklist.answers.select_related("item"):
        value = overrides.get(answer.item.text, present)
        data[f"item-{answer.item_id}-present"] = value
        data[f"item-{answer.item_id}-note"] = ""
    return data


def photo_fields(checklist, content=None, name="stand.png"):
    files = {}
    for answer in checklist.answers.filter(item__photo_required=True):
        files[f"item-{answer.item_id}-photo"] = SimpleUploadedFile(
            name, content or png_bytes(), content_type="image/png"
        )
    return files


def self_checklist(school, template):
    return services.checklist_for(school, template, Checklist.Source.SELF)


def test_school_fills_over_two_visits_submits_is_returned_fixes_and_is_accepted(
    client, template, school, staff, editor
):
    CampaignFactory(year=YEAR, report_deadline=datetime.date.today() + datetime.timedelta(days=5))
    client.force_login(staff)
    page = client.get(REPORT_URL)
    assert page.status_code == 200
    assert page["Cache-Control"].startswith("max-age=0") or "no-cache" in page["Cache-Control"]
    checklist = Checklist.objects.get(organisation=school, source=Checklist.Source.SELF)

    # First visit: half answered, saved as a draft.
    data = answers_post(checklist, present="")
    data[f"item-{checklist.answers.first().item_id}-present"] = "yes"
    data["save"] = "1"
    assert client.post(REPORT_URL, data).status_code == 302
    assert ChecklistAnswer.objects.filter(checklist=checklist, present=True).count() == 1

    # Second visit (a new session): the draft is there; submitting without photos is refused.
    client.logout()
    client.force_login(staff)
    first = checklist.answers.first().item_id
    page = client.get(REPORT_URL).content.decode()
    assert f'name="item-{first}-present" value="yes" id="id_item-{first}-present_0" checked' in page
    data = answers_post(checklist, **{"Режим работы": "no"})
    data["submit"] = "1"
    response = client.post(REPORT_URL, data, follow=True)
    assert "Нужна фотография" in response.content.decode()
    checklist.refresh_from_db()
    assert checklist.status == Checklist.Status.DRAFT

    # With the photos it goes to the operator, and the school can no longer change it.
    data.update(photo_fields(checklist))
    response = client.post(REPORT_URL, data, follow=True)
    assert "отправлен оператору" in response.content.decode()
    checklist.refresh_from_db()
    assert checklist.status == Checklist.Status.SUBMITTED
    photos = get_image_model().objects.filter(collection=school.collection)
    assert photos.count() == 2
    client.post(REPORT_URL, answers_post(checklist, present="no") | {"save": "1"})
    assert (
        not ChecklistAnswer.objects.filter(checklist=checklist, present=False)
        .exclude(item__text="Режим работы")
        .exists()
    )

    # The school may not review its own report.
    accept_url = reverse("monitoring_checklist_transition", args=[checklist.pk, "accept"])
    assert client.post(accept_url).status_code == 403

    # The editor returns it with a comment (an empty comment is refused).
    client.force_login(editor)
    return_url = reverse("monitoring_checklist_transition", args=[checklist.pk, "return"])
    client.post(return_url, {"comment": "  "})
    checklist.refresh_from_db()
    assert checklist.status == Checklist.Status.SUBMITTED
    client.post(return_url, {"comment": "Нет фото пандуса крупным планом"})
    checklist.refresh_from_db()
    assert checklist.status == Checklist.Status.RETURNED

    # The school sees the comment, fixes and resubmits.
    client.force_login(staff)
    assert "Нет фото пандуса крупным планом" in client.get("/cabinet/").content.decode()
    assert "Нет фото пандуса крупным планом" in client.get(REPORT_URL).content.decode()
    data = answers_post(checklist) | {"submit": "1"}
    client.post(REPORT_URL, data)
    checklist.refresh_from_db()
    assert checklist.status == Checklist.Status.SUBMITTED

    # Accepted: the year's rating inputs come from it, audited.
    client.force_login(editor)
    client.post(accept_url)
    checklist.refresh_from_db()
    assert checklist.status == Checklist.Status.ACCEPTED
    inputs = AssessmentInput.objects.get(organisation=school, year=YEAR)
    assert (inputs.site_items, inputs.site_norm) == (2, 2)
    assert (inputs.stand_items, inputs.stand_norm) == (2, 2)
    assert inputs.distance_channels == 1
    assert (inputs.comfort_conditions, inputs.territory_conditions) == (1, 1)
    assert inputs.service_conditions == 1
    assert inputs.checklist_source == AssessmentInput.Source.CHECKLISTS
    assert InputChange.objects.filter(organisation=school, user=editor).exists()


def test_deadline_closes_the_report_until_an_editor_reopens_it(
    client, template, school, staff, editor
):
    CampaignFactory(year=YEAR, report_deadline=datetime.date.today() - datetime.timedelta(days=1))
    checklist = self_checklist(school, template)
    client.force_login(staff)
    page = client.get(REPORT_URL).content.decode()
    assert "Срок сдачи отчёта прошёл" in page
    client.post(REPORT_URL, answers_post(checklist) | {"save": "1"})
    assert not ChecklistAnswer.objects.filter(checklist=checklist, present=True).exists()
    with pytest.raises(services.TransitionError, match="Срок сдачи"):
        services.submit(checklist, staff)

    client.force_login(editor)
    client.post(reverse("monitoring_checklist_transition", args=[checklist.pk, "reopen"]))
    client.force_login(staff)
    data = answers_post(checklist) | photo_fields(checklist) | {"submit": "1"}
    client.post(REPORT_URL, data)
    checklist.refresh_from_db()
    assert checklist.status == Checklist.Status.SUBMITTED
    assert not checklist.reopened  # submitting closes it again


def test_transitions_only_from_the_right_status(template, school, editor):
    checklist = self_checklist(school, template)
    with pytest.raises(services.TransitionError):
        services.accept(checklist, editor)
    with pytest.raises(services.TransitionError):
        services.return_for_changes(checklist, editor, "комментарий")
    with pytest.raises(services.TransitionError, match="Не заполнены"):
        services.submit(checklist, editor)


def test_school_staff_and_experts_never_reach_the_review_screens(client, template, school, staff):
    checklist = self_checklist(school, template)
    expert = ExpertFactory()
    for user in (staff, expert.user):
        client.force_login(user)
        for url in (
            reverse("monitoring_checklists"),
            reverse("monitoring_checklist", args=[checklist.pk]),
            reverse("checklist_templates:index"),
        ):
            response = client.get(url)
            assert response.status_code in (302, 403), url
            assert "Наименование и учредитель" not in response.content.decode()


def test_school_a_never_sees_school_b(client, template, school, staff):
    other = OrganisationFactory(name="Чужая школа")
    theirs = self_checklist(other, template)
    ChecklistAnswer.objects.filter(checklist=theirs).update(note="секрет школы Б")
    assignment = ExpertAssignmentFactory(organisation=other, template=template)
    client.force_login(staff)
    for url in ("/cabinet/", REPORT_URL):
        body = client.get(url).content.decode()
        assert "Чужая школа" not in body and "секрет школы Б" not in body
    assert client.get(f"/cabinet/expert/{assignment.pk}/").status_code == 404
    assert client.get(f"/cabinet/expert/{assignment.pk}/materials/").status_code == 404
    # Saving posts only the own checklist's items; another school's item keys are ignored.
    mine = self_checklist(school, template)
    data = answers_post(mine)
    for answer in theirs.answers.all():
        data[f"item-{answer.item_id}-note"] = "подмена"
    client.post(REPORT_URL, data | {"save": "1"})
    assert not ChecklistAnswer.objects.filter(checklist=theirs, note="подмена").exists()


def test_anonymous_and_unrelated_users_are_kept_out(client, template):
    response = client.get("/cabinet/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    client.force_login(UserFactory())
    assert client.get("/cabinet/").status_code == 403
    assert client.get(REPORT_URL).status_code == 404


def test_expert_sees_only_assignments_and_fills_the_observation_sheet(client, template):
    assignment = ExpertAssignmentFactory(template=template)
    other = ExpertAssignmentFactory(template=template)
    client.force_login(assignment.expert.user)
    body = client.get("/cabinet/").content.decode()
    assert assignment.organisation.name in body and other.organisation.name not in body
    assert client.get(f"/cabinet/expert/{other.pk}/").status_code == 404
    url = f"/cabinet/expert/{assignment.pk}/"
    checklist = services.checklist_for(assignment.organisation, template, Checklist.Source.EXPERT)
    data = answers_post(checklist) | photo_fields(checklist) | {"submit": "1"}
    client.post(url, data)
    checklist.refresh_from_db()
    assert checklist.status == Checklist.Status.SUBMITTED
    materials = client.get(f"/cabinet/expert/{assignment.pk}/materials/").content.decode()
    assert "Лист наблюдения" in materials and "Сценарий беседы" in materials
    assert "Пандус" in materials


def test_conflict_of_interest_is_refused(client, template, editor):
    school = OrganisationFactory()
    employee = ExpertFactory(employer=school)
    assert "работает в этой организации" in str(conflict_of_interest(employee, school))
    staff_expert = ExpertFactory()
    add_staff_member(school, staff_expert.user)
    assert "сотрудник" in str(conflict_of_interest(staff_expert, school))
    assert conflict_of_interest(ExpertFactory(), school) is None

    client.force_login(editor)
    response = client.post(
        reverse("expert_assignments:add"),
        {"expert": employee.pk, "organisation": school.pk, "template": template.pk},
    )
    assert response.status_code == 200
    assert "конфликт интересов" in response.content.decode()
    assert not ExpertAssignment.objects.exists()


def test_only_organisations_on_the_years_list_are_asked_for_a_self_assessment(
    client, template, school, staff
):
    assessment.add(template.year, [OrganisationFactory()])
    client.force_login(staff)
    cabinet = client.get("/cabinet/").content.decode()
    assert "нет в перечне организаций для оценки" in cabinet
    assert client.get(REPORT_URL).status_code == 404
    assessment.add(template.year, [school])
    assert client.get(REPORT_URL).status_code == 200


def test_experts_are_assigned_only_to_organisations_on_the_years_list(client, template, editor):
    listed, unlisted = OrganisationFactory(), OrganisationFactory()
    assessment.add(template.year, [listed])
    expert = ExpertFactory()
    client.force_login(editor)
    refused = client.post(
        reverse("expert_assignments:add"),
        {"expert": expert.pk, "organisation": unlisted.pk, "template": template.pk},
    )
    assert refused.status_code == 200
    assert "нет в перечне организаций для оценки" in refused.content.decode()
    assert not ExpertAssignment.objects.exists()
    client.post(
        reverse("expert_assignments:add"),
        {"expert": expert.pk, "organisation": listed.pk, "template": template.pk},
    )
    assert list(ExpertAssignment.objects.values_list("organisation", flat=True)) == [listed.pk]


def test_precedence_expert_over_monitoring_over_self(template, school, editor):
    from monitoring.models import MonitoringRound

    def accepted(source, present_texts, round=None):
        checklist = services.checklist_for(school, template, source, round=round)
        for answer in checklist.answers.select_related("item"):
            answer.present = answer.item.text in present_texts
        ChecklistAnswer.objects.bulk_update(checklist.answers.all(), ["present"])
        for answer in checklist.answers.select_related("item"):
            answer.present = answer.item.text in present_texts
            answer.save()
        Checklist.objects.filter(pk=checklist.pk).update(status=Checklist.Status.ACCEPTED)
        return checklist

    everything = set(template.items.values_list("text", flat=True))
    accepted(Checklist.Source.SELF, everything)
    # Monitoring answered only the website items (one missing) and the phone (missing).
    monitoring_round = MonitoringRound.objects.create(template=template, title="IV квартал")
    monitoring = services.checklist_for(
        school, template, Checklist.Source.MONITORING, round=monitoring_round
    )
    for answer in monitoring.answers.select_related("item"):
        if answer.item.section in ("website", "distance"):
            answer.present = answer.item.text == "Подраздел «Основные сведения»"
            answer.save()
    Checklist.objects.filter(pk=monitoring.pk).update(status=Checklist.Status.ACCEPTED)
    # The expert saw no ramp.
    expert = services.checklist_for(school, template, Checklist.Source.EXPERT)
    for answer in expert.answers.select_related("item"):
        if answer.item.section == "territory":
            answer.present = False
            answer.save()
    Checklist.objects.filter(pk=expert.pk).update(status=Checklist.Status.ACCEPTED)

    values, sources = services.derived_inputs(school, YEAR)
    assert values["territory_conditions"] == 0
    assert sources["territory_conditions"].source == Checklist.Source.EXPERT
    assert (values["site_items"], values["site_norm"]) == (1, 2)
    assert values["distance_channels"] == 0
    assert sources["site_items"].source == Checklist.Source.MONITORING
    assert (values["stand_items"], values["stand_norm"]) == (2, 2)
    assert values["comfort_conditions"] == 1
    assert sources["comfort_conditions"].source == Checklist.Source.SELF

    services.apply_to_inputs(school, YEAR, user=editor)
    inputs = AssessmentInput.objects.get(organisation=school, year=YEAR)
    assert (inputs.site_items, inputs.territory_conditions, inputs.stand_items) == (1, 0, 2)


def upload_report(client, checklist, content, name="photo.png"):
    data = answers_post(checklist) | {"save": "1"}
    data |= photo_fields(checklist, content=content, name=name)
    return client.post(REPORT_URL, data)


def test_photos_are_validated_like_every_upload(client, template, school, staff):
    checklist = self_checklist(school, template)
    client.force_login(staff)
    images = get_image_model().objects

    # An HTML page disguised as an image, and a PNG/HTML polyglot: refused, nothing saved.
    for content in (b"<html><script>alert(1)</script></html>", png_bytes() + b"<script>x</script>"):
        response = upload_report(client, checklist, content, name="photo.png")
        assert response.status_code == 400
        assert not images.exists()
        assert not ChecklistAnswer.objects.filter(checklist=checklist, present=True).exists()

    # A decompression bomb: a form error naming the limit.
    response = upload_report(client, checklist, huge_png_header(30000, 30000))
    assert response.status_code == 400
    assert "40000000" in response.content.decode().replace("\xa0", "").replace(" ", "")

    # A phone photo with GPS: stored under a generated name without EXIF.
    response = upload_report(client, checklist, jpeg_with_gps(), name="../../x" * 40 + ".jpg")
    assert response.status_code == 302
    image = images.first()
    assert image.collection_id == school.collection_id
    assert "/" in image.file.name and ".." not in image.file.name
    with image.file.open() as stored:
        assert not PILImage.open(io.BytesIO(stored.read())).getexif()


def test_staff_of_one_school_cannot_review_as_coordinators_do(client, template, school):
    # A user who is both an expert and unrelated staff still sees no admin review screen.
    user = get_user_model().objects.create_user("both", password="x")
    ExpertFactory(user=user)
    add_staff_member(OrganisationFactory(), user)
    client.force_login(user)
    assert client.get(reverse("monitoring_checklists")).status_code == 403


def test_oversized_upload_and_full_disk_in_the_cabinet(client, template, school, staff):
    import errno
    from unittest import mock

    from django.core.files.storage import FileSystemStorage

    checklist = self_checklist(school, template)
    client.force_login(staff)
    response = client.post(
        REPORT_URL,
        data=b"x" * 10,
        content_type="application/octet-stream",
        CONTENT_LENGTH=str(200 * 1024 * 1024),
    )
    assert response.status_code == 413

    failure = OSError(errno.ENOSPC, "No space left on device")
    with mock.patch.object(FileSystemStorage, "_save", side_effect=failure):
        response = upload_report(client, checklist, png_bytes())
    assert response.status_code == 507
    assert "Файл не сохранён" in response.content.decode()
    assert not get_image_model().objects.exists()
    # Nothing of that form was stored, so no answer points at a missing file.
    assert not ChecklistAnswer.objects.filter(checklist=checklist, present=True).exists()


def test_the_materials_and_the_status_agree_with_a_woman_expert(client, template):
    woman = ExpertAssignmentFactory(
        template=template, expert=ExpertFactory(full_name="Соколова Анна Викторовна")
    )
    man = ExpertAssignmentFactory(
        template=template, expert=ExpertFactory(full_name="Лебедев Игорь Николаевич")
    )

    client.force_login(woman.expert.user)
    text = client.get(f"/cabinet/expert/{woman.pk}/materials/").content.decode()
    assert "Эксперт Соколова Анна Викторовна назначена для наблюдения" in text
    client.force_login(man.expert.user)
    text = client.get(f"/cabinet/expert/{man.pk}/materials/").content.decode()
    assert "Эксперт Лебедев Игорь Николаевич назначен для наблюдения" in text

    assert woman.expert.status_label == "утверждена"
    assert man.expert.status_label == "утверждён"
