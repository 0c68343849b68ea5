"""Official identifiers of an organisation: ИНН, КПП and ОГРН checksums and formats, the
bus.gov.ru link's host, the ИНН+КПП pair, the registry import's columns and the public page."""

import csv
import io

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.test import SimpleTestCase, TestCase
from django.urls import reverse
from openpyxl import Workbook, load_workbook
from wagtail.test.utils import WagtailTestUtils

from core.permissions import editors_group
from registry.identifiers import (
    inn_control,
    ogrn_control,
    validate_busgov_url,
    validate_inn,
    validate_kpp,
    validate_ogrn,
)
from registry.models import Organisation
from registry.registry_import import export_registry, import_registry
from registry.tests.factories import MunicipalityFactory, OrganisationFactory
from schools.models import SchoolPage

VALID_INNS = ("7707083893", "7736050003")
VALID_OGRNS = ("1027700132195", "1027739049689")
# A valid ИНН that starts with 0, which a spreadsheet's number cell loses.
LEADING_ZERO_INN = "012345678" + inn_control("012345678")
BASE_COLUMNS = ["code", "name", "kind", "municipality"]


def refusal(validator, value):
    try:
        validator(value)
    except ValidationError as error:
        return " ".join(error.messages)
    return None


class ChecksumTests(SimpleTestCase):
    def test_valid_inns_pass(self):
        for value in (*VALID_INNS, LEADING_ZERO_INN):
            with self.subTest(value):
                self.assertIsNone(refusal(validate_inn, value))

    def test_an_inn_with_a_wrong_control_digit_is_refused_by_name(self):
        self.assertIn("контрольной цифры", refusal(validate_inn, "7707083894"))
        self.assertIn("ИНН 7707083894", refusal(validate_inn, "7707083894"))

    def test_a_personal_twelve_digit_inn_is_refused_saying_whose_it_is(self):
        message = refusal(validate_inn, "500100732259")
        self.assertIn("физическому лицу", message)
        self.assertIn("10 цифр", message)

    def test_an_inn_of_the_wrong_length_letters_or_zeros_is_refused(self):
        self.assertIn("из 10 цифр, а здесь 9", refusal(validate_inn, "770708389"))
        self.assertIn("только из цифр", refusal(validate_inn, "77070838А3"))
        self.assertIn("только из цифр", refusal(validate_inn, "７７０７０８３８９３"))
        self.assertIn("одних нулей", refusal(validate_inn, "0000000000"))

    def test_valid_ogrns_pass(self):
        for value in VALID_OGRNS:
            with self.subTest(value):
                self.assertIsNone(refusal(validate_ogrn, value))

    def test_an_ogrn_with_a_wrong_control_digit_is_refused(self):
        self.assertIn("контрольной цифры", refusal(validate_ogrn, "1027700132196"))

    def test_an_entrepreneurs_ogrnip_and_other_register_numbers_are_refused(self):
        self.assertIn("ОГРНИП", refusal(validate_ogrn, "304500116000157"))
        self.assertIn("начинается с 1 или 5", refusal(validate_ogrn, "2027700132195"))
        self.assertIn("из 13 цифр, а здесь 12", refusal(validate_ogrn, "102770013219"))

    def test_kpp_format(self):
        for value in ("770701001", "7707AB001", "0105A1001"):
            with self.subTest(value):
                self.assertIsNone(refusal(validate_kpp, value))
        self.assertIn("9 знаков, а здесь 8", refusal(validate_kpp, "77070100"))
        for value in ("7707ab001", "77O701001", "770701AB1", "7707ЯБ001"):
            with self.subTest(value):
                self.assertIn("записан неверно", refusal(validate_kpp, value))

    def test_blank_is_allowed_for_old_rows(self):
        for validator in (validate_inn, validate_kpp, validate_ogrn, validate_busgov_url):
            self.assertIsNone(refusal(validator, ""))

    def test_control_functions_make_valid_numbers(self):
        for prefix in ("770708389", "773605000", "000000001", "999999999"):
            with self.subTest(prefix):
                self.assertIsNone(refusal(validate_inn, prefix + inn_control(prefix)))
        self.assertEqual(inn_control("770708389"), "3")
        self.assertEqual(ogrn_control("102770013219"), "5")
        for prefix in ("102770013219", "502770013219", "112345678901"):
            with self.subTest(prefix):
                self.assertIsNone(refusal(validate_ogrn, prefix + ogrn_control(prefix)))
        with self.assertRaises(ValueError):
            inn_control("12345")


class BusgovUrlTests(SimpleTestCase):
    def test_bus_gov_ru_and_its_subdomains_are_accepted(self):
        for url in (
            "https://bus.gov.ru/info-card/123",
            "https://www.bus.gov.ru/pub/agency/123",
            "https://BUS.GOV.RU/info-card/1",
        ):
            with self.subTest(url):
                self.assertIsNone(refusal(validate_busgov_url, url))

    def test_other_hosts_are_refused_even_if_they_end_in_bus_gov_ru(self):
        for url in (
            "https://evilbus.gov.ru/info-card/1",
            "https://bus.gov.ru.evil.example/info-card/1",
            "https://gov.ru/bus",
        ):
            with self.subTest(url):
                self.assertIn("а не на bus.gov.ru", refusal(validate_busgov_url, url))

    def test_plain_http_credentials_ports_and_scripts_are_refused(self):
        for url in (
            "http://bus.gov.ru/info-card/1",
            "https://user:secret@bus.gov.ru/info-card/1",
            "https://bus.gov.ru:8443/info-card/1",
            "javascript:alert(1)//bus.gov.ru",
            "bus.gov.ru/info-card/1",
        ):
            with self.subTest(url):
                self.assertIn("bus.gov.ru", refusal(validate_busgov_url, url))


class InnKppPairTests(TestCase):
    def test_branches_share_an_inn_with_a_kpp_each_but_not_the_pair(self):
        OrganisationFactory(inn=VALID_INNS[0], kpp="770701001")
        branch = OrganisationFactory.build(
            municipality=MunicipalityFactory(), inn=VALID_INNS[0], kpp="770702001"
        )
        branch.full_clean()
        twin = OrganisationFactory.build(
            municipality=branch.municipality, inn=VALID_INNS[0], kpp="770701001"
        )
        with self.assertRaisesMessage(ValidationError, "с такими ИНН и КПП уже есть"):
            twin.full_clean()

    def test_rows_without_a_kpp_are_not_compared(self):
        OrganisationFactory(inn=VALID_INNS[0])
        OrganisationFactory.build(
            municipality=MunicipalityFactory(), inn=VALID_INNS[0]
        ).full_clean()


def csv_file(header, rows):
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return text.getvalue().encode("utf-8")


def xlsx_file(header, rows):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for values in rows:
        sheet.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def base(code):
    return [code, f"Школа {code}", "school", "Северный район"]


class ImportTests(TestCase):
    header = [*BASE_COLUMNS, "inn", "kpp", "ogrn", "busgov_url"]

    def test_identifier_columns_import_and_export_back_unchanged(self):
        data = csv_file(
            self.header,
            [
                [*base("7701"), VALID_INNS[0], "770701001", VALID_OGRNS[0], "https://bus.gov.ru/x"],
                # Spaces between digit groups and a spreadsheet's ".0" are what they look like.
                [*base("7702"), "7736 050 003", "773601001", "1027739049689.0", ""],
                [*base("7703"), LEADING_ZERO_INN, "", "", ""],
            ],
        )
        report = import_registry(data, "registry.csv")
        self.assertTrue(report.ok, report.error_lines())
        school = Organisation.objects.get(code="7701")
        self.assertEqual(
            (school.inn, school.kpp, school.ogrn, school.busgov_url),
            (VALID_INNS[0], "770701001", VALID_OGRNS[0], "https://bus.gov.ru/x"),
        )
        second = Organisation.objects.get(code="7702")
        self.assertEqual((second.inn, second.ogrn), (VALID_INNS[1], VALID_OGRNS[1]))
        self.assertEqual(Organisation.objects.get(code="7703").inn, LEADING_ZERO_INN)

        exported = export_registry(Organisation.objects.order_by("code"), "xlsx")
        sheet = load_workbook(io.BytesIO(exported)).worksheets[0]
        header = [cell.value for cell in sheet[1]]
        inn_cell = sheet.cell(row=4, column=header.index("inn") + 1)
        # Text, so the leading zero survives the round trip.
        self.assertEqual((inn_cell.value, inn_cell.data_type), (LEADING_ZERO_INN, "s"))
        again = import_registry(exported, "registry.xlsx")
        self.assertTrue(again.ok, again.error_lines())
        self.assertEqual((again.created, again.updated, again.unchanged), (0, 0, 3))

    def test_a_file_without_the_columns_keeps_the_stored_identifiers(self):
        organisation = OrganisationFactory(
            code="7701",
            inn=VALID_INNS[0],
            kpp="770701001",
            ogrn=VALID_OGRNS[0],
            busgov_url="https://bus.gov.ru/info-card/7701",
        )
        report = import_registry(
            csv_file(BASE_COLUMNS, [["7701", "Новое название", "school", "Северный район"]]),
            "registry.csv",
        )
        self.assertTrue(report.ok, report.error_lines())
        organisation.refresh_from_db()
        self.assertEqual(organisation.name, "Новое название")
        self.assertEqual(
            (organisation.inn, organisation.kpp, organisation.ogrn, organisation.busgov_url),
            (VALID_INNS[0], "770701001", VALID_OGRNS[0], "https://bus.gov.ru/info-card/7701"),
        )
        # Only the columns the file has: the ИНН column alone leaves the КПП alone.
        report = import_registry(
            csv_file([*BASE_COLUMNS, "inn"], [[*base("7701"), VALID_INNS[1]]]), "registry.csv"
        )
        self.assertTrue(report.ok, report.error_lines())
        organisation.refresh_from_db()
        self.assertEqual((organisation.inn, organisation.kpp), (VALID_INNS[1], "770701001"))

    def test_bad_cells_are_named_by_row_and_column_and_nothing_is_written(self):
        data = csv_file(
            self.header,
            [
                [*base("7701"), "7707083894", "", "", ""],
                [*base("7702"), "", "7707ab001", "", ""],
                [*base("7703"), "", "", "304500116000157", ""],
                [*base("7704"), "", "", "", "https://evilbus.gov.ru/1"],
                [*base("7705"), "7,70708E+09", "", "", ""],
                [*base("7706"), "500100732259", "", "", ""],
            ],
        )
        report = import_registry(data, "registry.csv")
        self.assertFalse(report.ok)
        lines = report.error_lines()
        expected = [
            ("Строка 2, столбец inn", "контрольной цифры"),
            ("Строка 3, столбец kpp", "записан неверно"),
            ("Строка 4, столбец ogrn", "ОГРНИП"),
            ("Строка 5, столбец busgov_url", "evilbus.gov.ru"),
            ("Строка 6, столбец inn", "экспоненциальной"),
            ("Строка 7, столбец inn", "физическому лицу"),
        ]
        for where, what in expected:
            with self.subTest(where):
                self.assertTrue(any(where in line and what in line for line in lines), lines)
        self.assertFalse(Organisation.objects.exists())

    def test_a_number_cell_that_lost_its_leading_zero_is_refused_with_a_hint(self):
        report = import_registry(
            xlsx_file(self.header, [[*base("7701"), int(LEADING_ZERO_INN), None, None, None]]),
            "registry.xlsx",
        )
        self.assertFalse(report.ok)
        [line] = report.error_lines()
        self.assertIn("Строка 2, столбец inn", line)
        self.assertIn("а здесь 9", line)
        self.assertIn("текстовый формат", line)

    def test_number_cells_with_every_digit_import(self):
        report = import_registry(
            xlsx_file(
                self.header,
                [[*base("7701"), int(VALID_INNS[0]), "770701001", float(VALID_OGRNS[0]), None]],
            ),
            "registry.xlsx",
        )
        self.assertTrue(report.ok, report.error_lines())
        organisation = Organisation.objects.get(code="7701")
        self.assertEqual((organisation.inn, organisation.ogrn), (VALID_INNS[0], VALID_OGRNS[0]))

    def test_an_inn_and_kpp_pair_is_refused_twice_in_a_file_and_against_the_registry(self):
        OrganisationFactory(code="5501", inn=VALID_INNS[1], kpp="773601001")
        data = csv_file(
            self.header,
            [
                [*base("7701"), VALID_INNS[0], "770701001", "", ""],
                [*base("7702"), VALID_INNS[0], "770702001", "", ""],  # a branch: its own КПП
                [*base("7703"), VALID_INNS[0], "770701001", "", ""],
                [*base("7704"), VALID_INNS[1], "773601001", "", ""],
            ],
        )
        report = import_registry(data, "registry.csv")
        lines = report.error_lines()
        self.assertEqual(len(lines), 2, lines)
        self.assertIn("Строка 4, столбец kpp", lines[0])
        self.assertIn("«7701»", lines[0])
        self.assertIn("Строка 5, столбец kpp", lines[1])
        self.assertIn("«5501»", lines[1])


class AdminAndPageTests(WagtailTestUtils, TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.organisation = OrganisationFactory(
            code="7701",
            inn=VALID_INNS[0],
            kpp="770701001",
            ogrn=VALID_OGRNS[0],
            busgov_url="https://bus.gov.ru/info-card/7701",
        )
        cls.editor = get_user_model().objects.create_user(
            "editor", password="password", is_staff=True
        )
        cls.editor.groups.add(editors_group())

    def form_data(self, **values):
        organisation = self.organisation
        data = {
            "code": organisation.code,
            "name": organisation.name,
            "short_name": organisation.short_name,
            "kind": organisation.kind,
            "municipality": organisation.municipality_id,
            "address": organisation.address,
            "website": organisation.website,
            "founder": organisation.founder,
            "inn": organisation.inn,
            "kpp": organisation.kpp,
            "ogrn": organisation.ogrn,
            "busgov_url": organisation.busgov_url,
            "contingent_parents": organisation.contingent_parents,
            "contingent_students": organisation.contingent_students,
            "is_active": "on",
        }
        data.update(values)
        return data

    def test_the_editors_form_names_each_wrong_identifier_in_russian(self):
        self.client.force_login(self.editor)
        url = reverse("organisations:edit", args=[self.organisation.pk])
        response = self.client.post(
            url,
            self.form_data(
                inn="7707083894",
                kpp="7707ab001",
                ogrn="1027700132196",
                busgov_url="https://evilbus.gov.ru/",
            ),
        )
        self.assertEqual(response.status_code, 200)
        errors = response.context["form"].errors
        self.assertIn("контрольной цифры", " ".join(errors["inn"]))
        self.assertIn("записан неверно", " ".join(errors["kpp"]))
        self.assertIn("контрольной цифры", " ".join(errors["ogrn"]))
        self.assertIn("а не на bus.gov.ru", " ".join(errors["busgov_url"]))
        self.organisation.refresh_from_db()
        self.assertEqual(self.organisation.inn, VALID_INNS[0])

        response = self.client.post(url, self.form_data(inn=VALID_INNS[1], kpp="773601001"))
        self.assertEqual(response.status_code, 302)
        self.organisation.refresh_from_db()
        self.assertEqual(
            (self.organisation.inn, self.organisation.kpp), (VALID_INNS[1], "773601001")
        )

    def test_the_public_page_shows_the_identifiers_and_the_registrys_bus_gov_ru_card(self):
        page = SchoolPage.objects.get(organisation=self.organisation)
        page.bus_gov_url = "https://bus.gov.ru/info-card/page-link"
        page.save_revision().publish()
        response = self.client.get(page.url)
        self.assertContains(response, f"<dd>{VALID_INNS[0]}</dd>", html=True)
        self.assertContains(response, "<dd>770701001</dd>", html=True)
        self.assertContains(response, f"<dd>{VALID_OGRNS[0]}</dd>", html=True)
        self.assertContains(response, 'href="https://bus.gov.ru/info-card/7701"')
        self.assertNotContains(response, "page-link")

    def test_without_a_registry_link_the_pages_own_link_is_shown_and_no_empty_facts(self):
        Organisation.objects.filter(pk=self.organisation.pk).update(
            inn="", kpp="", ogrn="", busgov_url=""
        )
        page = SchoolPage.objects.get(organisation=self.organisation)
        page.bus_gov_url = "https://bus.gov.ru/info-card/page-link"
        page.save_revision().publish()
        response = self.client.get(page.url)
        self.assertContains(response, 'href="https://bus.gov.ru/info-card/page-link"')
        self.assertNotContains(response, "<dt>ИНН</dt>")
        self.assertNotContains(response, "<dt>ОГРН</dt>")
