"""Admin screens of the questionnaire: coverage for every role, the school's links and
sessions, review of flagged responses and exports (editors).

Which organisations a user may see is decided in ``visible_organisations`` and nowhere else.
"""

import csv
import io

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Case, Count, When
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from core.pagination import paginate
from core.spreadsheets import export_cell
from core.uploads import document_content_matches
from registry.access import coordinated_municipalities, organisation_of
from registry.models import REGISTRY_PERMISSION, Organisation

from . import services
from .coverage import coverage_report
from .models import YES_NO_KEYS, Campaign, OrganisedSession, Response, latest_campaign_for
from .qr import survey_links

EDITOR_PERMISSION = REGISTRY_PERMISSION


def is_editor(user):
    return user.has_perm(EDITOR_PERMISSION)


def visible_organisations(user):
    """Editors see every organisation, coordinators their municipalities', school staff
    their own school; anyone else nothing."""
    if is_editor(user):
        return Organisation.objects.all()
    municipalities = coordinated_municipalities(user)
    if municipalities.exists():
        return Organisation.objects.filter(municipality__in=municipalities)
    organisation = organisation_of(user)
    if organisation is not None:
        return Organisation.objects.filter(pk=organisation.pk)
    return Organisation.objects.none()


def chosen_campaign(request, organisation=None):
    """The campaign picked on the screen; else ``organisation``'s own (open, or latest), else
    an open one, else the latest."""
    campaigns = Campaign.objects.all()
    campaign_id = request.GET.get("campaign", "")
    campaign = None
    if campaign_id.isdigit():
        campaign = campaigns.filter(pk=campaign_id).first()
    if campaign is None and organisation is not None:
        campaign = latest_campaign_for(organisation)
    return campaign or Campaign.objects.open_at(timezone.now()).first() or campaigns.first()


class SessionForm(forms.ModelForm):
    class Meta:
        model = OrganisedSession
        fields = ["starts_at", "ends_at", "expected_participants", "order_document"]
        widgets = {
            "starts_at": forms.DateTimeInput(attrs={"type": "datetime-local"}),
            "ends_at": forms.DateTimeInput(attrs={"type": "datetime-local"}),
        }

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.campaign = campaign

    def clean_order_document(self):
        document = self.cleaned_data["order_document"]
        if document and not document_content_matches(document, "pdf"):
            raise forms.ValidationError(gettext_lazy("Приложите приказ в формате PDF."))
        return document

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts and ends:
            if ends <= starts:
                self.add_error("ends_at", gettext_lazy("Окончание должно быть позже начала."))
            elif (ends - starts).total_seconds() > 6 * 3600:
                self.add_error("ends_at", gettext_lazy("Сессия не может длиться дольше 6 часов."))
            elif not (self.campaign.opens_at <= starts and ends <= self.campaign.closes_at):
                self.add_error(
                    "starts_at", gettext_lazy("Сессия должна быть внутри сроков анкетирования.")
                )
        return cleaned


def overview(request):
    organisations = visible_organisations(request.user)
    if not organisations.exists():
        raise PermissionDenied
    own = organisation_of(request.user) if not is_editor(request.user) else None
    campaign = chosen_campaign(request, own)
    context = {
        "campaign": campaign,
        "campaigns": Campaign.objects.all(),
        "is_editor": is_editor(request.user),
    }
    if campaign is None:
        return TemplateResponse(request, "surveys/admin/overview.html", context)

    report = coverage_report(campaign, organisations)
    if own is not None and organisations.count() == 1:
        return school_view(request, campaign, own, report)
    if request.GET.get("export") == "csv":
        return coverage_csv(campaign, report)
    rows = list(report.by_organisation.items())
    context.update(
        {
            "report": report,
            "municipality_rows": sorted(report.by_municipality.items(), key=lambda i: i[0].name),
            "page_obj": paginate(request, rows, 100),
        }
    )
    return TemplateResponse(request, "surveys/admin/overview.html", context)


def school_view(request, campaign, organisation, report):
    form = SessionForm(campaign=campaign)
    if request.method == "POST":
        form = SessionForm(request.POST, request.FILES, campaign=campaign)
        if form.is_valid():
            session = form.save(commit=False)
            session.campaign, session.organisation = campaign, organisation
            session.created_by = request.user
            session.save()
            messages.success(
                request,
                _(
                    "Организованное анкетирование зарегистрировано: адресный предел снимается, "
                    "когда его одобрит координатор муниципалитета."
                ),
            )
            return redirect(f"{request.path}?campaign={campaign.pk}")
    links = survey_links(request, campaign, organisation)
    suggestions = (
        Response.objects.filter(campaign=campaign, organisation=organisation)
        .exclude(suggestion="")
        .exclude(status=Response.Status.REJECTED)
        .order_by("-submitted_on")
        .values_list("submitted_on", "suggestion")[:200]
    )
    return TemplateResponse(
        request,
        "surveys/admin/school.html",
        {
            "campaign": campaign,
            "campaigns": Campaign.objects.all(),
            "organisation": organisation,
            "coverage": report.by_organisation.get(organisation),
            "links": links,
            "form": form,
            "sessions": organisation.survey_sessions.filter(campaign=campaign),
            "suggestions": suggestions,
        },
        status=400 if form.errors else 200,
    )


def coverage_csv(campaign, report):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="coverage-{campaign.year}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(
        [
            "code",
            "name",
            "municipality",
            "kind",
            "parents",
            "contingent_parents",
            "parents_share",
            "parents_target",
            "students",
            "contingent_students",
            "students_share",
            "students_target",
            "flagged",
        ]
    )
    for organisation, item in report.by_organisation.items():
        cells = [
            organisation.code,
            organisation.name,
            organisation.municipality.name,
            organisation.kind,
        ]
        for group in (item.parents, item.students):
            # A group the kind does not have is four empty cells, not zeros.
            if group is None:
                cells += ["", "", "", ""]
            else:
                cells += [group.count, group.contingent, group.share or "", group.target_percent]
        cells.append(item.flagged)
        writer.writerow([export_cell(value) for value in cells])
    return response


def review(request):
    """Flagged responses, held out of the ratings until an editor accepts them."""
    if not is_editor(request.user):
        raise PermissionDenied
    campaign = chosen_campaign(request)
    flagged = (
        Response.objects.filter(campaign=campaign, status=Response.Status.FLAGGED)
        .select_related("organisation__municipality", "batch")
        .order_by("organisation__name", "pk")
    )
    if request.method == "POST":
        action = request.POST.get("action")
        ids = [value for value in request.POST.getlist("response") if value.isdigit()]
        if action in ("accept", "reject") and ids:
            status = Response.Status.ACCEPTED if action == "accept" else Response.Status.REJECTED
            changed = flagged.filter(pk__in=ids).update(status=status)
            messages.success(request, _("Обработано ответов: %(n)s.") % {"n": changed})
        return redirect(f"{request.path}?campaign={campaign.pk}")
    return TemplateResponse(
        request,
        "surveys/admin/review.html",
        {
            "campaign": campaign,
            "campaigns": Campaign.objects.all(),
            "page_obj": paginate(request, flagged, 200),
        },
    )


EXPORT_COLUMNS = [
    "year",
    "code",
    "organisation",
    "municipality",
    "audience",
    "submitted_on",
    "status",
    *YES_NO_KEYS,
    "q15",
    # Appended, so that the columns readers already know keep their places.
    "mode",
    "batch",
]


def export_rows(campaign):
    answer = {True: "Да", False: "Нет", None: ""}
    queryset = (
        Response.objects.filter(campaign=campaign)
        .select_related("organisation__municipality", "batch")
        .order_by("organisation__code", "pk")
    )
    for item in queryset.iterator(chunk_size=2000):
        yield [
            campaign.year,
            item.organisation.code,
            item.organisation.name,
            item.organisation.municipality.name,
            item.audience,
            item.submitted_on.isoformat(),
            item.status,
            *(answer[getattr(item, key)] for key in YES_NO_KEYS),
            item.suggestion,
            item.mode,
            item.batch.code if item.batch is not None else "",
        ]


def export(request, fmt):
    """All responses of a campaign: no personal data exists to leak; text is formula-safe."""
    if not is_editor(request.user):
        raise PermissionDenied
    campaign = chosen_campaign(request)
    if campaign is None:
        raise Http404
    filename = f"responses-{campaign.year}-{campaign.pk}"
    if fmt == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
        response.write("\ufeff")
        writer = csv.writer(response)
        writer.writerow(EXPORT_COLUMNS)
        for row in export_rows(campaign):
            writer.writerow([export_cell(value) for value in row])
        return response
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("responses")
    sheet.append(EXPORT_COLUMNS)
    for row in export_rows(campaign):
        sheet.append([export_cell(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


def reviewable_sessions(user):
    """Organised sessions this user decides on: every one for editors, those of the
    coordinator's municipalities; never a school's own (it may not lift its own limit)."""
    sessions = OrganisedSession.objects.select_related(
        "organisation__municipality", "campaign", "reviewed_by"
    )
    if is_editor(user):
        return sessions
    return sessions.filter(organisation__municipality__in=coordinated_municipalities(user))


def may_review_sessions(user):
    return is_editor(user) or coordinated_municipalities(user).exists()


def sessions(request):
    """Organised sessions with their orders and the answers they admitted; approve or reject."""
    if not may_review_sessions(request.user):
        raise PermissionDenied
    campaign = chosen_campaign(request)
    mine = reviewable_sessions(request.user).filter(campaign=campaign)
    if request.method == "POST":
        session_id = request.POST.get("session", "")
        session = mine.filter(pk=session_id).first() if session_id.isdigit() else None
        action = request.POST.get("action")
        comment = request.POST.get("comment", "")
        if session is None or action not in ("approve", "reject"):
            messages.error(request, _("Сессия не найдена или действие неизвестно."))
        elif action == "reject" and not comment.strip():
            messages.error(request, _("Укажите, почему сессия отклонена: школа увидит причину."))
        elif action == "approve":
            admitted = services.approve_session(session, request.user, comment)
            messages.success(
                request,
                _("Сессия одобрена; принято ранее задержанных ответов: %(n)s.") % {"n": admitted},
            )
        else:
            returned = services.reject_session(session, request.user, comment)
            messages.success(
                request,
                _("Сессия отклонена; ответов возвращено на проверку: %(n)s.") % {"n": returned},
            )
        return redirect(f"{request.path}?campaign={campaign.pk}")
    listed = mine.annotate(admitted=Count("admitted_responses")).order_by(
        Case(When(status=OrganisedSession.Status.PENDING, then=0), default=1), "-starts_at"
    )
    return TemplateResponse(
        request,
        "surveys/admin/sessions.html",
        {
            "campaign": campaign,
            "campaigns": Campaign.objects.all(),
            "page_obj": paginate(request, listed, 100),
        },
    )


def session_order(request, pk):
    """The director's order of a session, for the school itself and those who review it."""
    session = get_object_or_404(
        OrganisedSession.objects.filter(organisation__in=visible_organisations(request.user)),
        pk=pk,
    )
    return FileResponse(
        session.order_document.open("rb"),
        content_type="application/pdf",
        filename=f"prikaz-{session.pk}.pdf",
    )
