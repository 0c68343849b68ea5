"""The norm in a year's template: the standard template carries each subsection's norm, editors
edit it in a line format that names the bad line, copies keep it, the checker gets it, and the
checker's evidence (verdict, how found, per-item findings) is stored."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from monitoring import norm
from monitoring.defaults import copy_template, create_standard_template
from monitoring.models import (
    AutoCheck,
    Checklist,
    ChecklistAnswer,
    ChecklistItem,
    RatingInput,
    Section,
)
from monitoring.norm_text import format_norm_items, parse_norm_items, validate_path_lines
from monitoring.services import checklist_for
from monitoring.site_checks import item_specs, store_findings

from .evidence import finding, standard_round
from .factories import UserFactory, small_template


def website_items(template):
    return list(template.items.filter(section=Section.WEBSITE).order_by("sort_order"))


@pytest.mark.django_db
def test_the_standard_template_has_one_item_per_subsection_carrying_its_norm():
    template = create_standard_template(2027)
    items = website_items(template)
    assert len(items) == 14
    assert [i.sveden_path for i in items] == [s.standard_path for s in norm.SUBSECTIONS]
    for item, subsection in zip(items, norm.SUBSECTIONS, strict=True):
        assert item.auto_check == AutoCheck.SVEDEN
        assert item.counts_toward == RatingInput.SITE
        assert item.expected_heading == subsection.title
        assert item.norm_item_list() == subsection.items
        assert item.heading_variant_list() == subsection.title_variants
        assert item.path_variant_list() == subsection.path_variants
        assert item.requirement_text == subsection.requirement_text
        assert subsection.order_point in item.text
        item.full_clean()  # what the standard template holds passes the editors' validation
    assert template.norms()[RatingInput.SITE] == 14


@pytest.mark.django_db
def test_the_standard_template_checks_every_contact_and_the_version_for_the_visually_impaired():
    template = create_standard_template(2027)
    checks = set(template.items.values_list("auto_check", flat=True))
    assert set(norm.CONTACT_CHECKS) <= checks
    impaired = template.items.get(auto_check=AutoCheck.VISUALLY_IMPAIRED)
    assert impaired.text == "Альтернативная версия сайта для инвалидов по зрению"
    assert impaired.counts_toward == RatingInput.SERVICE


def test_the_line_format_reads_what_editors_write():
    items = parse_norm_items(
        "fullName — Полное наименование\n"
        "\n"
        "shortName – Сокращённое наименование (при наличии) *\n"
        "addressPlaceSet - Места (было: addressPlace, AddressPlace)\n"
        "email — Почта * (было: E-mail)\n"
        "regDate\n"
    )
    assert [i.itemprop for i in items] == [
        "fullName",
        "shortName",
        "addressPlaceSet",
        "email",
        "regDate",
    ]
    assert items[0].label == "Полное наименование" and items[0].required
    assert items[1].label == "Сокращённое наименование (при наличии)" and not items[1].required
    assert items[2].old_names == ("addressPlace", "AddressPlace") and items[2].required
    assert items[3].old_names == ("E-mail",) and not items[3].required
    assert items[4].label == ""


def test_the_line_format_round_trips_the_whole_norm():
    for subsection in norm.SUBSECTIONS:
        assert parse_norm_items(format_norm_items(subsection.items)) == subsection.items


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("fullName — Наименование\nполное наименование — Школа", "Строка 2: «полное"),
        ("fullName — Наименование\n\nfull name — Школа", "Строка 3: «full name»"),
        (
            "fio — ФИО\npost — Должность\nfio — Ещё раз",
            "Строка 3: itemprop «fio» уже указан в строке 1",
        ),
        ("email — Почта (было: )", "Строка 1: после «было:»"),
        ("email — Почта (было: эл.почта)", "Строка 1: прежнее название «эл.почта»"),
    ],
)
def test_a_bad_line_is_refused_with_its_number_in_russian(text, message):
    with pytest.raises(ValidationError) as error:
        parse_norm_items(text)
    assert any(message in m for m in error.value.messages), error.value.messages


def test_addresses_are_checked_line_by_line():
    validate_path_lines("/sveden/ovz\n\n/sveden/employees")
    with pytest.raises(ValidationError, match="Строка 2: адрес «sveden/ovz» должен начинаться"):
        validate_path_lines("/sveden/common\nsveden/ovz")


@pytest.mark.django_db
def test_saving_an_item_with_a_bad_norm_line_names_the_field_and_the_line():
    template = small_template(2026)
    item = template.items.get(sveden_path="/sveden/common")
    item.norm_items = "fullName — Наименование\nНаименование школы"
    item.path_variants = "/sveden/obshchie"
    with pytest.raises(ValidationError) as error:
        item.full_clean()
    assert "norm_items" in error.value.message_dict
    assert "Строка 2" in error.value.message_dict["norm_items"][0]
    assert "path_variants" not in error.value.message_dict


@pytest.mark.django_db
def test_an_editor_sees_the_bad_line_when_saving_the_template_in_the_admin(client):
    editor = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(editor)
    template = small_template(2026)
    items = list(template.items.order_by("sort_order"))
    data = {
        "year": "2026",
        "title": template.title,
        "items-TOTAL_FORMS": str(len(items)),
        "items-INITIAL_FORMS": str(len(items)),
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "1000",
    }
    for n, item in enumerate(items):
        prefix = f"items-{n}-"
        data.update(
            {
                prefix + "id": str(item.pk),
                prefix + "ORDER": str(n + 1),
                prefix + "DELETE": "",
                prefix + "section": item.section,
                prefix + "counts_toward": item.counts_toward,
                prefix + "text": item.text,
                prefix + "sveden_path": item.sveden_path,
                prefix + "itemprop": item.itemprop,
                prefix + "expected_heading": item.expected_heading,
                prefix + "auto_check": item.auto_check,
                prefix + "heading_variants": "",
                prefix + "path_variants": "",
                prefix + "norm_items": "",
                prefix + "requirement_text": "",
            }
        )
        if item.photo_required:
            data[prefix + "photo_required"] = "on"
    data["items-0-norm_items"] = "fullName — Полное наименование\nregDate Дата создания"
    url = reverse("checklist_templates:edit", args=[template.pk])
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Строка 2: «regDate Дата создания» — не значение itemprop" in response.content.decode()
    assert template.items.get(pk=items[0].pk).norm_items == ""

    # Corrected, it saves.
    data["items-0-norm_items"] = "fullName — Полное наименование\nregDate — Дата создания *"
    response = client.post(url, data)
    assert response.status_code == 302
    saved = template.items.get(pk=items[0].pk).norm_item_list()
    assert [(i.itemprop, i.required) for i in saved] == [("fullName", True), ("regDate", False)]


@pytest.mark.django_db
def test_a_copied_template_keeps_the_norm():
    source = create_standard_template(2027)
    edited = source.items.get(sveden_path="/sveden/common")
    edited.norm_items += "\nlocalRegionalItem — Региональное требование *"
    edited.save()
    copy = copy_template(source, 2028)
    fields = ["heading_variants", "path_variants", "norm_items", "requirement_text"]
    before = list(source.items.order_by("sort_order").values_list(*fields))
    after = list(copy.items.order_by("sort_order").values_list(*fields))
    assert after == before
    assert "localRegionalItem" in copy.items.get(sveden_path="/sveden/common").norm_items


@pytest.mark.django_db
def test_the_checker_gets_the_norm_of_the_template_and_old_templates_check_as_before():
    template = create_standard_template(2027)
    specs = {s.sveden_path: s for s in item_specs(template) if s.auto_check == "sveden"}
    common = specs["/sveden/common"]
    assert common.norm_items == norm.subsection("common").items
    assert common.heading_variants == norm.subsection("common").title_variants
    assert specs["/sveden/objects"].path_variants == norm.subsection("objects").path_variants
    assert common.requirement_text.startswith("Подраздел «Основные сведения»")

    old = small_template(2026)  # made before the norm: its new fields are blank
    old_specs = [s for s in item_specs(old) if s.auto_check == "sveden"]
    assert [s.expected_heading for s in old_specs] == ["Основные сведения", "Документы"]
    assert all(
        s.norm_items == () and s.heading_variants == () and s.path_variants == () for s in old_specs
    )


@pytest.mark.django_db
def test_a_template_line_saved_before_validation_does_not_stop_the_check():
    template = small_template(2026)
    ChecklistItem.objects.filter(template=template, sveden_path="/sveden/common").update(
        norm_items="fullName — Наименование\nэто не itemprop\nfullName — снова"
    )
    spec = next(s for s in item_specs(template) if s.sveden_path == "/sveden/common")
    assert [i.itemprop for i in spec.norm_items] == ["fullName"]


@pytest.fixture
def checked_round():
    return standard_round()


@pytest.mark.django_db
def test_store_findings_keeps_the_verdict_how_found_and_per_item_evidence(checked_round):
    monitoring_round, organisation, items = checked_round
    common, document = items["/sveden/common"], items["/sveden/document"]
    store_findings(
        monitoring_round,
        organisation,
        {
            common.pk: finding(
                verdict="outdated",
                how_found="link",
                matched="itemprop addressPlace",
                excerpt="Полное наименование: МБОУ СОШ № 1 " + "х" * 400,
                items={"fullName": "present", "addressPlaceSet": "outdated", "regDate": "missing"},
            ),
            document.pk: finding(
                present=False,
                url="https://school.example/sveden/document",
                verdict="placeholder",
                how_found="standard",
                matched="заголовок «Документы»",
                excerpt="Раздел наполняется",
            ),
        },
    )
    checklist = Checklist.objects.get(round=monitoring_round, organisation=organisation)
    answer = checklist.answers.get(item=common)
    assert answer.present is True and answer.pre_filled
    assert answer.evidence_verdict == "outdated"
    assert answer.get_evidence_verdict_display() == "есть, но разметка устаревшая"
    assert answer.evidence_how == "link"
    assert answer.get_evidence_how_display() == "по ссылке в меню"
    assert answer.evidence_matched == "itemprop addressPlace"
    assert len(answer.evidence_excerpt) == 300
    assert answer.evidence_items["regDate"] == "missing"
    placeholder = checklist.answers.get(item=document)
    assert placeholder.present is False and placeholder.evidence_verdict == "placeholder"
    assert placeholder.evidence_excerpt == "Раздел наполняется"


@pytest.mark.django_db
def test_store_findings_leaves_confirmed_answers_alone(checked_round):
    monitoring_round, organisation, items = checked_round
    common = items["/sveden/common"]
    checklist = checklist_for(
        organisation, monitoring_round.template, Checklist.Source.MONITORING, round=monitoring_round
    )
    ChecklistAnswer.objects.filter(checklist=checklist, item=common).update(
        present=True, confirmed=True, evidence_verdict="present", evidence_how="standard"
    )
    store_findings(
        monitoring_round,
        organisation,
        {common.pk: finding(present=False, verdict="absent", items={"fullName": "missing"})},
    )
    answer = checklist.answers.get(item=common)
    assert answer.present is True
    assert answer.evidence_verdict == "present" and answer.evidence_how == "standard"
    assert answer.evidence_items == {}


@pytest.mark.django_db
def test_unknown_codes_from_the_checker_are_not_stored_as_verdicts(checked_round):
    monitoring_round, organisation, items = checked_round
    phone = items["phone"]
    store_findings(
        monitoring_round, organisation, {phone.pk: finding(verdict="maybe", how_found="somewhere")}
    )
    answer = ChecklistAnswer.objects.get(checklist__round=monitoring_round, item=phone)
    assert answer.present is True
    assert answer.evidence_verdict == "" and answer.evidence_how == ""
