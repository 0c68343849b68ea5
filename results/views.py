"""Public ratings: search and filters, yearly archives, exports, comparison and the JSON API.

Only published revisions are ever read here (``RatingResult.objects.public()`` or a
published ``RatingRevision``); a draft year answers 404 on every path.
"""

from decimal import Decimal

from django.core.paginator import EmptyPage, Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core.breadcrumbs import trail
from core.pagination import paginate
from core.search import Found, clean_query
from core.views import public_view
from registry.kinds import KIND_AMONG, KIND_PLURALS

from . import charts, engine, exports
from .indicators import CRITERION_TITLES, short_label
from .models import ASSESSED_KINDS, RatingResult, RatingRevision
from .openapi import API_MAX_PAGE_SIZE, API_PAGE_SIZE, schema
from .queries import (
    ALL_KINDS,
    ORDERS,
    RatingsFilterForm,
    attach_places,
    filter_results,
    kinds_of,
)
from .services import AGGREGATE_FIGURES

RESULTS_PER_PAGE = 25
MAX_COMPARED = 4
# Search results offered on the compare page, each with «Добавить к сравнению».
COMPARE_SEARCH_RESULTS = 10


@require_GET
@public_view
def ratings_index(request):
    form = RatingsFilterForm(request.GET)
    if not form.is_valid():
        return render(
            request,
            "results/ratings_index.html",
            {
                "form": form,
                "years": form.years,
                "results_page": None,
                "breadcrumbs": trail(current=_("Рейтинги")),
            },
            status=400,
        )
    cleaned = form.cleaned_data
    year, kind = cleaned.get("year"), cleaned["kind"]
    found = filter_results(cleaned) if year else Found(RatingResult.objects.none())
    response = render(
        request,
        "results/ratings_index.html",
        {
            "form": form,
            "years": form.years,
            "year": year,
            "kind": kind,
            "all_kinds": kind == ALL_KINDS,
            "kind_plural": KIND_PLURALS.get(kind, _("все типы организаций")),
            "kind_among": KIND_AMONG.get(kind, _("внутри своего типа")),
            "kind_tabs": _kind_tabs(request, form.kinds, kind),
            "kind_in_year": kind == ALL_KINDS or kind in form.kinds,
            "kind_latest_year": next(
                (assessed_year for assessed_year, kinds in form.assessed if kind in kinds), None
            ),
            "assessed": [
                (assessed_year, [KIND_PLURALS[item] for item in kinds])
                for assessed_year, kinds in form.assessed
            ],
            "results_page": with_places(paginate(request, found.results, RESULTS_PER_PAGE)),
            "scoped_rank": bool(cleaned.get("municipality")),
            "query": cleaned.get("q", ""),
            "empty_hints": _empty_hints(cleaned, form.years),
            "search_degraded": found.degraded,
            "breadcrumbs": trail(current=_("Рейтинги")),
        },
    )
    response.search_degraded = found.degraded
    return response


def _empty_hints(cleaned, years):
    """Links to try when the list is empty: every kind, another year, without the
    municipality and level, the whole site's search. Each keeps the words searched."""
    query = {"q": cleaned["q"]} if cleaned.get("q") else {}
    year, kind = cleaned.get("year"), cleaned.get("kind")
    base = reverse("ratings")

    def link(**params):
        # Before any year is published the year is None: left out, not encoded.
        filled = {key: value for key, value in {**query, **params}.items() if value is not None}
        return f"{base}?{urlencode(filled)}"

    hints = []
    if query and kind != ALL_KINDS:
        hints.append(
            {
                "url": link(year=year, kind=ALL_KINDS),
                "label": _("Искать среди всех типов организаций"),
            }
        )
    if cleaned.get("municipality") or cleaned.get("band"):
        hints.append(
            {
                "url": link(year=year, kind=kind),
                "label": _("Убрать фильтры по муниципалитету и уровню"),
            }
        )
    for other in years:
        if other != year:
            hints.append(
                {
                    "url": link(year=other, kind=ALL_KINDS),
                    "label": _("Искать в рейтинге %(year)s года") % {"year": other},
                }
            )
    if query:
        hints.append(
            {
                "url": f"{reverse('search')}?{urlencode(query)}",
                "label": _("Искать по всему сайту"),
            }
        )
    return hints


def with_places(page):
    """The page of results, each knowing how many hold a place beside it («76 из 116»)."""
    page.object_list = attach_places(page.object_list)
    return page


def _kind_tabs(request, kinds, current):
    """A link per kind assessed in the year, keeping the other filters (not the page)."""
    tabs = []
    for kind in kinds:
        query = request.GET.copy()
        query.pop("page", None)
        query["kind"] = kind
        tabs.append(
            {
                "kind": kind,
                "label": KIND_PLURALS[kind],
                "query": query.urlencode(),
                "current": kind == current,
            }
        )
    return tabs


def _published_revision(year, number=None):
    revisions = RatingRevision.objects.published().filter(year=year)
    if number is not None:
        return get_object_or_404(revisions, number=number)
    return get_object_or_404(revisions, status=RatingRevision.Status.PUBLISHED)


@require_GET
@public_view
def year_archive(request, year):
    number = request.GET.get("revision", "")
    revision = _published_revision(year, int(number) if number.isdigit() else None)
    # Recorded by the computation: the archive need not scan the year's results for them.
    kinds = kinds_of(revision.aggregates.get(ASSESSED_KINDS), revision.results.all())
    kind = request.GET.get("kind", "")
    if kind not in kinds:
        kind = kinds[0] if kinds else ""
    results = (
        revision.results.filter(kind=kind)
        # Each row links to its organisation's page; a listing needs neither the inputs nor
        # the search document.
        .select_related("organisation__page")
        .defer("inputs", "search_document")
        .order_by(*ORDERS["rank"])
    )
    # Revisions published before kinds were ranked apart keep their means over all kinds.
    per_kind = "kinds" in revision.aggregates
    means = revision.aggregates["kinds"].get(kind, {}) if per_kind else revision.aggregates
    region = _decimals(means.get("region", {}))
    municipalities = sorted(
        (_decimals(m) for m in means.get("municipalities", {}).values()),
        key=lambda m: m["name"],
    )
    revision_query = f"revision={revision.number}&" if number.isdigit() else ""
    return render(
        request,
        "results/year_archive.html",
        {
            "breadcrumbs": trail((_("Рейтинги"), reverse("ratings")), current=year),
            "revision": revision,
            "year": year,
            "kind": kind,
            "kind_plural": KIND_PLURALS.get(kind, ""),
            "kind_among": KIND_AMONG.get(kind, ""),
            "kind_tabs": [
                {
                    "kind": item,
                    "label": KIND_PLURALS[item],
                    "query": f"{revision_query}kind={item}",
                    "current": item == kind,
                }
                for item in kinds
            ],
            "ranked_across_kinds": not per_kind and len(kinds) > 1,
            "results_page": with_places(paginate(request, results, RESULTS_PER_PAGE * 2)),
            "region": region,
            "municipalities": municipalities,
            "criteria": list(CRITERION_TITLES.items()),
            "region_chart": charts.bars(
                [(short_label(code), [region.get(code)]) for code in engine.CRITERIA]
            ),
            "revisions": RatingRevision.objects.published().filter(year=year).order_by("number"),
            "formats": exports.FORMATS,
            # Left on the record by the preliminary stage at publication, if the year had one.
            "objections": (revision.publication_summary or {}).get("objections"),
        },
    )


def _decimals(summary):
    """Stored means are text ("84.88"); as Decimals they print like every other figure."""
    return {
        key: Decimal(value) if key in AGGREGATE_FIGURES and value is not None else value
        for key, value in summary.items()
    }


@require_GET
@public_view
def year_export(request, year, fmt):
    """The year's open data: every kind (each ranked within itself, the ``kind`` column
    says which), or one kind with ``?kind=``."""
    if fmt not in exports.FORMATS:
        raise Http404
    revision = _published_revision(year)
    results = revision.results.all()
    kind = request.GET.get("kind", "")
    suffix = ""
    if kind:
        if kind not in KIND_PLURALS:
            raise Http404
        results = results.filter(kind=kind)
        suffix = f"-{kind}"
    content = exports.export(results, fmt, revision)
    response = HttpResponse(content, content_type=exports.CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="noko-ratings-{year}{suffix}.{fmt}"'
    return response


@require_GET
@public_view
def compare(request):
    """Up to four organisations side by side in one published year; the visitor adds more
    by searching on the page itself and removes them one by one (all in the query string)."""
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
    # Organisations of different kinds are ranked and surveyed apart: only the first
    # requested organisation's kind is compared, and the page says who was left out.
    kind = compared[0].kind if compared else ""
    other_kind = [result for result in compared if result.kind != kind]
    compared = [result for result in compared if result.kind == kind]
    chosen = [result.code for result in compared]
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
            "breadcrumbs": trail((_("Рейтинги"), reverse("ratings")), current=_("Сравнение")),
            "year": year,
            "years": years,
            "compared": compared,
            "missing": missing,
            "other_kind": other_kind,
            "kind_plural": KIND_PLURALS.get(kind, ""),
            "kind_among": KIND_AMONG.get(kind, ""),
            "too_many": too_many,
            "criteria": criteria,
            "chart": chart,
            "max_compared": MAX_COMPARED,
            "codes": codes,
            "chosen_codes": chosen,
            "removals": [
                (result, _compare_url(year, [code for code in chosen if code != result.code]))
                for result in compared
            ],
            "can_add": len(chosen) < MAX_COMPARED,
            **_compare_search(request, year, kind, chosen),
        },
    )


def _compare_url(year, codes):
    query = urlencode({"year": year or "", "org": codes}, doseq=True)
    return f"{reverse('ratings_compare')}?{query}"


def _compare_search(request, year, kind, chosen):
    """The compare page's own search: organisations of the compared kind (any kind before
    the first is chosen) in the year's published rating; the page gives each a GET form that
    adds it to the ones already chosen, so it works without JavaScript."""
    query = clean_query(request.GET.get("q"))
    if not query or year is None:
        return {"search_query": query, "search": None}
    found = filter_results({"year": year, "kind": kind or ALL_KINDS, "q": query, "order": "name"})
    candidates = list(found.results[: COMPARE_SEARCH_RESULTS + len(chosen)])
    hits = [result for result in candidates if result.code not in chosen]
    return {
        "search_query": query,
        "search": {
            # Counted with the ones already chosen, which the list leaves out.
            "total": len(candidates)
            if len(candidates) < COMPARE_SEARCH_RESULTS
            else found.results.count(),
            "chosen_found": len(candidates) - len(hits),
            "hits": hits[:COMPARE_SEARCH_RESULTS],
            "degraded": found.degraded,
        },
    }


def _api_error(message, status=400):
    return JsonResponse(
        {"error": message}, status=status, json_dumps_params={"ensure_ascii": False}
    )


@require_GET
@public_view
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
        # Ranks are within this kind; the year's other kinds are asked for with ?kind=.
        "kind": cleaned["kind"],
        "kinds": form.kinds,
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
        # Rated below the methodology's minimum number of respondents (issue #15).
        "low_sample": result.low_sample,
    }
    for code in engine.FIGURES:
        value = getattr(result, code)
        row[code] = None if value is None else str(value)
    return row


@require_GET
@public_view
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
