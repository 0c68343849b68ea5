"""Project-level behaviour: health check, deploy checks, security headers, error pages."""

import json
import os
import subprocess
import sys
from pathlib import Path
from unittest import mock

from django.db import connection
from django.test import TestCase, override_settings

BASE_DIR = Path(__file__).resolve().parent.parent


class HealthCheckTests(TestCase):
    def test_ok_when_the_database_answers(self):
        response = self.client.get("/healthz/")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json(), {"status": "ok", "database": "ok"})
        self.assertIn("no-cache", response["Cache-Control"])

    def test_503_when_the_database_is_down(self):
        with mock.patch.object(connection, "cursor", side_effect=Exception("connection refused")):
            response = self.client.get("/healthz/")
        self.assertEqual(response.status_code, 503)
        self.assertEqual(response.json()["database"], "unavailable")


class SecurityHeaderTests(TestCase):
    def test_public_pages_carry_security_headers(self):
        response = self.client.get("/")
        self.assertEqual(response["X-Content-Type-Options"], "nosniff")
        self.assertEqual(response["X-Frame-Options"], "DENY")
        self.assertEqual(response["Referrer-Policy"], "strict-origin-when-cross-origin")

    @override_settings(DEBUG=False)
    def test_unknown_page_is_a_friendly_404(self):
        response = self.client.get("/net-takoy-stranitsy/")
        self.assertEqual(response.status_code, 404)
        self.assertContains(response, "Страница не найдена", status_code=404)


def run_manage(*args, env_overrides):
    env = {**os.environ, **env_overrides}
    env = {name: value for name, value in env.items() if value is not None}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


class DeployCheckTests(TestCase):
    def test_check_deploy_with_production_settings_is_clean(self):
        result = run_manage(
            "check",
            "--deploy",
            "--fail-level",
            "WARNING",
            env_overrides={
                "DJANGO_SETTINGS_MODULE": "cms.settings.production",
                "SECRET_KEY": "x" * 20 + "dummy-secret-key-for-the-deploy-check-0123456789",
                "ALLOWED_HOSTS": "noko.example.ru",
                "DATABASE_URL": os.environ.get("DATABASE_URL", "sqlite:///:memory:"),
            },
        )
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertIn("no issues", result.stdout + result.stderr)

    def test_several_servers_share_media_on_s3_when_a_bucket_is_named(self):
        # The storage the production settings build, and the link it gives out (signing
        # needs no network).
        storage_of = (
            "from django.core.files.storage import storages; import json; s = storages['default']; "
            "from django.conf import settings as c; "
            "img = c.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src']; "
            "print(json.dumps([type(s).__name__, s.url('images/photo.jpg'), img]))"
        )
        base = {
            "DJANGO_SETTINGS_MODULE": "cms.settings.production",
            "SECRET_KEY": "x" * 50,
            "MEDIA_S3_BUCKET": "",
        }
        local = run_manage("shell", "--no-imports", "-c", storage_of, env_overrides=base)
        self.assertEqual(json.loads(local.stdout)[0], "CleanFileSystemStorage", local.stderr)
        shared = run_manage(
            "shell",
            "--no-imports",
            "-c",
            storage_of,
            env_overrides={
                **base,
                "MEDIA_S3_BUCKET": "noko-media",
                "MEDIA_S3_ENDPOINT_URL": "https://storage.example.ru",
                "MEDIA_S3_REGION": "ru-central1",
                "AWS_ACCESS_KEY_ID": "test-key",
                "AWS_SECRET_ACCESS_KEY": "test-secret",
            },
        )
        backend, url, image_sources = json.loads(shared.stdout or "[null, null, null]")
        self.assertEqual(backend, "S3Storage", shared.stderr)
        # Private in the bucket, handed out through a signed, expiring link.
        self.assertTrue(url.startswith("https://storage.example.ru/noko-media/media/images/"))
        self.assertIn("X-Amz-Signature=", url)
        self.assertIn("X-Amz-Expires=3600", url)
        # The public pages' policy lets those images in.
        self.assertIn("https://storage.example.ru", image_sources)

    def test_production_trusts_no_forwarded_address_unless_told(self):
        # Security.md case 4: a gunicorn reachable past the proxy must not let a client pick
        # its per-address key through X-Forwarded-For.
        result = run_manage(
            "shell",
            "--no-imports",
            "-c",
            "from django.conf import settings; print(settings.TRUSTED_PROXY_COUNT)",
            env_overrides={
                "DJANGO_SETTINGS_MODULE": "cms.settings.production",
                "SECRET_KEY": "x" * 50,
                "TRUSTED_PROXY_COUNT": None,
            },
        )
        self.assertEqual(result.stdout.strip(), "0", result.stderr)

    def test_production_refuses_to_start_without_a_secret_key(self):
        result = run_manage(
            "check",
            env_overrides={"DJANGO_SETTINGS_MODULE": "cms.settings.production", "SECRET_KEY": ""},
        )
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("SECRET_KEY", result.stderr)


class TranslationCatalogueTests(TestCase):
    def test_russian_catalogue_is_compiled_and_covers_the_po_file(self):
        import gettext

        locale_dir = BASE_DIR / "cms" / "locale" / "ru" / "LC_MESSAGES"
        with open(locale_dir / "django.mo", "rb") as compiled:
            catalogue = gettext.GNUTranslations(compiled)._catalog
        po_ids = {
            line[len('msgid "') : -1]
            for line in (locale_dir / "django.po").read_text(encoding="utf-8").splitlines()
            if line.startswith('msgid "') and line != 'msgid ""'
        }
        # Plural entries are compiled under (msgid, form) keys; an entry with a context
        # (msgctxt) under "context\x04msgid".
        compiled_ids = {
            (key[0] if isinstance(key, tuple) else key).rpartition("\x04")[2] for key in catalogue
        }
        missing = po_ids - compiled_ids
        self.assertFalse(missing, f"run `make messages`: not compiled: {sorted(missing)[:5]}")
