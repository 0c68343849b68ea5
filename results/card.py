"""The result card on a school's page: its latest published year, «как посчитано», the
trend over the years and that year's survey coverage."""

from django.db.models import Count

from . import charts, engine
from .indicators import breakdown, short_label
from .models import RatingResult


def year_coverage(organisation, year):
    """Accepted responses of the year against the contingent (the questionnaire issue)."""
    from surveys.coverage import Coverage
    from surveys.models import Audience, Response

    counts = dict(
        Response.objects.filter(
            organisation=organisation, campaign__year=year, status=Response.Status.ACCEPTED
        )
        .order_by()
        .values_list("audience")
        .annotate(n=Count("pk"))
    )
    if not counts:
        return None
    return Coverage(
        parents=counts.get(Audience.PARENTS, 0),
        students=counts.get(Audience.STUDENTS, 0),
        parents_contingent=organisation.pupils_1_8,
        students_contingent=organisation.pupils_9_11,
    )


def card_context(organisation):
    history = list(
        RatingResult.objects.public()
        .filter(organisation=organisation)
        .select_related("revision")
        .order_by("year")
    )
    if not history:
        return {"rating": None}
    rating = history[-1]
    policy = rating.revision.policies.get("denominator", engine.ANSWERED)
    return {
        "rating": rating,
        "history": history,
        "breakdown": breakdown(rating, policy),
        "criteria_chart": charts.bars(
            [(short_label(code), [getattr(rating, code)]) for code in engine.CRITERIA]
        ),
        "trend": charts.trend([(item.year, item.total) for item in history])
        if len(history) > 1
        else None,
        "coverage": year_coverage(organisation, rating.year),
    }
