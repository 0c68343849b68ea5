"""Objections through the real views: the organisation sees its own preliminary card and
files an objection with attachments; the operator accepts it with corrected inputs (audited,
recomputed) or rejects it with an answer; nobody sees another organisation's part."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accountability import preliminary
from accountability.models import Objection, ObjectionAttachment, Shortcoming
from results.models import AssessmentInput, InputChange, RatingResult, RatingRevision
from results.services import publish_year
from surveys.tests.factories import CampaignFactory

from .factories import ObjectionFactory, ShortcomingFactory
from .factories_preliminary import (
    YEAR,
    image_upload,
    pass_deadline,
    pdf_upload,
    region,
)

pytestmark = pytest.mark.django_db
REQUIRED = "Требуется заполнить это поле"

CABINET = reverse("accountability_cabinet_preliminary")
FILE = reverse("accountability_file_objection", args=[YEAR])


@pytest.fixture
def people():
    return region()


@pytest.fixture
def stage(people):
    return preliminary.open_stage(YEAR, people.editor)


def shown(figure):
    """A figure as the Russian pages print it."""
    return str(figure).replace(".", ",")


def draft_result(organisation):
    return RatingResult.objects.get(
        organisation=organisation, revision__status=RatingRevision.Status.DRAFT
    )


def objection_url(objection):
    return reverse("accountability_objection", args=[objection.pk])


def file_as(client, user, **data):
    client.force_login(user)
    return client.post(FILE, {"reason": "На стенде все 14 пунктов.", **data})


def test_the_organisation_sees_its_own_preliminary_card_and_shortcomings(client, people, stage):
    ShortcomingFactory(organisation=people.school, year=YEAR, text="Нет зоны отдыха")
    ShortcomingFactory(organisation=people.neighbour, year=YEAR, text="Нет пандуса у входа")
    ShortcomingFactory(
        organisation=people.school,
        year=YEAR,
        text="Снятый недостаток",
        status=Shortcoming.Status.DISMISSED,
    )
    own = draft_result(people.school)
    neighbour = draft_result(people.neighbour)
    client.force_login(people.staff)

    page = client.get(CABINET)

    text = page.content.decode()
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"] and "private" in page["Cache-Control"]
    assert "Предварительные результаты 2025 года" in text
    assert shown(own.total) in text
    assert f"Место в регионе среди общеобразовательных организаций: {own.rank}" in text
    assert "Нет зоны отдыха" in text
    assert "Нет пандуса у входа" not in text and "Снятый недостаток" not in text
    assert people.neighbour.name not in text and shown(neighbour.total) not in text
    assert stage.objections_until.strftime("%Y") in text
    assert "Подать возражение" in text


def test_an_objection_with_attachments_is_filed_and_listed(client, people, stage):
    shortcoming = ShortcomingFactory(organisation=people.school, year=YEAR)
    response = file_as(
        client,
        people.staff,
        indicator="1.1",
        shortcoming=shortcoming.pk,
        attachments=[pdf_upload("../../акт проверки.pdf"), image_upload("стенд.png")],
    )

    assert response.status_code == 302
    objection = Objection.objects.get()
    assert objection.organisation == people.school
    assert objection.filed_by == people.staff
    assert (objection.indicator, objection.shortcoming) == ("1.1", shortcoming)
    names = sorted(a.original_name for a in objection.attachments.all())
    assert names == ["акт проверки.pdf", "стенд.png"]
    for attachment in objection.attachments.all():
        assert attachment.file.name.startswith("objections/")
        assert "акт" not in attachment.file.name and ".." not in attachment.file.name
    text = client.get(CABINET).content.decode()
    assert "На стенде все 14 пунктов." in text and "На рассмотрении" in text


def test_the_reason_is_required_and_checked_and_nothing_is_half_written(client, people, stage):
    for reason, message in (
        ("   ", REQUIRED),
        ("x" * 5001, "5000"),
        ("Текст\x00с нулём", "управляющие символы"),
        ("Текст \u202eсправа налево", "направления письма"),
    ):
        response = file_as(client, people.staff, reason=reason, attachments=[pdf_upload()])
        assert response.status_code == 400, reason
        assert message in response.content.decode()
    assert not Objection.objects.exists()
    assert not ObjectionAttachment.objects.exists()


def test_another_organisations_shortcoming_is_refused(client, people, stage):
    foreign = ShortcomingFactory(organisation=people.neighbour, year=YEAR)
    response = file_as(client, people.staff, shortcoming=foreign.pk)
    assert response.status_code == 400
    assert not Objection.objects.exists()


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (image_upload("stand.png", extra=b"<script>alert(1)</script>"), "HTML или скрипт"),
        (pdf_upload(body=b"<html><body onload=alert(1)>"), "HTML или скрипт"),
        (image_upload("stand.jpg", image_format="PNG"), "не является изображением JPEG"),
        (pdf_upload("page.html"), "только PDF, JPEG или PNG"),
        (pdf_upload("image.svg"), "только PDF, JPEG или PNG"),
        (image_upload("fake.pdf"), "не является PDF"),
    ],
)
def test_attachments_with_markup_or_a_false_format_are_refused(
    client, people, stage, upload, message
):
    response = file_as(client, people.staff, attachments=[upload])
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Objection.objects.exists()


def test_at_most_five_attachments_of_ten_megabytes_each(client, people, stage):
    response = file_as(client, people.staff, attachments=[pdf_upload(f"{n}.pdf") for n in range(6)])
    assert response.status_code == 400
    assert "не больше 5 файлов" in response.content.decode()
    big = pdf_upload("big.pdf", body=b"0" * (10 * 1024 * 1024))
    response = file_as(client, people.staff, attachments=[big])
    assert response.status_code == 400
    assert "больше 10,0" in response.content.decode() or "больше 10.0" in response.content.decode()
    assert not Objection.objects.exists()


def test_filing_after_the_deadline_is_refused_and_the_form_is_gone(client, people, stage):
    pass_deadline(stage)
    client.force_login(people.staff)
    text = client.get(CABINET).content.decode()
    assert "Срок подачи возражений истёк" in text
    assert 'name="reason"' not in text

    response = file_as(client, people.staff)

    assert response.status_code == 302
    assert not Objection.objects.exists()
    with pytest.raises(preliminary.PreliminaryError, match="истёк"):
        preliminary.file_objection(stage, people.school, people.staff, reason="Поздно")


def test_accepted_objection_corrects_the_input_recomputes_and_shows_on_the_final_page(
    client, people, stage
):
    file_as(client, people.staff, indicator="5.1", reason="Рекомендуют 190, а не 120.")
    objection = Objection.objects.get()
    before = draft_result(people.school)
    client.force_login(people.editor)
    page = client.get(objection_url(objection))
    assert page.status_code == 200
    assert 'name="accept-recommend" value="120"' in page.content.decode()
    values = {
        f"accept-{name}": value
        for name, value in AssessmentInput.objects.filter(organisation=people.school)
        .values()
        .get()
        .items()
        if name in preliminary.engine.INPUT_FIELDS
    }

    response = client.post(
        objection_url(objection),
        {
            "action": "accept",
            **values,
            "accept-recommend": "190",
            "accept-answer": "Данные анкет исправлены.",
        },
    )

    assert response.status_code == 302
    objection.refresh_from_db()
    assert objection.status == Objection.Status.ACCEPTED
    assert objection.correction == {"recommend": [120, 190]}
    assert objection.decided_by == people.editor
    assert AssessmentInput.objects.get(organisation=people.school).recommend == 190
    change = InputChange.objects.filter(organisation=people.school).latest("pk")
    assert change.changes == {"recommend": [120, 190]}
    assert change.source == AssessmentInput.Source.EDITOR and change.user == people.editor
    assert f"Возражение № {objection.pk}" in change.note
    after = draft_result(people.school)
    assert after.p5_1 > before.p5_1 and after.total > before.total
    assert after.inputs["recommend"] == 190

    client.force_login(people.staff)
    text = client.get(CABINET).content.decode()
    assert "Данные анкет исправлены." in text and "120 → 190" in text

    pass_deadline(stage)
    publish_year(YEAR, people.editor)
    page = client.get(reverse("ratings_year", args=[YEAR])).content.decode()
    assert "подано возражений — 1, принято — 1, отклонено — 0" in page
    assert shown(after.total) in page
    text = client.get(CABINET).content.decode()
    assert "Итоговые результаты 2025 года" in text and shown(after.total) in text


def test_contradictory_corrections_are_refused_in_russian_and_nothing_changes(
    client, people, stage
):
    objection = ObjectionFactory(stage=stage, organisation=people.school)
    client.force_login(people.editor)
    before = draft_result(people.school).total
    inputs = AssessmentInput.objects.filter(organisation=people.school).values().get()
    values = {f"accept-{n}": inputs[n] for n in preliminary.engine.INPUT_FIELDS}

    response = client.post(
        objection_url(objection),
        {**values, "action": "accept", "accept-recommend": "999", "accept-answer": "Да"},
    )

    assert response.status_code == 400
    assert "Не может быть больше, чем «респондентов» (200)" in response.content.decode()
    response = client.post(objection_url(objection), {**values, "action": "accept"})
    assert response.status_code == 400
    assert REQUIRED in response.content.decode()
    objection.refresh_from_db()
    assert objection.status == Objection.Status.FILED
    assert AssessmentInput.objects.get(organisation=people.school).recommend == 120
    assert not InputChange.objects.filter(organisation=people.school).exists()
    assert draft_result(people.school).total == before


def test_survey_counts_of_a_campaign_year_are_not_typed_over(client, people, stage):
    CampaignFactory(year=YEAR)
    objection = ObjectionFactory(stage=stage, organisation=people.school)
    with pytest.raises(preliminary.PreliminaryError, match="нельзя исправить"):
        preliminary.accept_objection(
            objection, people.editor, values={"recommend": 190}, answer="Да"
        )
    objection.refresh_from_db()
    assert objection.status == Objection.Status.FILED
    client.force_login(people.editor)
    page = client.get(objection_url(objection)).content.decode()
    assert "анкетные данные пересчитываются из ответов" in page
    assert 'name="accept-recommend"' in page and "disabled" in page


def test_rejected_objection_answer_is_seen_by_its_organisation_only(client, people, stage):
    file_as(client, people.staff, reason="Оспариваем 3.1", attachments=[pdf_upload()])
    objection = Objection.objects.get()
    attachment = objection.attachments.get()
    download = reverse("accountability_objection_attachment", args=[attachment.pk])
    client.force_login(people.editor)
    response = client.post(objection_url(objection), {"action": "reject", "reject-answer": ""})
    assert response.status_code == 400
    assert REQUIRED in response.content.decode()

    response = client.post(
        objection_url(objection),
        {"action": "reject", "reject-answer": "Пандус на фото <b>без поручней</b>."},
    )

    assert response.status_code == 302
    objection.refresh_from_db()
    assert objection.status == Objection.Status.REJECTED
    client.force_login(people.staff)
    text = client.get(CABINET).content.decode()
    assert "Пандус на фото &lt;b&gt;без поручней&lt;/b&gt;." in text
    assert "Отклонено" in text
    for outsider in (people.neighbour_staff, people.coordinator, people.other_coordinator):
        client.force_login(outsider)
        page = client.get(CABINET)
        assert "без поручней" not in page.content.decode()
        assert client.get(download).status_code == 404
    client.logout()
    assert client.get(download).status_code == 302


def test_a_decision_is_final(client, people, stage):
    objection = ObjectionFactory(stage=stage, organisation=people.school)
    preliminary.reject_objection(objection, people.editor, answer="Нет")
    with pytest.raises(preliminary.PreliminaryError, match="уже принято"):
        preliminary.accept_objection(objection, people.editor, values={}, answer="Да")
    client.force_login(people.editor)
    page = client.get(objection_url(objection)).content.decode()
    assert "Принять возражение и пересчитать" not in page
    response = client.post(
        objection_url(objection),
        {"action": "reject", "reject-answer": "Ещё раз"},
    )
    assert response.status_code == 400
    objection.refresh_from_db()
    assert objection.answer == "Нет"


def test_the_attachment_downloads_as_a_file_for_its_staff_and_the_operator(client, people, stage):
    file_as(client, people.staff, attachments=[pdf_upload("акт.pdf")])
    attachment = ObjectionAttachment.objects.get()
    download = reverse("accountability_objection_attachment", args=[attachment.pk])
    for reader in (people.staff, people.editor):
        client.force_login(reader)
        response = client.get(download)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("attachment;")
        assert response["X-Content-Type-Options"] == "nosniff"
        assert b"".join(response.streaming_content).startswith(b"%PDF-")
    # Outside images/, the only part of MEDIA_ROOT ever served directly (cms/urls.py).
    assert attachment.file.name.startswith("objections/")


@pytest.mark.parametrize("who", ["coordinator", "other_coordinator", "editor"])
def test_people_of_no_organisation_have_no_preliminary_cabinet(client, people, stage, who):
    client.force_login(getattr(people, who))
    assert client.get(CABINET).status_code == 404
    assert client.post(FILE, {"reason": "Чужое возражение"}).status_code == 404
    assert not Objection.objects.exists()


def test_another_schools_staff_see_and_file_for_their_own_school_only(client, people, stage):
    client.force_login(people.neighbour_staff)
    text = client.get(CABINET).content.decode()
    assert shown(draft_result(people.neighbour).total) in text
    assert people.school.name not in text and shown(draft_result(people.school).total) not in text
    client.post(FILE, {"reason": "Наше возражение"})
    assert Objection.objects.get().organisation == people.neighbour


def test_nothing_of_the_draft_shows_before_the_opening_date(client, people):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    preliminary.open_stage(YEAR, people.editor, opens_on=tomorrow)
    client.force_login(people.staff)
    text = client.get(CABINET).content.decode()
    assert "Приём возражений начнётся" in text
    assert shown(draft_result(people.school).total) not in text
    assert file_as(client, people.staff).status_code == 302
    assert not Objection.objects.exists()


def test_anonymous_visitors_see_no_cabinet_and_file_nothing(client, people, stage):
    assert client.get(CABINET).status_code == 302
    assert client.post(FILE, {"reason": "Аноним"}).status_code == 302
    assert not Objection.objects.exists()


def test_after_publication_the_form_is_gone_and_the_final_card_shows(client, people, stage):
    pass_deadline(stage)
    publish_year(YEAR, people.editor)
    client.force_login(people.staff)
    text = client.get(CABINET).content.decode()
    assert "Итоговые результаты 2025 года" in text
    assert "Предварительные результаты 2025 года" not in text
    assert 'name="reason"' not in text
    with pytest.raises(preliminary.PreliminaryError, match="опубликованы"):
        preliminary.file_objection(stage, people.school, people.staff, reason="Поздно")
