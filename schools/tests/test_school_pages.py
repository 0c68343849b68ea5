"""School profile pages: provisioning from the registry, the public directory, and what
school staff may and may not do in the admin (security.md cases 12–15)."""

import pytest
from django.contrib.auth import get_user_model
from django.test import TestCase
from django.urls import reverse
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Revision
from wagtail.test.utils import WagtailTestUtils
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from core.permissions import editors_group
from registry.tests.factories import MunicipalityFactory, OrganisationFactory
from schools.models import Organisation, SchoolIndexPage, SchoolPage
from schools.provisioning import add_staff_member

User = get_user_model()


def make_user(username, **extra):
    return User.objects.create_user(username, f"{username}@example.com", "password", **extra)


def school_page_form_data(page, **fields):
    """What the page edit form posts for a school's profile, before nesting."""
    return {
        "title": page.title,
        "slug": page.slug,
        "intro": "",
        "about": rich_text(""),
        "director_name": "",
        "director_position": "Директор",
        "phone": "",
        "email": "",
        "working_hours": "",
        "programmes": rich_text(""),
        "accessibility": rich_text(""),
        "gallery": streamfield([]),
        "documents": streamfield([]),
        "bus_gov_url": "",
        "search_description": "",
        **fields,
    }


class SchoolFixtures(WagtailTestUtils, TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.municipality = MunicipalityFactory(name="Городской округ Приозёрск", slug="priozersk")
        cls.other_municipality = MunicipalityFactory(name="Каменский район", slug="kamensky")
        cls.school_a = OrganisationFactory(
            name="МБОУ «Средняя школа № 1»", short_name="СОШ № 1", municipality=cls.municipality
        )
        cls.school_b = OrganisationFactory(
            name="МБОУ «Средняя школа № 2»",
            short_name="СОШ № 2",
            municipality=cls.other_municipality,
        )
        cls.page_a = SchoolPage.objects.get(organisation=cls.school_a)
        cls.page_b = SchoolPage.objects.get(organisation=cls.school_b)
        cls.staff_a = make_user("staff_a")
        add_staff_member(cls.school_a, cls.staff_a)
        cls.staff_b = make_user("staff_b")
        add_staff_member(cls.school_b, cls.staff_b)
        cls.editor = make_user("editor")
        cls.editor.groups.add(editors_group())
        cls.second_editor = make_user("editor2")
        cls.second_editor.groups.add(editors_group())
        cls.coordinator = make_user("coordinator")
        cls.coordinator.groups.add(cls.municipality.coordinator_group)
        cls.other_coordinator = make_user("other_coordinator")
        cls.other_coordinator.groups.add(cls.other_municipality.coordinator_group)

    def edit_data(self, page, **fields):
        return nested_form_data(school_page_form_data(page, **fields))

    def edit_url(self, page):
        return reverse("wagtailadmin_pages:edit", args=[page.pk])


class ProvisioningTests(SchoolFixtures):
    def test_new_organisation_gets_live_page_group_and_collection(self):
        self.assertTrue(self.page_a.live)
        self.assertEqual(self.page_a.title, self.school_a.name)
        self.assertIsInstance(self.page_a.get_parent().specific, SchoolIndexPage)
        self.school_a.refresh_from_db()
        group = self.school_a.staff_group
        permissions = list(group.page_permissions.values_list("page_id", "permission__codename"))
        self.assertEqual(permissions, [(self.page_a.pk, "change_page")])
        self.assertTrue(
            group.collection_permissions.filter(collection=self.school_a.collection).exists()
        )
        self.assertFalse(
            group.collection_permissions.exclude(collection=self.school_a.collection).exists()
        )

    def test_saving_again_creates_nothing_new(self):
        counts = (SchoolPage.objects.count(), Revision.objects.count())
        self.school_a.save()
        self.assertEqual((SchoolPage.objects.count(), Revision.objects.count()), counts)

    def test_registry_rename_updates_the_live_title(self):
        self.school_a.name = "МАОУ «Лицей № 1»"
        self.school_a.save()
        self.assertEqual(SchoolPage.objects.get(pk=self.page_a.pk).title, "МАОУ «Лицей № 1»")
        self.assertContains(self.client.get(self.page_a.url), "МАОУ «Лицей № 1»")


@pytest.mark.search
class DirectoryTests(SchoolFixtures):
    def test_directory_lists_filters_and_searches(self):
        index = self.page_a.get_parent().specific
        response = self.client.get(index.url)
        self.assertContains(response, "Средняя школа № 1")
        self.assertContains(response, "Средняя школа № 2")
        response = self.client.get(index.url, {"municipality": self.municipality.pk})
        self.assertContains(response, "Средняя школа № 1")
        self.assertNotContains(response, "Средняя школа № 2")
        response = self.client.get(index.url, {"kind": "preschool"})
        self.assertNotContains(response, "Средняя школа № 1")
        response = self.client.get(index.url, {"q": "СОШ № 2"})
        self.assertContains(response, "Средняя школа № 2")
        for junk in ({"page": "abc"}, {"municipality": "x"}, {"q": "'\"<>" * 1000}):
            self.assertEqual(self.client.get(index.url, junk).status_code, 200)

    def test_inactive_organisations_are_hidden(self):
        Organisation.objects.filter(pk=self.school_b.pk).update(is_active=False)
        index = self.page_a.get_parent().specific
        self.assertNotContains(self.client.get(index.url), "Средняя школа № 2")

    def test_municipality_page_shows_schools_and_coordinator(self):
        self.municipality.coordinator_name = "Смирнова Ольга Викторовна"
        self.municipality.save()
        index = self.page_a.get_parent().specific
        response = self.client.get(f"{index.url}m/priozersk/")
        self.assertContains(response, "Смирнова Ольга Викторовна")
        self.assertContains(response, "Средняя школа № 1")
        self.assertNotContains(response, "Средняя школа № 2")
        self.assertEqual(self.client.get(f"{index.url}m/net-takogo/").status_code, 404)

    def test_school_page_shows_registry_facts(self):
        response = self.client.get(self.page_a.url)
        self.assertContains(response, self.school_a.address)
        self.assertContains(response, 'class="callout__title">Анкетирование</h2>')


class StaffPermissionTests(SchoolFixtures):
    def assertDenied(self, response, hops=2):
        # Wagtail answers a forbidden admin action with 403 or a redirect to the dashboard;
        # some URLs first redirect to their canonical view, which must then deny.
        self.assertIn(response.status_code, (302, 403, 404), response.status_code)
        if response.status_code == 302 and response["Location"] != reverse("wagtailadmin_home"):
            self.assertGreater(hops, 0, response["Location"])
            self.assertDenied(self.client.get(response["Location"]), hops - 1)

    def test_staff_edits_own_page_as_a_draft_only(self):
        self.client.force_login(self.staff_a)
        self.assertEqual(self.client.get(self.edit_url(self.page_a)).status_code, 200)
        response = self.client.post(
            self.edit_url(self.page_a),
            self.edit_data(self.page_a, director_name="Петрова Анна", **{"action-publish": "1"}),
        )
        self.assertEqual(response.status_code, 302)
        page = SchoolPage.objects.get(pk=self.page_a.pk)
        self.assertEqual(page.director_name, "")  # not live: no publish permission
        self.assertEqual(page.get_latest_revision_as_object().director_name, "Петрова Анна")
        self.assertNotContains(self.client.get(page.url), "Петрова Анна")

    def test_staff_cannot_touch_another_schools_page(self):
        self.client.force_login(self.staff_a)
        before = SchoolPage.objects.get(pk=self.page_b.pk)
        pk = self.page_b.pk
        urls = [
            reverse("wagtailadmin_pages:edit", args=[pk]),
            reverse("wagtailadmin_pages:preview_on_edit", args=[pk]),
            reverse("wagtailadmin_pages:history", args=[pk]),
            reverse("wagtailadmin_pages:revisions_index", args=[pk]),
            reverse("wagtailadmin_pages:copy", args=[pk]),
            reverse("wagtailadmin_pages:move", args=[pk]),
            reverse("wagtailadmin_pages:unpublish", args=[pk]),
            reverse("wagtailadmin_pages:delete", args=[pk]),
        ]
        for url in urls:
            with self.subTest(url=url):
                self.assertDenied(self.client.get(url))
                self.assertDenied(self.client.post(url, self.edit_data(self.page_b, intro="взлом")))
        after = SchoolPage.objects.get(pk=pk)
        self.assertEqual(
            (after.live, after.intro, after.path), (before.live, before.intro, before.path)
        )
        self.assertFalse(
            Revision.page_revisions.filter(object_id=str(pk), user=self.staff_a).exists()
        )

    def test_staff_cannot_unpublish_delete_or_move_their_own_page(self):
        self.client.force_login(self.staff_a)
        pk = self.page_a.pk
        for name in ("unpublish", "delete", "move"):
            with self.subTest(action=name):
                self.assertDenied(
                    self.client.post(reverse(f"wagtailadmin_pages:{name}", args=[pk]))
                )
        self.assertTrue(SchoolPage.objects.get(pk=pk).live)

    def test_restricted_fields_posted_by_staff_are_ignored(self):
        self.client.force_login(self.staff_a)
        self.client.post(
            self.edit_url(self.page_a),
            self.edit_data(
                self.page_a,
                title="Лучшая школа края",
                slug="luchshaya",
                seo_title="SEO",
                intro="Новое описание",
            ),
        )
        page = SchoolPage.objects.get(pk=self.page_a.pk)
        draft = page.get_latest_revision_as_object()
        self.assertEqual(draft.intro, "Новое описание")
        self.assertEqual(draft.title, self.school_a.name)
        self.assertEqual(draft.slug, self.page_a.slug)
        self.assertEqual(draft.seo_title, "")

    def test_staff_is_kept_out_of_management_screens(self):
        self.client.force_login(self.staff_a)
        for url in (
            reverse("wagtailusers_users:index"),
            reverse("wagtailusers_groups:index"),
            "/admin/settings/home/operatorsettings/",
            "/admin/organisations/",
            "/admin/municipalities/",
            reverse("wagtailadmin_workflows:index"),
        ):
            with self.subTest(url=url):
                self.assertDenied(self.client.get(url))

    def test_admin_menu_is_trimmed_for_staff(self):
        self.client.force_login(self.staff_a)
        html = self.client.get(reverse("wagtailadmin_home")).content.decode()
        self.assertNotIn('"name": "registry"', html)
        self.client.force_login(self.editor)
        html_editor = self.client.get(reverse("wagtailadmin_home")).content.decode()
        self.assertIn("/admin/organisations/", html_editor)
        self.assertNotIn("/admin/organisations/", html)

    def test_staff_sees_only_their_own_images(self):
        Image = get_image_model()
        Image.objects.create(
            title="Фото школы А", file=get_test_image_file(), collection=self.school_a.collection
        )
        Image.objects.create(
            title="Фото школы Б", file=get_test_image_file(), collection=self.school_b.collection
        )
        self.client.force_login(self.staff_a)
        for url in (reverse("wagtailimages:index"), reverse("wagtailimages_chooser:choose")):
            with self.subTest(url=url):
                response = self.client.get(url)
                is_json = response["Content-Type"].startswith("application/json")
                content = response.json()["html"] if is_json else response.content.decode()
                self.assertIn("Фото школы А", content)
                self.assertNotIn("Фото школы Б", content)

    def test_explorer_shows_only_the_own_page(self):
        self.client.force_login(self.staff_a)
        response = self.client.get(reverse("wagtailadmin_explore_root"))
        content = response.content.decode()
        self.assertNotIn(self.school_b.name, content)
        # Exploring B's page sends the user back to their own explorable root.
        response = self.client.get(reverse("wagtailadmin_explore", args=[self.page_b.pk]))
        self.assertEqual(response.status_code, 302)
        self.assertNotIn(self.school_b.name, self.client.get(response["Location"]).content.decode())


class ModerationTests(SchoolFixtures):
    def submit(self, user, page, **fields):
        self.client.force_login(user)
        response = self.client.post(
            self.edit_url(page), self.edit_data(page, **{"action-submit": "1", **fields})
        )
        self.assertEqual(response.status_code, 302)
        return SchoolPage.objects.get(pk=page.pk)

    def task_state(self, page):
        return page.current_workflow_state.current_task_state

    def act(self, user, page, action, comment=""):
        self.client.force_login(user)
        task_state = self.task_state(page)
        url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, action, task_state.pk])
        return self.client.post(url, {"comment": comment})

    def test_submit_then_approve_publishes(self):
        page = self.submit(self.staff_a, self.page_a, intro="Школа с бассейном")
        self.assertEqual(page.intro, "")
        self.assertEqual(page.current_workflow_state.status, "in_progress")

        self.act(self.editor, page, "approve")
        page = SchoolPage.objects.get(pk=page.pk)
        self.assertEqual(page.intro, "Школа с бассейном")
        self.assertContains(self.client.get(page.url), "Школа с бассейном")

    def test_reject_returns_to_the_school_with_a_comment(self):
        page = self.submit(self.staff_a, self.page_a, intro="Лучшая школа")
        self.act(self.editor, page, "reject", comment="Уберите оценочные слова")
        page = SchoolPage.objects.get(pk=page.pk)
        self.assertEqual(page.intro, "")
        state = page.current_workflow_state
        self.assertEqual(state.status, "needs_changes")
        self.assertEqual(state.current_task_state.comment, "Уберите оценочные слова")
        # The school can fix and resubmit.
        page = self.submit(self.staff_a, page, intro="Школа с бассейном")
        self.assertEqual(page.current_workflow_state.status, "in_progress")

    def test_nobody_approves_their_own_change(self):
        page = self.submit(self.editor, self.page_a, intro="Правка редактора")
        task = self.task_state(page).task.specific
        self.assertEqual(task.get_actions(page, self.editor), [])
        self.act(self.editor, page, "approve")
        page = SchoolPage.objects.get(pk=page.pk)
        self.assertEqual(page.intro, "")
        self.act(self.second_editor, page, "approve")
        self.assertEqual(SchoolPage.objects.get(pk=page.pk).intro, "Правка редактора")

    def test_municipal_coordinator_approves_only_their_schools(self):
        page = self.submit(self.staff_a, self.page_a, intro="Проверено координатором")
        task = self.task_state(page).task.specific
        self.assertEqual(task.get_actions(page, self.other_coordinator), [])
        self.act(self.other_coordinator, page, "approve")
        self.assertEqual(SchoolPage.objects.get(pk=page.pk).intro, "")
        self.assertEqual(
            list(task.get_task_states_user_can_moderate(self.coordinator)),
            [self.task_state(page)],
        )
        self.assertFalse(task.get_task_states_user_can_moderate(self.other_coordinator).exists())
        self.act(self.coordinator, page, "approve")
        self.assertEqual(SchoolPage.objects.get(pk=page.pk).intro, "Проверено координатором")

    def test_school_staff_cannot_approve(self):
        page = self.submit(self.staff_a, self.page_a, intro="Сам себе модератор")
        self.act(self.staff_b, page, "approve")
        self.act(self.staff_a, page, "approve")
        self.assertEqual(SchoolPage.objects.get(pk=page.pk).intro, "")
