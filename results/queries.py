"""The public ratings query: filters, search and ordering shared by the pages and the API.

Everything here starts from ``RatingResult.objects.public()`` (the current published revision
of each year), so no filter, search or order can ever reach a draft (security.md case 17).
"""

from decimal import Decimal

from django import forms
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from core.search import Found, clean_query
from registry.kinds import KIND_ORDER, in_kind_order
from registry.models import Municipality, Organisation

from .models import ASSESSED_KINDS, BAND_LABELS, RatingResult, RatingRevision
from .search import search

# Rated organisations first ("rated" sorts after "insufficient_data"), so databases that
# put NULL ranks first (SQLite) and last (PostgreSQL) list the same way.
ORDERS = {
    "rank": ("-status", "rank", "name"),
    "name": ("name",),
    "municipality": ("municipality_name", "-status", "rank", "name"),
}
ORDER_LABELS = {
    "rank": _("по месту"),
    "name": _("по названию"),
    "municipality": _("по муниципалитету"),
}


# The filter value that lists every kind (each still ranked within its own).
ALL_KINDS = "all"


def kinds_by_year():
    """[(year, [kinds assessed that year])] for every published year, latest first: which
    kinds were assessed when (each kind may be assessed in a different year).

    Read from the revisions (the computation records its kinds), so the ratings pages do
    not scan a year's results for them; a revision computed before that is scanned."""
    current = RatingRevision.objects.current().order_by("-year")
    return [
        (year, kinds_of(kinds, RatingResult.objects.public().filter(year=year)))
        for year, kinds in current.values_list("year", f"aggregates__{ASSESSED_KINDS}")
    ]


def kinds_of(recorded, results):
    """The kinds a revision recorded (``aggregates[ASSESSED_KINDS]``) in public order; for a
    revision computed before kinds were recorded, those of its ``results``."""
    if recorded is None:
        recorded = results.order_by().values_list("kind", flat=True).distinct()
    return in_kind_order(recorded)


class RatingsFilterForm(forms.Form):
    # No max_length: clean_query cuts long input instead of failing on it.
    q = forms.CharField(label=_("Название, адрес или муниципалитет"), required=False)
    year = forms.TypedChoiceField(label=_("Год"), coerce=int, required=False)
    municipality = forms.ModelChoiceField(
        label=_("Муниципалитет"),
        queryset=Municipality.objects.all(),
        required=False,
        empty_label=_("Все муниципалитеты"),
        to_field_name="slug",
    )
    # Each kind is ranked on its own, so a list shows one kind: the first one assessed in
    # the year unless asked otherwise. A search without a kind looks through all of them
    # (a parent types a kindergarten's name without knowing how it is classified), and
    # every row then says its kind.
    kind = forms.ChoiceField(
        label=_("Тип организации"),
        required=False,
        choices=[*Organisation.Kind.choices, (ALL_KINDS, _("Все типы (места — внутри типа)"))],
    )
    band = forms.ChoiceField(
        label=_("Уровень"),
        required=False,
        choices=[("", _("Все уровни")), *BAND_LABELS.items(), ("none", _("без балла"))],
    )
    order = forms.ChoiceField(
        label=_("Сортировка"), required=False, choices=list(ORDER_LABELS.items())
    )

    def __init__(self, data=None):
        super().__init__(data)
        # [(year, kinds)] of every published year, latest first.
        self.assessed = kinds_by_year()
        self.years = [year for year, _kinds in self.assessed]
        self.fields["year"].choices = [(year, str(year)) for year in self.years]

    def clean_q(self):
        return clean_query(self.cleaned_data["q"])

    def clean_year(self):
        # No year chosen: the latest published one.
        return self.cleaned_data["year"] or (self.years[0] if self.years else None)

    def clean(self):
        cleaned = super().clean()
        year = cleaned.get("year")
        # The kinds assessed in the year, for the page's tabs.
        self.kinds = dict(self.assessed).get(year, [])
        if not cleaned.get("kind"):
            if cleaned.get("q"):
                cleaned["kind"] = ALL_KINDS
            else:
                cleaned["kind"] = self.kinds[0] if self.kinds else KIND_ORDER[0].value
            # So that the form shows the kind the list is of.
            self.data = self.data.copy()
            self.data["kind"] = cleaned["kind"]
        return cleaned


def filter_results(cleaned):
    """Public results for cleaned filter values; searched when ``q`` is given.

    Returns :class:`core.search.Found`: a queryset or Wagtail search results (both
    paginate and slice), and whether a search was answered by the fallback."""
    results = (
        RatingResult.objects.public()
        .filter(year=cleaned.get("year"))
        .select_related("organisation__page")
        # A listing needs neither the inputs nor the search document.
        .defer("inputs", "search_document")
    )
    if cleaned.get("municipality"):
        results = results.filter(municipality=cleaned["municipality"])
    if cleaned.get("kind") and cleaned["kind"] != ALL_KINDS:
        results = results.filter(kind=cleaned["kind"])
    band = cleaned.get("band")
    if band == "none":
        results = results.filter(band="")
    elif band:
        results = results.filter(band=band)
    order = ORDERS[cleaned.get("order") or "rank"]
    if cleaned.get("municipality") and order == ORDERS["rank"]:
        # Ranks are within the scope shown: one municipality when filtered by it.
        order = ("-status", "municipality_rank", "name")
    results = results.order_by(*order)
    if cleaned.get("q"):
        return search(results, cleaned["q"])
    return Found(results)


def latest_results(organisation_ids):
    """{organisation id: its latest published result} for the organisations given (those
    without one are left out): where a search result links to the organisation's card."""
    latest = {}
    results = (
        RatingResult.objects.public()
        .filter(organisation_id__in=list(organisation_ids))
        .only("organisation_id", "year", "total", "status")
        .order_by("organisation_id", "year")
    )
    for result in results:
        latest[result.organisation_id] = result
    return latest


LEADER_FIELDS = (
    "revision_id",
    "year",
    "kind",
    "code",
    "name",
    "short_name",
    "total",
    "rank",
    "organisation__id",
    "organisation__page__id",
    "organisation__page__live",
    "organisation__page__url_path",
    "organisation__page__depth",
    "organisation__page__path",
    "organisation__page__locale_id",
)


def latest_by_kind(top=3):
    """Each kind's latest published year, in public order: [{kind, year, mean, leaders}],
    ``mean`` the region's mean total of that kind (a Decimal, None before kinds were kept
    apart) and ``leaders`` its ``top`` rated organisations by rank. The home page's block."""
    latest = {}
    for year, kinds in kinds_by_year():
        for kind in kinds:
            latest.setdefault(kind, year)
    revisions = {
        revision.year: revision
        for revision in RatingRevision.objects.current().filter(year__in=set(latest.values()))
    }
    # Every kind's leaders in one query: a rank is never above the position it is listed
    # at, so the first ``top`` by rank all have ``rank <= top`` (ties may add a few rows).
    leaders = {}
    if latest:
        chosen = Q()
        for kind, year in latest.items():
            chosen |= Q(year=year, kind=kind)
        for result in (
            RatingResult.objects.public()
            .filter(chosen, rank__isnull=False, rank__lte=top)
            .select_related("organisation__page")
            # What the block shows and the page's address: a school page row is wide (its
            # body, gallery, documents), and reading it whole cost more than the query.
            .only(*LEADER_FIELDS)
            .order_by("rank", "name")
        ):
            leaders.setdefault(result.kind, []).append(result)
    rows = []
    for kind in in_kind_order(latest):
        year = latest[kind]
        region = revisions[year].aggregates.get("kinds", {}).get(kind, {}).get("region") or {}
        total = region.get("total")
        rows.append(
            {
                "kind": kind,
                "year": year,
                "mean": Decimal(total) if total is not None else None,
                "leaders": leaders.get(kind, [])[:top]
                if "kinds" in revisions[year].aggregates
                # Ranked across all kinds (before kinds were ranked apart): a kind's
                # leaders may hold any rank.
                else list(
                    RatingResult.objects.public()
                    .filter(year=year, kind=kind, rank__isnull=False)
                    .select_related("organisation__page")
                    .order_by("rank", "name")[:top]
                ),
            }
        )
    return rows


def attach_places(results):
    """Set ``places_in_region`` and ``places_in_municipality`` on each of ``results``: how many
    organisations hold a place in the ranking its rank belongs to, so a page can say «место
    76 из 116». Ranks are within a kind (in the region and in a municipality); revisions
    published before kinds were ranked apart ranked all kinds together, and are counted so.
    One GROUP BY over the results' revisions (and one query for their aggregates, unless the
    results came with their revisions selected). Returns the results as a list."""
    results = list(results)
    revision_ids = {result.revision_id for result in results}
    if not revision_ids:
        return results
    # A caller that selected the revisions with the results (the result card) has their
    # aggregates already: only the others are read.
    loaded = {
        result.revision_id: result.revision
        for result in results
        if RatingResult.revision.is_cached(result)
    }
    per_kind = {pk: "kinds" in (revision.aggregates or {}) for pk, revision in loaded.items()}
    if revision_ids - loaded.keys():
        per_kind.update(
            (pk, "kinds" in (aggregates or {}))
            for pk, aggregates in RatingRevision.objects.filter(
                pk__in=revision_ids - loaded.keys()
            ).values_list("pk", "aggregates")
        )
    region, municipal = {}, {}
    ranked = (
        RatingResult.objects.filter(revision_id__in=revision_ids, rank__isnull=False)
        .values_list("revision_id", "kind", "municipality_id")
        .annotate(count=Count("pk"))
        .order_by()
    )
    for revision_id, kind, municipality_id, count in ranked:
        scope = kind if per_kind[revision_id] else None
        region[revision_id, scope] = region.get((revision_id, scope), 0) + count
        key = (revision_id, scope, municipality_id)
        municipal[key] = municipal.get(key, 0) + count
    for result in results:
        scope = result.kind if per_kind[result.revision_id] else None
        result.places_in_region = region.get((result.revision_id, scope))
        result.places_in_municipality = municipal.get(
            (result.revision_id, scope, result.municipality_id)
        )
    return results
