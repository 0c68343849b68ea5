"""Findings as the website checker returns them, and a round over the standard template, for
the tests of storing and showing evidence."""

import time

from monitoring.checker import Finding
from monitoring.defaults import create_standard_template
from monitoring.models import MonitoringRound
from registry.tests.factories import OrganisationFactory


def finding(**fields):
    defaults = {
        "present": True,
        "url": "https://school.example/sveden/common",
        "status": 200,
        "checked_at": time.time(),
        "sha256": "a" * 64,
        "text": "Основные сведения",
    }
    return Finding(**{**defaults, **fields})


def standard_round():
    """(round, its one organisation, {standard path or auto check: checklist item})."""
    template = create_standard_template(2027)
    organisation = OrganisationFactory(website="https://school.example")
    monitoring_round = MonitoringRound.objects.create(template=template, title="I квартал")
    monitoring_round.organisations.set([organisation])
    items = {i.sveden_path or i.auto_check: i for i in template.items.all() if i.auto_check}
    return monitoring_round, organisation, items
