from django.test import TestCase
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from home.models import ContentPage, HomePage
from home.tests.factories import site_home_page
from registry.tests.factories import MunicipalityFactory, OrganisationFactory
from surveys.models import SurveyPage
from surveys.tests.factories import CampaignFactory


class SurveyPageTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.page = site_home_page().add_child(
            instance=SurveyPage(title="Пройти анкету", slug="anketa")
        )
        cls.municipality = MunicipalityFactory(slug="priozersk")
        cls.school = OrganisationFactory(municipality=cls.municipality, name="Школа № 3")
        cls.other = OrganisationFactory(name="Школа другого района")

    def test_where_it_may_be_created(self):
        self.assertAllowedParentPageTypes(SurveyPage, {HomePage, ContentPage})
        self.assertCanNotCreateAt(SurveyPage, SurveyPage)
        self.assertFalse(SurveyPage.can_create_at(Page.get_first_root_node()))

    def test_renders_and_routes(self):
        self.assertPageIsRoutable(self.page)
        self.assertPageIsRenderable(self.page)

    def test_pick_municipality_then_school(self):
        CampaignFactory()
        response = self.client.get(self.page.url)
        self.assertContains(response, '<label id="step-1" for="municipality">')
        self.assertNotContains(response, "Школа № 3")
        response = self.client.get(self.page.url, {"municipality": "priozersk"})
        self.assertContains(response, "Школа № 3")
        self.assertContains(response, f"/survey/{self.school.code}/parents/")
        self.assertNotContains(response, "Школа другого района")

    def test_without_open_campaign_says_so(self):
        self.assertContains(self.client.get(self.page.url), "не проводится")


class SchoolPageSurveyLinksTests(TestCase):
    def test_school_page_links_to_its_questionnaires_only_while_open(self):
        school = OrganisationFactory()
        page = school.page
        self.assertContains(self.client.get(page.url), "не проводится")
        CampaignFactory()
        response = self.client.get(page.url)
        self.assertContains(response, f"/survey/{school.code}/parents/")
        self.assertContains(response, f"/survey/{school.code}/students/")
