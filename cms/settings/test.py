"""Settings for the test suite: fast hashing, in-memory media, immediate tasks."""

import tempfile

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-secret-key-not-for-production"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = tempfile.mkdtemp(prefix="noko-test-media-")
STORAGES = {
    "default": {"BACKEND": "core.storage.CleanFileSystemStorage"},
    # Tests render templates without running collectstatic first.
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pages"},
}
# Tests change data, settings and the clock between two requests: the page cache is switched
# on by the tests about it (core/tests/test_page_cache.py), or for a whole run with
# PAGE_CACHE_ENABLED=1.
PAGE_CACHE_ENABLED = env_bool("PAGE_CACHE_ENABLED", False)  # noqa: F405
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
WAGTAILADMIN_BASE_URL = "http://testserver"
# The Site keeps the address tests give it, whatever the shell running them exports.
BASE_URL = ""
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
if ELASTICSEARCH_URL:  # noqa: F405
    # Tests empty their indexes: never the ones of a development site on the same node.
    WAGTAILSEARCH_BACKENDS["default"]["INDEX_PREFIX"] = "noko_test_"  # noqa: F405
