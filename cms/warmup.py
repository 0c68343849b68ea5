"""Work the first request of every worker would otherwise do: importing the URL modules and
their views, building the reverse-lookup tables, loading the Russian catalogue and compiling
the portal's templates.

gunicorn runs it once in the master before forking (``preload_app`` in ops/gunicorn.conf.py,
through cms/wsgi.py), so each worker starts with all of it in memory: the first visitor after
a start waits as long as the second (bench/README.md, «Первый запрос»)."""

from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connections
from django.template.loader import get_template
from django.urls import get_resolver
from django.utils import translation

# Only the portal's own templates: Wagtail's admin compiles its own on the first admin visit.
PROJECT_ROOT = Path(settings.BASE_DIR).resolve()
TEMPLATE_SUFFIXES = (".html", ".txt")


def project_template_names():
    """Names of the templates under the portal's apps and cms/templates, for get_template."""
    roots = [Path(directory) for directory in settings.TEMPLATES[0]["DIRS"]]
    roots += [
        Path(config.path) / "templates"
        for config in apps.get_app_configs()
        if Path(config.path).resolve().is_relative_to(PROJECT_ROOT)
        and ".venv" not in Path(config.path).parts
    ]
    names = set()
    for root in roots:
        if root.is_dir():
            names.update(
                path.relative_to(root).as_posix()
                for path in root.rglob("*")
                if path.suffix in TEMPLATE_SUFFIXES
            )
    return sorted(names)


def warm_up():
    """Returns how many templates were compiled (the check in tests counts them)."""
    resolver = get_resolver()
    with translation.override(settings.LANGUAGE_CODE):
        # Imports every URL module and view; reverse() tables are built per language.
        _patterns, _lookups = resolver.url_patterns, resolver.reverse_dict
        names = project_template_names()
        for name in names:
            get_template(name)
    # Nothing above should need the database, but a connection opened in the master must
    # not be shared by the forked workers.
    connections.close_all()
    return len(names)
