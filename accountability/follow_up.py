"""What page composition shows of the cycle after the numbers: an organisation's public
follow-up on its page and the to-do list in its cabinet. Everything here reads the other
modules of this app; the page and the cabinet (``schools``) only render it.
"""

from dataclasses import dataclass

from django.utils import timezone

from . import discussion, plans, preliminary
from .models import DiscussionEntry, ImprovementPlan, Objection
from .publication import published_shortcomings
from .year_views import management_decisions_for


def public_follow_up(organisation, year, final=None):
    """The organisation's follow-up of ``year`` as the public reads it: the published
    shortcomings by criterion, the approved plan, the authority's decisions that name it and
    whether the year's discussion takes comments on it. Empty parts are None or [].
    ``final``: whether the year's ratings are published, when the caller knows already (the
    result card shows a published result of the year); asked otherwise."""
    shortcomings = list(published_shortcomings(organisation, year, final=final))
    # The discussion and its count of entries on the organisation in one query.
    year_discussion = discussion.discussion_counting(year, organisation)
    return {
        "year": year,
        "shortcoming_sections": [
            section for section in plans.sections(shortcomings) if section.items
        ],
        "shortcoming_count": len(shortcomings),
        "plan": plans.published_plan(organisation, year),
        "decisions": list(management_decisions_for(organisation, year)),
        "discussion_open": discussion.is_open(year_discussion)
        if year_discussion is not None
        else False,
        "discussion_entries": year_discussion.published_about if year_discussion else 0,
    }


@dataclass
class StageTask:
    stage: object
    accepts_objections: bool
    filed: int
    answered: int


@dataclass
class PlanTask:
    year: int
    plan: ImprovementPlan | None
    overdue: int
    share_done: int | None


def cabinet_tasks(organisation, today=None):
    """What waits for the organisation's staff after the numbers: open preliminary stages
    with its figures, the plan of its latest published year and published discussion
    entries about it without an answer."""
    today = today or timezone.localdate()
    stages = []
    for stage in preliminary.open_stages():
        if not preliminary.has_begun(stage, today):
            continue
        if preliminary.preliminary_result(organisation, stage.year) is None:
            continue
        objections = Objection.objects.filter(stage=stage, organisation=organisation)
        stages.append(
            StageTask(
                stage=stage,
                accepts_objections=preliminary.accepts_objections(stage, today),
                filed=objections.count(),
                answered=objections.exclude(status=Objection.Status.FILED).count(),
            )
        )
    plan_task = None
    years = plans.final_years_of(organisation)
    if years and not plans.refusal_to_start(organisation, years[0]):
        plan = plans.existing_plan(organisation, years[0])
        plan_task = PlanTask(
            year=years[0],
            plan=plan,
            overdue=len(plans.overdue_measures(plan, today)) if plan else 0,
            share_done=plans.share_done(plan)
            if plan and plan.status == ImprovementPlan.Status.APPROVED
            else None,
        )
    unanswered = (
        discussion.entries_for_organisation(organisation)
        .filter(answer="")
        .exclude(status=DiscussionEntry.Status.REJECTED)
        .count()
    )
    return {"stages": stages, "plan_task": plan_task, "unanswered_entries": unanswered}
