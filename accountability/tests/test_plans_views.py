"""Plans through the real views, as the people who use them (none a superuser): the round
trip, the founder's rule, scoping for every role, the dashboard and what the public sees."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image as PILImage

from accountability import plans
from accountability.models import ImprovementPlan, PlanMeasure
from registry.models import Organisation

from .factories_plans import (
    YEAR,
    approved_plan,
    coordinator_of,
    editor,
    plan_in,
    region,
    staff_of,
    user,
)

pytestmark = pytest.mark.django_db
Status = ImprovementPlan.Status
CABINET = f"/cabinet/plan/{YEAR}/"
ADMIN = "/admin/accountability/plans/"


@pytest.fixture
def world():
    world = region()
    world["staff"] = staff_of(world["school"])
    world["coordinator"] = coordinator_of(world["north"])
    world["editor"] = editor()
    return world


def in_days(days):
    return timezone.localdate() + datetime.timedelta(days=days)


def draft_post(plan, action="save", by_pk=None):
    """The draft form as the browser posts it: every measure's fields, overridden per pk."""
    by_pk = by_pk or {}
    data = {action: ""} if action != "add" else {}
    for measure in plan.measures.all():
        values = {
            "shortcoming_text": measure.shortcoming_text,
            "measure": measure.measure,
            "planned_date": measure.planned_date.isoformat() if measure.planned_date else "",
            "responsible_name": measure.responsible_name,
            "responsible_position": measure.responsible_position,
            **by_pk.get(measure.pk, {}),
        }
        for field, value in values.items():
            data[f"m{measure.pk}-{field}"] = value
    return data


def complete(measure, days=120):
    return {
        "measure": f"Устранить: {measure.shortcoming_text}",
        "planned_date": in_days(days).isoformat(),
        "responsible_name": "Петров Пётр Петрович",
        "responsible_position": "заместитель директора",
    }


def report_post(measure, **values):
    data = {
        "measure": str(measure.pk),
        f"x{measure.pk}-done_text": "Сделано",
        f"x{measure.pk}-done_date": timezone.localdate().isoformat(),
        f"x{measure.pk}-evidence_url": "https://school.example/news/7",
    }
    data.update({f"x{measure.pk}-{key}": value for key, value in values.items()})
    return data


def text(response):
    return response.content.decode()


def test_plan_round_trip_through_the_views(client, world):
    school, staff, coordinator = world["school"], world["staff"], world["coordinator"]
    client.force_login(staff)
    assert "Составить план" in text(client.get(CABINET))
    assert client.post(CABINET, {"start": ""}).status_code == 302
    plan = ImprovementPlan.objects.get(organisation=school, year=YEAR)
    first, second = plan.measures.all()
    page = text(client.get(CABINET))
    assert "На стенде нет режима работы" in page and "Отправить на утверждение" in page

    # Part-way: one measure filled, saved as a draft.
    response = client.post(
        CABINET,
        draft_post(plan, by_pk={first.pk: {"measure": "Разместить режим работы на стенде"}}),
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.measure == "Разместить режим работы на стенде"
    plan.refresh_from_db()
    assert plan.status == Status.DRAFT

    # Everything filled, submitted.
    data = draft_post(plan, "submit", {first.pk: complete(first), second.pk: complete(second)})
    assert client.post(CABINET, data).status_code == 302
    plan.refresh_from_db()
    assert plan.status == Status.SUBMITTED
    assert "ждёт утверждения" in text(client.get(CABINET))

    # The coordinator sees it awaiting approval and returns it with a comment.
    client.force_login(coordinator)
    assert school.name in text(client.get(ADMIN))
    plan_url = f"{ADMIN}{plan.pk}/"
    assert client.get(plan_url).status_code == 200
    response = client.post(plan_url, {"action": "return", "comment": ""})
    assert response.status_code == 400
    response = client.post(
        plan_url, {"action": "return", "comment": "Срок по пандусу — до начала учебного года"}
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == Status.RETURNED

    # The school reads the comment, corrects and resubmits.
    client.force_login(staff)
    page = text(client.get(CABINET))
    assert "Учредитель вернул план на доработку" in page
    assert "Срок по пандусу — до начала учебного года" in page
    data = draft_post(plan, "submit", {second.pk: {"planned_date": in_days(60).isoformat()}})
    assert client.post(CABINET, data).status_code == 302
    plan.refresh_from_db()
    assert plan.status == Status.SUBMITTED

    # Nothing is public before approval.
    client.logout()
    assert client.get(f"/plans/{YEAR}/{school.code}/").status_code == 404

    # The coordinator approves.
    client.force_login(coordinator)
    approver = "Начальник управления образования И. И. Иванов"
    assert (
        client.post(plan_url, {"action": "approve", "approver_title": approver}).status_code == 302
    )
    plan.refresh_from_db()
    assert (plan.status, plan.approver_title, plan.approved_by) == (
        Status.APPROVED,
        approver,
        coordinator,
    )

    # Published: the list of the year and the plan in the government's form.
    client.logout()
    listing = text(client.get(f"/plans/{YEAR}/"))
    assert f"/plans/{YEAR}/{school.code}/" in listing
    public = client.get(f"/plans/{YEAR}/{school.code}/")
    assert public.status_code == 200
    assert "public" in public["Cache-Control"]
    page = text(public)
    for expected in ("УТВЕРЖДАЮ", approver, "Устранить: На стенде нет режима работы", "5.2"):
        assert expected in page
    assert "I. Открытость и доступность информации об организации" in page

    # Execution reports, one per measure: the plan is done.
    client.force_login(staff)
    assert "Отчитаться об исполнении" in text(client.get(CABINET))
    for measure in (first, second):
        assert client.post(CABINET, report_post(measure)).status_code == 302
    plan.refresh_from_db()
    assert plans.share_done(plan) == 100
    client.logout()
    page = text(client.get(f"/plans/{YEAR}/{school.code}/"))
    assert "100 %" in page and "https://school.example/news/7" in page


def test_submit_is_refused_for_a_measure_without_a_date_or_a_responsible_person(client, world):
    client.force_login(world["staff"])
    client.post(CABINET, {"start": ""})
    plan = ImprovementPlan.objects.get()
    first, second = plan.measures.all()
    data = draft_post(plan, "submit", {first.pk: complete(first)})
    data.update(
        {
            f"m{second.pk}-measure": "Установить пандус",
            f"m{second.pk}-responsible_position": "завхоз",
        }
    )
    response = client.post(CABINET, data)
    assert response.status_code == 400
    page = text(response)
    assert "Укажите плановый срок реализации." in page
    assert "Укажите фамилию, имя и отчество ответственного." in page
    assert "Установить пандус" in page  # what was typed is shown again
    plan.refresh_from_db()
    first.refresh_from_db()
    second.refresh_from_db()
    assert plan.status == Status.DRAFT
    assert (first.measure, second.measure) == ("", "")  # nothing half-written


def test_bad_input_in_a_draft_is_a_field_error(client, world):
    client.force_login(world["staff"])
    client.post(CABINET, {"start": ""})
    plan = ImprovementPlan.objects.get()
    first = plan.measures.first()
    response = client.post(
        CABINET,
        draft_post(plan, by_pk={first.pk: {"planned_date": "31.02.2026", "measure": "a\x00b"}}),
    )
    assert response.status_code == 400
    assert "управляющие символы" in text(response)
    first.refresh_from_db()
    assert first.measure == ""


def test_the_organisation_adds_and_removes_its_own_measure(client, world):
    client.force_login(world["staff"])
    client.post(CABINET, {"start": ""})
    plan = ImprovementPlan.objects.get()
    response = client.post(CABINET, draft_post(plan, "add") | {"add": "5"})
    added = plan.measures.get(shortcoming=None)
    assert response["Location"].endswith(f"#measure-{added.pk}")
    assert added.criterion == 5
    assert f'name="m{added.pk}-remove"' in text(client.get(CABINET))
    client.post(CABINET, draft_post(plan) | {f"m{added.pk}-remove": "on"})
    assert not plan.measures.filter(pk=added.pk).exists()
    assert plan.measures.count() == 2


def test_coordinators_approve_only_their_municipalitys_municipal_organisations(client, world):
    own = plan_in(Status.SUBMITTED, world["school"])
    regional = plan_in(Status.SUBMITTED, world["college"])
    elsewhere = plan_in(Status.SUBMITTED, world["southern"])
    client.force_login(world["coordinator"])
    listing = text(client.get(ADMIN))
    assert world["school"].name in listing
    assert world["college"].name not in listing and world["southern"].name not in listing
    # The regional college is overseen (its page opens) but approved by the operator.
    assert client.get(f"{ADMIN}{regional.pk}/").status_code == 200
    assert approve(client, regional).status_code == 403
    # Another municipality's plans are not even there.
    assert client.get(f"{ADMIN}{elsewhere.pk}/").status_code == 404
    assert approve(client, elsewhere).status_code == 404
    assert approve(client, own).status_code == 302
    for plan, status in ((own, Status.APPROVED), (regional, Status.SUBMITTED)):
        plan.refresh_from_db()
        assert plan.status == status
    elsewhere.refresh_from_db()
    assert elsewhere.status == Status.SUBMITTED


def approve(client, plan):
    return client.post(
        f"{ADMIN}{plan.pk}/", {"action": "approve", "approver_title": "Министр образования"}
    )


def test_editors_approve_regional_organisations_and_not_municipal_ones(client, world):
    regional = plan_in(Status.SUBMITTED, world["college"])
    municipal = plan_in(Status.SUBMITTED, world["school"])
    client.force_login(world["editor"])
    listing = text(client.get(ADMIN))
    assert world["college"].name in listing and world["school"].name not in listing
    assert approve(client, municipal).status_code == 403
    assert approve(client, regional).status_code == 302
    regional.refresh_from_db()
    municipal.refresh_from_db()
    assert (regional.status, municipal.status) == (Status.APPROVED, Status.SUBMITTED)


def test_nobody_approves_their_own_plan(client, world):
    # The school's deputy is also the municipality's coordinator.
    both = coordinator_of(world["north"], "deputy-and-coordinator")
    world["school"].staff_group.user_set.add(both)
    plan = plan_in(Status.SUBMITTED, world["school"], submitted_by=world["staff"])
    client.force_login(both)
    assert world["school"].name not in text(client.get(ADMIN))
    assert approve(client, plan).status_code == 403
    response = client.post(f"{ADMIN}{plan.pk}/", {"action": "return", "comment": "Сам себе"})
    assert response.status_code == 403
    # Nor the coordinator who submitted another school's plan on its behalf.
    other = plan_in(Status.SUBMITTED, world["second"], submitted_by=world["coordinator"])
    client.force_login(world["coordinator"])
    assert approve(client, other).status_code == 403
    for item in (plan, other):
        item.refresh_from_db()
        assert item.status == Status.SUBMITTED


def test_staff_of_another_organisation_get_404_on_the_plan_evidence_and_draft(client, world):
    plan = approved_plan(world["school"], world["coordinator"], world["staff"])
    measure = plan.measures.first()
    plans.report_execution(
        measure,
        world["staff"],
        done_text="Сделано",
        done_date=timezone.localdate(),
        evidence_file=SimpleUploadedFile("акт.pdf", b"%PDF-1.4 secret"),
    )
    draft = plan_in(Status.DRAFT, world["second"], measure="Черновик школы № 2")
    stranger = staff_of(world["southern"], "stranger")
    evidence = f"/cabinet/plan/evidence/{measure.pk}/"

    client.force_login(stranger)
    own_cabinet = text(client.get(CABINET))  # their own (unstarted) plan, never school's
    assert "Разместить" not in own_cabinet and "Черновик школы № 2" not in own_cabinet
    assert client.get(evidence).status_code == 404
    assert client.get(f"{ADMIN}{draft.pk}/").status_code == 403
    assert client.get(f"{ADMIN}{plan.pk}/").status_code == 403
    assert client.get(f"/plans/{YEAR}/{world['second'].code}/").status_code == 404

    # The organisation and its overseers download it; the coordinator of another place not.
    for person in (world["staff"], world["coordinator"], world["editor"]):
        client.force_login(person)
        response = client.get(evidence)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == b"%PDF-1.4 secret"
        assert response["Content-Type"] == "application/pdf"
        assert "attachment" in response["Content-Disposition"]
    client.force_login(coordinator_of(world["south"]))
    assert client.get(evidence).status_code == 404
    client.logout()
    assert client.get(evidence).status_code == 302  # to sign in
    assert client.get(CABINET).status_code == 302
    # A signed-in user without an organisation has no cabinet plan.
    client.force_login(user("nobody"))
    assert client.get(CABINET).status_code == 404
    assert client.get("/cabinet/plan/").status_code == 404


def test_school_staff_never_reach_the_founders_screens(client, world):
    plan = plan_in(Status.SUBMITTED, world["school"])
    client.force_login(world["staff"])
    for url in (ADMIN, f"{ADMIN}{plan.pk}/", f"{ADMIN}dashboard/", f"{ADMIN}dashboard/export.csv"):
        assert client.get(url).status_code == 403
    assert approve(client, plan).status_code == 403
    plan.refresh_from_db()
    assert plan.status == Status.SUBMITTED


def png_bytes():
    buffer = io.BytesIO()
    PILImage.new("RGB", (40, 30), (200, 120, 20)).save(buffer, format="PNG")
    return buffer.getvalue()


def test_evidence_files_are_checked_like_every_upload(client, world):
    plan = approved_plan(world["school"], world["coordinator"], world["staff"])
    measure = plan.measures.first()
    client.force_login(world["staff"])
    bad_files = {
        "page.pdf": b"<html><script>alert(1)</script></html>",
        "photo.png": b"\x89PNG\r\n\x1a\n<svg onload=alert(1)>",
        "scan.jpg": png_bytes(),  # a PNG named .jpg
        "macro.docx": b"PK\x03\x04",
        "huge.pdf": b"%PDF-1.4 " + b"0" * (10 * 1024 * 1024),
    }
    for name, content in bad_files.items():
        response = client.post(
            CABINET,
            report_post(measure, evidence_url="")
            | {f"x{measure.pk}-evidence_file": SimpleUploadedFile(name, content)},
        )
        assert response.status_code == 400, name
    measure.refresh_from_db()
    assert not measure.is_done and not measure.evidence_file
    response = client.post(
        CABINET,
        report_post(measure, evidence_url="")
        | {f"x{measure.pk}-evidence_file": SimpleUploadedFile("../../ramp.png", png_bytes())},
    )
    assert response.status_code == 302
    measure.refresh_from_db()
    assert measure.evidence_file.name.startswith("plan_evidence/")
    assert ".." not in measure.evidence_file.name
    # The public reads the report, never the file.
    client.logout()
    page = text(client.get(f"/plans/{YEAR}/{world['school'].code}/"))
    assert "Сделано" in page and "/cabinet/plan/evidence/" not in page


def test_a_report_in_the_future_or_without_evidence_is_refused(client, world):
    plan = approved_plan(world["school"], world["coordinator"], world["staff"])
    measure = plan.measures.first()
    client.force_login(world["staff"])
    response = client.post(
        CABINET,
        report_post(measure, done_date=in_days(1).isoformat(), evidence_url=""),
    )
    assert response.status_code == 400
    page = text(response)
    assert "Фактическая дата не может быть в будущем." in page
    assert "Приложите подтверждение: ссылку или файл." in page
    response = client.post(CABINET, report_post(measure, evidence_url="javascript:alert(1)"))
    assert response.status_code == 400
    measure.refresh_from_db()
    assert not measure.is_done


def test_overdue_measures_are_flagged_in_words(client, world):
    # Approved with dates that have passed by now (the services' clock frozen long ago).
    long_ago = timezone.localdate() - datetime.timedelta(days=400)
    plan = approved_plan(
        world["school"],
        world["coordinator"],
        world["staff"],
        measures=2,
        today=long_ago,
        planned_date=long_ago + datetime.timedelta(days=30),
    )
    done = plan.measures.first()
    plans.report_execution(
        done,
        world["staff"],
        done_text="Сделано",
        done_date=timezone.localdate(),
        evidence_url="https://school.example/1",
    )
    client.force_login(world["staff"])
    page = text(client.get(CABINET))
    assert page.count("Просрочено:") == 1
    assert "отчёта об исполнении нет" in page
    client.logout()
    page = text(client.get(f"/plans/{YEAR}/{world['school'].code}/"))
    assert "просрочено" in page and "1 мероприятие" in page
    listing = text(client.get(f"/plans/{YEAR}/"))
    assert "<strong>1</strong> просрочено" in listing


def test_the_dashboard_counts_and_is_scoped(client, world):
    approved_plan(world["school"], world["coordinator"], world["staff"])
    plan_in(Status.RETURNED, world["second"])
    plan_in(Status.SUBMITTED, world["college"])
    plan_in(Status.DRAFT, world["southern"])
    dashboard = f"{ADMIN}dashboard/"

    client.force_login(world["coordinator"])
    page = text(client.get(dashboard))
    for organisation in ("school", "second", "college"):
        assert world[organisation].name in page
    assert world["southern"].name not in page
    response = client.get(f"{dashboard}export.csv")
    assert response.content.startswith(b"\xef\xbb\xbf")
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("code,name,municipality,kind,year,plan_status")
    statuses = sorted(line.split(",")[5] for line in lines[1:])
    assert statuses == ["approved", "returned", "submitted"]
    # Filters: status and kind.
    page = text(client.get(dashboard, {"status": "returned"}))
    assert world["second"].name in page and world["school"].name not in page
    page = text(client.get(dashboard, {"kind": Organisation.Kind.COLLEGE}))
    assert world["college"].name in page and world["school"].name not in page
    # Another municipality is not a choice for them.
    assert client.get(dashboard, {"municipality": "south"}).status_code == 400

    client.force_login(world["editor"])
    response = client.get(f"{dashboard}export.csv")
    assert len(response.content.decode("utf-8-sig").splitlines()) == 5
    page = text(client.get(dashboard, {"municipality": "south"}))
    assert world["southern"].name in page and world["school"].name not in page
    response = client.get(f"{dashboard}export.xlsx")
    assert response.status_code == 200
    assert client.get(f"{dashboard}export.json").status_code == 404


def test_exports_are_formula_safe(client, world):
    from openpyxl import load_workbook

    approved_plan(
        world["school"],
        world["coordinator"],
        world["staff"],
        measures=1,
        measure="=cmd|' /C calc'!A0",
        responsible_name="+7 (900) 000-00-00",
    )
    response = client.get(f"/plans/{YEAR}/export.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [cell.value for cell in sheet[1]]
    row = {header[i]: cell for i, cell in enumerate(sheet[2])}
    assert row["measure"].data_type != "f"
    assert row["measure"].value == "'=cmd|' /C calc'!A0"
    assert row["responsible"].data_type != "f"
    assert row["planned_date"].is_date
    csv_text = client.get(f"/plans/{YEAR}/export.csv").content.decode("utf-8-sig")
    assert "'=cmd" in csv_text
    assert header == [
        "code",
        "name",
        "municipality",
        "kind",
        "year",
        "criterion",
        "shortcoming",
        "measure",
        "planned_date",
        "responsible",
        "position",
        "done_text",
        "done_date",
        "status",
    ]
    client.force_login(world["coordinator"])
    dashboard = client.get(f"{ADMIN}dashboard/export.xlsx")
    sheet = load_workbook(io.BytesIO(dashboard.content)).active
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_drafts_submitted_and_returned_plans_are_never_public(client, world):
    hidden = {
        Status.DRAFT: world["second"],
        Status.SUBMITTED: world["college"],
        Status.RETURNED: world["southern"],
    }
    for status, organisation in hidden.items():
        plan_in(status, organisation, measure=f"Секретное мероприятие {status}")
    approved_plan(world["school"], world["coordinator"], world["staff"], measures=1)
    listing = text(client.get(f"/plans/{YEAR}/"))
    assert world["school"].short_name in listing
    for organisation in hidden.values():
        assert client.get(f"/plans/{YEAR}/{organisation.code}/").status_code == 404
        assert organisation.short_name not in listing
    for fmt in ("csv", "xlsx", "json"):
        content = client.get(f"/plans/{YEAR}/export.{fmt}").content
        if fmt != "xlsx":
            decoded = content.decode("utf-8-sig")
            assert "Секретное" not in decoded
            assert world["school"].code in decoded
    assert client.get(f"/plans/{YEAR}/export.xml").status_code == 404
    # A year not yet final has no public plans at all.
    assert client.get(f"/plans/{YEAR + 1}/").status_code == 404
    assert client.get(f"/plans/{YEAR + 1}/export.csv").status_code == 404


def test_the_public_list_filters_and_paginates(client, world):
    approved_plan(world["school"], world["coordinator"], world["staff"], measures=1)
    approved_plan(world["southern"], coordinator_of(world["south"]), None, measures=1)
    page = text(client.get(f"/plans/{YEAR}/", {"municipality": "south"}))
    assert world["southern"].short_name in page and world["school"].short_name not in page
    page = text(client.get(f"/plans/{YEAR}/", {"kind": Organisation.Kind.PRESCHOOL}))
    assert "Утверждённых планов пока нет." in page
    assert client.get(f"/plans/{YEAR}/", {"municipality": "nowhere"}).status_code == 400
    assert client.get(f"/plans/{YEAR}/", {"page": "10" * 20}).status_code == 200
    csv_text = client.get(f"/plans/{YEAR}/export.csv", {"municipality": "south"}).content
    assert world["school"].code.encode() not in csv_text


def test_the_organisation_page_include_shows_the_approved_plan(world, rf):
    from django.template.loader import render_to_string

    plan = approved_plan(world["school"], world["coordinator"], world["staff"], measures=2)
    html = render_to_string(
        "accountability/plans/_plan_public.html",
        {"plan": plans.published_plan(world["school"], YEAR)},
    )
    assert "Начальник управления образования И. И. Иванов" in html
    assert f"/plans/{YEAR}/{world['school'].code}/" in html
    assert plan.pk
    draft = plan_in(Status.DRAFT, world["second"])
    assert render_to_string("accountability/plans/_plan_public.html", {"plan": draft}).strip() == ""


def test_user_text_is_escaped_everywhere(client, world):
    approved_plan(
        world["school"],
        world["coordinator"],
        world["staff"],
        measures=1,
        measure='"><svg onload=alert(1)>',
    )
    page = text(client.get(f"/plans/{YEAR}/{world['school'].code}/"))
    assert "<svg onload" not in page and "&lt;svg onload" in page
    client.force_login(world["staff"])
    assert "<svg onload" not in text(client.get(CABINET))
    client.force_login(world["coordinator"])
    plan = ImprovementPlan.objects.get()
    assert "<svg onload" not in text(client.get(f"{ADMIN}{plan.pk}/"))


def test_the_menu_item_shows_for_overseers_only(client, world):
    client.force_login(world["coordinator"])
    assert ADMIN in text(client.get("/admin/"))
    client.force_login(world["staff"])
    assert ADMIN not in text(client.get("/admin/"))


def test_cabinet_index_lists_the_years(client, world):
    client.force_login(world["staff"])
    page = text(client.get("/cabinet/plan/"))
    assert CABINET in page and "план не начат" in page
    assert PlanMeasure.objects.count() == 0


def test_control_characters_never_break_an_export(client, world):
    approved_plan(
        world["school"],
        world["coordinator"],
        world["staff"],
        measures=1,
        measure="Ремонт\x1b\x01 крыльца",
        shortcoming_text="@Крыльцо\x0b",
    )
    for fmt in ("csv", "xlsx", "json"):
        response = client.get(f"/plans/{YEAR}/export.{fmt}")
        assert response.status_code == 200
        if fmt != "xlsx":
            decoded = response.content.decode("utf-8-sig")
            assert "\x1b" not in decoded and "\\u001b" not in decoded
            assert "Ремонт крыльца" in decoded and "'@Крыльцо" in decoded


def test_the_dashboard_pages_its_rows_and_keeps_totals_and_exports_whole(
    client, world, monkeypatch
):
    monkeypatch.setattr("accountability.plan_views.DASHBOARD_ROWS_PER_PAGE", 2)
    dashboard = f"{ADMIN}dashboard/"
    client.force_login(world["editor"])
    first, second = text(client.get(dashboard)), text(client.get(dashboard, {"page": 2}))
    names = [world[key].name for key in ("school", "second", "college", "southern")]
    assert sum(name in first for name in names) == 2
    assert sum(name in second for name in names) == 2
    assert not {name for name in names if name in first} & {n for n in names if n in second}
    # The totals table counts every organisation on every page: four without a plan.
    assert "<td>4</td>" in first.replace(" ", "")
    response = client.get(f"{dashboard}export.csv", {"page": 2})
    assert len(response.content.decode("utf-8-sig").splitlines()) == 5


def test_the_dashboard_offers_each_municipality_once(client, world):
    client.force_login(world["editor"])
    page = text(client.get(f"{ADMIN}dashboard/"))
    # The north has three organisations; its option is there once.
    assert page.count('value="north"') == 1
    assert page.count('value="south"') == 1
