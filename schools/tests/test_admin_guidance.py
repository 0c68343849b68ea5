"""The admin as school staff and coordinators meet it: «Моя страница» on the dashboard, the
page's moderation state after submitting, coordinators landing somewhere they may see after a
review, pending changes first in their lists, and no avatars fetched from outside."""

from django.test import RequestFactory
from django.urls import reverse

from registry.tests.factories import OrganisationFactory
from schools.models import SchoolPage
from schools.tests.test_school_pages import SchoolFixtures
from schools.wagtail_hooks import REVIEW_ACTION, explain_moderation_after_edit

HOME = reverse("wagtailadmin_home")
OVERVIEW = reverse("schools_municipality_overview")
WORKSPACE = "/cabinet/municipality/"
NO_ACCESS = "нет доступа в эту область"


def panel_html(response):
    """The «Моя страница» panel of a dashboard response, or "" when there is none."""
    html = response.content.decode()
    start = html.find('id="my-page-section"')
    if start == -1:
        return ""
    return html[start : html.find("</section>", start)]


class Moderation(SchoolFixtures):
    def submit(self, user, page, **fields):
        self.client.force_login(user)
        return self.client.post(
            self.edit_url(page),
            self.edit_data(page, **{"action-submit": "1", **fields}),
            follow=True,
        )

    def review(self, user, page, action, comment=""):
        self.client.force_login(user)
        task_state = SchoolPage.objects.get(pk=page.pk).current_workflow_state.current_task_state
        url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, action, task_state.pk])
        return self.client.post(url, {"comment": comment}, follow=True)


class MyPagePanelTests(Moderation):
    def test_staff_see_their_page_with_edit_and_view_links_on_the_dashboard(self):
        self.client.force_login(self.staff_a)
        panel = panel_html(self.client.get(HOME))
        self.assertIn("Моя страница", panel)
        self.assertIn(self.school_a.name, panel)
        self.assertIn(f'href="{self.edit_url(self.page_a)}"', panel)
        self.assertIn("Редактировать", panel)
        self.assertIn(f'href="{self.page_a.url}"', panel)
        self.assertIn("Открыть на сайте", panel)
        self.assertIn("опубликована", panel)

    def test_the_panel_never_shows_another_schools_page(self):
        self.client.force_login(self.staff_a)
        html = self.client.get(HOME).content.decode()
        self.assertNotIn(self.school_b.name, html)
        self.assertNotIn(self.edit_url(self.page_b), html)
        self.client.force_login(self.staff_b)
        panel = panel_html(self.client.get(HOME))
        self.assertIn(self.school_b.name, panel)
        self.assertNotIn(self.school_a.name, panel)

    def test_people_without_a_school_have_no_my_page_panel(self):
        for user in (self.editor, self.coordinator):
            self.client.force_login(user)
            with self.subTest(user=user.username):
                self.assertEqual(panel_html(self.client.get(HOME)), "")

    def test_the_dashboard_of_staff_has_no_portal_wide_summary(self):
        self.client.force_login(self.staff_a)
        self.assertNotContains(self.client.get(HOME), "создана на")

    def test_staff_explorer_lists_their_own_page_instead_of_an_empty_list(self):
        self.client.force_login(self.staff_a)
        response = self.client.get(reverse("wagtailadmin_explore_root"), follow=True)
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        self.assertNotIn("1-0 of 0", html)
        self.assertIn("1-1 of 1", html)
        self.assertIn(f'href="{self.edit_url(self.page_a)}"', html)
        self.assertNotIn(self.school_b.name, html)

    def test_editors_explorer_of_a_school_page_is_wagtails_own(self):
        self.client.force_login(self.editor)
        response = self.client.get(reverse("wagtailadmin_explore", args=[self.page_a.pk]))
        self.assertContains(response, "1-0 of 0")


class SubmissionStateTests(Moderation):
    def test_after_submitting_staff_are_told_the_change_awaits_approval(self):
        response = self.submit(self.staff_a, self.page_a, intro="Школа с бассейном")
        self.assertEqual(response.redirect_chain[-1][0], HOME)
        self.assertContains(response, "отправлены на проверку")
        self.assertContains(response, "одобрения координатора муниципалитета или редактора")
        self.assertNotContains(response, "была отправлена на модерацию")
        panel = panel_html(response)
        self.assertIn("на проверке", panel)
        self.assertIn("«Модерация страниц организаций»", panel)
        self.assertIn("на сайте прежняя версия", panel)
        # Still not on the public page until someone approves it.
        self.assertNotContains(self.client.get(self.page_a.url), "Школа с бассейном")

    def test_the_editor_of_a_submitted_page_shows_it_is_in_moderation(self):
        self.submit(self.staff_a, self.page_a, intro="Школа с бассейном")
        response = self.client.get(self.edit_url(self.page_a))
        self.assertContains(response, "Проверка изменений")
        self.assertContains(response, "Статус: на проверке")

    def test_a_returned_change_shows_the_reviewers_comment(self):
        self.submit(self.staff_a, self.page_a, intro="Лучшая школа края")
        self.review(self.coordinator, self.page_a, "reject", comment="Уберите оценочные слова")
        self.client.force_login(self.staff_a)
        panel = panel_html(self.client.get(HOME))
        self.assertIn("возвращена на доработку", panel)
        self.assertIn("Уберите оценочные слова", panel)
        self.assertIn("Посмотреть черновик", panel)
        self.assertContains(self.client.get(self.edit_url(self.page_a)), "Уберите оценочные слова")

    def test_an_approved_change_is_live_with_the_approval_comment(self):
        self.submit(self.staff_a, self.page_a, intro="Школа с бассейном")
        self.review(self.editor, self.page_a, "approve", comment="Спасибо, опубликовано")
        self.client.force_login(self.staff_a)
        panel = panel_html(self.client.get(HOME))
        self.assertIn("Статус: опубликована", panel)
        self.assertIn("Спасибо, опубликовано", panel)

    def test_a_saved_draft_says_it_is_not_submitted_yet(self):
        self.client.force_login(self.staff_a)
        self.client.post(self.edit_url(self.page_a), self.edit_data(self.page_a, intro="Черновик"))
        panel = panel_html(self.client.get(HOME))
        self.assertIn("черновик не отправлен", panel)


class CoordinatorReviewTests(Moderation):
    def test_a_coordinator_approving_lands_on_their_municipality_not_a_refusal(self):
        self.submit(self.staff_a, self.page_a, intro="Проверено координатором")
        response = self.review(self.coordinator, self.page_a, "approve")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.redirect_chain[-1][0], f"{OVERVIEW}?reviewed={self.page_a.pk}")
        self.assertNotContains(response, NO_ACCESS)
        self.assertContains(response, "Проверка завершена")
        self.assertContains(response, "опубликована")
        self.assertEqual(SchoolPage.objects.get(pk=self.page_a.pk).intro, "Проверено координатором")

    def test_a_coordinator_returning_a_change_lands_on_their_municipality(self):
        self.submit(self.staff_a, self.page_a, intro="Лучшая школа")
        response = self.review(self.coordinator, self.page_a, "reject", comment="Нет")
        self.assertNotContains(response, NO_ACCESS)
        self.assertContains(response, "возвращена на доработку")

    def test_a_coordinator_approving_from_the_page_editor_lands_on_their_municipality(self):
        # The editor's own approve button ends in the after_edit_page hook.
        self.submit(self.staff_a, self.page_a, intro="Из редактора")
        self.review(self.coordinator, self.page_a, "approve")
        request = RequestFactory().post(self.edit_url(self.page_a), {REVIEW_ACTION: "1"})
        request.user = self.coordinator
        response = explain_moderation_after_edit(request, SchoolPage.objects.get(pk=self.page_a.pk))
        self.assertEqual(response["Location"], f"{OVERVIEW}?reviewed={self.page_a.pk}")
        request.user = self.editor
        self.assertIsNone(explain_moderation_after_edit(request, self.page_a))

    def test_an_editor_approving_still_returns_to_the_page_editor(self):
        self.submit(self.staff_a, self.page_a, intro="Одобрено редактором")
        response = self.review(self.editor, self.page_a, "approve")
        self.assertEqual(response.redirect_chain[-1][0], self.edit_url(self.page_a))

    def test_the_reviewed_banner_names_only_the_coordinators_own_pages(self):
        self.client.force_login(self.coordinator)
        response = self.client.get(OVERVIEW, {"reviewed": self.page_b.pk})
        self.assertNotContains(response, "Проверка завершена")
        self.assertNotContains(response, self.school_b.name)
        self.assertEqual(self.client.get(OVERVIEW, {"reviewed": "x"}).status_code, 200)


class PendingFirstTests(Moderation):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        # Alphabetically before «Средняя школа № 1», which is the one waiting for review.
        cls.gymnasium = OrganisationFactory(
            name="МБОУ «Гимназия № 3»", short_name="Гимназия № 3", municipality=cls.municipality
        )

    def test_my_municipality_lists_pages_in_moderation_first(self):
        self.client.force_login(self.coordinator)
        html = self.client.get(OVERVIEW).content.decode()
        self.assertLess(html.index("Гимназия № 3"), html.index(self.school_a.name))
        self.submit(self.staff_a, self.page_a, intro="Новое")
        self.client.force_login(self.coordinator)
        response = self.client.get(OVERVIEW)
        self.assertContains(response, "Ждёт проверки изменений: 1 страница")
        html = response.content.decode()
        self.assertLess(html.index(self.school_a.name), html.index("Гимназия № 3"))

    def test_the_cabinet_workspace_starts_with_changes_awaiting_review(self):
        self.submit(self.staff_a, self.page_a, intro="Новое")
        self.client.force_login(self.coordinator)
        response = self.client.get(WORKSPACE)
        html = response.content.decode()
        self.assertIn("Ждёт вашей проверки: 1 страница организации", html)
        link = f'href="{self.edit_url(self.page_a)}"'
        self.assertIn(link, html)
        self.assertLess(html.index(link), html.index('class="card-list'))

    def test_another_municipalitys_coordinator_does_not_see_the_pending_change(self):
        self.submit(self.staff_a, self.page_a, intro="Новое")
        self.client.force_login(self.other_coordinator)
        for url in (WORKSPACE, OVERVIEW):
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertNotContains(response, self.school_a.name)
                self.assertNotContains(response, self.edit_url(self.page_a))
        self.assertContains(self.client.get(WORKSPACE), "Изменений, ждущих вашей проверки, нет.")


class AvatarTests(SchoolFixtures):
    def test_admin_pages_request_no_avatars_from_outside(self):
        for user in (self.staff_a, self.editor, self.coordinator):
            self.client.force_login(user)
            for url in (HOME, reverse("wagtailadmin_account"), self.edit_url(self.page_a)):
                with self.subTest(user=user.username, url=url):
                    response = self.client.get(url, follow=True)
                    self.assertEqual(response.status_code, 200)
                    self.assertNotIn("gravatar", response.content.decode())
