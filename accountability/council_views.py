"""The public council's page, ``/council/``: its current members (public facts only) and its
meetings, newest first, with the agenda, the protocol and the decisions, each decision linked
to the page of the year it concerns. The council, its meetings and the authority's management
decisions are edited in the admin (``accountability.viewsets``).
"""

from django.db.models import Q
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core.pagination import paginate
from core.views import public_view

from .models import CouncilMeeting, CouncilMember
from .viewsets import council_viewsets
from .year_views import follow_up_trail, public_years

MEETINGS_PER_PAGE = 10


def current_members(today=None):
    """Members on the council ``today`` (open-ended terms count as current)."""
    today = today or timezone.localdate()
    return CouncilMember.objects.filter(
        Q(since__isnull=True) | Q(since__lte=today),
        Q(until__isnull=True) | Q(until__gte=today),
    )


def meetings():
    return CouncilMeeting.objects.select_related("protocol").prefetch_related("decisions")


@require_GET
@public_view
def council_page(request):
    return TemplateResponse(
        request,
        "accountability/council/page.html",
        {
            "breadcrumbs": follow_up_trail(current=_("Общественный совет")),
            "members": current_members(),
            "meetings_page": paginate(request, meetings(), MEETINGS_PER_PAGE),
            # A decision links to its year only when that year has a public page.
            "public_years": set(public_years()),
        },
    )


urlpatterns = [path("council/", council_page, name="accountability_council")]
# Admin screens are the viewsets' own.
admin_urlpatterns = []


def viewsets():
    """Council members, meetings with their decisions, and management decisions."""
    return council_viewsets()
