"""Site search: published pages and organisations of the registry."""

from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from wagtail.models import Page

from core import search as backend
from core.breadcrumbs import trail
from core.pagination import paginate
from core.search import clean_query
from registry.models import Organisation

RESULTS_PER_PAGE = 10
SCOPES = ("all", "pages", "organisations")


@cache_control(private=True, max_age=0)
def search(request):
    query = clean_query(request.GET.get("q"))
    scope = request.GET.get("scope", "all")
    if scope not in SCOPES:
        scope = "all"

    page_results = organisation_results = None
    degraded = False
    if query:
        if scope in ("all", "pages"):
            found = backend.search(Page.objects.live().public().specific(), query)
            page_results = paginate(request, found.results, RESULTS_PER_PAGE)
            degraded |= found.degraded
        if scope in ("all", "organisations"):
            found = backend.search(
                Organisation.objects.filter(is_active=True).select_related("municipality"), query
            )
            organisation_results = paginate(request, found.results, RESULTS_PER_PAGE)
            degraded |= found.degraded

    return TemplateResponse(
        request,
        "search/search.html",
        {
            "search_query": query,
            "scope": scope,
            "page_results": page_results,
            "organisation_results": organisation_results,
            "search_degraded": degraded,
            "page_title": _("Поиск"),
            "breadcrumbs": trail(current=_("Поиск")),
        },
    )
