"""Public ratings: search and filters, yearly archives, exports, comparison and the JSON API.

Only published revisions are ever read here (``RatingResult.objects.public()`` or a
published ``RatingRevision``); a draft year answers 404 on every path.
"""

from decimal import Decimal
from functools import wraps

from django.core.paginator import EmptyPage, Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core.pagination import paginate
from core.search import Found

from . import charts, engine, exports
from .indicators import CRITERION_TITLES, short_label
from .models import RatingResult, RatingRevision
from .openapi import API_MAX_PAGE_SIZE, API_PAGE_SIZE, schema
from .queries import ORDERS, RatingsFilterForm, filter_results
from .services import AGGREGATE_FIGURES

RESULTS_PER_PAGE = 25
MAX_COMPARED = 4


def public_cache(view):
    """Public and identical for everyone: a front-end cache may keep them for a few minutes.
    Not an answer given while the search engine was down: that one is kept by nobody."""

    @wraps(view)
    def cached_view(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if getattr(response, "search_degraded", False):
            add_never_cache_headers(response)
        else:
            patch_cache_control(response, public=True, max_age=300, s_maxage=300)
        return response

    return cached_view


@require_GET
@public_cache
def ratings_index(request):
    form = RatingsFilterForm(request.GET or None)
    if request.GET and not form.is_valid():
        return render(
            request,
            "results/ratings_index.html",
            {"form": form, "years": form.years, "results_page": None},
            status=400,
        )
    cleaned = form.cleaned_data if request.GET else {"year": form.years[0] if form.years else None}
    year = cleaned.get("year")
    found = filter_results(cleaned) if year else Found(RatingResult.objects.none())
    response = render(
        request,
        "results/ratings_index.html",
        {
            "form": form,
            "years": form.years,
            "year": year,
            "results_page": paginate(request, found.results, RESULTS_PER_PAGE),
            "scoped_rank": bool(cleaned.get("municipality")),
            "query": cleaned.get("q", ""),
            "search_degraded": found.degraded,
        },
    )
    response.search_degraded = found.degraded
    return response


def _published_revision(year, number=None):
    revisions = RatingRevision.objects.published().filter(year=year)
    if number is not None:
        return get_object_or_404(revisions, number=number)
    return get_object_or_404(revisions, status=RatingRevision.Status.PUBLISHED)


@require_GET
@public_cache
def year_archive(request, year):
    number = request.GET.get("revision", "")
    revision = _published_revision(year, int(number) if number.isdigit() else None)
    results = revision.results.select_related(None).order_by(*ORDERS["rank"])
    region = _decimals(revision.aggregates.get("region", {}))
    municipalities = sorted(
        (_decimals(m) for m in revision.aggregates.get("municipalities", {}).values()),
        key=lambda m: m["name"],
    )
    return render(
        request,
        "results/year_archive.html",
        {
            "revision": revision,
            "year": year,
            "results_page": paginate(request, results, RESULTS_PER_PAGE * 2),
            "region": region,
            "municipalities": municipalities,
            "criteria": list(CRITERION_TITLES.items()),
            "region_chart": charts.bars(
                [(short_label(code), [region.get(code)]) for code in engine.CRITERIA]
            ),
            "revisions": RatingRevision.objects.published().filter(year=year).order_by("number"),
            "formats": exports.FORMATS,
        },
    )


def _decimals(summary):
    """Stored means are text ("84.88"); as Decimals they print like every other figure."""
    return {
        key: Decimal(value) if key in AGGREGATE_FIGURES and value is not None else value
        for key, value in summary.items()
    }


@require_GET
@public_cache
def year_export(request, year, fmt):
    if fmt not in exports.FORMATS:
        raise Http404
    revision = _published_revision(year)
    content = exports.export(revision.results.all(), fmt, revision)
    response = HttpResponse(content, content_type=exports.CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="noko-ratings-{year}.{fmt}"'
    return response


@require_GET
@public_cache
def compare(request):
    """Up to four organisations side by side in one published year."""
    years = list(RatingRevision.objects.current().order_by("-year").values_list("year", flat=True))
    raw_year = request.GET.get("year", "")
    year = int(raw_year) if raw_year.isdigit() and int(raw_year) in years else None
    year = year or (years[0] if years else None)
    codes = [code.strip()[:20] for code in request.GET.getlist("org") if code.strip()]
    codes = list(dict.fromkeys(codes))
    too_many = len(codes) > MAX_COMPARED
    codes = codes[:MAX_COMPARED]
    found = {
        result.code: result
        for result in RatingResult.objects.public().filter(year=year, code__in=codes)
    }
    compared = [found[code] for code in codes if code in found]
    missing = [code for code in codes if code not in found]
    criteria = [
        {
            "code": code,
            "title": CRITERION_TITLES[code],
            "values": [getattr(result, code) for result in compared],
        }
        for code in engine.CRITERIA
    ]
    chart = charts.bars(
        [
            (short_label(code), [getattr(result, code) for result in compared])
            for code in [*engine.CRITERIA, "total"]
        ],
        series_count=len(compared),
    )
    return render(
        request,
        "results/compare.html",
        {
            "year": year,
            "years": years,
            "compared": compared,
            "missing": missing,
            "too_many": too_many,
            "criteria": criteria,
            "chart": chart,
            "max_compared": MAX_COMPARED,
            "codes": codes,
        },
    )


def _api_error(message, status=400):
    return JsonResponse(
        {"error": message}, status=status, json_dumps_params={"ensure_ascii": False}
    )


@require_GET
@public_cache
def api_ratings(request):
    """``/api/v1/ratings/``: the public ratings with the filters of ``/ratings/``, paginated."""
    form = RatingsFilterForm(request.GET)
    if not form.is_valid():
        return JsonResponse(
            {"error": _("Неверные параметры запроса."), "fields": form.errors},
            status=400,
            json_dumps_params={"ensure_ascii": False},
        )
    raw_size = request.GET.get("page_size", str(API_PAGE_SIZE))
    raw_page = request.GET.get("page", "1")
    if not raw_size.isdigit() or not raw_page.isdigit() or len(raw_page) > 9:
        return _api_error(_("page и page_size должны быть положительными целыми числами."))
    page_size = min(max(int(raw_size), 1), API_MAX_PAGE_SIZE)
    cleaned = form.cleaned_data
    found = filter_results(cleaned) if cleaned.get("year") else Found(RatingResult.objects.none())
    paginator = Paginator(found.results, page_size)
    try:
        page = paginator.page(int(raw_page) or 1)
    except EmptyPage:
        return _api_error(_("Такой страницы нет."), status=404)

    def link(number):
        query = request.GET.copy()
        query["page"] = number
        return request.build_absolute_uri(f"{reverse('ratings_api')}?{query.urlencode()}")

    body = {
        "count": paginator.count,
        "year": cleaned.get("year"),
        "page": page.number,
        "pages": paginator.num_pages,
        "next": link(page.next_page_number()) if page.has_next() else None,
        "previous": link(page.previous_page_number()) if page.has_previous() else None,
        "results": [_api_row(result) for result in page.object_list],
    }
    if found.degraded:
        body["notice"] = _(
            "Поиск сейчас работает в упрощённом режиме: результаты могут быть неполными."
        )
    response = JsonResponse(body, json_dumps_params={"ensure_ascii": False})
    response.search_degraded = found.degraded
    return response


def _api_row(result):
    row = {
        "code": result.code,
        "name": result.name,
        "short_name": result.short_name,
        "municipality": result.municipality_name,
        "kind": result.kind,
        "year": result.year,
        "status": result.status,
        "respondents": result.respondents,
        "band": result.band or None,
        "rank": result.rank,
        "municipality_rank": result.municipality_rank,
    }
    for code in engine.FIGURES:
        value = getattr(result, code)
        row[code] = None if value is None else str(value)
    return row


@require_GET
@public_cache
def api_schema(request):
    return JsonResponse(
        schema(request.build_absolute_uri("/")), json_dumps_params={"ensure_ascii": False}
    )


def organisation_results(organisation):
    """Every published year of one organisation, oldest first (for the school page)."""
    return list(
        RatingResult.objects.public()
        .filter(organisation=organisation)
        .select_related("revision")
        .order_by("year")
    )
