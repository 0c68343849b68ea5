"""Template tags of the improvement plans, for pages that have a plan and nothing else
(the organisation's page includes ``accountability/plans/_plan_public.html``)."""

from django import template

from .. import plans

register = template.Library()


@register.simple_tag
def plan_progress(plan):
    """{measures, share_done, overdue} of an approved plan, as the public reads them."""
    return {
        "measures": len(plan.measures.all()),
        "share_done": plans.share_done(plan),
        "overdue": len(plans.overdue_measures(plan)),
    }
