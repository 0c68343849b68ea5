"""The base template's accessibility promises and the «Версия для слабовидящих» switch."""

from django.contrib.auth import get_user_model
from django.test import TestCase

from cms.accessibility import COOKIE_NAME, AccessibilityPreferences


class BaseTemplateTests(TestCase):
    def test_language_skip_link_and_labelled_search(self):
        html = self.client.get("/").content.decode()
        self.assertIn('<html lang="ru">', html)
        self.assertIn('<a class="skip-link" href="#main">', html)
        self.assertIn('<main id="main"', html)
        self.assertIn('<label for="site-search-q">', html)
        self.assertIn('id="site-search-q"', html)
        self.assertIn('role="search"', html)
        self.assertIn('<nav class="main-menu" aria-label="Главное меню">', html)
        self.assertIn('name="viewport"', html)

    def test_the_logo_link_is_named_by_its_cyrillic_words_not_an_aria_label(self):
        html = self.client.get("/").content.decode()
        logo = html.split('class="site-logo"')[1].split("</a>")[0]
        self.assertNotIn("aria-label", logo)
        self.assertIn('<span class="site-logo__title">НОКО</span>', logo)

    def test_no_asset_from_external_hosts(self):
        html = self.client.get("/").content.decode()
        for marker in ('src="http', 'href="http', 'src="//', 'href="//'):
            self.assertNotIn(marker, html.split("<footer")[0].split("</head>")[0])


class AccessibilitySwitchTests(TestCase):
    def test_switch_on_changes_the_page_and_persists(self):
        self.assertNotIn("a11y-font-large", self.client.get("/").content.decode())

        response = self.client.get("/accessibility/", {"mode": "on", "next": "/"})
        self.assertRedirects(response, "/", fetch_redirect_response=False)
        self.assertIn(COOKIE_NAME, response.cookies)

        html = self.client.get("/").content.decode()
        self.assertIn("a11y a11y-font-large a11y-colours-black-on-white", html)
        self.assertIn("Обычная версия сайта", html)
        # The preference survives a later visit to another page.
        self.assertIn("a11y-font-large", self.client.get("/search/").content.decode())

    def test_font_colours_and_images_options(self):
        self.client.get("/accessibility/", {"mode": "on"})
        self.client.get("/accessibility/", {"font": "xlarge"})
        self.client.get("/accessibility/", {"colours": "white-on-black"})
        self.client.get("/accessibility/", {"images": "hide"})
        html = self.client.get("/").content.decode()
        self.assertIn("a11y-font-xlarge", html)
        self.assertIn("a11y-colours-white-on-black", html)
        self.assertIn("a11y-no-images", html)

    def test_switch_off_restores_the_normal_page(self):
        self.client.get("/accessibility/", {"mode": "on"})
        self.client.get("/accessibility/", {"mode": "off"})
        html = self.client.get("/").content.decode()
        self.assertNotIn("a11y-font", html)
        self.assertIn("Версия для слабовидящих", html)

    def test_redirect_stays_on_this_site(self):
        response = self.client.get(
            "/accessibility/", {"mode": "on", "next": "https://evil.example/"}
        )
        self.assertEqual(response["Location"], "/")

    def test_forged_cookie_values_fall_back_to_defaults(self):
        self.client.cookies[COOKIE_NAME] = 'on|huge|"><script>|noimg'
        html = self.client.get("/").content.decode()
        self.assertIn("a11y-font-large a11y-colours-black-on-white a11y-no-images", html)
        self.assertNotIn("<script>|", html)

    def test_preferences_round_trip(self):
        preferences = AccessibilityPreferences(True, "xlarge", "blue-on-lightblue", True)
        self.assertEqual(AccessibilityPreferences.from_cookie(preferences.to_cookie()), preferences)
        self.assertFalse(AccessibilityPreferences.from_cookie("off").enabled)


class AdminAccessibilityScriptTests(TestCase):
    def test_every_admin_page_loads_the_script_naming_wagtails_unnamed_controls(self):
        editor = get_user_model().objects.create_superuser("editor", "e@example.com", "pw")
        self.client.force_login(editor)
        html = self.client.get("/admin/").content.decode()
        self.assertIn('src="/static/home/js/admin_accessibility.js" defer', html)
        # An external file only: the admin runs under the site's CSP without inline scripts.
        self.assertNotIn("nameEditors", html)

    def test_the_public_site_does_not_load_the_admin_script(self):
        self.assertNotIn("admin_accessibility.js", self.client.get("/").content.decode())
