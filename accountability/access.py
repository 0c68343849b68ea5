"""Who may see and decide what in the accountability cycle: the one place that scopes it.

- School staff act for their own organisation only (``registry.access.organisation_of``):
  its preliminary card, objections, shortcomings and plan; anything else answers 404.
- A municipality's coordinator oversees the organisations of their municipalities and
  approves the plans of the municipal ones among them (the founder's part).
- The operator's editors (``OPERATOR_PERMISSION``) oversee every organisation, run the
  preliminary stage, edit shortcomings, decide objections, moderate the discussion and
  approve the plans of regional organisations.
- Nobody approves a plan they submitted themselves.
"""

from registry.access import coordinated_municipalities, organisation_of
from registry.models import Organisation

# Granted to the operator's editors by migration accountability/0002.
OPERATOR_PERMISSION = "accountability.change_shortcoming"

__all__ = [
    "OPERATOR_PERMISSION",
    "approvable_organisations",
    "is_operator",
    "may_approve",
    "organisation_of",
    "overseen_organisations",
]


def is_operator(user):
    return user.is_authenticated and user.has_perm(OPERATOR_PERMISSION)


def overseen_organisations(user):
    """The organisations whose plans and objections ``user`` may follow (dashboards)."""
    if is_operator(user):
        return Organisation.objects.all()
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(municipality__in=coordinated_municipalities(user))


def approvable_organisations(user):
    """The organisations whose plans ``user`` approves as the founder."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    municipal = Organisation.objects.filter(
        founder=Organisation.Founder.MUNICIPAL,
        municipality__in=coordinated_municipalities(user),
    )
    if is_operator(user):
        return municipal | Organisation.objects.filter(founder=Organisation.Founder.REGIONAL)
    return municipal


def may_approve(user, plan):
    """The founder's part, never the plan's own author."""
    if plan.submitted_by_id is not None and plan.submitted_by_id == user.pk:
        return False
    if organisation_of(user) == plan.organisation:
        return False
    return approvable_organisations(user).filter(pk=plan.organisation_id).exists()
