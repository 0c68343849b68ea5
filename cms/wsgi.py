"""WSGI entry point (gunicorn).

The application is warmed up as it loads (cms/warmup.py): under gunicorn's ``preload_app``
that happens once in the master, before the workers fork."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")

application = get_wsgi_application()

from cms.warmup import warm_up  # noqa: E402  (needs the settings loaded above)

warm_up()
