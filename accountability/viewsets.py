"""Editors' back office for the public council, the authority's management decisions and the
public discussions (opening, closing, the summary). Entries of a discussion are moderated on
their own screens (``discussion_views``), through the services in ``discussion``.

Each viewset goes into the submenu «Итоги оценки»; Wagtail shows it to users with the
model's permissions, which migration 0002 grants to the operator's editors only.
"""

import re

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
)
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import HeaderButton

from core.admin import SafeExportIndexView
from registry.models import Organisation

from .models import CouncilMeeting, CouncilMember, Discussion, ManagementDecision

# The submenu of accountability/wagtail_hooks.py (not imported: it imports this module).
MENU_HOOK = "register_accountability_menu_item"
CODE_SEPARATORS = re.compile(r"[\s,;]+")
MAX_CODES = 10_000
MISSING_CODES_SHOWN = 20


class AccountabilityViewSet(ModelViewSet):
    add_to_admin_menu = True
    menu_hook = MENU_HOOK
    index_view_class = SafeExportIndexView
    copy_view_enabled = False


class CouncilMemberViewSet(AccountabilityViewSet):
    model = CouncilMember
    icon = "group"
    menu_label = _("Общественный совет: состав")
    menu_name = "accountability-council-members"
    url_prefix = "accountability/council/members"
    menu_order = 400
    list_display = ["full_name", "role", "position", "organisation_name", "since", "until"]
    list_filter = ["role"]
    search_fields = ["full_name", "organisation_name"]
    search_backend_name = None
    panels = [
        FieldPanel("full_name"),
        FieldPanel("role"),
        FieldPanel("position"),
        FieldPanel("organisation_name"),
        FieldRowPanel([FieldPanel("since"), FieldPanel("until")]),
        FieldPanel(
            "sort_order",
            help_text=_("Члены совета показываются по возрастанию этого числа, затем по ФИО."),
        ),
    ]


class CouncilMeetingViewSet(AccountabilityViewSet):
    model = CouncilMeeting
    icon = "date"
    menu_label = _("Общественный совет: заседания")
    menu_name = "accountability-council-meetings"
    url_prefix = "accountability/council/meetings"
    menu_order = 401
    list_display = ["date", "number", "agenda", "protocol"]
    search_fields = ["agenda", "number"]
    search_backend_name = None
    panels = [
        FieldRowPanel([FieldPanel("date"), FieldPanel("number")]),
        FieldPanel("agenda"),
        FieldPanel("protocol"),
        InlinePanel(
            "decisions",
            heading=_("Решения"),
            label=_("Решение"),
            panels=[FieldPanel("year"), FieldPanel("topic"), FieldPanel("text")],
        ),
    ]


class ManagementDecisionForm(WagtailAdminModelForm):
    """The organisations concerned, by code: a region has thousands of organisations, and an
    authority's order lists them; a pasted column of codes picks hundreds at once."""

    organisation_codes = forms.CharField(
        label=_("Коды организаций"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Коды организаций, которых касается решение: по одному в строке или через "
            "запятую (можно вставить столбец из таблицы). Пусто — решение касается всех."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["organisation_codes"] = "\n".join(
                self.instance.organisations.order_by("code").values_list("code", flat=True)
            )

    def clean_organisation_codes(self):
        codes = list(dict.fromkeys(CODE_SEPARATORS.split(self.cleaned_data["organisation_codes"])))
        codes = [code for code in codes if code]
        if len(codes) > MAX_CODES:
            raise forms.ValidationError(
                _("Слишком много кодов: не больше %(limit)s.") % {"limit": MAX_CODES}
            )
        found = {
            organisation.code: organisation
            for organisation in Organisation.objects.filter(code__in=codes)
        }
        missing = [code for code in codes if code not in found]
        if missing:
            shown = ", ".join(missing[:MISSING_CODES_SHOWN])
            if len(missing) > MISSING_CODES_SHOWN:
                shown += "…"
            raise forms.ValidationError(
                _("Нет организаций с кодами: %(codes)s (всего %(count)s).")
                % {"codes": shown, "count": len(missing)}
            )
        return [found[code] for code in codes]

    def save(self, commit=True):
        instance = super().save(commit=commit)
        organisations = self.cleaned_data.get("organisation_codes", [])
        if commit:
            instance.organisations.set(organisations)
        else:
            save_m2m = self.save_m2m

            def save_with_organisations():
                save_m2m()
                instance.organisations.set(organisations)

            self.save_m2m = save_with_organisations
        return instance


class ManagementDecisionViewSet(AccountabilityViewSet):
    model = ManagementDecision
    icon = "doc-full"
    menu_label = _("Управленческие решения")
    menu_name = "accountability-management-decisions"
    url_prefix = "accountability/management-decisions"
    menu_order = 402
    list_display = ["title", "year", "date", "number", "authority"]
    list_filter = ["year"]
    search_fields = ["title", "number", "authority"]
    search_backend_name = None
    edit_handler = ObjectList(
        [
            FieldPanel("year"),
            FieldRowPanel([FieldPanel("date"), FieldPanel("number")]),
            FieldPanel("authority"),
            FieldPanel("title"),
            FieldPanel("text"),
            FieldPanel("document"),
            FieldPanel("organisation_codes"),
        ],
        base_form_class=ManagementDecisionForm,
    )


class DiscussionForm(WagtailAdminModelForm):
    def clean(self):
        cleaned = super().clean()
        opens_on, closes_on = cleaned.get("opens_on"), cleaned.get("closes_on")
        if opens_on and closes_on and closes_on < opens_on:
            self.add_error("closes_on", _("Дата окончания раньше даты начала."))
        return cleaned


class DiscussionIndexView(SafeExportIndexView):
    @property
    def header_buttons(self):
        return [
            *super().header_buttons,
            HeaderButton(
                _("Предложения на модерации"),
                url=reverse("accountability_discussion_entries"),
                icon_name="comment",
            ),
        ]


class DiscussionViewSet(AccountabilityViewSet):
    model = Discussion
    index_view_class = DiscussionIndexView
    icon = "comment"
    menu_label = _("Общественные обсуждения")
    menu_name = "accountability-discussions"
    url_prefix = "accountability/discussions"
    menu_order = 403
    list_display = ["year", "is_open", "opens_on", "closes_on"]
    search_fields = None
    edit_handler = ObjectList(
        [
            FieldPanel("year"),
            MultiFieldPanel(
                [
                    FieldPanel(
                        "is_open",
                        help_text=_(
                            "Предложения принимаются, только когда отмечено и сегодня — "
                            "в пределах дат (если они указаны)."
                        ),
                    ),
                    FieldRowPanel([FieldPanel("opens_on"), FieldPanel("closes_on")]),
                ],
                heading=_("Приём предложений"),
            ),
            FieldPanel("intro"),
            MultiFieldPanel(
                [FieldPanel("summary"), FieldPanel("summary_document")],
                heading=_("Итоги обсуждения"),
            ),
        ],
        base_form_class=DiscussionForm,
    )


def council_viewsets():
    return [
        CouncilMemberViewSet("accountability_council_members"),
        CouncilMeetingViewSet("accountability_council_meetings"),
        ManagementDecisionViewSet("accountability_management_decisions"),
    ]


def discussion_viewsets():
    return [DiscussionViewSet("accountability_discussions")]
