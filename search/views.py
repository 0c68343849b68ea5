"""Site search: published pages, the ratings pages and organisations of the registry."""

from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from wagtail.models import Page

from core import search as backend
from core.breadcrumbs import trail
from core.pagination import paginate
from core.search import clean_query
from registry.models import Organisation
from results.models import RatingRevision
from results.queries import latest_results

RESULTS_PER_PAGE = 10
SCOPES = ("all", "pages", "organisations")


@cache_control(private=True, max_age=0)
def search(request):
    query = clean_query(request.GET.get("q"))
    scope = request.GET.get("scope", "all")
    if scope not in SCOPES:
        scope = "all"

    page_results = organisation_results = None
    ratings_pages = []
    degraded = False
    if query:
        if scope in ("all", "pages"):
            ratings_pages = matching_ratings_pages(query)
            found = backend.search(Page.objects.live().public().specific(), query)
            page_results = paginate(request, found.results, RESULTS_PER_PAGE)
            degraded |= found.degraded
        if scope in ("all", "organisations"):
            found = backend.search(
                Organisation.objects.filter(is_active=True).select_related("municipality", "page"),
                query,
            )
            organisation_results = paginate(request, found.results, RESULTS_PER_PAGE)
            with_cards(organisation_results.object_list)
            degraded |= found.degraded

    page_count = len(ratings_pages) + (page_results.paginator.count if page_results else 0)
    organisation_count = organisation_results.paginator.count if organisation_results else 0
    return TemplateResponse(
        request,
        "search/search.html",
        {
            "page_count": page_count,
            "nothing_found": bool(query) and not page_count and not organisation_count,
            "search_query": query,
            "scope": scope,
            "page_results": page_results,
            "ratings_pages": ratings_pages,
            "organisation_results": organisation_results,
            "search_degraded": degraded,
            "empty_hints": empty_hints(query, scope),
            "page_title": _("Поиск"),
            "breadcrumbs": trail(current=_("Поиск")),
        },
    )


def with_cards(organisations):
    """Give each organisation its public page's address (``profile_url``) and its latest
    published result (``latest_result``, or None): a result links to both."""
    organisations = list(organisations)
    latest = latest_results(organisation.pk for organisation in organisations)
    for organisation in organisations:
        page = getattr(organisation, "page", None)
        organisation.profile_url = page.url if page is not None and page.live else ""
        organisation.latest_result = latest.get(organisation.pk)


def ratings_pages():
    """The ratings pages, which are Django views rather than Wagtail pages and so in no
    index: (title, address, words a visitor may look for them by), latest year first."""
    words = _("рейтинг итоги результаты независимой оценки качества места баллы")
    pages = [(_("Рейтинги организаций"), reverse("ratings"), words)]
    for year in RatingRevision.objects.published_years():
        title = _("Рейтинг %(year)s года: итоги независимой оценки") % {"year": year}
        pages.append((title, reverse("ratings_year", args=[year]), f"{words} {year}"))
    return pages


def matching_ratings_pages(query):
    """The ratings pages ``query`` asks for («рейтинг», «итоги 2025», «результаты оценки»)."""
    terms = backend.query_terms(query)
    return [
        {"title": title, "url": url}
        for title, url, words in ratings_pages()
        if backend.matches(terms, f"{title} {words}")
    ]


def empty_hints(query, scope):
    """What to try when nothing is found: links, beside the advice the template gives."""
    hints = []
    if scope != "all":
        hints.append(
            {
                "url": f"{reverse('search')}?{urlencode({'q': query, 'scope': 'all'})}",
                "label": _("Искать везде на сайте"),
            }
        )
    hints.append({"url": reverse("ratings"), "label": _("Открыть рейтинги организаций")})
    return hints
