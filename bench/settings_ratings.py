"""Production settings for bench/ratings.py, which renders pages in-process without
collectstatic and through the test client."""

from .settings_bench import *  # noqa: F403

ALLOWED_HOSTS = ["testserver"]
SECURE_SSL_REDIRECT = False
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
