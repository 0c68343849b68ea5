"""The default Site takes its address from BASE_URL on migrate, so sitemap.xml lists the
address the portal is deployed at, not http://localhost."""

import re

from django.core.management import call_command
from django.test import TestCase, override_settings
from wagtail.models import Site

from core.sites import site_address, sync_default_site


def sitemap_locations(client):
    return re.findall(r"<loc>(.*?)</loc>", client.get("/sitemap.xml").content.decode())


class SiteAddressTests(TestCase):
    def test_an_address_becomes_the_host_and_port_wagtail_stores(self):
        self.assertEqual(site_address("https://noko.example.ru"), ("noko.example.ru", 443))
        self.assertEqual(site_address("https://noko.example.ru/"), ("noko.example.ru", 443))
        self.assertEqual(site_address("http://127.0.0.1:8000"), ("127.0.0.1", 8000))
        self.assertEqual(site_address("http://noko.example.ru"), ("noko.example.ru", 80))

    def test_an_address_wagtail_cannot_write_back_is_refused(self):
        # Wagtail writes every port but 443 as http://: https on 8443 would come out wrong.
        self.assertIsNone(site_address("https://noko.example.ru:8443"))
        self.assertIsNone(site_address("noko.example.ru"))
        self.assertIsNone(site_address("ftp://noko.example.ru"))

    @override_settings(BASE_URL="https://noko.example.ru")
    def test_migrate_gives_the_default_site_the_deployed_address_and_the_sitemap_uses_it(self):
        self.assertEqual(Site.objects.get(is_default_site=True).hostname, "localhost")

        call_command("migrate", verbosity=0)

        site = Site.objects.get(is_default_site=True)
        self.assertEqual((site.hostname, site.port), ("noko.example.ru", 443))
        self.assertEqual(site.root_url, "https://noko.example.ru")
        locations = sitemap_locations(self.client)
        # The pages (Wagtail's section) and the ratings (a view) alike.
        self.assertIn("https://noko.example.ru/", locations)
        self.assertIn("https://noko.example.ru/ratings/", locations)
        self.assertEqual([url for url in locations if "localhost" in url], [])

    def test_without_base_url_the_site_keeps_the_address_an_editor_gave_it(self):
        Site.objects.filter(is_default_site=True).update(hostname="noko.region.ru", port=443)

        call_command("migrate", verbosity=0)

        site = Site.objects.get(is_default_site=True)
        self.assertEqual((site.hostname, site.port), ("noko.region.ru", 443))
        self.assertIn("https://noko.region.ru/ratings/", sitemap_locations(self.client))

    @override_settings(BASE_URL="https://noko.example.ru:8443")
    def test_an_address_the_site_cannot_hold_is_reported_and_changes_nothing(self):
        with self.assertLogs("core.sites", level="WARNING") as logs:
            self.assertIsNone(sync_default_site())
        self.assertIn("https://noko.example.ru:8443", logs.output[0])
        self.assertEqual(Site.objects.get(is_default_site=True).hostname, "localhost")
