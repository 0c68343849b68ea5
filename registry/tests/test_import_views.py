"""Admin import (upload → preview → confirm) and export of the registry, and who may use them
(security.md cases 15 and 24)."""

import io
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse
from openpyxl import load_workbook

from core.permissions import editors_group
from registry.import_views import SESSION_KEY
from registry.models import Municipality, Organisation
from registry.tests.factories import OrganisationFactory
from registry.tests.test_registry_import import csv_bytes, row
from schools.provisioning import add_staff_member

User = get_user_model()
IMPORT_URL = "/admin/registry/import/"
CONFIRM_URL = "/admin/registry/import/confirm/"
EXPORT_URL = "/admin/registry/export/"


def pending_files():
    folder = Path(settings.MEDIA_ROOT) / "imports"
    return sorted(folder.iterdir()) if folder.exists() else []


class RegistryViewsTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.editor = User.objects.create_user("editor", "editor@example.com", "password")
        cls.editor.groups.add(editors_group())
        cls.school = OrganisationFactory(code="7700")
        # School staff are admin users, untrusted: they must not reach either screen.
        cls.school_staff = User.objects.create_user("staff", "staff@example.com", "password")
        add_staff_member(cls.school, cls.school_staff)
        cls.plain_staff = User.objects.create_user(
            "plain", "plain@example.com", "password", is_staff=True
        )
        cls.plain_staff.user_permissions.add(
            Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
        )
        cls.viewer = User.objects.create_user("viewer", "viewer@example.com", "password")
        cls.viewer.user_permissions.add(
            Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"),
            Permission.objects.get(
                content_type__app_label="registry", codename="view_organisation"
            ),
        )

    def setUp(self):
        for path in pending_files():
            path.unlink()

    def upload(self, data, name="registry.csv"):
        return self.client.post(IMPORT_URL, {"file": SimpleUploadedFile(name, data)})


class ImportScreenTests(RegistryViewsTestCase):
    def test_urls_and_menu(self):
        self.assertEqual(reverse("registry_exchange:import"), IMPORT_URL)
        self.client.force_login(self.editor)
        response = self.client.get(IMPORT_URL)
        self.assertContains(response, "Импорт реестра организаций")
        self.assertContains(response, 'enctype="multipart/form-data"')
        self.assertContains(self.client.get("/admin/"), IMPORT_URL)
        self.client.force_login(self.school_staff)
        self.assertNotContains(self.client.get("/admin/"), IMPORT_URL)

    def test_preview_writes_nothing_then_confirm_imports(self):
        self.client.force_login(self.editor)
        data = csv_bytes(
            [row("7700", contingent_parents="999"), row("7701", municipality="Новый округ")]
        )
        organisations, municipalities = Organisation.objects.count(), Municipality.objects.count()

        response = self.upload(data)
        self.assertEqual(response.status_code, 200)
        self.assertTemplateUsed(response, "registry/import/preview.html")
        self.assertContains(
            response,
            "Проверка пройдена, ничего не записано. Будет создано 1, "
            "обновлено 1, без изменений 0, новых муниципалитетов 2.",
        )
        self.assertContains(response, "будет создана")
        self.assertContains(response, "будет обновлена")
        self.assertContains(response, "Подтвердить импорт")
        self.assertEqual(Organisation.objects.count(), organisations)
        self.assertEqual(Municipality.objects.count(), municipalities)
        self.assertEqual(Organisation.objects.get(code="7700").contingent_parents, 400)
        [stored] = pending_files()
        self.assertRegex(stored.name, r"^[0-9a-f]{32}\.csv$")  # never the client's name

        token = self.client.session[SESSION_KEY]["token"]
        response = self.client.post(CONFIRM_URL, {"token": token})
        self.assertRedirects(response, IMPORT_URL, fetch_redirect_response=False)
        self.assertEqual(Organisation.objects.count(), organisations + 1)
        self.assertEqual(Organisation.objects.get(code="7700").contingent_parents, 999)
        self.assertTrue(Municipality.objects.filter(name="Новый округ").exists())
        self.assertEqual(pending_files(), [])
        self.assertContains(self.client.get(IMPORT_URL), "Импорт выполнен: создано 1")

        # Submitting the confirmation again imports nothing twice.
        response = self.client.post(CONFIRM_URL, {"token": token}, follow=True)
        self.assertContains(response, "Файл для импорта не найден")

    def test_errors_rerender_the_form_and_nothing_is_kept_or_written(self):
        self.client.force_login(self.editor)
        data = csv_bytes([row("7701", contingent_parents="много"), row("7702", kind="вуз")])
        response = self.upload(data)
        self.assertEqual(response.status_code, 200)
        self.assertTemplateUsed(response, "registry/import/upload.html")
        self.assertContains(response, "Импорт не выполнен, ничего не записано: 2 ошибки")
        self.assertContains(response, "<td>2</td>", html=True)
        self.assertContains(response, "<td>contingent_parents</td>", html=True)
        self.assertContains(response, "неизвестный тип «вуз»")
        self.assertNotContains(response, "Подтвердить импорт")
        self.assertNotIn(SESSION_KEY, self.client.session)
        self.assertEqual(pending_files(), [])
        self.assertFalse(Organisation.objects.filter(code__in=["7701", "7702"]).exists())

    def test_unreadable_and_wrong_files(self):
        self.client.force_login(self.editor)
        response = self.upload(b"\x00\x01 not a workbook", "registry.xlsx")
        self.assertContains(response, "Файл повреждён или это не XLSX.")
        response = self.upload(b"<html></html>", "registry.html")
        self.assertTrue(response.context["form"].errors["file"])
        self.assertEqual(pending_files(), [])

    def test_confirm_needs_this_sessions_token(self):
        self.client.force_login(self.editor)
        self.upload(csv_bytes([row("7701")]))
        response = self.client.post(CONFIRM_URL, {"token": "0" * 32}, follow=True)
        self.assertContains(response, "Файл для импорта не найден")
        self.assertFalse(Organisation.objects.filter(code="7701").exists())
        self.assertEqual(pending_files(), [])

    def test_confirm_without_preview_or_by_get(self):
        self.client.force_login(self.editor)
        self.assertRedirects(self.client.post(CONFIRM_URL, {"token": "x"}), IMPORT_URL)
        self.assertEqual(self.client.get(CONFIRM_URL).status_code, 405)


class ExportScreenTests(RegistryViewsTestCase):
    def test_csv_and_xlsx_downloads(self):
        self.client.force_login(self.viewer)
        response = self.client.get(EXPORT_URL, {"format": "csv"})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "text/csv; charset=utf-8")
        self.assertRegex(
            response["Content-Disposition"],
            r'^attachment; filename="organisations-\d{4}-\d{2}-\d{2}\.csv"$',
        )
        self.assertTrue(response.content.startswith(b"\xef\xbb\xbfcode,name,short_name,kind"))
        self.assertIn(b"7700", response.content)

        response = self.client.get(EXPORT_URL, {"format": "xlsx"})
        sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
        self.assertEqual(sheet["A2"].value, "7700")
        self.assertEqual(self.client.get(EXPORT_URL, {"format": "pdf"}).status_code, 400)


class PermissionTests(RegistryViewsTestCase):
    def test_users_without_registry_rights_get_403(self):
        for user in (self.school_staff, self.plain_staff):
            self.client.force_login(user)
            with self.subTest(user=user.username):
                self.assertEqual(self.client.get(IMPORT_URL).status_code, 403)
                self.assertEqual(self.upload(csv_bytes([row("7701")])).status_code, 403)
                self.assertEqual(self.client.post(CONFIRM_URL, {"token": "x"}).status_code, 403)
                self.assertEqual(self.client.get(EXPORT_URL, {"format": "csv"}).status_code, 403)
        self.assertFalse(Organisation.objects.filter(code="7701").exists())
        self.assertEqual(pending_files(), [])

    def test_viewing_the_registry_allows_export_but_not_import(self):
        self.client.force_login(self.viewer)
        self.assertEqual(self.client.get(EXPORT_URL).status_code, 200)
        self.assertEqual(self.client.get(IMPORT_URL).status_code, 403)

    def test_anonymous_users_are_sent_to_log_in(self):
        for url in (IMPORT_URL, EXPORT_URL):
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 302)
                self.assertIn("/admin/login/", response["Location"])
