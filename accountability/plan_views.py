"""Improvement plans on three sides: the organisation's cabinet, the founder's admin screens
(approval and the dashboard) and the public pages and open data of approved plans.

Views are thin: the status flow and its rules are ``accountability.plans``; who may see and
decide what is ``accountability.access``. School staff reach only their own organisation's
plan (the cabinet's URLs name no organisation); an overseer's admin screens show only
``overseen_organisations``; the public sees approved plans only, anything else answers 404.

Evidence files are not public: an organisation uploads them without anyone reviewing them
first, and a scanned order or a photo of a classroom may carry personal data of staff and
pupils. The public reads what was done, when, and the evidence link the organisation chose
to publish; the files are for the organisation and those who oversee it.
"""

import os
from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods
from django.views.defaults import permission_denied
from wagtail import hooks

from core.admin import PermissionMenuItem, admin_page
from core.pagination import paginate
from core.views import public_view, signed_in_view
from registry.models import Municipality
from results.models import RatingRevision

from . import plan_exports, plans
from .access import approvable_organisations, may_approve, organisation_of, overseen_organisations
from .forms_plans import (
    ApproveForm,
    DashboardFilterForm,
    ExecutionForm,
    PlanDraftForm,
    PlansFilterForm,
    ReturnForm,
)
from .models import ImprovementPlan, PlanMeasure
from .publication import published_shortcomings, year_is_final
from .year_views import follow_up_trail, year_link

Status = ImprovementPlan.Status
# accountability/wagtail_hooks.py MENU_HOOK (importing it here would be circular: that module
# imports this one through urls.py).
MENU_HOOK = "register_accountability_menu_item"
PLANS_PER_PAGE = 25
EVIDENCE_CONTENT_TYPES = {
    ".pdf": "application/pdf",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
}


def may_follow(user, organisation):
    """The organisation's own staff and whoever oversees it (coordinators, editors)."""
    return (
        organisation_of(user) == organisation
        or overseen_organisations(user).filter(pk=organisation.pk).exists()
    )


# --- Cabinet ------------------------------------------------------------------------------


def own_organisation(request):
    organisation = organisation_of(request.user)
    if organisation is None:
        raise Http404
    return organisation


@signed_in_view
@require_GET
def cabinet_index(request):
    organisation = own_organisation(request)
    existing = {plan.year: plan for plan in organisation.improvement_plans.all()}
    years = sorted(set(plans.final_years_of(organisation)) | set(existing), reverse=True)
    return TemplateResponse(
        request,
        "accountability/plans/cabinet_index.html",
        {
            "page_title": _("Планы устранения недостатков"),
            "organisation": organisation,
            "years": [(year, existing.get(year)) for year in years],
        },
    )


@signed_in_view
@require_http_methods(["GET", "POST"])
def cabinet_plan(request, year):
    organisation = own_organisation(request)
    plan = plans.existing_plan(organisation, year)
    if plan is None:
        return start_page(request, organisation, year)
    if plans.is_editable(plan):
        return draft_page(request, plan)
    if plan.status == Status.APPROVED:
        return execution_page(request, plan)
    if request.method == "POST":
        messages.error(request, _("План отправлен на утверждение: изменить его сейчас нельзя."))
        return redirect(request.path)
    return cabinet_page(request, plan, "accountability/plans/cabinet_submitted.html")


def cabinet_page(request, plan, template, status=200, **context):
    return TemplateResponse(
        request,
        template,
        {
            "page_title": _("План устранения недостатков на %(year)s год") % {"year": plan.year},
            "plan": plan,
            "organisation": plan.organisation,
            "events": plan.events.select_related("user")[:20],
            **context,
        },
        status=status,
    )


def start_page(request, organisation, year):
    if request.method == "POST":
        try:
            plans.plan_for(organisation, year, request.user)
        except plans.PlanError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request, _("План создан по опубликованным недостаткам: заполните мероприятия.")
            )
        return redirect(request.path)
    return TemplateResponse(
        request,
        "accountability/plans/cabinet_start.html",
        {
            "page_title": _("План устранения недостатков на %(year)s год") % {"year": year},
            "organisation": organisation,
            "year": year,
            "refusal": plans.refusal_to_start(organisation, year),
            "shortcomings": published_shortcomings(organisation, year),
        },
    )


def draft_page(request, plan):
    form = PlanDraftForm(plan, request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                return save_draft(request, plan, form)
            except plans.MeasureErrors as error:
                form.add_errors(error.errors)
                messages.error(request, str(error))
            except plans.PlanError as error:
                messages.error(request, str(error))
                return redirect(request.path)
        else:
            messages.error(request, _("Исправьте ошибки в отмеченных полях: ничего не сохранено."))
        status = 400
    return cabinet_page(
        request,
        plan,
        "accountability/plans/cabinet_draft.html",
        status=status,
        form=form,
        invalid_forms=[measure_form for measure_form in form.forms if measure_form.errors],
        sections=plans.sections(form.forms),
    )


def save_draft(request, plan, form):
    changes, removed = form.changes(), form.removed()
    if "submit" in request.POST:
        plans.save_and_submit(plan, request.user, changes, removed)
        messages.success(request, _("План отправлен учредителю на утверждение."))
        return redirect(request.path)
    plans.save_measures(plan, request.user, changes, removed)
    criterion = request.POST.get("add", "")
    if criterion.isdigit():
        measure = plans.add_measure(plan, request.user, criterion)
        messages.success(request, _("Черновик сохранён, мероприятие добавлено."))
        return redirect(f"{request.path}#measure-{measure.pk}")
    messages.success(request, _("Черновик сохранён."))
    return redirect(request.path)


def execution_page(request, plan):
    today = timezone.localdate()
    measures = list(plan.measures.all())
    execution_forms = {measure.pk: ExecutionForm(measure, today=today) for measure in measures}
    status = 200
    if request.method == "POST":
        measure_id = request.POST.get("measure", "")
        measure = next((m for m in measures if str(m.pk) == measure_id), None)
        if measure is None:
            raise Http404
        form = ExecutionForm(measure, request.POST, request.FILES, today=today)
        execution_forms[measure.pk] = form
        if form.is_valid():
            try:
                plans.report_execution(
                    measure,
                    request.user,
                    done_text=form.cleaned_data["done_text"],
                    done_date=form.cleaned_data["done_date"],
                    evidence_url=form.cleaned_data["evidence_url"],
                    evidence_file=form.cleaned_data["evidence_file"],
                    today=today,
                )
            except plans.MeasureErrors as error:
                for field, field_messages in error.errors[measure.pk].items():
                    for message in field_messages:
                        form.add_error(field, message)
            except plans.PlanError as error:
                messages.error(request, str(error))
                return redirect(request.path)
            else:
                messages.success(request, _("Отчёт об исполнении сохранён."))
                return redirect(f"{request.path}#measure-{measure.pk}")
        messages.error(request, _("Отчёт не сохранён: исправьте отмеченные поля."))
        status = 400
    rows = [
        {
            "measure": measure,
            "form": execution_forms[measure.pk],
            "status": plans.measure_status(measure, today),
        }
        for measure in measures
    ]
    return cabinet_page(
        request,
        plan,
        "accountability/plans/cabinet_approved.html",
        status=status,
        sections=plans.sections(rows, criterion_of=lambda row: row["measure"].criterion),
        share_done=plans.share_done(plan),
        overdue=plans.overdue_measures(plan, today),
    )


@signed_in_view
@require_GET
def evidence(request, measure_id):
    """An evidence file, for the organisation and its overseers only (see the docstring)."""
    measure = get_object_or_404(
        PlanMeasure.objects.select_related("plan__organisation"), pk=measure_id
    )
    if not measure.evidence_file or not may_follow(request.user, measure.plan.organisation):
        raise Http404
    extension = os.path.splitext(measure.evidence_file.name)[1].lower()
    if extension not in EVIDENCE_CONTENT_TYPES:
        raise Http404
    try:
        opened = measure.evidence_file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    return FileResponse(
        opened,
        as_attachment=True,
        content_type=EVIDENCE_CONTENT_TYPES[extension],
        filename=f"plan-{measure.plan.year}-{measure.pk}{extension}",
    )


# --- Admin: the founder's screen and the dashboard ----------------------------------------


def may_use_plans_admin(user):
    return overseen_organisations(user).exists()


def overseers_only(view):
    """403 (not Wagtail's redirect) for anyone who oversees no organisation: school staff
    are admin users too."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not may_use_plans_admin(request.user):
            return permission_denied(request, PermissionDenied())
        return view(request, *args, **kwargs)

    return wrapped


def awaiting_approval(user):
    """Submitted plans ``user`` decides on (the same rule as ``may_approve``)."""
    awaiting = ImprovementPlan.objects.filter(
        status=Status.SUBMITTED, organisation__in=approvable_organisations(user)
    ).exclude(submitted_by=user)
    own = organisation_of(user)
    if own is not None:
        awaiting = awaiting.exclude(organisation=own)
    return awaiting.select_related("organisation__municipality", "submitted_by").annotate(
        measure_count=Count("measures")
    )


screen = admin_page


@require_GET
@overseers_only
def admin_index(request):
    return screen(
        request,
        "accountability/plans/admin_index.html",
        _("Планы устранения недостатков"),
        icon="tasks",
        awaiting=awaiting_approval(request.user).order_by("submitted_at"),
    )


@require_http_methods(["GET", "POST"])
@overseers_only
def admin_plan(request, pk):
    plan = get_object_or_404(
        plans.with_measures(
            ImprovementPlan.objects.filter(organisation__in=overseen_organisations(request.user))
        ),
        pk=pk,
    )
    deciding = may_approve(request.user, plan) and plan.status == Status.SUBMITTED
    approve_form, return_form = ApproveForm(), ReturnForm()
    measure_errors = {}
    status = 200
    if request.method == "POST":
        if not deciding:
            return permission_denied(request, PermissionDenied())
        action = request.POST.get("action")
        try:
            if action == "approve":
                approve_form = ApproveForm(request.POST)
                if approve_form.is_valid():
                    plans.approve(plan, request.user, approve_form.cleaned_data["approver_title"])
                    messages.success(request, _("План утверждён и опубликован."))
                    return redirect(request.path)
            elif action == "return":
                return_form = ReturnForm(request.POST)
                if return_form.is_valid():
                    plans.return_plan(plan, request.user, return_form.cleaned_data["comment"])
                    messages.success(request, _("План возвращён организации на доработку."))
                    return redirect(request.path)
            else:
                raise Http404
        except plans.MeasureErrors as error:
            measure_errors = error.errors
            messages.error(
                request,
                _("План не утверждён: в отмеченных мероприятиях не хватает сведений."),
            )
        except plans.PlanError as error:
            messages.error(request, str(error))
            return redirect(request.path)
        status = 400
    today = timezone.localdate()
    rows = [
        {
            "measure": measure,
            "status": plans.measure_status(measure, today),
            "errors": [
                message
                for field_messages in measure_errors.get(measure.pk, {}).values()
                for message in field_messages
            ],
        }
        for measure in plan.measures.all()
    ]
    return screen(
        request,
        "accountability/plans/admin_plan.html",
        str(plan),
        icon="tasks",
        status=status,
        plan=plan,
        deciding=deciding,
        approve_form=approve_form,
        return_form=return_form,
        sections=plans.sections(rows, criterion_of=lambda row: row["measure"].criterion),
        share_done=plans.share_done(plan),
        events=plan.events.select_related("user")[:50],
    )


def final_years():
    return RatingRevision.objects.published_years()


def dashboard_data(request):
    """(year, years, form, stats) of the dashboard's query, scoped to the user's
    organisations; None for the year when nothing is published yet."""
    years = final_years()
    raw_year = request.GET.get("year", "")
    year = int(raw_year) if raw_year.isdigit() and int(raw_year) in years else None
    if year is None and years:
        year = years[0]
    overseen = overseen_organisations(request.user)
    form = DashboardFilterForm(
        # Each municipality once (the join repeated it per organisation: a region's 2,000
        # options in the filter's select).
        request.GET,
        municipalities=Municipality.objects.filter(organisations__in=overseen).distinct(),
    )
    if year is None or not form.is_valid():
        return year, years, form, None
    stats = plans.plan_stats(year, form.filter("", overseen))
    chosen_status = form.cleaned_data.get("status")
    if chosen_status:
        stats["rows"] = [row for row in stats["rows"] if row.status == chosen_status]
    return year, years, form, stats


DASHBOARD_ROWS_PER_PAGE = 100


@require_GET
@overseers_only
def dashboard(request):
    year, years, form, stats = dashboard_data(request)
    query = request.GET.copy()
    query.pop("page", None)
    if year is not None:
        query["year"] = year
    return screen(
        request,
        "accountability/plans/admin_dashboard.html",
        _("Планы устранения недостатков: сводка"),
        icon="table",
        status=200 if stats is not None or year is None else 400,
        year=year,
        years=years,
        form=form,
        stats=stats,
        status_counts=[
            (plans.STATUS_LABELS[status], stats["by_status"][status])
            for status in plans.DASHBOARD_STATUSES
        ]
        if stats
        else [],
        formats=plan_exports.DASHBOARD_FORMATS,
        query=query.urlencode(),
        # A region's 2,000 rows rendered at once took 1.4 s (bench/README.md); the totals
        # above the table and the exports still cover every row.
        page_obj=paginate(request, stats["rows"], DASHBOARD_ROWS_PER_PAGE) if stats else None,
    )


@require_GET
@overseers_only
def dashboard_export(request, fmt):
    if fmt not in plan_exports.DASHBOARD_FORMATS:
        raise Http404
    year, _years, _form, stats = dashboard_data(request)
    if stats is None:
        raise Http404
    response = HttpResponse(
        plan_exports.export_dashboard(stats, fmt, year),
        content_type=plan_exports.CONTENT_TYPES[fmt],
    )
    response["Content-Disposition"] = f'attachment; filename="noko-plans-dashboard-{year}.{fmt}"'
    return response


@hooks.register(MENU_HOOK)
def register_plans_menu_item():
    return PermissionMenuItem(
        gettext_lazy("Планы устранения недостатков"),
        reverse("accountability_plans_admin"),
        name="improvement-plans",
        icon_name="tasks",
        order=300,
        check=may_use_plans_admin,
    )


# --- Public -------------------------------------------------------------------------------


def public_year_plans(request, year):
    """(form, plans) of ``year``'s approved plans with the list's filters; 404 before the
    year is final."""
    if not year_is_final(year):
        raise Http404
    approved = plans.public_plans(year)
    form = PlansFilterForm(
        request.GET,
        municipalities=Municipality.objects.filter(
            organisations__improvement_plans__in=approved
        ).distinct(),
    )
    if not form.is_valid():
        return form, None
    return form, form.filter("organisation", approved)


@require_GET
@public_view
def plans_year(request, year):
    form, approved = public_year_plans(request, year)
    page = None
    if approved is not None:
        today = timezone.localdate()
        page = paginate(
            request,
            approved.order_by("organisation__municipality__name", "organisation__name"),
            PLANS_PER_PAGE,
        )
        for plan in page.object_list:
            plan.share = plans.share_done(plan)
            plan.overdue_count = len(plans.overdue_measures(plan, today))
            plan.measure_count = len(plan.measures.all())
    return TemplateResponse(
        request,
        "accountability/plans/public_year.html",
        {
            "breadcrumbs": follow_up_trail(year_link(year), current=_("Планы")),
            "year": year,
            "form": form,
            "page_obj": page,
            "formats": plan_exports.FORMATS,
            "query": request.GET.urlencode(),
        },
        status=200 if approved is not None else 400,
    )


@require_GET
@public_view
def plan_public(request, year, code):
    plan = get_object_or_404(
        plans.public_plans(year).select_related("approved_by"), organisation__code=code
    )
    today = timezone.localdate()
    rows = [
        {"measure": measure, "status": plans.measure_status(measure, today)}
        for measure in plan.measures.all()
    ]
    return TemplateResponse(
        request,
        "accountability/plans/public_plan.html",
        {
            "breadcrumbs": follow_up_trail(
                year_link(year),
                (_("Планы"), reverse("accountability_plans_year", args=[year])),
                current=plan.organisation.short_name or plan.organisation.name,
            ),
            "plan": plan,
            "organisation": plan.organisation,
            "sections": plans.sections(rows, criterion_of=lambda row: row["measure"].criterion),
            "share_done": plans.share_done(plan),
            "overdue": plans.overdue_measures(plan, today),
            "status_labels": plans.MEASURE_STATUS_LABELS,
        },
    )


@require_GET
@public_view
def plans_export(request, year, fmt):
    if fmt not in plan_exports.FORMATS:
        raise Http404
    _form, approved = public_year_plans(request, year)
    if approved is None:
        raise Http404
    approved = approved.order_by("organisation__municipality__name", "organisation__name")
    response = HttpResponse(
        plan_exports.export_measures(approved, fmt, year),
        content_type=plan_exports.CONTENT_TYPES[fmt],
    )
    response["Content-Disposition"] = f'attachment; filename="noko-plans-{year}.{fmt}"'
    return response


# Public and cabinet URLs (included at the site root by accountability/urls.py).
urlpatterns = [
    path("cabinet/plan/", cabinet_index, name="accountability_cabinet_plans"),
    path("cabinet/plan/<int:year>/", cabinet_plan, name="accountability_cabinet_plan"),
    path(
        "cabinet/plan/evidence/<int:measure_id>/",
        evidence,
        name="accountability_plan_evidence",
    ),
    path("plans/<int:year>/", plans_year, name="accountability_plans_year"),
    path(
        "plans/<int:year>/export.<str:fmt>",
        plans_export,
        name="accountability_plans_export",
    ),
    path("plans/<int:year>/<str:code>/", plan_public, name="accountability_plan"),
]
# Admin URLs (registered under /admin/ by accountability/wagtail_hooks.py).
admin_urlpatterns = [
    path("accountability/plans/", admin_index, name="accountability_plans_admin"),
    path(
        "accountability/plans/dashboard/",
        dashboard,
        name="accountability_plans_dashboard",
    ),
    path(
        "accountability/plans/dashboard/export.<str:fmt>",
        dashboard_export,
        name="accountability_plans_dashboard_export",
    ),
    path("accountability/plans/<int:pk>/", admin_plan, name="accountability_plan_admin"),
]


def viewsets():
    """Admin viewsets (snippets, ModelViewSets) of this part: none, the screens above."""
    return []
