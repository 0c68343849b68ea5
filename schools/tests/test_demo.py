"""`load_demo` builds the promised region and is idempotent."""

from io import StringIO

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import TestCase
from wagtail.models import Page, Revision

from home.models import ContentPage, NewsPage, OperatorSettings
from schools.models import Municipality, Organisation, SchoolPage
from surveys.models import Campaign, Response


def snapshot():
    return {
        "pages": Page.objects.count(),
        "revisions": Revision.objects.count(),
        "municipalities": Municipality.objects.count(),
        "organisations": Organisation.objects.count(),
        "organisation_rows": sorted(
            Organisation.objects.values_list("code", "name", "address", "pupils_1_8")
        ),
        "users": get_user_model().objects.count(),
        "campaigns": Campaign.objects.count(),
        "responses": Response.objects.count(),
    }


class LoadDemoTests(TestCase):
    def test_demo_region_counts_and_idempotency(self):
        call_command("load_demo", "--with-accounts", stdout=StringIO())
        first = snapshot()

        self.assertGreaterEqual(Municipality.objects.count(), 8)
        self.assertGreaterEqual(Organisation.objects.count(), 120)
        kinds = set(Organisation.objects.values_list("kind", flat=True))
        self.assertEqual(kinds, {"school", "preschool", "college", "additional"})
        self.assertEqual(
            Organisation.objects.filter(code__regex=r"^\d{10}$").count(),
            Organisation.objects.count(),
        )
        self.assertEqual(NewsPage.objects.live().count(), 10)
        self.assertTrue(ContentPage.objects.live().filter(slug="metodika").exists())
        self.assertTrue(ContentPage.objects.live().filter(slug="voprosy").exists())
        self.assertTrue(OperatorSettings.objects.exclude(name="").exists())
        self.assertTrue(
            get_user_model().objects.filter(username="admin", is_superuser=True).exists()
        )

        call_command("load_demo", "--with-accounts", stdout=StringIO())
        self.assertEqual(snapshot(), first)

    def test_demo_pages_render_and_no_accounts_without_debug(self):
        out = StringIO()
        call_command("load_demo", stdout=out)
        self.assertFalse(get_user_model().objects.exists())
        self.assertIn("не созданы", out.getvalue())
        # Every content page, and a sample of the 120 organisation pages (same template).
        pages = list(Page.objects.live().filter(depth__gte=2).not_type(SchoolPage).specific())
        pages += list(SchoolPage.objects.order_by("?")[:10])
        for page in pages:
            with self.subTest(page=page.title):
                self.assertEqual(self.client.get(page.url).status_code, 200)
