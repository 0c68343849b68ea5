"""The public page of a year, «Итоги независимой оценки <year> года», and each
organisation's entry in it.

The page brings together what the cycle produced for the year: the assessment list by kind,
the published results (only the current published revision: nothing of a draft), the
council's decisions, the authority's management decisions, the improvement plans (approved
ones only) and the public discussion. A year exists here when it has an assessment list or
a published rating; any other year answers 404.

The query functions below are public: the organisation's page may show its management
decisions and discussion entries the same way.
"""

from decimal import Decimal

from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core.breadcrumbs import trail
from core.views import public_view
from registry.assessment import has_list
from registry.kinds import KIND_PLURALS, in_kind_order
from registry.models import AssessmentListEntry, Organisation
from results.models import ASSESSED_KINDS, RatingResult, RatingRevision
from results.queries import kinds_of

from .discussion import discussion_of, is_open, published_entries
from .models import CouncilDecision, ManagementDecision
from .plans import plans_overview

OBJECTION_COUNTS = ("filed", "accepted", "rejected")


def follow_up_trail(*links, current):
    """Breadcrumbs of the pages after the numbers: they all sit under «Итоги оценки»."""
    return trail((_("Итоги оценки"), reverse("accountability_years")), *links, current=current)


def year_link(year):
    return (str(year), reverse("accountability_year", args=[year]))


# --- What a year has ------------------------------------------------------------------------


def current_revision(year):
    """The year's current published revision, or None: a draft is never read here."""
    return RatingRevision.objects.current_of(year)


def public_years():
    """Years with an assessment list or a published rating, latest first."""
    listed = AssessmentListEntry.objects.order_by().values_list("year", flat=True).distinct()
    published = RatingRevision.objects.published_years()
    return sorted(set(listed) | set(published), reverse=True)


def year_exists(year):
    return has_list(year) or current_revision(year) is not None


def year_organisations(year, revision=None):
    """The year's assessed organisations: its list, or, for a year without one, the
    organisations of its published rating (every organisation was assessed then)."""
    if has_list(year):
        return Organisation.objects.filter(assessment_list_entries__year=year)
    if revision is not None:
        return Organisation.objects.filter(pk__in=revision.results.values("organisation_id"))
    return Organisation.objects.none()


# A kind with more organisations than this is listed on its own paginated page; the year page
# shows its count and the link (2,000 organisations inline were 200 KB of HTML to a phone
# and most of a 110 ms render).
YEAR_LIST_INLINE = 100
YEAR_LIST_PAGE_SIZE = 100


def assessment_list_by_kind(organisations):
    """[{kind, label, count, organisations}] in the public order of kinds; ``organisations``
    is None for a kind longer than YEAR_LIST_INLINE (its own page lists it)."""
    counts = {
        row["kind"]: row["count"]
        for row in organisations.order_by().values("kind").annotate(count=Count("pk"))
    }
    inline = [kind for kind, count in counts.items() if count <= YEAR_LIST_INLINE]
    rows = (
        list(
            organisations.filter(kind__in=inline)
            .select_related("municipality")
            .order_by("municipality__name", "name")
        )
        if inline
        else []
    )
    return [
        {
            "kind": kind,
            "label": KIND_PLURALS[kind],
            "count": counts[kind],
            "organisations": [row for row in rows if row.kind == kind] if kind in inline else None,
        }
        for kind in in_kind_order(counts)
    ]


def results_summary(revision):
    """The published results in brief: the region's mean total per kind and the objections
    summary of the preliminary stage, when the publication recorded one."""
    kinds = kinds_of(revision.aggregates.get(ASSESSED_KINDS), revision.results.all())
    per_kind = revision.aggregates.get("kinds")
    if per_kind is None:
        # Revisions published before kinds were ranked apart keep one mean over all kinds.
        means = [{"label": "", **region_mean(revision.aggregates.get("region"))}]
    else:
        means = [
            {"label": KIND_PLURALS[kind], **region_mean(per_kind.get(kind, {}).get("region"))}
            for kind in kinds
        ]
    objections = revision.publication_summary.get("objections")
    if isinstance(objections, dict):
        objections = {key: objections[key] for key in OBJECTION_COUNTS if key in objections}
    else:
        objections = None
    return {"revision": revision, "means": means, "objections": objections or None}


def region_mean(region):
    """The stored region mean ("84.88", text) as a Decimal that prints like other figures."""
    region = region or {}
    total = region.get("total")
    return {"total": Decimal(total) if total is not None else None, "rated": region.get("rated")}


def council_decisions(year):
    return (
        CouncilDecision.objects.filter(year=year)
        .select_related("meeting__protocol")
        .order_by("meeting__date", "meeting__pk", "sort_order", "pk")
    )


def management_decisions(year):
    """The authority's decisions on the year's results, newest first, with the number of
    organisations each concerns (none: the decision concerns all)."""
    return (
        ManagementDecision.objects.filter(year=year)
        .select_related("document")
        .annotate(organisation_count=Count("organisations"))
        .order_by("-date", "-pk")
    )


def management_decisions_for(organisation, year=None):
    """The decisions that name ``organisation`` (of ``year``, or of every year)."""
    decisions = ManagementDecision.objects.filter(organisations=organisation).select_related(
        "document"
    )
    if year is not None:
        decisions = decisions.filter(year=year)
    return decisions.order_by("-year", "-date", "-pk")


def discussion_summary(year):
    discussion = discussion_of(year)
    if discussion is None:
        return None
    return {
        "discussion": discussion,
        "is_open": is_open(discussion),
        "published": published_entries(discussion).count(),
    }


# --- Pages ----------------------------------------------------------------------------------


@require_GET
@public_view
def years_index(request):
    return TemplateResponse(
        request,
        "accountability/year/index.html",
        {"years": public_years(), "breadcrumbs": trail(current=_("Итоги оценки"))},
    )


@require_GET
@public_view
def year_page(request, year):
    revision = current_revision(year)
    if revision is None and not has_list(year):
        raise Http404
    organisations = year_organisations(year, revision)
    kinds = assessment_list_by_kind(organisations)
    assessed_count = sum(group["count"] for group in kinds)
    return TemplateResponse(
        request,
        "accountability/year/page.html",
        {
            "breadcrumbs": follow_up_trail(current=year),
            "year": year,
            "has_list": has_list(year),
            "kinds": kinds,
            "assessed_count": assessed_count,
            "results": results_summary(revision) if revision is not None else None,
            "council_decisions": council_decisions(year),
            "management_decisions": management_decisions(year).prefetch_related("organisations"),
            "plans": plans_overview(year, assessed_count),
            "discussion": discussion_summary(year),
        },
    )


@require_GET
@public_view
def year_kind_list(request, year, kind):
    """The year's organisations of one kind, by municipality and name, a page at a time."""
    if kind not in KIND_PLURALS:
        raise Http404
    revision = current_revision(year)
    if revision is None and not has_list(year):
        raise Http404
    organisations = (
        year_organisations(year, revision)
        .filter(kind=kind)
        .select_related("municipality")
        .order_by("municipality__name", "name", "pk")
    )
    page_obj = Paginator(organisations, YEAR_LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    if not page_obj.paginator.count:
        raise Http404
    label = KIND_PLURALS[kind]
    return TemplateResponse(
        request,
        "accountability/year/kind_list.html",
        {
            "breadcrumbs": follow_up_trail(year_link(year), current=label.capitalize()),
            "year": year,
            "kind": kind,
            "label": label,
            "page_obj": page_obj,
        },
    )


@require_GET
@public_view
def organisation_entry(request, year, code):
    """One organisation in the year: its published result, the management decisions that
    name it and the published discussion entries about it, with their answers."""
    revision = current_revision(year)
    organisation = get_object_or_404(
        year_organisations(year, revision).select_related("municipality"), code=code[:20]
    )
    result = (
        RatingResult.objects.public()
        .filter(year=year, organisation=organisation)
        .select_related("organisation__page")
        .first()
    )
    discussion = discussion_of(year)
    return TemplateResponse(
        request,
        "accountability/year/organisation.html",
        {
            "breadcrumbs": follow_up_trail(
                year_link(year), current=organisation.short_name or organisation.name
            ),
            "year": year,
            "organisation": organisation,
            "result": result,
            "decisions": management_decisions_for(organisation, year),
            "general_decisions": management_decisions(year).filter(organisation_count=0),
            "discussion": discussion,
            "discussion_open": is_open(discussion) and result is not None,
            "entries": published_entries(discussion, organisation),
        },
    )


urlpatterns = [
    path("year/", years_index, name="accountability_years"),
    path("year/<int:year>/", year_page, name="accountability_year"),
    path("year/<int:year>/list/<str:kind>/", year_kind_list, name="accountability_year_kind"),
    path(
        "year/<int:year>/organisation/<str:code>/",
        organisation_entry,
        name="accountability_year_organisation",
    ),
]
admin_urlpatterns = []


def viewsets():
    return []


__all__ = [
    "council_decisions",
    "management_decisions",
    "management_decisions_for",
    "plans_overview",
    "public_years",
    "year_exists",
]
