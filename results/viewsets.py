"""Editors' back office for ratings: methodology versions, inputs with their audit trail,
and read-only review of computed results."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, HelpPanel, MultiFieldPanel
from wagtail.admin.views.generic import CreateView, EditView
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.permission_policies import ModelPermissionPolicy

from core.admin import SafeExportIndexView

from . import engine
from .inputs import save_inputs
from .inputs_import import problem_message
from .models import AssessmentInput, InputChange, MethodologyVersion, RatingResult


class ReadOnlyPermissionPolicy(ModelPermissionPolicy):
    """Viewing only, whatever the user's model permissions (superusers included): results
    come from computation and the audit trail from operations, never from a form."""

    def user_has_permission(self, user, action):
        return action == "view" and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return "view" in actions and super().user_has_permission(user, "view")


class MethodologyVersionViewSet(ModelViewSet):
    model = MethodologyVersion
    icon = "doc-full"
    menu_label = _("Версии методики")
    add_to_admin_menu = False
    list_display = [
        "title",
        "code",
        "valid_from_year",
        "denominator_policy",
        "min_respondents",
        "min_respondents_mode",
        "zero_denominator_policy",
        "rounding_policy",
    ]
    inspect_view_enabled = True
    panels = [
        FieldPanel("code"),
        FieldPanel("title"),
        FieldPanel("valid_from_year"),
        MultiFieldPanel(
            [
                # Each revision stores the policies it was computed with (RatingRevision.
                # policies), so saying so here is a fact, not a promise.
                HelpPanel(
                    content=_(
                        "Изменение правил действует на следующие расчёты. Опубликованные "
                        "редакции рейтинга сохраняют правила, по которым они рассчитаны, "
                        "и не меняются."
                    )
                ),
                FieldPanel("denominator_policy"),
                FieldRowPanel([FieldPanel("min_respondents"), FieldPanel("min_respondents_mode")]),
                FieldPanel("zero_denominator_policy"),
                FieldPanel("rounding_policy"),
                FieldPanel("bands"),
            ],
            heading=_("Правила расчёта"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("satisfaction_threshold_percent"),
                FieldPanel("objection_working_days"),
            ],
            heading=_("После расчёта: недостатки и возражения"),
        ),
        FieldPanel("description"),
    ]


class InputsConsistencyMixin:
    """Counts that contradict each other are refused with the engine's reasons."""

    def clean(self):
        cleaned = super().clean()
        values = {name: cleaned.get(name) for name in engine.INPUT_FIELDS}
        if all(value is not None for value in values.values()):
            for problem in engine.validate(values):
                if problem.field in self.fields:
                    self.add_error(problem.field, problem_message(problem, values))
        return cleaned


class AuditedEditView(EditView):
    def save_instance(self):
        instance = self.form.instance
        values = {name: self.form.cleaned_data.get(name) for name in engine.INPUT_FIELDS}
        changed = [name for name in engine.INPUT_FIELDS if name in self.form.changed_data]
        fresh = AssessmentInput.objects.get(pk=instance.pk)
        save_inputs(
            fresh.organisation,
            fresh.year,
            {name: values[name] for name in changed},
            source=AssessmentInput.Source.EDITOR,
            user=self.request.user,
            note=str(_("Правка в админке")),
        )
        fresh.refresh_from_db()
        return fresh


class AuditedCreateView(CreateView):
    def save_instance(self):
        data = self.form.cleaned_data
        values = {
            name: data.get(name) for name in engine.INPUT_FIELDS if data.get(name) is not None
        }
        save_inputs(
            data["organisation"],
            data["year"],
            values,
            source=AssessmentInput.Source.EDITOR,
            user=self.request.user,
            note=str(_("Добавлено в админке")),
        )
        return AssessmentInput.objects.get(organisation=data["organisation"], year=data["year"])


class AssessmentInputViewSet(ModelViewSet):
    """Editors correct inputs here (e.g. checklist counts until the monitoring checklists
    provide them); every save goes through ``save_inputs`` and leaves an audit entry."""

    model = AssessmentInput
    index_view_class = SafeExportIndexView
    icon = "table"
    menu_label = _("Входные данные")
    add_to_admin_menu = False
    list_display = ["organisation", "year", "respondents", "checklist_source", "survey_source"]
    list_filter = ["year", "organisation__municipality", "checklist_source", "survey_source"]
    search_fields = ["organisation__name", "organisation__code"]
    list_export = ["organisation", "year", *engine.INPUT_FIELDS]
    export_filename = "assessment-inputs"
    inspect_view_enabled = True
    panels = [
        FieldPanel("organisation"),
        FieldPanel("year"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel(n) for n in engine.CHECKLIST_FIELDS[i : i + 2]])
                for i in range(0, 8, 2)
            ],
            heading=_("Чек-листы"),
        ),
        MultiFieldPanel(
            [FieldPanel(name) for name in engine.SURVEY_FIELDS],
            heading=_("Анкетирование"),
        ),
    ]

    def get_queryset(self, request):
        return AssessmentInput.objects.select_related("organisation")

    def get_form_class(self, for_update=False):
        form_class = super().get_form_class(for_update)
        return type("AssessmentInputForm", (InputsConsistencyMixin, form_class), {})

    edit_view_class = AuditedEditView
    add_view_class = AuditedCreateView


class InputChangeViewSet(ModelViewSet):
    model = InputChange
    icon = "history"
    menu_label = _("Журнал входных данных")
    add_to_admin_menu = False
    list_display = ["changed_at", "year", "organisation", "source", "user", "note"]
    list_filter = ["year", "source"]
    search_fields = ["organisation__name", "organisation__code", "note"]
    inspect_view_enabled = True
    form_fields = ["note"]
    copy_view_enabled = False

    @property
    def permission_policy(self):
        return ReadOnlyPermissionPolicy(self.model)

    def get_queryset(self, request):
        return InputChange.objects.select_related("organisation", "user")


class RatingResultViewSet(ModelViewSet):
    """Draft and published results, read-only, with the breakdown in the inspect view."""

    model = RatingResult
    index_view_class = SafeExportIndexView
    icon = "list-ol"
    menu_label = _("Результаты")
    add_to_admin_menu = False
    list_display = [
        "name",
        "year",
        "revision",
        "status",
        "total",
        "rank",
        "low_sample",
        "municipality_name",
    ]
    list_filter = [
        "year",
        "revision__status",
        "status",
        "low_sample",
        "municipality",
        "kind",
        "band",
    ]
    # Only published results are in a search index, and editors search drafts too: the
    # database answers here (the index's fields answered 500 for «code»).
    search_backend_name = None
    search_fields = ["name", "short_name", "code"]
    list_export = [
        "code",
        "name",
        "municipality_name",
        "year",
        "status",
        "respondents",
        *engine.FIGURES,
        "rank",
        "low_sample",
    ]
    export_filename = "ratings"
    inspect_view_enabled = True
    inspect_view_fields = [
        "revision",
        "code",
        "name",
        "municipality_name",
        "status",
        "respondents",
        "low_sample",
        *engine.FIGURES,
        "rank",
        "municipality_rank",
        "band",
        "inputs",
    ]
    form_fields = ["name"]
    copy_view_enabled = False

    @property
    def permission_policy(self):
        return ReadOnlyPermissionPolicy(self.model)

    def get_queryset(self, request):
        return RatingResult.objects.select_related("revision")


class RatingsViewSetGroup(ModelViewSetGroup):
    menu_label = _("Рейтинги")
    menu_icon = "list-ol"
    menu_order = 250
    items = (
        RatingResultViewSet("rating_results"),
        AssessmentInputViewSet("assessment_inputs"),
        InputChangeViewSet("input_changes"),
        MethodologyVersionViewSet("methodology_versions"),
    )
