"""Production: PostgreSQL, Redis, database task worker, HTTPS behind a trusted proxy."""

import copy
import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DATABASES, INSTALLED_APPS, env_bool

DEBUG = False
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set in production.")

INSTALLED_APPS = [*INSTALLED_APPS, "django_tasks_db"]

# Mail goes out by SMTP unless the operator says otherwise: the console backend of development
# would write every password-reset link into the server's log.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")

# Persistent connections: opening one costs more than a questionnaire's INSERT. Checked
# before reuse, so a restarted PostgreSQL costs one failed request at most (security.md 30).
DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("DATABASE_CONN_MAX_AGE", "60"))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# TLS terminates at the reverse proxy, which sets X-Forwarded-Proto. X-Forwarded-For is
# trusted only when the operator says how many proxies append to it: with a default of 1, a
# gunicorn reachable past the proxy let any client choose its own per-address key.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
# The header alone enrols nothing: a domain joins the preload list only when submitted.
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True

# Several app servers need one media store: S3-compatible object storage through
# django-storages (`pip install -r requirements-s3.txt`). Local disk serves one machine only.
# Files stay private in the bucket and are handed out through signed, expiring links.
MEDIA_S3_BUCKET = os.environ.get("MEDIA_S3_BUCKET", "")
if MEDIA_S3_BUCKET:
    STORAGES = {
        **STORAGES,  # noqa: F405
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": MEDIA_S3_BUCKET,
                "endpoint_url": os.environ.get("MEDIA_S3_ENDPOINT_URL") or None,
                "region_name": os.environ.get("MEDIA_S3_REGION") or None,
                "location": os.environ.get("MEDIA_S3_PREFIX", "media"),
                "default_acl": "private",
                "querystring_auth": True,
                "querystring_expire": 3600,
                # Two servers saving «photo.jpg» at once must not overwrite each other.
                "file_overwrite": False,
            },
        },
    }
    # Images are then shown straight from the bucket: the policy must allow its address.
    CONTENT_SECURITY_POLICY = copy.deepcopy(CONTENT_SECURITY_POLICY)  # noqa: F405
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"].append(
        os.environ.get("MEDIA_S3_ENDPOINT_URL") or f"https://{MEDIA_S3_BUCKET}.s3.amazonaws.com"
    )
