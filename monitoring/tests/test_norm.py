"""The norm as data: the fourteen subsections of order 1493 (as amended by 1353), their items,
the names older sites still use, and the ItemSpecs the checker reads."""

import re

import pytest

from monitoring import norm
from monitoring.models import AutoCheck

KEYS = [
    "common",
    "struct",
    "document",
    "education",
    "eduStandarts",
    "managers",
    "employees",
    "objects",
    "grants",
    "paid_edu",
    "budget",
    "vacant",
    "inter",
    "catering",
]

LOWER_CAMEL = re.compile(r"^[a-z][a-zA-Z0-9]*$")


def itemprops(subsection):
    return tuple(item.itemprop for item in subsection.items)


def test_the_norm_has_the_fourteen_subsections_of_the_order_in_the_recommended_order():
    assert [s.key for s in norm.SUBSECTIONS] == KEYS


def test_each_subsection_has_its_own_standard_address_and_its_title():
    paths = [s.standard_path for s in norm.SUBSECTIONS]
    assert len(set(paths)) == 14
    for subsection in norm.SUBSECTIONS:
        assert subsection.standard_path == f"/sveden/{subsection.key}"
        assert subsection.title and subsection.title not in subsection.title_variants
        assert re.fullmatch(r"п\. \d+", subsection.order_point), subsection.key
        # A variant never points at the subsection's own standard address.
        assert subsection.standard_path not in subsection.path_variants


def test_order_points_are_those_of_1493():
    points = {s.key: s.order_point for s in norm.SUBSECTIONS}
    assert points["common"] == "п. 7"
    assert points["catering"] == "п. 19"
    assert points["eduStandarts"] == "п. 20"
    assert len(set(points.values())) == 14


def test_every_subsection_has_the_orders_wording_and_at_least_one_item():
    for subsection in norm.SUBSECTIONS:
        assert subsection.items, subsection.key
        # The order's text names the subsection it is about.
        assert f"«{subsection.title}»" in subsection.requirement_text, subsection.key
        assert len(subsection.requirement_text) > 150, subsection.key


def test_every_itemprop_is_lower_camel_case_and_listed_once_per_subsection():
    for subsection in norm.SUBSECTIONS:
        names = itemprops(subsection)
        assert len(names) == len(set(names)), subsection.key
        for name in names:
            assert LOWER_CAMEL.match(name), (subsection.key, name)


def test_every_item_has_a_russian_label():
    for subsection in norm.SUBSECTIONS:
        for item in subsection.items:
            assert re.search("[а-яА-ЯёЁ]", item.label), (subsection.key, item.itemprop)


def test_old_names_never_shadow_a_current_name():
    current = {name.lower() for s in norm.SUBSECTIONS for name in itemprops(s)}
    for subsection in norm.SUBSECTIONS:
        for old, now in subsection.old_itemprops().items():
            assert old.lower() not in current, (subsection.key, old)
            assert now in itemprops(subsection)


def test_old_names_map_to_the_renamed_items():
    old = norm.old_itemprops()
    assert old["addressPlace"] == {("common", "addressPlaceSet")}
    assert old["eduChislen"] == {("education", "eduChislenEl")}
    assert old["language"] == {("education", "languageEl")}
    assert old["paidEduDocLink"] == {("paid_edu", "paidEdu")}
    assert ("managers", "email") in old["E-mail"]
    assert "fullName" not in old


def test_required_main_items_of_the_common_subsection():
    common = norm.subsection("common")
    required = {item.itemprop for item in common.items if item.required}
    assert {"fullName", "regDate", "address", "workTime", "telephone", "email"} <= required
    assert "shortName" not in required  # «(при наличии)»


def test_only_the_standards_subsection_is_optional():
    assert [s.key for s in norm.SUBSECTIONS if s.optional] == ["eduStandarts"]


def test_old_wordings_and_addresses_still_lead_to_the_subsection():
    assert "/sveden/ovz" in norm.subsection("objects").path_variants
    assert "Доступная среда" in norm.subsection("objects").title_variants
    assert "/sveden/employees" in norm.subsection("managers").path_variants
    assert (
        "Руководство. Педагогический (научно-педагогический) состав"
        in norm.subsection("employees").title_variants
    )
    assert (
        "Стипендии и иные виды материальной поддержки" in norm.subsection("grants").title_variants
    )


def test_standard_specs_cover_every_subsection_and_contact_check():
    specs = norm.standard_specs()
    assert [s.key for s in specs] == KEYS + list(norm.CONTACT_CHECKS)
    by_key = {s.key: s for s in specs}
    common = by_key["common"]
    assert common.auto_check == "sveden"
    assert common.sveden_path == "/sveden/common"
    assert common.expected_heading == "Основные сведения"
    assert common.norm_items == norm.subsection("common").items
    assert by_key["bus_gov"].auto_check == "bus_gov"


def test_every_contact_check_is_an_auto_check_editors_can_choose():
    assert set(norm.CONTACT_CHECKS) <= set(AutoCheck.values)
    assert AutoCheck("visually_impaired").label == "версия для слабовидящих"


def test_an_unknown_subsection_key_is_an_error():
    with pytest.raises(KeyError):
        norm.subsection("nope")
