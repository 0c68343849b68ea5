"""gunicorn settings of `make run` (and a starting point for production).

- One time zone in the log: Django sets the process's TZ to TIME_ZONE when its settings load,
  but gunicorn's master logs before loading the application, so its lines came out in the
  machine's zone (UTC) beside the workers' Moscow time. Loading the settings here, before
  gunicorn configures its logging, puts the master in TIME_ZONE too.
- One line format: gunicorn's lines use the formatter of Django's LOGGING, with the zone's
  offset printed, so `make run` reads as one log.
- ``preload_app``: the application is imported and warmed up (cms/warmup.py) once in the
  master, so no worker's first visitor waits for the URL modules and templates.
- Garbage collection tuned for a preloaded application (below).
- No access log (README: a respondent's IP address is personal data, 152-ФЗ)."""

import gc
import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")

from django.conf import settings

_plain = settings.LOGGING["formatters"]["plain"]

preload_app = True
accesslog = None
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {**_plain, "class": "logging.Formatter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
    },
    "loggers": {
        "gunicorn.error": {"level": "INFO", "handlers": ["console"], "propagate": False},
        # With a logging config gunicorn sends each request to this logger: keep it silent.
        "gunicorn.access": {"level": "WARNING", "handlers": [], "propagate": False},
    },
}


# Garbage collection in the workers (bench/README.md, 2026-12-03: a page rendered alone 1-3 ms
# faster, e.g. home 27 -> 24 ms). The preloaded application is a large heap of objects that
# live as long as the process; a worker's full collections walked all of it again and again.
# Frozen before the fork, it is left out of every collection (and its memory pages stay
# shared with the master); a higher first threshold collects less often during a render,
# which allocates tens of thousands of short-lived objects.
def pre_fork(server, worker):
    gc.freeze()


def post_fork(server, worker):
    gc.set_threshold(20_000, 20, 20)
