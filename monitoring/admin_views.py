"""Editors' screens: reviewing filled checklists (accept, return with a comment, reopen),
confirming a monitoring checklist, running a round's website check with its progress, and
the round's справка (printable HTML and XLSX); deciding experts proposed by coordinators
(``experts``).

All need ``monitoring.change_checklist`` (``change_expert`` for proposals; editors); school
staff and experts are admin users too and get a plain 403 here (security.md case 15).
"""

from functools import partial

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_tasks import TaskResultStatus

from core.admin import admin_page, require_permissions

from . import experts, services
from .forms import ChecklistForm
from .models import Checklist, Expert, MonitoringRound
from .report import build_report, report_xlsx
from .tasks import check_round_task

REVIEW_PERMISSION = "monitoring.change_checklist"


# Every screen of this module, framed alike (core.admin).
screen = partial(admin_page, icon="tasks")


@require_permissions(REVIEW_PERMISSION)
def checklist_index(request):
    checklists = Checklist.objects.select_related(
        "organisation__municipality", "template", "round"
    ).order_by("status", "-submitted_at", "organisation__name")
    status = request.GET.get("status", "submitted")
    if status in Checklist.Status.values:
        checklists = checklists.filter(status=status)
    source = request.GET.get("source", "")
    if source in Checklist.Source.values:
        checklists = checklists.filter(source=source)
    query = request.GET.get("q", "").strip()[:200]
    if query:
        checklists = checklists.filter(organisation__name__icontains=query)
    page = Paginator(checklists, 50).get_page(request.GET.get("p"))
    return screen(
        request,
        "monitoring/admin/checklists.html",
        _("Чек-листы и отчёты"),
        page_obj=page,
        statuses=Checklist.Status.choices,
        sources=Checklist.Source.choices,
        current_status=status,
        source=source,
        query=query,
        rounds=MonitoringRound.objects.select_related("template")[:20],
    )


@require_permissions(REVIEW_PERMISSION)
def checklist_detail(request, pk):
    checklist = get_object_or_404(
        Checklist.objects.select_related("organisation", "template", "round"), pk=pk
    )
    # Editors fill and confirm monitoring checklists themselves; other sources are read-only.
    editable = checklist.source == Checklist.Source.MONITORING and checklist.status in (
        Checklist.Status.DRAFT,
        Checklist.Status.RETURNED,
    )
    form = ChecklistForm(checklist)
    status = 200
    if request.method == "POST" and editable:
        form = ChecklistForm(checklist, request.POST, request.FILES)
        if form.is_valid():
            refused = form.save_and_submit(
                request.user, submit_requested="submit" in request.POST, confirm=True
            )
            if refused:
                messages.error(request, refused)
            else:
                messages.success(request, _("Сохранено."))
            return redirect("monitoring_checklist", pk=pk)
        status = 400
    present, total = services.share_present(checklist)
    return screen(
        request,
        "monitoring/admin/checklist.html",
        str(checklist),
        status=status,
        checklist=checklist,
        form=form,
        editable=editable,
        present=present,
        total=total,
    )


@require_POST
@require_permissions(REVIEW_PERMISSION)
def checklist_transition(request, pk, action):
    checklist = get_object_or_404(Checklist, pk=pk)
    try:
        if action == "accept":
            services.accept(checklist, request.user)
            messages.success(request, _("Принято; входные данные рейтинга обновлены."))
        elif action == "return":
            services.return_for_changes(checklist, request.user, request.POST.get("comment", ""))
            messages.success(request, _("Возвращено на доработку с комментарием."))
        elif action == "reopen":
            services.reopen(checklist, request.user)
            messages.success(request, _("Отчёт снова открыт для правки."))
        else:
            messages.error(request, _("Неизвестное действие."))
    except services.TransitionError as error:
        messages.error(request, str(error))
    return redirect("monitoring_checklist", pk=pk)


@require_permissions(REVIEW_PERMISSION)
def round_detail(request, pk):
    monitoring_round = get_object_or_404(MonitoringRound.objects.select_related("template"), pk=pk)
    checklists = monitoring_round.checklists.select_related("organisation").order_by(
        "organisation__name"
    )
    return screen(
        request,
        "monitoring/admin/round.html",
        str(monitoring_round),
        monitoring_round=monitoring_round,
        total=monitoring_round.organisations.count(),
        checklists=checklists,
        # While the check runs the page refreshes itself to show progress.
        refresh=monitoring_round.status == MonitoringRound.Status.CHECKING,
    )


@require_POST
@require_permissions(REVIEW_PERMISSION)
def round_check(request, pk):
    monitoring_round = get_object_or_404(MonitoringRound, pk=pk)
    if monitoring_round.status == MonitoringRound.Status.CHECKING:
        messages.info(request, _("Проверка уже идёт."))
        return redirect("monitoring_round", pk=pk)
    result = check_round_task.enqueue(monitoring_round.pk)
    if result.status == TaskResultStatus.FAILED:
        messages.error(request, _("Проверка не удалась: сообщите администратору портала."))
    elif result.is_finished:
        messages.success(
            request, _("Проверено сайтов: %(n)s.") % {"n": result.return_value["sites_checked"]}
        )
    else:
        messages.info(request, _("Проверка сайтов запущена в фоне."))
    return redirect("monitoring_round", pk=pk)


@require_permissions(REVIEW_PERMISSION)
def round_report(request, pk, fmt="html"):
    monitoring_round = get_object_or_404(MonitoringRound.objects.select_related("template"), pk=pk)
    report = build_report(monitoring_round)
    if fmt == "xlsx":
        response = HttpResponse(
            report_xlsx(report),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="spravka-{pk}.xlsx"'
        return response
    return TemplateResponse(request, "monitoring/admin/report.html", {"report": report})


# --- Experts proposed by coordinators ----------------------------------------------------


@require_permissions(experts.DECIDE_PERMISSION)
def expert_proposals(request):
    proposals = (
        Expert.objects.exclude(proposed_at__isnull=True)
        .select_related("municipality", "employer", "proposed_by", "decided_by")
        .order_by("-proposed_at")
    )
    status = request.GET.get("status", Expert.Status.PROPOSED)
    if status in Expert.Status.values:
        proposals = proposals.filter(status=status)
    page = Paginator(proposals, 50).get_page(request.GET.get("p"))
    return screen(
        request,
        "monitoring/admin/expert_proposals.html",
        _("Эксперты: предложения"),
        page_obj=page,
        statuses=Expert.Status.choices,
        current_status=status,
        reason_max=experts.REJECTION_REASON_MAX,
    )


@require_POST
@require_permissions(experts.DECIDE_PERMISSION)
def expert_proposal_decision(request, pk, action):
    expert = get_object_or_404(Expert.objects.exclude(proposed_at__isnull=True), pk=pk)
    try:
        if action == "approve":
            experts.approve(expert, request.user)
            approved = (
                _("Эксперт «%(name)s» утверждена; ей отправлена ссылка для входа.")
                if expert.is_woman
                else _("Эксперт «%(name)s» утверждён; ему отправлена ссылка для входа.")
            )
            messages.success(request, approved % {"name": expert.full_name})
        elif action == "reject":
            experts.reject(expert, request.user, request.POST.get("reason", ""))
            messages.success(
                request, _("Предложение «%(name)s» отклонено.") % {"name": expert.full_name}
            )
        else:
            raise Http404
    except experts.ExpertError as error:
        messages.error(request, str(error))
    return redirect("monitoring_expert_proposals")
