"""Admin screens of shortcomings: the operator's editors derive them from the evidence,
edit their wording, dismiss, restore, merge and add them, and read the trail.

Only the operator (``accountability.access.is_operator``) reaches these screens; school staff
and coordinators are admin users too and get a plain 403, anonymous visitors Wagtail's sign-in
page. The domain operations are in ``accountability.shortcomings``; the views only read forms
and show what happened.
"""

from functools import partial, wraps

from django import forms
from django.contrib import messages
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django.views.defaults import permission_denied
from django_tasks import TaskResultStatus
from wagtail import hooks

from core.admin import PermissionMenuItem, admin_page
from core.pagination import paginate
from core.validators import reject_control_characters
from registry.models import Municipality, Organisation
from results.models import RatingResult, RatingRevision

from . import shortcomings as services
from .access import is_operator
from .models import Criterion, Shortcoming, ShortcomingChange
from .tasks_shortcomings import derive_year_task

PER_PAGE = 50
# Up to this many organisations a year is derived within the request; more go to a task.
INLINE_LIMIT = 100
TRAIL_LIMIT = 200
FIRST_YEAR, LAST_YEAR = 2015, 2100

screen = partial(admin_page, icon="warning")


def operator_only(view):
    """403 for anyone but the operator's editors; never cached (forms and drafts)."""

    @never_cache
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not is_operator(request.user):
            return permission_denied(request, PermissionDenied())
        year = kwargs.get("year")
        if year is not None and not FIRST_YEAR <= year <= LAST_YEAR:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


# --- Forms ----------------------------------------------------------------------------------


class YearFilterForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Название или код"), required=False, max_length=200)
    municipality = forms.ModelChoiceField(
        label=gettext_lazy("Муниципалитет"),
        queryset=Municipality.objects.order_by("name"),
        required=False,
        empty_label=gettext_lazy("все"),
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Тип"),
        choices=[("", gettext_lazy("все")), *Organisation.Kind.choices],
        required=False,
    )


def _text_field(label, *, required=True, max_length=services.MAX_TEXT_LENGTH, rows=3):
    return forms.CharField(
        label=label,
        required=required,
        error_messages={"required": gettext_lazy("Напишите формулировку недостатка.")},
        max_length=max_length,
        validators=[reject_control_characters],
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class EditForm(forms.Form):
    text = _text_field(gettext_lazy("Формулировка"))


class DismissForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Причина снятия"),
        max_length=services.MAX_REASON_LENGTH,
        validators=[reject_control_characters],
        error_messages={
            "required": gettext_lazy("Укажите причину, по которой недостаток снимается.")
        },
    )


class MergeForm(forms.Form):
    shortcomings = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Объединяемые недостатки"),
        queryset=Shortcoming.objects.none(),
        error_messages={"required": gettext_lazy("Отметьте недостатки, которые нужно объединить.")},
    )
    target = forms.ModelChoiceField(
        label=gettext_lazy("Объединить в"),
        queryset=Shortcoming.objects.none(),
        error_messages={"required": gettext_lazy("Выберите недостаток, который останется.")},
    )
    text = _text_field(gettext_lazy("Новая формулировка (необязательно)"), required=False)

    def __init__(self, *args, active, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["shortcomings"].queryset = active
        self.fields["target"].queryset = active
        self.fields["target"].label_from_instance = lambda row: f"{row.indicator}: {row.text[:80]}"


class AddForm(forms.Form):
    indicator = forms.ChoiceField(
        label=gettext_lazy("Показатель"),
        choices=[("", "—"), *services.indicator_choices()],
        error_messages={"required": gettext_lazy("Выберите показатель.")},
    )
    text = _text_field(gettext_lazy("Формулировка"))
    evidence = forms.CharField(
        label=gettext_lazy("Основание (необязательно)"),
        required=False,
        max_length=services.MAX_EVIDENCE_LENGTH,
        validators=[reject_control_characters],
    )


def _apply(form, operation):
    """Run ``operation`` on a valid form; a refusal becomes the form's errors. True if done."""
    if not form.is_valid():
        return False
    try:
        operation(form.cleaned_data)
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for name, errors in error.error_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            form.add_error(None, error)
        return False
    return True


# --- Years and organisations ----------------------------------------------------------------


@require_GET
@operator_only
def index_view(request):
    years = set(RatingRevision.objects.values_list("year", flat=True))
    years |= set(Shortcoming.objects.values_list("year", flat=True).distinct())
    counts = {
        row["year"]: row
        for row in Shortcoming.objects.values("year")
        .order_by()
        .annotate(
            kept=Count("pk", filter=Q(status=Shortcoming.Status.ACTIVE, stale=False)),
            organisations=Count("organisation", distinct=True),
        )
    }
    return screen(
        request,
        "accountability/shortcomings/index.html",
        _("Недостатки"),
        years=[(year, counts.get(year)) for year in sorted(years, reverse=True)],
    )


def _year_organisations(year, revision):
    """Organisations with a result in the year's revision or with shortcomings stored."""
    with_rows = Q(pk__in=Shortcoming.objects.filter(year=year).values("organisation_id"))
    if revision is not None:
        with_rows |= Q(
            pk__in=RatingResult.objects.filter(revision=revision).values("organisation_id")
        )
    of_year = Q(shortcomings__year=year)
    return (
        Organisation.objects.filter(with_rows)
        .select_related("municipality")
        .annotate(
            kept=Count(
                "shortcomings",
                filter=of_year
                & Q(shortcomings__status=Shortcoming.Status.ACTIVE, shortcomings__stale=False),
            ),
            dismissed=Count(
                "shortcomings",
                filter=of_year
                & Q(
                    shortcomings__status__in=[
                        Shortcoming.Status.DISMISSED,
                        Shortcoming.Status.MERGED,
                    ]
                ),
            ),
            stale=Count("shortcomings", filter=of_year & Q(shortcomings__stale=True)),
        )
        .order_by("name", "pk")
    )


@require_GET
@operator_only
def year_view(request, year):
    revision = services.year_revision(year)
    organisations = _year_organisations(year, revision)
    filters = YearFilterForm(request.GET or None)
    if filters.is_valid():
        data = filters.cleaned_data
        if data["q"]:
            query = data["q"].strip()
            organisations = organisations.filter(
                Q(name__icontains=query) | Q(short_name__icontains=query) | Q(code=query)
            )
        if data["municipality"]:
            organisations = organisations.filter(municipality=data["municipality"])
        if data["kind"]:
            organisations = organisations.filter(kind=data["kind"])
    page = paginate(request, organisations, PER_PAGE)
    query = request.GET.copy()
    query.pop("page", None)
    return screen(
        request,
        "accountability/shortcomings/year.html",
        _("Недостатки %(year)s года") % {"year": year},
        year=year,
        revision=revision,
        filters=filters,
        page_obj=page,
        query=query.urlencode(),
        totals=Shortcoming.objects.filter(year=year).aggregate(
            kept=Count("pk", filter=Q(status=Shortcoming.Status.ACTIVE, stale=False)),
            dismissed=Count("pk", filter=~Q(status=Shortcoming.Status.ACTIVE)),
            stale=Count("pk", filter=Q(stale=True)),
        ),
    )


@require_POST
@operator_only
def derive_year_view(request, year):
    revision = services.year_revision(year)
    if revision is None or revision.results.count() <= INLINE_LIMIT:
        # A small year is done while the editor waits, with the outcome on the next page.
        try:
            report = services.derive_year(year, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _report_message(report.as_dict()))
        return redirect("accountability_shortcomings_year", year=year)
    result = derive_year_task.enqueue(year, request.user.pk)
    if result.status == TaskResultStatus.FAILED:
        messages.error(
            request, _("Выявить недостатки не удалось: сообщите администратору портала.")
        )
    elif not result.is_finished:
        messages.info(request, _("Недостатки %(year)s года выявляются в фоне.") % {"year": year})
    elif result.return_value.get("error"):
        messages.error(request, result.return_value["error"])
    else:
        messages.success(request, _report_message(result.return_value))
    return redirect("accountability_shortcomings_year", year=year)


def _report_message(report):
    return (
        _(
            "Недостатки выявлены по данным: организаций %(organisations)s, новых %(created)s, "
            "обновлено %(updated)s, больше не подтверждаются %(stale)s."
        )
        % report
    )


# --- One organisation -----------------------------------------------------------------------


def _safe_url(url):
    # Only web addresses and the portal's own paths become links.
    return url if url.startswith(("https://", "http://", "/")) and not url.startswith("//") else ""


def _value_text(name, value):
    if value is None or value == "":
        return "—"
    if name == "status":
        return str(Shortcoming.Status(value).label) if value in Shortcoming.Status.values else value
    if isinstance(value, bool):
        return _("да") if value else _("нет")
    if isinstance(value, list):
        return ", ".join(f"№ {item}" for item in value) or "—"
    if name == "merged_into":
        return f"№ {value}"
    return str(value)


def _field_label(name):
    if name == "merged":
        return _("присоединены")
    try:
        return str(Shortcoming._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:  # a field of an older trail entry the model no longer has
        return name


def _change_label(change):
    if change.action != ShortcomingChange.Action.DERIVED:
        return change.get_action_display()
    stale = change.changes.get("stale")
    if stale == [False, True]:
        return _("больше не подтверждается данными")
    if change.changes.get("text", [None])[0] == "" and "evidence" in change.changes:
        return _("выявлен по данным")
    return _("обновлён по данным")


def _trail(organisation, year):
    changes = (
        ShortcomingChange.objects.filter(
            shortcoming__organisation=organisation, shortcoming__year=year
        )
        .select_related("user", "shortcoming")
        .order_by("-changed_at", "-pk")[:TRAIL_LIMIT]
    )
    for change in changes:
        change.label = _change_label(change)
        change.lines = [
            (_field_label(name), _value_text(name, pair[0]), _value_text(name, pair[1]))
            for name, pair in change.changes.items()
            if isinstance(pair, list) and len(pair) == 2
        ]
        yield change


def _organisation_page(request, organisation, year, *, failed=None, status=200):
    """The organisation's shortcomings by criterion with their forms; ``failed`` is
    (form name, shortcoming pk or None, bound form with errors) to show in its place."""
    rows = list(
        Shortcoming.objects.filter(organisation=organisation, year=year)
        .select_related("merged_into")
        .order_by("criterion", "position", "pk")
    )
    failed_name, failed_pk, failed_form = failed or (None, None, None)

    def form_for(name, form_class, row, **initial):
        if failed_name == name and failed_pk == row.pk:
            return failed_form
        return form_class(prefix=f"{name}-{row.pk}", initial=initial)

    for row in rows:
        row.safe_url = _safe_url(row.evidence_url)
        row.edit_form = form_for("edit", EditForm, row, text=row.text)
        row.dismiss_form = form_for("dismiss", DismissForm, row)
    groups = [
        (criterion, [row for row in rows if row.criterion == criterion.value])
        for criterion in Criterion
    ]
    active = _active(organisation, year)
    revision = services.year_revision(year)
    result = revision.results.filter(organisation=organisation).first() if revision else None
    return screen(
        request,
        "accountability/shortcomings/organisation.html",
        _("Недостатки %(year)s: %(name)s")
        % {"year": year, "name": organisation.short_name or organisation.name},
        status=status,
        organisation=organisation,
        year=year,
        revision=revision,
        result=result,
        groups=groups,
        merge_form=failed_form if failed_name == "merge" else MergeForm(active=active),
        add_form=failed_form if failed_name == "add" else AddForm(),
        trail=list(_trail(organisation, year)),
        trail_limit=TRAIL_LIMIT,
    )


def _active(organisation, year):
    return Shortcoming.objects.filter(
        organisation=organisation, year=year, status=Shortcoming.Status.ACTIVE
    ).order_by("criterion", "position", "pk")


def _back(organisation, year):
    return redirect(
        "accountability_shortcomings_organisation", year=year, organisation_id=organisation.pk
    )


@require_GET
@operator_only
def organisation_view(request, year, organisation_id):
    organisation = get_object_or_404(Organisation, pk=organisation_id)
    return _organisation_page(request, organisation, year)


@require_POST
@operator_only
def derive_view(request, year, organisation_id):
    organisation = get_object_or_404(Organisation, pk=organisation_id)
    try:
        report = services.derive(organisation, year, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if report.skipped:
            messages.warning(
                request,
                _(
                    "Организация не входит в перечень %(year)s года или у неё нет результата: "
                    "недостатки не выявлялись."
                )
                % {"year": year},
            )
        else:
            messages.success(request, _report_message(report.as_dict()))
    return _back(organisation, year)


@require_POST
@operator_only
def add_view(request, year, organisation_id):
    organisation = get_object_or_404(Organisation, pk=organisation_id)
    form = AddForm(request.POST)

    def add(data):
        services.add(
            organisation, year, data["indicator"], data["text"], request.user, data["evidence"]
        )

    if not _apply(form, add):
        return _organisation_page(
            request, organisation, year, failed=("add", None, form), status=400
        )
    messages.success(request, _("Недостаток добавлен."))
    return _back(organisation, year)


@require_POST
@operator_only
def merge_view(request, year, organisation_id):
    organisation = get_object_or_404(Organisation, pk=organisation_id)
    form = MergeForm(request.POST, active=_active(organisation, year))

    def merge(data):
        services.merge(data["target"], data["shortcomings"], request.user, text=data["text"])

    if not _apply(form, merge):
        return _organisation_page(
            request, organisation, year, failed=("merge", None, form), status=400
        )
    messages.success(request, _("Недостатки объединены."))
    return _back(organisation, year)


ITEM_ACTIONS = {
    "edit": (EditForm, lambda row, data, user: services.edit(row, data["text"], user)),
    "dismiss": (DismissForm, lambda row, data, user: services.dismiss(row, data["reason"], user)),
}
DONE = {
    "edit": gettext_lazy("Формулировка сохранена."),
    "dismiss": gettext_lazy("Недостаток снят."),
    "restore": gettext_lazy("Недостаток возвращён в список."),
}


@require_POST
@operator_only
def item_action_view(request, pk, action):
    row = get_object_or_404(Shortcoming.objects.select_related("organisation"), pk=pk)
    organisation, year = row.organisation, row.year
    if action == "restore":
        try:
            services.restore(row, request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return _back(organisation, year)
    elif action in ITEM_ACTIONS:
        form_class, operation = ITEM_ACTIONS[action]
        form = form_class(request.POST, prefix=f"{action}-{pk}")
        if not _apply(form, lambda data: operation(row, data, request.user)):
            return _organisation_page(
                request, organisation, year, failed=(action, row.pk, form), status=400
            )
    else:
        raise Http404
    messages.success(request, DONE[action])
    return _back(organisation, year)


# Public and cabinet URLs (included at the site root by accountability/urls.py): none, the
# organisation reads its shortcomings on the preliminary and plan screens.
urlpatterns = []
# Admin URLs (registered under /admin/ by accountability/wagtail_hooks.py).
admin_urlpatterns = [
    path("accountability/shortcomings/", index_view, name="accountability_shortcomings"),
    path(
        "accountability/shortcomings/<int:year>/",
        year_view,
        name="accountability_shortcomings_year",
    ),
    path(
        "accountability/shortcomings/<int:year>/derive/",
        derive_year_view,
        name="accountability_shortcomings_derive_year",
    ),
    path(
        "accountability/shortcomings/<int:year>/<int:organisation_id>/",
        organisation_view,
        name="accountability_shortcomings_organisation",
    ),
    path(
        "accountability/shortcomings/<int:year>/<int:organisation_id>/derive/",
        derive_view,
        name="accountability_shortcomings_derive",
    ),
    path(
        "accountability/shortcomings/<int:year>/<int:organisation_id>/add/",
        add_view,
        name="accountability_shortcomings_add",
    ),
    path(
        "accountability/shortcomings/<int:year>/<int:organisation_id>/merge/",
        merge_view,
        name="accountability_shortcomings_merge",
    ),
    path(
        "accountability/shortcomings/item/<int:pk>/<slug:action>/",
        item_action_view,
        name="accountability_shortcoming_action",
    ),
]


@hooks.register("register_accountability_menu_item")
def register_shortcomings_menu_item():
    return PermissionMenuItem(
        gettext_lazy("Недостатки"),
        reverse("accountability_shortcomings"),
        icon_name="warning",
        order=100,
        check=is_operator,
    )


def viewsets():
    """Admin viewsets (snippets, ModelViewSets) of this part."""
    return []
