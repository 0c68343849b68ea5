"""Editors' back office for checklists: templates, monitoring rounds, experts and their
assignments (the review of filled checklists is in ``admin_views``)."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from .models import ChecklistTemplate, Expert, ExpertAssignment, MonitoringRound


class ChecklistTemplateViewSet(ModelViewSet):
    model = ChecklistTemplate
    icon = "list-ul"
    menu_label = _("Шаблоны чек-листов")
    list_display = ["title", "year"]
    search_fields = ["title"]


class MonitoringRoundViewSet(ModelViewSet):
    model = MonitoringRound
    icon = "site"
    menu_label = _("Раунды мониторинга")
    list_display = ["title", "template", "status", "sites_checked", "created_at"]
    list_filter = ["status", "template"]

    def get_form_class(self, for_update=False):
        form_class = super().get_form_class(for_update)
        # 2,000 organisations: a multiple-select list is usable, a wall of checkboxes is not.
        form_class.base_fields["organisations"].widget = forms.SelectMultiple(attrs={"size": 15})
        form_class.base_fields["organisations"].help_text = _(
            "Удерживайте Ctrl, чтобы выбрать несколько организаций."
        )
        return form_class


class ExpertViewSet(ModelViewSet):
    model = Expert
    icon = "user"
    menu_label = _("Эксперты")
    list_display = ["full_name", "employer_name", "employer", "status"]
    list_filter = ["status"]
    search_fields = ["full_name", "employer_name", "email"]


class ExpertAssignmentViewSet(ModelViewSet):
    model = ExpertAssignment
    icon = "calendar"
    menu_label = _("Назначения экспертов")
    list_display = ["expert", "organisation", "template", "visit_date", "materials_handed_over_on"]
    list_filter = ["template"]

    def get_form_class(self, for_update=False):
        form_class = super().get_form_class(for_update)
        # Proposals of coordinators are not assignable until an editor approves them
        # (ExpertAssignment.clean refuses them too).
        form_class.base_fields["expert"].queryset = Expert.objects.filter(
            status=Expert.Status.APPROVED
        )
        return form_class


class MonitoringViewSetGroup(ModelViewSetGroup):
    menu_label = _("Мониторинг")
    menu_icon = "tasks"
    menu_order = 320
    items = [
        ChecklistTemplateViewSet("checklist_templates"),
        MonitoringRoundViewSet("monitoring_rounds"),
        ExpertViewSet("experts"),
        ExpertAssignmentViewSet("expert_assignments"),
    ]
