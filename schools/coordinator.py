"""The municipal coordinator's workspace in the cabinet (``/cabinet/`` for a coordinator):
first the profile pages whose changes wait for their review, then their municipalities'
organisations with the year's self-assessment report, survey coverage per respondent group,
expert assignments (materials handed over, observation sheet) and the improvement plan of the
latest published year; filters, a name search, pagination and a CSV export of the filtered
list; experts proposed for their municipality.

Scope: ``registry.access.coordinated_municipalities`` decides, for every screen, filter and
export; an assignment or a municipality of anybody else answers 404.

A region of 2,000 organisations stays cheap: every column is read with one grouped query for
all listed organisations (coverage with ``surveys.coverage.counts``, once per campaign and
cached), never one query per row; the assignments and plans of only the shown page are read,
unless a filter or the export needs them all.
"""

import csv
import io
from dataclasses import dataclass, field

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Max, Q
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accountability import plans
from core.spreadsheets import export_cell
from core.validators import reject_control_characters
from core.views import signed_in_view
from monitoring import experts
from monitoring.models import Checklist, ExpertAssignment
from monitoring.services import current_template
from registry.access import coordinated_municipalities
from registry.assessment import assessed
from registry.models import Organisation
from results.models import RatingRevision
from surveys.counts import report_deadline
from surveys.coverage import counts, organisation_coverage
from surveys.models import Campaign

from .models import SchoolPage
from .moderation import with_moderation_state

PAGE_SIZE = 50
# The report status of an organisation that has not opened its self-assessment yet.
NOT_STARTED = "not_started"
REPORT_LABELS = {NOT_STARTED: gettext_lazy("не начат"), **dict(Checklist.Status.choices)}


# --- Scope --------------------------------------------------------------------------------


def is_coordinator(user):
    return user.is_authenticated and coordinated_municipalities(user).exists()


def listed_organisations(user, year):
    """The active organisations of ``user``'s municipalities on ``year``'s assessment list
    (all active ones in a year without a list)."""
    return assessed(
        Organisation.objects.filter(
            municipality__in=coordinated_municipalities(user), is_active=True
        ),
        year,
    )


def pages_awaiting_review(user):
    """Profile pages of ``user``'s municipalities with a change waiting for review: the
    workspace lists them first, each a link to the review in the admin."""
    return (
        with_moderation_state(
            SchoolPage.objects.filter(
                organisation__municipality__in=coordinated_municipalities(user)
            )
        )
        .filter(in_moderation=True)
        .select_related("organisation__municipality")
        .order_by("organisation__name")
    )


def latest_final_year():
    """The latest year with published ratings (plans are drawn up for it), or None."""
    return RatingRevision.objects.current().aggregate(year=Max("year"))["year"]


# --- Filters ------------------------------------------------------------------------------


class WorkspaceFilterForm(forms.Form):
    municipality = forms.ModelChoiceField(
        label=gettext_lazy("Муниципалитет"),
        queryset=None,
        required=False,
        empty_label=gettext_lazy("Все"),
    )
    kind = forms.ChoiceField(label=gettext_lazy("Тип"), required=False)
    report = forms.ChoiceField(label=gettext_lazy("Справка самообследования"), required=False)
    plan = forms.ChoiceField(label=gettext_lazy("План устранения недостатков"), required=False)
    below_target = forms.BooleanField(label=gettext_lazy("Охват ниже цели"), required=False)
    q = forms.CharField(
        label=gettext_lazy("Название или код"),
        max_length=200,
        required=False,
        validators=[reject_control_characters],
    )

    def __init__(self, data, *, user):
        super().__init__(data)
        municipalities = coordinated_municipalities(user).order_by("name")
        self.fields["municipality"].queryset = municipalities
        self.several_municipalities = municipalities.count() > 1
        self.fields["kind"].choices = [("", _("Все")), *Organisation.Kind.choices]
        self.fields["report"].choices = [("", _("Все")), *REPORT_LABELS.items()]
        self.fields["plan"].choices = [
            ("", _("Все")),
            *((status, plans.STATUS_LABELS[status]) for status in plans.DASHBOARD_STATUSES),
        ]

    def narrow(self, organisations):
        """The database part of the filters: municipality, kind, name (or registry code)."""
        data = self.cleaned_data
        if data.get("municipality"):
            organisations = organisations.filter(municipality=data["municipality"])
        if data.get("kind"):
            organisations = organisations.filter(kind=data["kind"])
        if data.get("q"):
            query = data["q"].strip()
            organisations = organisations.filter(
                Q(name__icontains=query) | Q(short_name__icontains=query) | Q(code=query)
            )
        return organisations


# --- Rows ---------------------------------------------------------------------------------


@dataclass
class AssignmentRow:
    assignment: ExpertAssignment
    observation: Checklist | None

    @property
    def observation_status(self):
        if self.observation is None:
            return REPORT_LABELS[NOT_STARTED]
        return self.observation.get_status_display()

    @property
    def observation_submitted(self):
        return self.observation is not None and self.observation.status in (
            Checklist.Status.SUBMITTED,
            Checklist.Status.ACCEPTED,
        )


@dataclass
class WorkspaceRow:
    organisation: Organisation
    report: Checklist | None
    campaign: Campaign | None
    coverage: object | None  # surveys.coverage.Coverage
    assignments: list = field(default_factory=list)
    plan: plans.PlanRow | None = None

    @property
    def report_status(self):
        return self.report.status if self.report else NOT_STARTED

    @property
    def report_label(self):
        return REPORT_LABELS[self.report_status]

    @property
    def below_target(self):
        """Some group with a contingent has not reached its target yet."""
        return self.coverage is not None and any(
            group.share is not None and group.target_percent is not None and not group.target_met
            for group in self.coverage.groups
        )

    @property
    def plan_status(self):
        return self.plan.status if self.plan else ""


@dataclass
class Workspace:
    form: WorkspaceFilterForm
    rows: list
    year: int
    template: object | None
    deadline: object | None
    plan_year: int | None


def campaigns_for(year):
    """The open campaigns first, then the year's others, newest first; each with its area."""
    now = timezone.now()
    campaigns = list(
        Campaign.objects.open_at(now).prefetch_related("municipalities").order_by("opens_at")
    )
    open_ids = {campaign.pk for campaign in campaigns}
    campaigns += [
        campaign
        for campaign in Campaign.objects.filter(year=year)
        .prefetch_related("municipalities")
        .order_by("-opens_at", "-pk")
        if campaign.pk not in open_ids
    ]
    return [(campaign, campaign.area_ids()) for campaign in campaigns]


def coverage_rows(organisations, template, year):
    """A WorkspaceRow per organisation with its report and coverage (one query each)."""
    reports = {}
    if template is not None:
        reports = {
            report.organisation_id: report
            for report in Checklist.objects.filter(
                template=template,
                source=Checklist.Source.SELF,
                organisation__in=organisations.values("pk"),
            )
        }
    campaigns = campaigns_for(year)
    tallies = {}  # campaign pk -> {organisation pk: {(audience, status): n}}
    rows = []
    for organisation in organisations.select_related("municipality").order_by(
        "municipality__name", "name"
    ):
        campaign = next((item for item, area in campaigns if item.covers(organisation, area)), None)
        coverage = None
        if campaign is not None:
            if campaign.pk not in tallies:
                per_organisation = {}
                for (organisation_id, audience, status), n in counts(campaign).items():
                    per_organisation.setdefault(organisation_id, {})[(audience, status)] = n
                tallies[campaign.pk] = per_organisation
            coverage = organisation_coverage(
                organisation, campaign, tallies[campaign.pk].get(organisation.pk, {})
            )
        rows.append(WorkspaceRow(organisation, reports.get(organisation.pk), campaign, coverage))
    return rows


def add_plans(rows, plan_year):
    if plan_year is None or not rows:
        return
    ids = [row.organisation.pk for row in rows]
    stats = plans.plan_stats(plan_year, Organisation.objects.filter(pk__in=ids))
    by_organisation = {plan_row.organisation.pk: plan_row for plan_row in stats["rows"]}
    for row in rows:
        row.plan = by_organisation.get(row.organisation.pk)


def add_assignments(rows, template):
    if template is None or not rows:
        return
    by_id = {row.organisation.pk: row for row in rows}
    observations = {
        checklist.organisation_id: checklist
        for checklist in Checklist.objects.filter(
            template=template, source=Checklist.Source.EXPERT, organisation__in=list(by_id)
        )
    }
    for assignment in (
        ExpertAssignment.objects.filter(template=template, organisation__in=list(by_id))
        .select_related("expert")
        .order_by("expert__full_name")
    ):
        by_id[assignment.organisation_id].assignments.append(
            AssignmentRow(assignment, observations.get(assignment.organisation_id))
        )


def build_workspace(user, data, *, everything=False):
    """The filtered rows; ``everything`` reads assignments and plans of them all (export)
    instead of leaving it to ``complete`` for the shown page. None rows: a bad filter."""
    template = current_template()
    year = template.year if template is not None else timezone.localdate().year
    form = WorkspaceFilterForm(data, user=user)
    workspace = Workspace(
        form=form,
        rows=[],
        year=year,
        template=template,
        deadline=report_deadline(year) if template is not None else None,
        plan_year=latest_final_year(),
    )
    if not form.is_valid():
        return workspace
    rows = coverage_rows(form.narrow(listed_organisations(user, year)), template, year)
    chosen = form.cleaned_data
    if chosen.get("report"):
        rows = [row for row in rows if row.report_status == chosen["report"]]
    if chosen.get("below_target"):
        rows = [row for row in rows if row.below_target]
    if chosen.get("plan") or everything:
        add_plans(rows, workspace.plan_year)
        if chosen.get("plan"):
            rows = [row for row in rows if row.plan_status == chosen["plan"]]
    if everything:
        add_assignments(rows, template)
    workspace.rows = rows
    return workspace


def complete(workspace, rows):
    """Assignments and plans of the shown rows only (when the filters did not read them)."""
    add_assignments(rows, workspace.template)
    if not workspace.form.is_valid() or not workspace.form.cleaned_data.get("plan"):
        add_plans(rows, workspace.plan_year)


# --- Views --------------------------------------------------------------------------------


def coordinator_only(view):
    """Coordinators only; for anybody else the workspace does not exist (404)."""

    @signed_in_view
    def wrapped(request, *args, **kwargs):
        if not is_coordinator(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


def workspace_page(request):
    workspace = build_workspace(request.user, request.GET)
    page = Paginator(workspace.rows, PAGE_SIZE).get_page(request.GET.get("page"))
    complete(workspace, page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    return TemplateResponse(
        request,
        "schools/cabinet/coordinator.html",
        {
            "page_title": _("Кабинет координатора"),
            "workspace": workspace,
            "form": workspace.form,
            "page_obj": page,
            "total": len(workspace.rows),
            "query": query.urlencode(),
            "municipalities": coordinated_municipalities(request.user).order_by("name"),
            "pending_pages": list(pages_awaiting_review(request.user)),
            "today": timezone.localdate(),
        },
        status=200 if workspace.form.is_valid() else 400,
    )


@coordinator_only
def workspace_view(request):
    return workspace_page(request)


EXPORT_COLUMNS = (
    gettext_lazy("Муниципалитет"),
    gettext_lazy("Код"),
    gettext_lazy("Организация"),
    gettext_lazy("Тип"),
    gettext_lazy("Справка самообследования"),
    gettext_lazy("Охват"),
    gettext_lazy("Охват ниже цели"),
    gettext_lazy("Эксперты"),
    gettext_lazy("Листы наблюдения сданы"),
    gettext_lazy("План устранения недостатков"),
)


def coverage_text(row):
    if row.coverage is None:
        return ""
    return "; ".join(
        f"{group.label}: {group.count}/{group.contingent}"
        + (
            f" ({group.share} %, {_('цель')} {group.target_percent} %)"
            if group.share is not None
            else ""
        )
        for group in row.coverage.groups
    )


def assignments_text(row):
    parts = []
    for item in row.assignments:
        handed = item.assignment.materials_handed_over_on
        parts.append(
            _("%(expert)s: материалы %(materials)s, лист наблюдения — %(sheet)s")
            % {
                "expert": item.assignment.expert.full_name,
                "materials": handed.strftime("%d.%m.%Y") if handed else _("не переданы"),
                "sheet": item.observation_status,
            }
        )
    return "; ".join(parts)


def sheets_submitted(row):
    if not row.assignments:
        return ""
    done = sum(item.observation_submitted for item in row.assignments)
    return _("%(done)s из %(total)s") % {"done": done, "total": len(row.assignments)}


def export_rows(rows):
    for row in rows:
        organisation = row.organisation
        yield [
            organisation.municipality.name,
            organisation.code,
            organisation.name,
            organisation.get_kind_display(),
            row.report_label,
            coverage_text(row),
            _("да") if row.below_target else _("нет"),
            assignments_text(row),
            sheets_submitted(row),
            row.plan.status_label if row.plan else "",
        ]


@coordinator_only
def workspace_export(request):
    workspace = build_workspace(request.user, request.GET, everything=True)
    if not workspace.form.is_valid():
        return HttpResponse(_("Неверные условия отбора."), status=400, content_type="text/plain")
    buffer = io.StringIO()
    buffer.write("\ufeff")  # Excel reads Cyrillic CSV right only with the BOM
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([str(column) for column in EXPORT_COLUMNS])
    for values in export_rows(workspace.rows):
        writer.writerow(["" if value is None else export_cell(str(value)) for value in values])
    response = HttpResponse(buffer.getvalue().encode("utf-8"), content_type="text/csv")
    response["Content-Disposition"] = (
        f'attachment; filename="noko-coordinator-{workspace.year}.csv"'
    )
    return response


class MaterialsForm(forms.Form):
    handed_over_on = forms.DateField(
        label=gettext_lazy("Материалы переданы"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


def back_to_workspace(request):
    # Only the workspace's own address, with its filters re-encoded: never a given URL.
    query = QueryDict(request.POST.get("query", "")[:1000]).urlencode()
    return redirect(reverse("cabinet_coordinator") + (f"?{query}" if query else ""))


@require_POST
@coordinator_only
def materials_handed_over(request, assignment_id):
    assignment = get_object_or_404(experts.coordinated_assignments(request.user), pk=assignment_id)
    form = MaterialsForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Укажите дату передачи материалов в формате ДД.ММ.ГГГГ."))
        return back_to_workspace(request)
    try:
        experts.mark_materials(assignment, request.user, form.cleaned_data["handed_over_on"])
    except experts.ExpertError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("Передача материалов эксперту %(expert)s отмечена.")
            % {"expert": assignment.expert.full_name},
        )
    return back_to_workspace(request)


class ProposalForm(forms.Form):
    full_name = forms.CharField(
        label=gettext_lazy("ФИО"), max_length=200, validators=[reject_control_characters]
    )
    municipality = forms.ModelChoiceField(label=gettext_lazy("Муниципалитет"), queryset=None)
    employer = forms.ModelChoiceField(
        label=gettext_lazy("Место работы: организация из реестра"),
        queryset=None,
        required=False,
        empty_label=gettext_lazy("— не из реестра муниципалитета —"),
    )
    employer_name = forms.CharField(
        label=gettext_lazy("Место работы, если его нет в списке"),
        max_length=300,
        required=False,
        validators=[reject_control_characters],
    )
    phone = forms.RegexField(
        label=gettext_lazy("Телефон"),
        max_length=100,
        regex=r"^[0-9+()\-\s]{5,}$",
        error_messages={"invalid": gettext_lazy("Телефон: цифры, пробелы, «+», «-» и скобки.")},
    )
    email = forms.EmailField(label=gettext_lazy("Электронная почта"), max_length=254)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        municipalities = coordinated_municipalities(user).order_by("name")
        self.fields["municipality"].queryset = municipalities
        if municipalities.count() == 1:
            self.fields["municipality"].initial = municipalities.first()
        self.fields["employer"].queryset = Organisation.objects.filter(
            municipality__in=municipalities
        ).order_by("name")

    def clean(self):
        data = super().clean()
        if not data.get("employer") and not (data.get("employer_name") or "").strip():
            self.add_error(
                "employer_name",
                _("Выберите организацию из списка или напишите место работы."),
            )
        return data


@coordinator_only
def expert_proposals(request):
    form = ProposalForm(request.POST or None, user=request.user)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                expert = experts.propose(
                    request.user,
                    data["municipality"],
                    full_name=data["full_name"],
                    email=data["email"],
                    phone=data["phone"],
                    employer=data["employer"],
                    employer_name=data["employer_name"],
                )
            except experts.ExpertError as error:
                form.add_error(None, str(error))
            else:
                proposed = (
                    _(
                        "Эксперт «%(name)s» предложена. Назначить её можно будет после "
                        "утверждения оператором."
                    )
                    if expert.is_woman
                    else _(
                        "Эксперт «%(name)s» предложен. Назначить его можно будет после "
                        "утверждения оператором."
                    )
                )
                messages.success(request, proposed % {"name": expert.full_name})
                return redirect("cabinet_coordinator_experts")
        status = 400
        messages.error(request, _("Исправьте ошибки в форме: ничего не сохранено."))
    return TemplateResponse(
        request,
        "schools/cabinet/coordinator_experts.html",
        {
            "page_title": _("Эксперты муниципалитета"),
            "form": form,
            "proposals": experts.proposals_of(request.user)[:200],
        },
        status=status,
    )
