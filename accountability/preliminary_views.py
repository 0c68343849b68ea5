"""Screens of the preliminary stage: the operator's (open a year's stage, follow and decide
objections) in the admin, the organisation's (its own preliminary card, shortcomings and
objections) in the cabinet, and the attachment download both use.

Who sees what is decided by ``accountability.access`` only: the operator screens answer 403
to anyone else; the cabinet shows the signed-in person's own organisation and 404 otherwise.
The domain operations are ``accountability.preliminary``'s.
"""

from functools import partial, wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.defaults import permission_denied
from wagtail import hooks

from core.admin import PermissionMenuItem, admin_page
from core.pagination import paginate
from core.views import signed_in_view
from registry.kinds import KIND_AMONG
from results import charts, engine
from results.indicators import breakdown, short_label
from results.models import RatingRevision
from results.queries import attach_places

from . import preliminary
from .access import is_operator, organisation_of
from .forms_preliminary import (
    AcceptObjectionForm,
    ObjectionFilterForm,
    ObjectionForm,
    OpenStageForm,
    RejectObjectionForm,
)
from .models import Objection, ObjectionAttachment, PreliminaryStage
from .publication import kept_shortcomings

OBJECTIONS_PER_PAGE = 50
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
}

screen = partial(admin_page, icon="tasks")


def operator_view(view):
    """403 for anyone but the operator's editors (school staff and coordinators are admin
    users too: the honest answer is a plain 403, not Wagtail's redirect)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not is_operator(request.user):
            return permission_denied(request, PermissionDenied())
        return view(request, *args, **kwargs)

    return wrapped


# --- The operator's screens ---------------------------------------------------------------


def _years():
    """Every year with a draft or a stage, newest first, with what the screen shows of it."""
    drafts = {
        revision.year: revision
        for revision in RatingRevision.objects.filter(status="draft").select_related("methodology")
    }
    stages = {stage.year: stage for stage in PreliminaryStage.objects.all()}
    years = []
    for year in sorted(set(drafts) | set(stages), reverse=True):
        stage = stages.get(year)
        draft = drafts.get(year)
        years.append(
            {
                "year": year,
                "draft": draft,
                "stage": stage,
                "summary": preliminary.objection_summary(year) if stage else None,
                "form": OpenStageForm(prefix=f"open-{year}")
                if stage is None and draft is not None
                else None,
                "working_days": draft.methodology.objection_working_days if draft else None,
                # What opening today would announce, before the operator commits to it.
                "deadline_today": preliminary.deadline_for(year, timezone.localdate())
                if stage is None and draft is not None
                else None,
            }
        )
    return years


@require_GET
@operator_view
def index(request):
    return screen(
        request,
        "accountability/preliminary/admin/index.html",
        _("Предварительные результаты"),
        years=_years(),
    )


@require_POST
@operator_view
def open_view(request, year):
    form = OpenStageForm(request.POST, prefix=f"open-{year}")
    if not form.is_valid():
        messages.error(request, _("Укажите дату открытия в формате ДД.ММ.ГГГГ."))
        return redirect("accountability_preliminary")
    try:
        stage = preliminary.open_stage(year, request.user, opens_on=form.cleaned_data["opens_on"])
    except preliminary.PreliminaryError as error:
        messages.error(request, str(error))
        return redirect("accountability_preliminary")
    messages.success(
        request,
        _("Предварительные результаты %(year)s года открыты: возражения принимаются по %(date)s.")
        % {"year": year, "date": f"{stage.objections_until:%d.%m.%Y}"},
    )
    return redirect("accountability_preliminary_stage", year=year)


@require_GET
@operator_view
def stage_view(request, year):
    stage = get_object_or_404(PreliminaryStage, year=year)
    filters = ObjectionFilterForm(request.GET or None)
    objections = filters.filter(
        stage.objections.select_related("organisation__municipality", "shortcoming")
        .annotate(attachment_count=Count("attachments"))
        # A grouped query drops Meta.ordering: pages need an order of their own.
        .order_by("-filed_at", "-pk")
    )
    return screen(
        request,
        "accountability/preliminary/admin/stage.html",
        _("Предварительные результаты %(year)s года") % {"year": year},
        stage=stage,
        summary=preliminary.objection_summary(year),
        accepting=preliminary.accepts_objections(stage),
        filters=filters,
        page_obj=paginate(request, objections, OBJECTIONS_PER_PAGE),
    )


def _decision_forms(objection, data=None, action=None):
    year = objection.stage.year
    inputs = preliminary.current_inputs(objection.organisation, year)
    return (
        AcceptObjectionForm(data if action == "accept" else None, year=year, inputs=inputs),
        RejectObjectionForm(data if action == "reject" else None),
    )


@require_http_methods(["GET", "POST"])
@operator_view
def objection_view(request, pk):
    objection = get_object_or_404(
        Objection.objects.select_related(
            "stage", "organisation__municipality", "shortcoming", "filed_by", "decided_by"
        ),
        pk=pk,
    )
    action = request.POST.get("action") if request.method == "POST" else None
    accept_form, reject_form = _decision_forms(objection, request.POST, action)
    status = 200
    if action in ("accept", "reject"):
        form = accept_form if action == "accept" else reject_form
        if form.is_valid():
            try:
                if action == "accept":
                    preliminary.accept_objection(
                        objection,
                        request.user,
                        values=form.corrected_values(),
                        answer=form.cleaned_data["answer"],
                    )
                else:
                    preliminary.reject_objection(
                        objection, request.user, answer=form.cleaned_data["answer"]
                    )
            except preliminary.PreliminaryError as error:
                messages.error(request, str(error))
                status = 400
            else:
                messages.success(
                    request,
                    _("Возражение принято, рейтинг года пересчитан.")
                    if action == "accept"
                    else _("Возражение отклонено."),
                )
                return redirect("accountability_objection", pk=objection.pk)
        else:
            messages.error(request, _("Исправьте ошибки в форме: ничего не сохранено."))
            status = 400
    elif request.method == "POST":
        status = 400
    result = preliminary.preliminary_result(objection.organisation, objection.stage.year)
    return screen(
        request,
        "accountability/preliminary/admin/objection.html",
        _("Возражение № %(number)s") % {"number": objection.pk},
        status=status,
        objection=objection,
        correction_lines=preliminary.correction_lines(objection),
        attachments=objection.attachments.all(),
        result=result,
        accept_form=accept_form,
        checklist_fields=[accept_form[name] for name in engine.CHECKLIST_FIELDS],
        survey_fields=[accept_form[name] for name in engine.SURVEY_FIELDS],
        reject_form=reject_form,
        survey_recounted=preliminary.survey_counts_recounted(objection.stage.year),
    )


# --- The organisation's cabinet -----------------------------------------------------------


def _card(result):
    """What the preliminary (or final) card shows of ``result``."""
    if result is None:
        return None
    policies = result.revision.applied_policies
    attach_places([result])
    return {
        "result": result,
        "policies": policies,
        "kind_among": KIND_AMONG.get(result.kind, ""),
        "breakdown": breakdown(result, policies),
        "criteria_chart": charts.bars(
            [(short_label(code), [getattr(result, code)]) for code in engine.CRITERIA]
        ),
    }


def _with_corrections(objections):
    objections = list(objections)
    for objection in objections:
        objection.correction_lines = preliminary.correction_lines(objection)
    return objections


def _stage_section(stage, organisation, form=None):
    """One year's stage as ``organisation`` sees it: the preliminary card while the stage is
    on, the final one once the year is published, and its own objections either way."""
    finished = stage.finished_at is not None
    if finished:
        result = preliminary.final_result(organisation, stage.year)
    elif preliminary.has_begun(stage):
        result = preliminary.preliminary_result(organisation, stage.year)
    else:
        result = None
    # Objections are about the organisation's own figures: none without a result.
    accepting = preliminary.accepts_objections(stage) and result is not None
    if accepting and form is None:
        form = ObjectionForm(organisation=organisation, year=stage.year)
    if accepting or finished:
        closed_message = ""
    elif not preliminary.has_begun(stage):
        closed_message = preliminary.closed_message(stage)
    elif result is None:
        closed_message = _("Возражение подаётся на предварительный результат организации.")
    else:
        closed_message = preliminary.closed_message(stage)
    return {
        "stage": stage,
        "finished": finished,
        "closed_message": closed_message,
        "card": _card(result),
        "shortcomings": kept_shortcomings(organisation, stage.year),
        "objections": _with_corrections(preliminary.organisation_objections(organisation, stage)),
        "form": form if accepting else None,
    }


def _own_organisation(request):
    organisation = organisation_of(request.user)
    if organisation is None:
        raise Http404
    return organisation


def _cabinet_page(request, organisation, forms=None, status=200):
    forms = forms or {}
    # The stages going on, and the last finished one: its final card and the answers to
    # the organisation's objections stay in view until the next year's stage.
    stages = list(preliminary.open_stages())
    stages += PreliminaryStage.objects.filter(finished_at__isnull=False).order_by("-year")[:1]
    stages.sort(key=lambda stage: stage.year, reverse=True)
    return TemplateResponse(
        request,
        "accountability/preliminary/cabinet.html",
        {
            "page_title": _("Предварительные результаты"),
            "organisation": organisation,
            "sections": [
                _stage_section(stage, organisation, forms.get(stage.year)) for stage in stages
            ],
        },
        status=status,
    )


@signed_in_view
@require_GET
def cabinet(request):
    return _cabinet_page(request, _own_organisation(request))


@signed_in_view
@require_POST
def file_objection_view(request, year):
    organisation = _own_organisation(request)
    stage = preliminary.stage_for(year)
    if stage is None:
        raise Http404
    if not preliminary.accepts_objections(stage):
        messages.error(request, preliminary.closed_message(stage))
        return redirect("accountability_cabinet_preliminary")
    form = ObjectionForm(request.POST, request.FILES, organisation=organisation, year=year)
    if form.is_valid():
        try:
            preliminary.file_objection(
                stage,
                organisation,
                request.user,
                reason=form.cleaned_data["reason"],
                indicator=form.cleaned_data["indicator"],
                shortcoming=form.cleaned_data["shortcoming"],
                files=form.cleaned_data["attachments"],
            )
        except preliminary.PreliminaryError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("Возражение подано. Ответ оператора появится на этой странице."),
            )
            return redirect("accountability_cabinet_preliminary")
    else:
        messages.error(request, _("Исправьте ошибки в форме: возражение не подано."))
    return _cabinet_page(request, organisation, forms={year: form}, status=400)


@signed_in_view
@require_GET
def attachment_view(request, pk):
    """An objection's file, for its organisation's staff and the operator only; 404 to
    anyone else, so nobody learns which files exist."""
    attachment = get_object_or_404(ObjectionAttachment.objects.select_related("objection"), pk=pk)
    if not is_operator(request.user):
        organisation = organisation_of(request.user)
        if organisation is None or organisation.pk != attachment.objection.organisation_id:
            raise Http404
    extension = attachment.file.name.rsplit(".", 1)[-1].lower()
    try:
        handle = attachment.file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.original_name or f"file.{extension}",
        content_type=CONTENT_TYPES.get(extension, "application/octet-stream"),
    )
    # Never rendered by the browser, whatever it thinks the bytes are.
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- Registration -------------------------------------------------------------------------

# Public and cabinet URLs (included at the site root by accountability/urls.py).
urlpatterns = [
    path("cabinet/preliminary/", cabinet, name="accountability_cabinet_preliminary"),
    path(
        "cabinet/preliminary/<int:year>/objection/",
        file_objection_view,
        name="accountability_file_objection",
    ),
    path(
        "cabinet/preliminary/attachments/<int:pk>/",
        attachment_view,
        name="accountability_objection_attachment",
    ),
]
# Admin URLs (registered under /admin/ by accountability/wagtail_hooks.py).
admin_urlpatterns = [
    path("accountability/preliminary/", index, name="accountability_preliminary"),
    path(
        "accountability/preliminary/<int:year>/",
        stage_view,
        name="accountability_preliminary_stage",
    ),
    path(
        "accountability/preliminary/<int:year>/open/",
        open_view,
        name="accountability_preliminary_open",
    ),
    path(
        "accountability/preliminary/objections/<int:pk>/",
        objection_view,
        name="accountability_objection",
    ),
]


@hooks.register("register_accountability_menu_item")
def register_preliminary_menu_item():
    return PermissionMenuItem(
        gettext_lazy("Предварительные результаты"),
        reverse("accountability_preliminary"),
        icon_name="warning",
        order=200,
        check=is_operator,
    )


def viewsets():
    """Admin viewsets (snippets, ModelViewSets) of this part."""
    return []
