"""The cabinet (``/cabinet/``): school staff, independent experts and municipal coordinators,
each scoped to what is theirs in one place.

School staff see their organisation only (``registry.access.organisation_of`` decides which);
experts see only the organisations assigned to them; coordinators get their workspace
(``coordinator``: their municipalities only). Everything else answers 404, so nobody learns
what exists elsewhere.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse_lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext as _

from accountability.follow_up import cabinet_tasks
from core.views import signed_in_view
from monitoring import services
from monitoring.forms import ChecklistForm
from monitoring.models import Checklist, Expert, ExpertAssignment
from monitoring.services import checklist_for, current_template, past_deadline, school_can_edit
from registry.access import organisation_of
from registry.assessment import is_assessed
from registry.models import REGISTRY_PERMISSION
from surveys.counts import report_deadline
from surveys.coverage import coverage_report
from surveys.models import latest_campaign_for
from surveys.qr import survey_links

from .coordinator import is_coordinator, workspace_page

# Login required, private and never cached (the pages carry a CSRF token and school data).
cabinet_view = signed_in_view


class LogoutView(auth_views.LogoutView):
    """«Выйти» on every cabinet page: POST with the CSRF token only, back to the sign-in form
    that leads to the cabinet again. Not Wagtail's logout URL, which sits behind the
    admin-access check that experts do not pass (and whose view drops the session cookie even
    on a refused GET)."""

    next_page = format_lazy(
        "{}?next={}", reverse_lazy("wagtailadmin_login"), reverse_lazy("cabinet")
    )

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.success(request, _("Вы вышли из личного кабинета."))
        # As Wagtail does: no session cookie at all, so the public pages that follow are
        # those of an anonymous visitor, cacheable again.
        response.delete_cookie(
            settings.SESSION_COOKIE_NAME,
            domain=settings.SESSION_COOKIE_DOMAIN,
            path=settings.SESSION_COOKIE_PATH,
        )
        request.session.modified = False
        return response


def expert_of(user):
    return Expert.objects.filter(user=user).first()


@cabinet_view
def index(request):
    organisation = organisation_of(request.user)
    expert = expert_of(request.user)
    coordinator = is_coordinator(request.user)
    if organisation is None and expert is None and coordinator:
        # A coordinator and nothing more: the cabinet is their workspace.
        return workspace_page(request)
    if organisation is None and expert is None:
        if request.user.has_perm(REGISTRY_PERMISSION):
            return redirect("wagtailadmin_home")
        raise PermissionDenied
    context = {
        "page_title": _("Личный кабинет"),
        "organisation": organisation,
        "expert": expert,
        "coordinator": coordinator,
    }
    if organisation is not None:
        context.update(school_context(request, organisation))
    if expert is not None:
        context["assignments"] = expert.assignments.select_related(
            "organisation", "template"
        ).order_by("-template__year", "organisation__name")
        observations = Checklist.objects.filter(
            source=Checklist.Source.EXPERT,
            organisation__in=[a.organisation_id for a in context["assignments"]],
        )
        context["observation_status"] = {
            (c.organisation_id, c.template_id): c for c in observations
        }
    return TemplateResponse(request, "schools/cabinet/index.html", context)


def school_context(request, organisation):
    template = current_template()
    report = None
    # Self-assessment is asked only of the organisations on the year's assessment list.
    assessed = template is None or is_assessed(organisation.pk, template.year)
    if template is not None:
        report = Checklist.objects.filter(
            organisation=organisation, template=template, source=Checklist.Source.SELF
        ).first()
    # The organisation's open campaign, else its latest: links and coverage of its own kind's
    # respondent groups, never another kind's campaign.
    campaign = latest_campaign_for(organisation)
    links, coverage = [], None
    if campaign is not None:
        coverage = coverage_report(
            campaign, type(organisation).objects.filter(pk=organisation.pk)
        ).by_organisation.get(organisation)
        links = survey_links(request, campaign, organisation)
    monitoring = (
        Checklist.objects.filter(organisation=organisation, source=Checklist.Source.MONITORING)
        .exclude(status=Checklist.Status.DRAFT)
        .select_related("round")
        .order_by("-round__created_at")
        .first()
    )
    return {
        "template": template,
        "assessed": assessed,
        "report": report,
        "deadline": report_deadline(template.year) if template else None,
        "campaign": campaign,
        "coverage": coverage,
        "links": links,
        "monitoring": monitoring,
        "sessions": organisation.survey_sessions.filter(campaign=campaign) if campaign else [],
        "follow_up": cabinet_tasks(organisation),
    }


@cabinet_view
def self_assessment(request):
    organisation = organisation_of(request.user)
    template = current_template()
    if organisation is None or template is None or not is_assessed(organisation.pk, template.year):
        raise Http404
    checklist = checklist_for(organisation, template, Checklist.Source.SELF)
    editable = school_can_edit(checklist)
    return checklist_page(
        request,
        checklist,
        editable=editable,
        title=_("Справка самообследования"),
        closed_reason=closed_reason(checklist),
    )


def closed_reason(checklist):
    if checklist.status == Checklist.Status.SUBMITTED:
        return _("Отчёт отправлен и ждёт проверки оператором.")
    if checklist.status == Checklist.Status.ACCEPTED:
        return _("Отчёт принят оператором.")
    if past_deadline(checklist) and not checklist.reopened:
        return _("Срок сдачи отчёта прошёл. Чтобы внести изменения, обратитесь к оператору.")
    return ""


def own_assignment(request, assignment_id):
    """The expert's own assignment, else 404: experts see only what they are assigned."""
    expert = expert_of(request.user)
    if expert is None:
        raise Http404
    return get_object_or_404(
        ExpertAssignment.objects.select_related("organisation__municipality", "template"),
        pk=assignment_id,
        expert=expert,
    )


@cabinet_view
def observation(request, assignment_id):
    assignment = own_assignment(request, assignment_id)
    checklist = checklist_for(assignment.organisation, assignment.template, Checklist.Source.EXPERT)
    editable = checklist.status in (Checklist.Status.DRAFT, Checklist.Status.RETURNED)
    return checklist_page(
        request,
        checklist,
        editable=editable,
        title=_("Лист наблюдения эксперта"),
        closed_reason="" if editable else closed_reason(checklist),
    )


@cabinet_view
def materials(request, assignment_id):
    assignment = own_assignment(request, assignment_id)
    items = assignment.template.items.order_by("sort_order", "pk")
    return TemplateResponse(
        request,
        "schools/cabinet/materials.html",
        {"page_title": _("Материалы эксперта"), "assignment": assignment, "items": items},
    )


def checklist_page(request, checklist, *, editable, title, closed_reason=""):
    """A checklist one section at a time (``?section=<code>``, the first by default): the
    section's items, the progress of each section, and saving that leaves the other sections
    as they are. A draft may have gaps; a submission with gaps is refused with a summary that
    links to each missing item, in whichever section it is, and marks the items in place.
    ``?check=1`` keeps those marks while the user moves between sections to fill them.

    A POST without a section covers the whole checklist (the form before it had sections).
    """
    progress = services.sections(checklist)
    codes = [section.code for section in progress]
    source = request.POST if request.method == "POST" else request.GET
    section = source.get("section")
    if section not in codes:
        section = None if request.method == "POST" else codes[0] if codes else None
    checking = source.get("check") == "1"
    form = ChecklistForm(checklist, section=section)
    status = 200
    refused_for_gaps = False
    if request.method == "POST":
        if not editable:
            messages.error(request, closed_reason or _("Этот отчёт сейчас нельзя изменить."))
            return redirect(request.path)
        form = ChecklistForm(checklist, request.POST, request.FILES, section=section)
        if not form.is_valid():
            status = 400
            messages.error(
                request, _("Исправьте ошибки в отмеченных пунктах: ничего не сохранено.")
            )
        else:
            form.save(request.user)
            if "submit" in request.POST:
                try:
                    services.submit(checklist, request.user)
                except services.IncompleteChecklist:
                    # Shown at once, not redirected: the answers are saved, and the summary
                    # takes the focus only right after the refused submission.
                    refused_for_gaps = checking = True
                    status = 400
                except services.TransitionError as error:
                    messages.error(request, str(error))
                    return redirect(request.path)
                else:
                    messages.success(request, _("Отчёт отправлен оператору на проверку."))
                    return redirect(request.path)
            else:
                following = following_section(codes, section) if "next" in request.POST else None
                messages.success(
                    request,
                    _("Раздел сохранён.") if following else _("Черновик сохранён."),
                )
                return redirect(section_url(request, following or section, checking))
    checklist.refresh_from_db()
    progress = services.sections(checklist, with_gaps=checking and editable)
    all_gaps = [gap for part in progress for gap in part.gaps]
    if refused_for_gaps and section is None:
        # A whole-checklist POST: show the first section with a gap.
        section = next(part.code for part in progress if part.gaps)
    if status != 400 or refused_for_gaps:
        # A fresh form from what is stored (an invalid form keeps what was typed).
        form = ChecklistForm(checklist, section=section)
    form.mark_gaps(all_gaps)
    current = next((part for part in progress if part.code == section), None)
    return TemplateResponse(
        request,
        "schools/cabinet/checklist.html",
        {
            "page_title": title,
            "checklist": checklist,
            "form": form,
            "editable": editable,
            "closed_reason": closed_reason,
            "deadline": report_deadline(checklist.template.year),
            "sections": progress,
            "section": current,
            "next_section": next(
                (p for p in progress if current and p.number == current.number + 1), None
            ),
            "filled": sum(part.filled for part in progress),
            "total": sum(part.total for part in progress),
            "gaps": all_gaps if checking and editable else [],
            "checking": checking and editable,
            "refused": refused_for_gaps,
        },
        status=status,
    )


def following_section(codes, section):
    if section in codes and codes.index(section) + 1 < len(codes):
        return codes[codes.index(section) + 1]
    return None


def section_url(request, section, checking=False):
    query = {"section": section} if section else {}
    if checking:
        query["check"] = "1"
    return f"{request.path}?{urlencode(query)}" if query else request.path
