"""Admin screen «Выгрузка для bus.gov.ru»: the years with a published revision, and for each
kind a checklist of what is missing (ИНН or КПП, an approved plan, decided objections) before
the download links. Downloads are allowed whatever the checklist says; it says what the file
will lack.

Only the operator's editors (``results.publish_ratingrevision``) reach it: school staff and
coordinators are admin users too and get 403. Only a year's current published revision is
ever exported (outputs/busgov.py).
"""

from functools import partial

from django.http import Http404, HttpResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from wagtail import hooks

from core.admin import PermissionMenuItem, admin_page, require_permissions
from registry.kinds import KIND_PLURALS, in_kind_order
from registry.models import Organisation
from results.admin_views import PUBLISH_PERMISSION
from results.models import RatingRevision

from . import busgov

screen = partial(admin_page, icon="download")


def _kind_or_404(kind):
    if kind not in Organisation.Kind.values:
        raise Http404
    return kind


def _revision_or_404(year):
    revision = busgov.published_revision(year)
    if revision is None:
        raise Http404
    return revision


@never_cache
@require_GET
@require_permissions(PUBLISH_PERMISSION)
def index(request):
    years = []
    for revision in RatingRevision.objects.current().order_by("-year"):
        counts = busgov.published_kinds(revision)
        kinds = [
            {"kind": kind, "label": KIND_PLURALS[kind], "count": counts[kind]}
            for kind in in_kind_order(counts)
        ]
        years.append({"revision": revision, "kinds": kinds})
    return screen(request, "outputs/busgov/index.html", _("Выгрузка для bus.gov.ru"), years=years)


@never_cache
@require_GET
@require_permissions(PUBLISH_PERMISSION)
def year_kind(request, year, kind):
    _kind_or_404(kind)
    revision = _revision_or_404(year)
    if kind not in busgov.published_kinds(revision):
        raise Http404
    title = _("Выгрузка для bus.gov.ru: %(year)s, %(kind)s") % {
        "year": year,
        "kind": KIND_PLURALS[kind],
    }
    return screen(
        request,
        "outputs/busgov/year_kind.html",
        title,
        revision=revision,
        year=year,
        kind=kind,
        checklist=busgov.checklist(year, kind),
        formats=busgov.FORMATS,
        columns=busgov.ORGANISATION_FIELDS,
        measure_columns=busgov.MEASURE_FIELDS,
    )


@never_cache
@require_GET
@require_permissions(PUBLISH_PERMISSION)
def download(request, year, kind, fmt):
    _kind_or_404(kind)
    if fmt not in busgov.FORMATS:
        raise Http404
    try:
        data = busgov.export(year, kind, fmt)
    except busgov.NoPublishedYear as error:
        raise Http404 from error
    response = HttpResponse(data, content_type=busgov.CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="busgov-{year}-{kind}.{fmt}"'
    return response


# Public URLs (included at the site root by outputs/urls.py).
urlpatterns = []
# Admin URLs (registered under /admin/ by outputs/wagtail_hooks.py).
admin_urlpatterns = [
    path("outputs/busgov/", index, name="outputs_busgov"),
    path("outputs/busgov/<int:year>/<slug:kind>/", year_kind, name="outputs_busgov_year_kind"),
    path(
        "outputs/busgov/<int:year>/<slug:kind>.<slug:fmt>",
        download,
        name="outputs_busgov_download",
    ),
]


@hooks.register("register_admin_menu_item")
def register_busgov_menu_item():
    return PermissionMenuItem(
        gettext_lazy("Выгрузка для bus.gov.ru"),
        reverse("outputs_busgov"),
        icon_name="download",
        order=265,
        check=lambda user: user.has_perm(PUBLISH_PERMISSION),
    )
