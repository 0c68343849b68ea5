"""`make run`'s server: one time zone and line format in its log, and workers that start warm
(ops/gunicorn.conf.py, cms/warmup.py)."""

import os
import runpy
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.template import engines
from django.test import SimpleTestCase

from cms.warmup import project_template_names, warm_up

BASE_DIR = Path(__file__).resolve().parent.parent


class GunicornConfigTests(SimpleTestCase):
    def setUp(self):
        self.config = runpy.run_path(str(BASE_DIR / "ops" / "gunicorn.conf.py"))

    def test_gunicorn_writes_its_lines_like_django_with_the_zone_shown(self):
        formatter = self.config["logconfig_dict"]["formatters"]["plain"]
        plain = settings.LOGGING["formatters"]["plain"]
        self.assertEqual(formatter["format"], plain["format"])
        self.assertEqual(formatter["datefmt"], plain["datefmt"])
        self.assertIn("%z", plain["datefmt"])

    def test_reading_the_config_puts_the_master_in_the_portals_time_zone(self):
        # A machine in UTC: gunicorn's master read the config, then logged in UTC while the
        # workers (Django loaded) logged in Moscow time.
        script = (
            "import runpy, time; runpy.run_path('ops/gunicorn.conf.py'); "
            "print(time.strftime('%z', time.localtime(1_780_000_000)))"
        )
        env = {**os.environ, "TZ": "UTC", "DJANGO_SETTINGS_MODULE": "cms.settings.test"}
        env.pop("TIME_ZONE", None)
        result = subprocess.run(
            [sys.executable, "-c", script],
            cwd=BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        self.assertEqual(result.stdout.strip(), "+0300")  # Europe/Moscow, the default

    def test_the_app_is_loaded_before_forking_and_requests_are_not_logged(self):
        self.assertIs(self.config["preload_app"], True)
        self.assertIsNone(self.config["accesslog"])
        access = self.config["logconfig_dict"]["loggers"]["gunicorn.access"]
        self.assertEqual(access["handlers"], [])
        self.assertFalse(access["propagate"])


class WarmUpTests(SimpleTestCase):
    def test_warming_up_compiles_every_portal_template_and_the_url_conf(self):
        names = project_template_names()
        self.assertIn("base.html", names)
        self.assertIn("schools/school_page.html", names)
        self.assertFalse([name for name in names if name.startswith("wagtailadmin/pages/")])

        self.assertEqual(warm_up(), len(names))

        # The cached loader now holds them: a worker forked after this renders at once.
        loader = engines["django"].engine.template_loaders[0]
        self.assertIn("base.html", loader.get_template_cache)
