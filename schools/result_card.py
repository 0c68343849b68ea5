"""The result card on a school's page: its latest published year, «как посчитано», the
trend over the years and that year's survey coverage."""

from accountability.follow_up import public_follow_up
from registry.kinds import KIND_AMONG
from results import charts, engine
from results.indicators import breakdown, policy_lines, policy_notes, short_label
from results.models import RatingResult
from results.queries import attach_places
from surveys.counts import year_coverage


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
    attach_places([rating])
    policies = rating.revision.applied_policies
    return {
        "rating": rating,
        "history": history,
        "policies": policies,
        "kind_among": KIND_AMONG.get(rating.kind, ""),
        "breakdown": breakdown(rating, policies),
        "policy_lines": policy_lines(policies, kind=organisation.kind),
        "policy_notes": policy_notes(policies),
        "criteria_chart": charts.bars(
            [(short_label(code), [getattr(rating, code)]) for code in engine.CRITERIA]
        ),
        "trend": charts.trend([(item.year, item.total) for item in history])
        if len(history) > 1
        else None,
        "coverage": year_coverage(organisation, rating.year),
        # Shortcomings, the approved plan and decisions of the year the card shows.
        # The card's result is of a published revision: the year is final.
        "follow_up": public_follow_up(organisation, rating.year, final=True),
    }
