"""The demo region's assessment plan: which kinds it assesses in which year.

As real operators do, the region assesses its schools and colleges every autumn and its
kindergartens and additional-education centres in spring, every other year (so never three
years without): this year's open campaign is the schools' and colleges'; kindergartens and
centres were assessed last year. The survey, ratings and checklist demos all follow this
plan, and ``load_assessment_lists`` writes it as the years' assessment lists.
"""

from django.utils import timezone

from . import assessment
from .models import Organisation

Kind = Organisation.Kind

# Surveyed in autumn, every year.
AUTUMN_KINDS = (Kind.SCHOOL.value, Kind.COLLEGE.value)
# Surveyed in spring, every other year: last year, three years ago, …
SPRING_KINDS = (Kind.PRESCHOOL.value, Kind.ADDITIONAL.value)
# The demo's history: this many years before the current one.
PAST_YEARS = 3


def demo_years(this_year=None):
    this_year = this_year or timezone.localdate().year
    return list(range(this_year - PAST_YEARS, this_year + 1))


def spring_year(year, this_year=None):
    """Whether ``year`` is one in which the demo region assesses its spring kinds."""
    this_year = this_year or timezone.localdate().year
    return year < this_year and (this_year - year) % 2 == 1


def assessed_kinds(year, this_year=None):
    """The kinds the demo region assesses in ``year``."""
    return AUTUMN_KINDS + (SPRING_KINDS if spring_year(year, this_year) else ())


def load_assessment_lists():
    """Write the plan as the assessment lists of the demo years (every active organisation of
    the year's kinds); returns how many entries were added."""
    added = 0
    for year in demo_years():
        organisations = Organisation.objects.filter(
            is_active=True, kind__in=assessed_kinds(year)
        ).order_by("code")
        added += assessment.add(year, list(organisations))
    return added
