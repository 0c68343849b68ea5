"""When a year's figures and shortcomings stop being preliminary: the one rule every page,
export and plan follows.

A year is final once its ratings are published (a current revision exists). Until then the
year's results are the draft: only the operator and, during the preliminary stage, each
organisation for itself may see them. Shortcomings become public with the final results, and
only those the operator kept (active, still shown by the evidence).
"""

from results.models import RatingRevision

from .models import Shortcoming


def year_is_final(year):
    return RatingRevision.objects.current().filter(year=year).exists()


def kept_shortcomings_of_year(year):
    """The shortcomings the operator kept in ``year`` (published or not), every organisation's:
    active and still shown by the evidence."""
    return Shortcoming.objects.filter(
        year=year, status=Shortcoming.Status.ACTIVE, stale=False
    ).order_by("organisation_id", "criterion", "position", "pk")


def kept_shortcomings(organisation, year):
    """The shortcomings the operator kept for ``organisation`` in ``year`` (published or not)."""
    return kept_shortcomings_of_year(year).filter(organisation=organisation)


def published_shortcomings(organisation, year, final=None):
    """The organisation's shortcomings as the public reads them; none before the year is final.
    ``final``: whether it is, when the caller knows already (asked otherwise)."""
    if not (year_is_final(year) if final is None else final):
        return Shortcoming.objects.none()
    return kept_shortcomings(organisation, year)
