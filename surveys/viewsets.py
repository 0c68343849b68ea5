"""Editors' back office for campaigns and respondent groups.

A campaign is saved through ``services.save_campaign`` and nowhere else, so the rule that an
organisation belongs to at most one open campaign holds for the admin as for every other
writer. Respondent groups are data per methodology version; a version's groups can be copied
to start a new version (``copy_groups_view``, linked from the groups' list).
"""

import django_filters
from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import HeaderButton

from core.admin import admin_page, require_permissions
from registry.models import Organisation

from . import services
from .models import Campaign, RespondentGroup

GROUP_PERMISSIONS = ("surveys.add_respondentgroup",)


class CampaignAdminForm(WagtailAdminModelForm):
    def clean(self):
        cleaned = super().clean()
        # The many-to-many rows are written after the campaign: tell the model's clean (run
        # next, in _post_clean) which area is being saved, so the overlap check sees it.
        if "municipalities" in cleaned:
            self.instance.planned_municipality_ids = {item.pk for item in cleaned["municipalities"]}
        return cleaned

    def save(self, commit=True):
        return services.save_campaign(self.instance, self.cleaned_data.get("municipalities"))


class RefusedSaveMixin:
    """A campaign refused under the lock (another editor saved an overlapping one meanwhile)
    comes back as a form error, with everything typed kept."""

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)


class CampaignCreateView(RefusedSaveMixin, generic.CreateView):
    pass


class CampaignEditView(RefusedSaveMixin, generic.EditView):
    pass


class CampaignViewSet(ModelViewSet):
    model = Campaign
    icon = "date"
    menu_label = gettext_lazy("Кампании анкетирования")
    add_to_admin_menu = True
    menu_order = 170
    create_view_class = CampaignCreateView
    edit_view_class = CampaignEditView
    list_display = ["title", "year", "opens_at", "closes_at", "methodology_version"]
    edit_handler = ObjectList(
        [
            FieldPanel("title"),
            FieldPanel("year"),
            FieldPanel("opens_at"),
            FieldPanel("closes_at"),
            FieldPanel("report_deadline"),
            MultiFieldPanel(
                [FieldPanel("kinds"), FieldPanel("municipalities")],
                heading=gettext_lazy("Кого опрашивает кампания"),
            ),
            FieldPanel("pupil_split"),
            FieldPanel("methodology_version"),
            FieldPanel("min_respondents"),
        ],
        base_form_class=CampaignAdminForm,
    )


def methodology_versions():
    return [
        (code, code)
        for code in RespondentGroup.objects.order_by("methodology_version")
        .values_list("methodology_version", flat=True)
        .distinct()
    ]


class RespondentGroupFilterSet(WagtailFilterSet):
    methodology_version = django_filters.ChoiceFilter(
        label=gettext_lazy("Версия методики"), choices=methodology_versions
    )
    kind = django_filters.ChoiceFilter(
        label=gettext_lazy("Тип организации"), choices=Organisation.Kind.choices
    )

    class Meta:
        model = RespondentGroup
        fields = ["methodology_version", "kind"]


class RespondentGroupIndexView(generic.IndexView):
    @property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        if self.request.user.has_perms(GROUP_PERMISSIONS):
            buttons.append(
                HeaderButton(
                    _("Скопировать группы версии"),
                    url=reverse("surveys_copy_groups"),
                    icon_name="copy",
                )
            )
        return buttons


class RespondentGroupViewSet(ModelViewSet):
    model = RespondentGroup
    icon = "group"
    menu_label = gettext_lazy("Группы респондентов")
    add_to_admin_menu = True
    menu_order = 171
    index_view_class = RespondentGroupIndexView
    filterset_class = RespondentGroupFilterSet
    list_display = [
        "title",
        "kind",
        "audience",
        "methodology_version",
        "coverage_target_percent",
        "position",
    ]
    panels = [
        FieldPanel("methodology_version"),
        FieldPanel("kind"),
        FieldPanel("audience"),
        FieldPanel("title"),
        FieldPanel("short_label"),
        MultiFieldPanel(
            [FieldPanel("age_split_title"), FieldPanel("age_split_label")],
            heading=gettext_lazy("Школы: деление обучающихся по возрасту"),
        ),
        FieldPanel("questionnaire"),
        FieldPanel("coverage_target_percent"),
        FieldPanel("position"),
    ]

    def get_queryset(self, request):
        return RespondentGroup.objects.select_related("questionnaire")


class CopyGroupsForm(forms.Form):
    source = forms.ChoiceField(label=gettext_lazy("Из версии методики"), choices=())
    target = forms.CharField(
        label=gettext_lazy("В новую версию методики"),
        max_length=RespondentGroup._meta.get_field("methodology_version").max_length,
        help_text=gettext_lazy("Код, который будет указан в кампаниях, например noko-2027."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = methodology_versions()


@require_http_methods(["GET", "POST"])
@require_permissions(*GROUP_PERMISSIONS)
def copy_groups_view(request):
    form = CopyGroupsForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            copied = services.copy_respondent_groups(
                form.cleaned_data["source"], form.cleaned_data["target"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Скопировано групп респондентов: %(count)s.") % {"count": copied},
            )
            return redirect(reverse("respondent_groups:index"))
    return admin_page(
        request,
        "surveys/admin/copy_groups.html",
        _("Скопировать группы респондентов"),
        icon="copy",
        form=form,
    )
