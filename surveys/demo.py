"""Demo survey campaign: one open on the day the demo is loaded, so a visitor can answer."""

import datetime

from django.utils import timezone

from .models import Audience, Campaign, Questionnaire

STANDARD_VERSION = "675н-2018"


def load_campaigns():
    """Create the current campaign if none is open; returns the number created."""
    now = timezone.now()
    if Campaign.objects.open_at(now).exists():
        return 0
    year = timezone.localdate().year
    Campaign.objects.create(
        year=year,
        title=f"Анкетирование родителей и обучающихся {year}",
        opens_at=now - datetime.timedelta(days=14),
        closes_at=now + datetime.timedelta(days=30),
        report_deadline=(now + datetime.timedelta(days=21)).date(),
        parents_questionnaire=Questionnaire.objects.get(
            audience=Audience.PARENTS, version=STANDARD_VERSION
        ),
        students_questionnaire=Questionnaire.objects.get(
            audience=Audience.STUDENTS, version=STANDARD_VERSION
        ),
        methodology_version=str(year),
    )
    return 1
