"""Editors manage school staff (invitations with a set-password link); coordinators see
their municipality's schools; nobody else reaches either screen."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from schools.tests.test_school_pages import SchoolFixtures


class StaffManagementTests(SchoolFixtures):
    def test_editor_invites_a_staff_member_who_sets_a_password_and_edits(self):
        self.client.force_login(self.editor)
        url = reverse("schools_staff_detail", args=[self.school_a.pk])
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(
                url,
                {
                    "last_name": "Петрова",
                    "first_name": "Анна Сергеевна",
                    "email": "Petrova@School1.example",
                    "send_invitation": "on",
                },
            )
        self.assertRedirects(response, url)
        user = get_user_model().objects.get(email="petrova@school1.example")
        self.assertFalse(user.has_usable_password())
        self.assertIn(self.school_a.staff_group, user.groups.all())
        self.assertEqual(len(mail.outbox), 1)
        link = re.search(r"http://testserver(\S+)", mail.outbox[0].body).group(1)

        self.client.logout()
        response = self.client.get(link, follow=True)
        self.assertEqual(response.status_code, 200)
        set_password_url = response.redirect_chain[-1][0] if response.redirect_chain else link
        response = self.client.post(
            set_password_url,
            {
                "new_password1": "Pr1ozersk-school-2026",
                "new_password2": "Pr1ozersk-school-2026",
            },
        )
        self.assertEqual(response.status_code, 302)
        self.assertTrue(self.client.login(username=user.username, password="Pr1ozersk-school-2026"))
        self.assertEqual(self.client.get(self.edit_url(self.page_a)).status_code, 200)

    def test_form_errors_rerender_and_create_nothing(self):
        self.client.force_login(self.editor)
        users = get_user_model().objects.count()
        response = self.client.post(
            reverse("schools_staff_detail", args=[self.school_a.pk]),
            {"last_name": "", "first_name": "Анна", "email": "не-почта"},
        )
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.context["form"].errors["email"])
        self.assertEqual(get_user_model().objects.count(), users)

    def test_editor_removes_a_staff_member(self):
        self.client.force_login(self.editor)
        self.client.post(
            reverse("schools_staff_detail", args=[self.school_a.pk]), {"remove": self.staff_a.pk}
        )
        self.assertNotIn(self.school_a.staff_group, self.staff_a.groups.all())

    def test_school_staff_and_coordinators_cannot_manage_staff(self):
        for user in (self.staff_a, self.coordinator):
            self.client.force_login(user)
            for url in (
                reverse("schools_staff_index"),
                reverse("schools_staff_detail", args=[self.school_a.pk]),
            ):
                with self.subTest(user=user.username, url=url):
                    response = self.client.post(
                        url, {"email": "x@example.com", "first_name": "x", "last_name": "x"}
                    )
                    self.assertIn(response.status_code, (302, 403))
        self.assertFalse(get_user_model().objects.filter(email="x@example.com").exists())


class CoordinatorOverviewTests(SchoolFixtures):
    def test_coordinator_sees_only_their_municipality(self):
        self.client.force_login(self.coordinator)
        response = self.client.get(reverse("schools_municipality_overview"))
        self.assertContains(response, self.school_a.name)
        self.assertNotContains(response, self.school_b.name)

    def test_others_are_refused(self):
        for user in (self.staff_a, self.editor):
            self.client.force_login(user)
            response = self.client.get(reverse("schools_municipality_overview"))
            self.assertIn(response.status_code, (302, 403))


class RegistryViewSetTests(SchoolFixtures):
    @pytest.mark.search
    def test_editor_searches_organisations_by_name_short_name_and_code(self):
        self.client.force_login(self.editor)
        for query in ("Средняя", "СОШ", self.school_b.code):
            with self.subTest(query=query):
                response = self.client.get("/admin/organisations/", {"q": query})
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, "МБОУ «Средняя школа № 2»")
        response = self.client.get("/admin/organisations/", {"q": self.school_a.code})
        self.assertNotContains(response, "МБОУ «Средняя школа № 2»")

    @pytest.mark.search
    def test_editor_searches_municipalities_by_name_and_coordinator(self):
        self.client.force_login(self.editor)
        for query in ("Камен", "Иванова"):
            with self.subTest(query=query):
                response = self.client.get("/admin/municipalities/", {"q": query})
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, "Каменский район")

    def test_editor_lists_filters_and_exports_without_formulas(self):
        self.school_a.name = '=HYPERLINK("http://evil.example","Нажми")'
        self.school_a.save()
        self.client.force_login(self.editor)
        response = self.client.get("/admin/organisations/", {"municipality": self.municipality.pk})
        self.assertContains(response, "HYPERLINK")
        self.assertNotContains(response, self.school_b.name)
        response = self.client.get("/admin/organisations/", {"export": "csv"})
        csv_text = b"".join(response.streaming_content).decode("utf-8")
        self.assertIn("'=HYPERLINK", csv_text)
        self.assertNotIn(",=HYPERLINK", csv_text)

    def test_editor_edits_an_organisation_and_the_page_follows(self):
        self.client.force_login(self.editor)
        url = f"/admin/organisations/edit/{self.school_a.pk}/"
        self.assertEqual(self.client.get(url).status_code, 200)
        data = {
            "code": self.school_a.code,
            "name": "МАОУ «Лицей № 1»",
            "short_name": "Лицей № 1",
            "kind": "school",
            "municipality": self.municipality.pk,
            "address": "ул. Мира, 1",
            "website": "",
            "contingent_parents": "500",
            "contingent_students": "100",
            "founder": "municipal",
            "is_active": "on",
        }
        self.assertEqual(self.client.post(url, data).status_code, 302)
        self.assertEqual(
            self.page_a.__class__.objects.get(pk=self.page_a.pk).title, "МАОУ «Лицей № 1»"
        )
        data["contingent_parents"] = "-5"
        response = self.client.post(url, data)
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.context["form"].errors["contingent_parents"])
        # A name pasted with an invisible control character is refused with a message
        # (security.md case 38), and the saved name stays.
        data["contingent_parents"] = "500"
        for field in ("name", "short_name", "address"):
            with self.subTest(field=field):
                response = self.client.post(url, {**data, field: "Лицей\x1b № 1"})
                self.assertEqual(response.status_code, 200)
                self.assertIn("управляющие символы", str(response.context["form"].errors[field]))
        self.school_a.refresh_from_db()
        self.assertEqual(self.school_a.name, "МАОУ «Лицей № 1»")
